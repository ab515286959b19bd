import fc from 'fast-check';
import type { AnthropicDelta, AnthropicMessageStreamEvent } from '../providers/anthropic-messages.js';
import type { BedrockConverseStreamEvent } from '../providers/bedrock-converse.js';
import type { FinishReason } from '../providers/events.js';
import type { GeminiGenerateContentResponse, GeminiPart, GeminiPartialArg } from '../providers/gemini.js';
import type { OllamaChatResponse } from '../providers/ollama-chat.js';
import type { OpenAIChatChunkDelta, OpenAIChatCompletionChunk, OpenAIChatToolCallDelta } from '../providers/openai-chat.js';
import type { OpenAIRealtimeServerEvent } from '../providers/openai-realtime.js';
import type { OpenAIResponsesStreamEvent } from '../providers/openai-responses.js';
import { extraProviderStream, isExtraProviderStreamKind } from './provider-stream-extra.js';
import { fragment, mulberry32 } from './random.js';

/**
 * The providers {@link providerStream} can imitate: OpenAI Chat Completions (and the
 * OpenAI-compatible servers' quirks), the OpenAI Responses API, the Anthropic Messages API,
 * Gemini / Vertex AI `streamGenerateContent`, Amazon Bedrock ConverseStream (`bedrock`), Ollama
 * `/api/chat` (`ollama`) and OpenAI Realtime server events (`openai-realtime`). Each is also a
 * `ProviderKind` of `createProviderNormalizer`. All of them are in {@link PROVIDER_STREAM_KINDS}.
 * @public
 */
export type ProviderStreamKind =
  | 'openai-chat'
  | 'openai-responses'
  | 'anthropic'
  | 'gemini'
  | 'bedrock'
  | 'ollama'
  | 'openai-realtime';

/**
 * Every {@link ProviderStreamKind}, to run a property over all of them
 * (`for (const provider of PROVIDER_STREAM_KINDS) …`). New kinds are added here as they come.
 * @public
 */
export const PROVIDER_STREAM_KINDS: readonly ProviderStreamKind[] = Object.freeze([
  'openai-chat',
  'openai-responses',
  'anthropic',
  'gemini',
  'bedrock',
  'ollama',
  'openai-realtime',
] as const);

/**
 * The chunk type of each provider: what its official SDK yields and what the matching adapter
 * (`fromOpenAIChatCompletions`, `fromOpenAIResponses`, `fromAnthropicMessages`, `fromGemini`,
 * `fromBedrockConverseStream`, `fromOllamaChat`, `fromOpenAIRealtime`) takes. Bedrock events
 * are the ConverseStream union members as `@aws-sdk/client-bedrock-runtime` yields them
 * (`{ contentBlockDelta: … }`); Ollama chunks are the parsed NDJSON objects; Realtime chunks
 * are the parsed server events of a WebSocket session.
 * @public
 */
export interface ProviderChunkMap {
  /** OpenAI Chat Completions: one `chat.completion.chunk` object per SSE `data:` line. */
  'openai-chat': OpenAIChatCompletionChunk;
  /** OpenAI Responses API: one stream event per SSE event. */
  'openai-responses': OpenAIResponsesStreamEvent;
  /** Anthropic Messages: one stream event per SSE event. */
  anthropic: AnthropicMessageStreamEvent;
  /** Gemini `streamGenerateContent`: one `GenerateContentResponse` per SSE `data:` line. */
  gemini: GeminiGenerateContentResponse;
  /** Bedrock `ConverseStream`: one event of the SDK's stream. */
  bedrock: BedrockConverseStreamEvent;
  /** Ollama `/api/chat`: one JSON object per line. */
  ollama: OllamaChatResponse;
  /** OpenAI Realtime: one server event per WebSocket message. */
  'openai-realtime': OpenAIRealtimeServerEvent;
}

/**
 * How a generated stream ends:
 * - `finish`: normally; every tool call is ended by the provider;
 * - `length`: the output token limit cuts the content (OpenAI `length`, Anthropic `max_tokens`,
 *   Responses `incomplete`, Gemini `MAX_TOKENS`): the call being written stays open;
 * - `error`: the content is cut and the provider reports an error in the stream;
 * - `cut`: the content is cut and the stream simply stops (a dropped connection).
 * @public
 */
export type ProviderStreamEnding = 'finish' | 'length' | 'error' | 'cut';

/** A tool call to put in a generated stream. @public */
export interface ProviderStreamToolCall {
  /** The tool's name. */
  name: string;
  /** The arguments: a JSON object (values must survive `JSON.stringify` / `JSON.parse` unchanged). */
  arguments: Record<string, unknown>;
}

/**
 * Constraints for {@link providerStream}. Everything left out is generated.
 * @public
 */
export interface ProviderStreamConstraints {
  /**
   * The answer text: one string for every choice, or one per choice (`text[c % text.length]`).
   * @defaultValue generated (often empty when there are tool calls)
   */
  text?: string | readonly string[] | undefined;
  /**
   * The tool calls each choice makes, in order (for several choices, each gets the same list).
   * @defaultValue generated, 0 to `maxToolCalls` calls
   */
  toolCalls?: readonly ProviderStreamToolCall[] | undefined;
  /** Upper bound for generated tool calls per choice. @defaultValue 3 */
  maxToolCalls?: number | undefined;
  /**
   * Number of choices (OpenAI chat `n`; their chunks interleave). Other providers always have 1.
   * @defaultValue generated: 1 usually, 2 or 3 sometimes (OpenAI chat only)
   */
  choices?: number | undefined;
  /**
   * Longest text or argument fragment per chunk, in UTF-16 code units; `1` gives one character
   * per chunk (a surrogate pair is never split: it travels as one two-unit fragment).
   * @defaultValue generated: 1, or a random bound up to 12, or 64
   */
  maxFragmentLength?: number | undefined;
  /**
   * How the stream may end; one value or a list to draw from.
   * @defaultValue all four, `finish` most often
   */
  ending?: ProviderStreamEnding | readonly ProviderStreamEnding[] | undefined;
  /**
   * Whether to add reasoning text (Anthropic thinking block, Responses reasoning summary,
   * Gemini thought parts, Bedrock `reasoningContent`, Ollama `thinking`; OpenAI chat and
   * Realtime never have any).
   * @defaultValue generated
   */
  reasoning?: boolean | undefined;
  /**
   * Whether to apply provider quirks at random (see {@link ProviderStreamExpectation.quirks}):
   * OpenAI chat index 1 start, every call on index 0 with new ids, id repeated on every
   * fragment, empty first argument fragment, role in a chunk of its own, duplicated
   * `finish_reason`, `stop` instead of `tool_calls`, usage chunk; OpenAI-compatible servers: no
   * `index`, `index: -1`, arguments before the id and name, placeholder ids, one id shared by
   * every call, whole-so-far resends (some repeated identically), a `tool_calls` finish on a
   * cut call (then `ended: true`, `complete: false`); Anthropic pings anywhere, empty first
   * `input_json_delta`, whole `input` in `content_block_start`, a message cut inside a
   * `tool_use` block and followed by a new `message_start` (its call truncated even when its
   * text parses); Responses API an earlier whole response whose call also used
   * `output_index` 0, or one cut by the next `response.created`; Gemini parallel calls in one
   * chunk, `willContinue` no-op parts, finish on the last content chunk; Bedrock empty first
   * `toolUse.input`, reasoning signature deltas, a missing `contentBlockStop` before the
   * `messageStop`, no `metadata` event; Ollama several calls in one message, arguments as a JSON
   * string; Realtime arguments only in `response.function_call_arguments.done`, a second end
   * signal (`response.output_item.done`), beta event names (`response.text.delta`), audio
   * transcript deltas instead of text. Quirk names are in `expected.quirks`; calls of a spliced
   * earlier response come first in `expected.toolCalls`.
   * @defaultValue true
   */
  quirks?: boolean | undefined;
  /**
   * Bedrock and Realtime only: start the stream with a message (Bedrock) or response (Realtime)
   * abandoned while a tool call streams (a new `messageStart`, or a `response.done` with status
   * `cancelled`, reason `turn_detected`, or with quirks no end at all), then the generated one. The abandoned call is
   * expected truncated (`complete: false`) even when its cut text happens to parse; quirk
   * `bedrock-spliced-message` or `realtime-spliced-response`. (Ollama sends calls whole, so
   * there is nothing to abandon; Anthropic and Responses splices come as quirks.)
   * @defaultValue generated (sometimes) when `quirks` is on, else false
   */
  splice?: boolean | undefined;
  /**
   * Gemini only: `complete` sends each call whole (`functionCall.args`, the Gemini API);
   * `partial-args` streams them as Vertex AI `partialArgs` with `willContinue` (arguments that
   * contain an empty object or array, which `partialArgs` cannot describe, are sent whole).
   * @defaultValue generated
   */
  geminiMode?: 'complete' | 'partial-args' | undefined;
}

/** A tool call the generated stream carries, as an adapter should report it. @public */
export interface ProviderStreamExpectedToolCall {
  /**
   * The provider's call id; absent for Gemini (the adapter generates `gemini-call-<choice>-<n>`)
   * and when an OpenAI-compatible quirk makes ids placeholders or shared.
   */
  id?: string | undefined;
  /** The tool's name. */
  name: string;
  /** The complete arguments the call was generated from (also for a truncated call). */
  arguments: Record<string, unknown>;
  /**
   * Whether the call is whole and ended by the stream: an assembler delivers it. `false` means
   * truncated (cut off, whatever signal followed).
   */
  complete: boolean;
  /**
   * Whether the stream gives the call an end signal at all. Differs from `complete` only for a
   * cut call that a server still ends (an OpenAI-compatible `tool_calls` finish on a call whose
   * JSON never closed): the adapter ends it, the assembler reports it `truncated`.
   * @defaultValue `complete`
   */
  ended?: boolean | undefined;
  /** The choice it belongs to. */
  choice: number;
  /** 0-based position among the calls of its choice. */
  index: number;
  /**
   * The exact argument text the chunks carry for this call (a prefix of the full text when it is
   * truncated). Absent for Vertex `partialArgs`, whose JSON text the adapter writes itself.
   */
  argumentsText?: string | undefined;
}

/** What an adapter should make of a generated stream. @public */
export interface ProviderStreamExpectation {
  /** Answer text per choice (index = choice). */
  text: string[];
  /** Reasoning text per choice. */
  reasoning: string[];
  /** Calls that started, per choice in order (calls the cut came before are not listed). */
  toolCalls: ProviderStreamExpectedToolCall[];
  /** The normalized finish reason of choice 0, or `undefined` when the stream has no finish (`error`, `cut`). */
  finishReason: FinishReason | undefined;
  /** The normalized finish reason per choice. */
  finishReasons: Array<FinishReason | undefined>;
  /** Whether the stream ends other than with `finish` (some content is missing). */
  truncated: boolean;
  /** How the stream was generated to end (see {@link ProviderStreamEnding}). */
  ending: ProviderStreamEnding;
  /** Whether the stream carries an in-stream error (the adapter emits an `error` event). */
  errored: boolean;
  /** Names of the quirks applied, e.g. `['openai-index-start-1', 'openai-duplicate-finish']`. */
  quirks: string[];
}

/** A generated stream: the provider's chunk objects and what they mean. @public */
export interface ProviderStreamValue<P extends ProviderStreamKind = ProviderStreamKind> {
  /** Which provider's wire format `chunks` are in. */
  provider: P;
  /** The chunk objects, in order, as the provider's SDK yields them ({@link toServerSentEvents} writes the SSE body of the HTTP providers). */
  chunks: Array<ProviderChunkMap[P]>;
  /** What the chunks mean: the text, tool calls and finish an adapter plus assembler must report. */
  expected: ProviderStreamExpectation;
}

// ---------------------------------------------------------------------------------------------
// Layout randomness: one fast-check integer seeds a small PRNG that decides fragment sizes,
// interleavings and quirks, so values stay reproducible and content still shrinks.

type Random = () => number;


function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

// ---------------------------------------------------------------------------------------------
// Plans: what each choice says, cut where the ending says.

interface CallPlan {
  name: string;
  arguments: Record<string, unknown>;
  id: string;
  /** Secondary id (Responses item id). */
  itemId: string;
  /** Argument fragments (JSON text), or Vertex partial args. */
  fragments: string[];
  partialArgs: GeminiPartialArg[] | undefined;
  /** The call is sent whole and ends itself (Gemini `args`); Anthropic whole-input is whole but not self-ending. */
  whole: boolean;
  selfEnding: boolean;
}

interface ChoicePlan {
  reasoning: string[];
  text: string[];
  calls: CallPlan[];
}

/** How much of a choice is sent: segments before `segment` whole, then `count` pieces of it. */
interface Cut {
  segment: number;
  count: number;
}

type Segment =
  | { kind: 'reasoning' | 'text'; pieces: number }
  | { kind: 'call'; call: number; pieces: number; whole: boolean };

function segmentsOf(plan: ChoicePlan): Segment[] {
  const segments: Segment[] = [];
  if (plan.reasoning.length > 0) segments.push({ kind: 'reasoning', pieces: plan.reasoning.length });
  if (plan.text.length > 0) segments.push({ kind: 'text', pieces: plan.text.length });
  plan.calls.forEach((call, i) =>
    segments.push({
      kind: 'call',
      call: i,
      pieces: call.partialArgs?.length ?? call.fragments.length,
      whole: call.whole,
    }),
  );
  return segments;
}

function chooseCut(plan: ChoicePlan, random: Random): Cut | undefined {
  const segments = segmentsOf(plan);
  if (segments.length === 0) return undefined;
  const segment = randomInt(random, 0, segments.length - 1);
  const chosen = segments[segment] as Segment;
  const count = chosen.kind === 'call' && chosen.whole ? chosen.pieces : randomInt(random, 0, chosen.pieces);
  return { segment, count };
}

/** A reasoning or text block as sent. */
interface SentBlock {
  pieces: string[];
  /** The block was reached (its start is sent). */
  started: boolean;
  /** The block was cut (its end is not sent). */
  cut: boolean;
}

/** The plan as sent: pieces after the cut removed. */
interface SentChoice {
  reasoning: SentBlock;
  text: SentBlock;
  /** Calls that start, each with the number of pieces sent and whether the stream ends it. */
  calls: Array<{ plan: CallPlan; sent: number; complete: boolean }>;
}

function applyCut(plan: ChoicePlan, cut: Cut | undefined): SentChoice {
  const sent: SentChoice = {
    reasoning: { pieces: [], started: false, cut: false },
    text: { pieces: [], started: false, cut: false },
    calls: [],
  };
  segmentsOf(plan).forEach((segment, i) => {
    if (cut !== undefined && i > cut.segment) return;
    const isCut = cut !== undefined && i === cut.segment;
    const count = isCut ? cut.count : segment.pieces;
    if (segment.kind === 'call') {
      const call = plan.calls[segment.call] as CallPlan;
      sent.calls.push({ plan: call, sent: count, complete: !isCut || call.selfEnding });
    } else {
      sent[segment.kind] = { pieces: plan[segment.kind].slice(0, count), started: true, cut: isCut };
    }
  });
  return sent;
}

// ---------------------------------------------------------------------------------------------
// Content arbitraries.

const WORDS = ['the', 'weather', 'in', 'Paris', 'is', 'sunny', 'and', '21°C', 'today', 'über', '東京', '😀', 'ok'];

const textArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((words) => words.join(' ')) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

const keyArbitrary: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,10}$/) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
  )
  .filter((key) => key !== '__proto__');

const jsonLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

const { value: jsonValueArbitrary } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonLeaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(keyArbitrary, tie('value'), { maxKeys: 3 }),
  ),
}));

/** Tool arguments: JSON objects that come back unchanged from `JSON.parse(JSON.stringify(x))` (no -0). */
const argumentsArbitrary: fc.Arbitrary<Record<string, unknown>> = fc
  .dictionary(keyArbitrary, jsonValueArbitrary, { maxKeys: 4 })
  .map((args) => JSON.parse(JSON.stringify(args)) as Record<string, unknown>);

const toolNameArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('get_weather', 'search', 'read_file', 'make_file', 'lookupUser'),
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,20}$/),
);

const toolCallArbitrary: fc.Arbitrary<ProviderStreamToolCall> = fc.record({
  name: toolNameArbitrary,
  arguments: argumentsArbitrary,
});

const ALL_ENDINGS: readonly ProviderStreamEnding[] = ['finish', 'length', 'error', 'cut'];

function endingArbitrary(ending: ProviderStreamConstraints['ending']): fc.Arbitrary<ProviderStreamEnding> {
  if (typeof ending === 'string') return fc.constant(ending);
  const list = ending ?? ALL_ENDINGS;
  if (list.length === 0) throw new RangeError('providerStream: constraints.ending must not be an empty list');
  return fc.oneof(
    ...list.map((value) => ({ weight: value === 'finish' ? list.length * 2 : 1, arbitrary: fc.constant(value) })),
  );
}

// ---------------------------------------------------------------------------------------------
// Vertex partialArgs from an arguments object.

function pathSegment(key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return '.' + key;
  return "['" + key.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "']";
}

/** Whether every container holds something: `partialArgs` cannot describe `{}` or `[]` below the root. */
function describable(value: unknown, root = true): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every((item) => describable(item, false));
  if (value !== null && typeof value === 'object') {
    const entries = Object.values(value);
    return (root || entries.length > 0) && entries.every((item) => describable(item, false));
  }
  return true;
}

function toPartialArgs(args: Record<string, unknown>, max: number, random: Random): GeminiPartialArg[] {
  const out: GeminiPartialArg[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, path + pathSegment(key));
    } else if (typeof value === 'string') {
      const pieces = fragment(value, max, random);
      if (pieces.length === 0) {
        out.push({ jsonPath: path, stringValue: '' });
        return;
      }
      // Vertex closes a streamed string with an empty piece; sometimes the last piece closes it.
      const closeWithEmpty = random() < 0.7;
      pieces.forEach((piece, i) => {
        const last = i === pieces.length - 1;
        out.push(last && !closeWithEmpty ? { jsonPath: path, stringValue: piece } : { jsonPath: path, stringValue: piece, willContinue: true });
      });
      if (closeWithEmpty) out.push({ jsonPath: path, stringValue: '' });
    } else if (typeof value === 'number') {
      out.push({ jsonPath: path, numberValue: value });
    } else if (typeof value === 'boolean') {
      out.push({ jsonPath: path, boolValue: value });
    } else {
      out.push({ jsonPath: path, nullValue: 'NULL_VALUE' });
    }
  };
  walk(args, '$');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Builders, one per provider.

interface BuildInput {
  plans: ChoicePlan[];
  cuts: Array<Cut | undefined>;
  ending: ProviderStreamEnding;
  random: Random;
  quirks: boolean;
  applied: string[];
}

/** A call of a response spliced in before the generated one (multi-response and cut-response quirks). */
interface PrefixCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  argumentsText: string;
  complete: boolean;
}

interface Built<P extends ProviderStreamKind> {
  chunks: Array<ProviderChunkMap[P]>;
  /** Calls of spliced-in earlier responses (choice 0), before the generated ones. */
  prefixCalls?: PrefixCall[] | undefined;
  /** Finish reason per choice when the ending is `length` but the server says otherwise. */
  lengthReasons?: Array<FinishReason | undefined> | undefined;
  /** Per choice, the index of a cut call the server still ends (a `tool_calls` finish). */
  endedCut?: Array<number | undefined> | undefined;
  /** Finish reason per choice when the ending is `finish`. */
  finishReasons: FinishReason[];
  /** Whether argument text is carried verbatim (false for Vertex partial args). */
  verbatim: (call: CallPlan) => boolean;
}

function quirk(input: BuildInput, name: string, probability: number): boolean {
  if (!input.quirks || input.random() >= probability) return false;
  input.applied.push(name);
  return true;
}

function buildOpenAIChat(input: BuildInput): Built<'openai-chat'> {
  const { random } = input;
  const startAt1 = quirk(input, 'openai-index-start-1', 0.15);
  const sameIndex = quirk(input, 'openai-every-call-on-index-0', 0.15);
  const repeatId = quirk(input, 'openai-id-on-every-fragment', 0.1);
  const emptyFirst = !quirk(input, 'openai-args-in-first-fragment', 0.3);
  const roleChunk = !quirk(input, 'openai-role-merged', 0.3);
  const duplicateFinish = quirk(input, 'openai-duplicate-finish', 0.15);
  const stopWithCalls = quirk(input, 'openai-stop-with-tool-calls', 0.1);
  const usageChunk = input.quirks ? random() < 0.6 : true;
  // OpenAI-compatible servers (Ollama, vLLM, Mistral, Groq, DeepSeek, OpenRouter, LM Studio, …).
  const noIndex = !sameIndex && quirk(input, 'openai-compatible-no-index', 0.08);
  const minusOne = !sameIndex && !noIndex && quirk(input, 'openai-compatible-index-minus-1', 0.08);
  const distinctSlots = !sameIndex && !noIndex && !minusOne;
  const argsBeforeId = distinctSlots && quirk(input, 'openai-compatible-args-before-id-and-name', 0.1);
  const placeholderId = distinctSlots && quirk(input, 'openai-compatible-placeholder-id', 0.08);
  const sharedId = distinctSlots && !placeholderId && quirk(input, 'openai-compatible-id-shared-by-every-call', 0.08);
  const resends = quirk(input, 'openai-compatible-whole-so-far-resends', 0.1);
  const finishOnCut = input.ending === 'length' && quirk(input, 'openai-compatible-tool-calls-finish-on-cut-call', 0.15);
  const envelope = { id: 'chatcmpl-streamshape', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-test' };
  const perChoice: OpenAIChatCompletionChunk[][] = [];
  const finishReasons: FinishReason[] = [];
  const lengthReasons: Array<FinishReason | undefined> = [];
  const endedCut: Array<number | undefined> = [];
  const idOf = (call: CallPlan, choice: number): string => (placeholderId ? '' : sharedId ? `call_shared_${choice}` : call.id);
  const at = (slot: number): { index?: number } => (noIndex ? {} : { index: minusOne ? -1 : slot });
  input.plans.forEach((plan, choice) => {
    const sent = applyCut(plan, input.cuts[choice]);
    const list: OpenAIChatCompletionChunk[] = [];
    const chunk = (delta: OpenAIChatChunkDelta, finish: string | null = null) => {
      const entry = { index: choice, delta, logprobs: null, finish_reason: finish };
      list.push({ ...envelope, choices: [entry] });
    };
    let pendingRole = !roleChunk;
    if (roleChunk) chunk({ role: 'assistant', content: sent.calls.length > 0 && sent.text.pieces.length === 0 ? null : '' });
    for (const piece of sent.text.pieces) {
      chunk(pendingRole ? { role: 'assistant', content: piece } : { content: piece });
      pendingRole = false;
    }
    let cutOpen: number | undefined;
    sent.calls.forEach(({ plan: call, sent: count, complete }, i) => {
      const slot = sameIndex ? 0 : i + (startAt1 ? 1 : 0);
      const id = idOf(call, choice);
      // (A call cut before any argument text would read as a call without parameters: `{}`.)
      if (!complete && count > 0 && count < call.fragments.length) cutOpen = i;
      let pieces = call.fragments.slice(0, count);
      if (resends) {
        // Every fragment repeats all the arguments so far; now and then one is sent twice.
        let soFar = '';
        pieces = pieces.flatMap((piece) => {
          soFar += piece;
          return random() < 0.2 ? [soFar, soFar] : [soFar];
        });
      }
      const send = (tool: OpenAIChatToolCallDelta) => {
        chunk(pendingRole ? { role: 'assistant', content: null, tool_calls: [tool] } : { tool_calls: [tool] });
        pendingRole = false;
      };
      if (argsBeforeId && pieces.length > 0) send({ ...at(slot), function: { arguments: pieces.shift() as string } });
      const firstArgs = emptyFirst || pieces.length === 0 ? '' : (pieces.shift() as string);
      send({ ...at(slot), id, type: 'function', function: { name: call.name, arguments: firstArgs } });
      for (const piece of pieces) {
        send(
          repeatId
            ? { ...at(slot), id, type: 'function', function: { name: call.name, arguments: piece } }
            : { ...at(slot), function: { arguments: piece } },
        );
      }
    });
    const hasCalls = plan.calls.length > 0;
    const cutEnded = finishOnCut && cutOpen !== undefined;
    const raw = cutEnded ? 'tool_calls' : input.ending === 'length' ? 'length' : hasCalls && !stopWithCalls ? 'tool_calls' : 'stop';
    finishReasons.push(raw === 'tool_calls' ? 'tool-calls' : 'stop');
    lengthReasons.push(cutEnded ? 'tool-calls' : 'length');
    endedCut.push(cutEnded ? cutOpen : undefined);
    if (input.ending === 'finish' || input.ending === 'length') {
      chunk({}, raw);
      if (duplicateFinish) chunk({}, raw);
    }
    perChoice.push(list);
  });
  // Interleave the choices' chunks (n > 1), keeping each choice's order.
  const chunks: OpenAIChatCompletionChunk[] = [];
  const positions = perChoice.map(() => 0);
  for (;;) {
    const live = perChoice.map((list, c) => (positions[c] ?? 0) < list.length ? c : -1).filter((c) => c >= 0);
    if (live.length === 0) break;
    const c = live[randomInt(random, 0, live.length - 1)] as number;
    const list = perChoice[c] as OpenAIChatCompletionChunk[];
    chunks.push(list[positions[c] ?? 0] as OpenAIChatCompletionChunk);
    positions[c] = (positions[c] ?? 0) + 1;
  }
  if ((input.ending === 'finish' || input.ending === 'length') && usageChunk) {
    chunks.push({ ...envelope, choices: [], usage: { prompt_tokens: 42, completion_tokens: chunks.length } });
  }
  if (input.ending === 'error') {
    chunks.push({ error: { message: 'The server had an error while processing your request.', type: 'server_error', code: null } });
  }
  return { chunks, finishReasons, verbatim: () => true, lengthReasons, endedCut };
}

function buildAnthropic(input: BuildInput): Built<'anthropic'> {
  const plan = input.plans[0] as ChoicePlan;
  const sent = applyCut(plan, input.cuts[0]);
  const emptyFirst = !quirk(input, 'anthropic-no-empty-first-json-delta', 0.2);
  const randomPings = quirk(input, 'anthropic-pings-anywhere', 0.3);
  const chunks: AnthropicMessageStreamEvent[] = [];
  // A message cut inside a tool_use block, then a new message_start: the cut call is truncated
  // even when its text happens to parse.
  const prefixCalls: PrefixCall[] = [];
  if (quirk(input, 'anthropic-spliced-message', 0.12)) {
    const full = '{"value":"Spark","n":1}';
    const text = input.random() < 0.5 ? '{"value":"Spark"}' : full.slice(0, 1 + Math.floor(input.random() * (full.length - 1)));
    const id = 'toolu_01spliced';
    chunks.push({ type: 'message_start', message: { id: 'msg_cut', content: [], stop_reason: null, usage: { input_tokens: 42, output_tokens: 1 } } as never });
    chunks.push({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id, name: 'spliced_tool', input: {} } });
    chunks.push({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: text } });
    prefixCalls.push({ id, name: 'spliced_tool', arguments: { value: 'Spark', n: 1 }, argumentsText: text, complete: false });
  }
  const message = {
    id: 'msg_streamshape',
    type: 'message',
    role: 'assistant',
    model: 'claude-test',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 42, output_tokens: 1 },
  };
  chunks.push({ type: 'message_start', message });
  let index = 0;
  let pinged = false;
  // The API sends one ping after the first block starts; servers under load send more.
  const afterStart = () => {
    if (!pinged) chunks.push({ type: 'ping' });
    pinged = true;
  };
  const maybePing = () => {
    if (randomPings && input.random() < 0.15) chunks.push({ type: 'ping' });
  };
  const delta = (value: AnthropicDelta) => {
    chunks.push({ type: 'content_block_delta', index, delta: value });
    maybePing();
  };
  const stop = (ended: boolean) => {
    if (ended) chunks.push({ type: 'content_block_stop', index });
    index++;
  };
  if (sent.reasoning.started) {
    const block = { type: 'thinking', thinking: '', signature: '' };
    chunks.push({ type: 'content_block_start', index, content_block: block });
    afterStart();
    for (const piece of sent.reasoning.pieces) delta({ type: 'thinking_delta', thinking: piece });
    if (!sent.reasoning.cut) delta({ type: 'signature_delta', signature: 'c2lnbmF0dXJl' });
    stop(!sent.reasoning.cut);
  }
  if (sent.text.started) {
    chunks.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    afterStart();
    for (const piece of sent.text.pieces) delta({ type: 'text_delta', text: piece });
    stop(!sent.text.cut);
  }
  for (const { plan: call, sent: count, complete } of sent.calls) {
    const block = { type: 'tool_use', id: call.id, name: call.name, input: call.whole ? call.arguments : {} };
    chunks.push({ type: 'content_block_start', index, content_block: block });
    afterStart();
    if (!call.whole) {
      if (emptyFirst) delta({ type: 'input_json_delta', partial_json: '' });
      for (const piece of call.fragments.slice(0, count)) delta({ type: 'input_json_delta', partial_json: piece });
    }
    stop(complete);
  }
  const hasCalls = plan.calls.length > 0;
  if (input.ending === 'finish' || input.ending === 'length') {
    const stopReason = input.ending === 'length' ? 'max_tokens' : hasCalls ? 'tool_use' : 'end_turn';
    chunks.push({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: chunks.length } });
    chunks.push({ type: 'message_stop' });
  } else if (input.ending === 'error') {
    chunks.push({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  }
  return { chunks, finishReasons: [hasCalls ? 'tool-calls' : 'stop'], verbatim: () => true, prefixCalls };
}

function buildResponses(input: BuildInput): Built<'openai-responses'> {
  const plan = input.plans[0] as ChoicePlan;
  const sent = applyCut(plan, input.cuts[0]);
  const chunks: OpenAIResponsesStreamEvent[] = [];
  let sequence = 0;
  const push = (event: { type: string } & Record<string, unknown>) => {
    chunks.push({ ...event, sequence_number: sequence++ } as OpenAIResponsesStreamEvent);
  };
  const response = (status: string, extra: Record<string, unknown> = {}) => ({
    id: 'resp_streamshape',
    object: 'response',
    status,
    model: 'gpt-test',
    ...extra,
  });
  // An earlier response of a multi-step run, its call on output_index 0 as the generated one's
  // will be: whole (`responses-multi-response`) or cut by the next response.created.
  const prefixCalls: PrefixCall[] = [];
  const multi = quirk(input, 'responses-multi-response', 0.12);
  const spliced = !multi && quirk(input, 'responses-spliced-response', 0.12);
  if (multi || spliced) {
    const args = '{"step":1,"note":"first"}';
    const sentArgs = multi ? args : args.slice(0, 1 + Math.floor(input.random() * (args.length - 1)));
    const item = { type: 'function_call', id: 'fc_prefix', call_id: 'call_prefix', name: 'first_step', arguments: '', status: 'in_progress' };
    push({ type: 'response.created', response: { ...response('in_progress'), id: 'resp_prefix' } });
    push({ type: 'response.output_item.added', output_index: 0, item });
    for (const piece of fragment(sentArgs, 8, input.random)) {
      push({ type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_prefix', delta: piece });
    }
    if (multi) {
      push({ type: 'response.function_call_arguments.done', output_index: 0, item_id: 'fc_prefix', arguments: args });
      const done = { ...item, arguments: args, status: 'completed' };
      push({ type: 'response.output_item.done', output_index: 0, item: done });
      push({ type: 'response.completed', response: { ...response('completed', { output: [done] }), id: 'resp_prefix' } });
    }
    prefixCalls.push({ id: 'call_prefix', name: 'first_step', arguments: { step: 1, note: 'first' }, argumentsText: sentArgs, complete: multi });
  }
  push({ type: 'response.created', response: response('in_progress') });
  push({ type: 'response.in_progress', response: response('in_progress') });
  let outputIndex = 0;
  const output: unknown[] = [];
  if (sent.reasoning.started) {
    const id = 'rs_streamshape';
    const at = { output_index: outputIndex, item_id: id, summary_index: 0 };
    push({ type: 'response.output_item.added', output_index: outputIndex, item: { type: 'reasoning', id, summary: [] } });
    push({ type: 'response.reasoning_summary_part.added', ...at, part: { type: 'summary_text', text: '' } });
    for (const piece of sent.reasoning.pieces) push({ type: 'response.reasoning_summary_text.delta', ...at, delta: piece });
    if (!sent.reasoning.cut) {
      const text = plan.reasoning.join('');
      push({ type: 'response.reasoning_summary_text.done', ...at, text });
      push({ type: 'response.reasoning_summary_part.done', ...at, part: { type: 'summary_text', text } });
      const item = { type: 'reasoning', id, summary: [{ type: 'summary_text', text }] };
      push({ type: 'response.output_item.done', output_index: outputIndex, item });
      output.push(item);
    }
    outputIndex++;
  }
  if (sent.text.started) {
    const id = 'msg_streamshape';
    const at = { output_index: outputIndex, item_id: id, content_index: 0 };
    push({ type: 'response.output_item.added', output_index: outputIndex, item: { type: 'message', id, status: 'in_progress', role: 'assistant', content: [] } });
    push({ type: 'response.content_part.added', ...at, part: { type: 'output_text', text: '', annotations: [] } });
    for (const piece of sent.text.pieces) push({ type: 'response.output_text.delta', ...at, delta: piece, logprobs: [] });
    if (!sent.text.cut) {
      const text = plan.text.join('');
      const part = { type: 'output_text', text, annotations: [] };
      push({ type: 'response.output_text.done', ...at, text, logprobs: [] });
      push({ type: 'response.content_part.done', ...at, part });
      const item = { type: 'message', id, status: 'completed', role: 'assistant', content: [part] };
      push({ type: 'response.output_item.done', output_index: outputIndex, item });
      output.push(item);
    }
    outputIndex++;
  }
  for (const { plan: call, sent: count, complete } of sent.calls) {
    const item = { type: 'function_call', id: call.itemId, call_id: call.id, name: call.name, arguments: '', status: 'in_progress' };
    push({ type: 'response.output_item.added', output_index: outputIndex, item });
    for (const piece of call.fragments.slice(0, count)) {
      push({ type: 'response.function_call_arguments.delta', output_index: outputIndex, item_id: call.itemId, delta: piece });
    }
    if (complete) {
      const args = call.fragments.join('');
      push({ type: 'response.function_call_arguments.done', output_index: outputIndex, item_id: call.itemId, arguments: args });
      const done = { ...item, arguments: args, status: 'completed' };
      push({ type: 'response.output_item.done', output_index: outputIndex, item: done });
      output.push(done);
    }
    outputIndex++;
  }
  const usage = { input_tokens: 42, output_tokens: chunks.length, total_tokens: 42 + chunks.length };
  if (input.ending === 'finish') {
    push({ type: 'response.completed', response: response('completed', { output, usage }) });
  } else if (input.ending === 'length') {
    const details = { incomplete_details: { reason: 'max_output_tokens' } };
    push({ type: 'response.incomplete', response: response('incomplete', { output, usage, ...details }) });
  } else if (input.ending === 'error') {
    push({ type: 'error', code: 'server_error', message: 'The server had an error while processing your request.', param: null });
  }
  return { chunks, finishReasons: [plan.calls.length > 0 ? 'tool-calls' : 'stop'], verbatim: () => true, prefixCalls };
}

function buildGemini(input: BuildInput): Built<'gemini'> {
  const plan = input.plans[0] as ChoicePlan;
  const sent = applyCut(plan, input.cuts[0]);
  const groupCalls = quirk(input, 'gemini-parallel-calls-in-one-chunk', 0.3);
  const noOps = quirk(input, 'gemini-willContinue-no-op-parts', 0.3);
  const finishOnLast = quirk(input, 'gemini-finish-on-last-content-chunk', 0.3);
  const envelope = { modelVersion: 'gemini-test', responseId: 'streamshape' };
  const chunks: GeminiGenerateContentResponse[] = [];
  const chunk = (parts: GeminiPart[]) => chunks.push({ candidates: [{ content: { role: 'model', parts } }], ...envelope });
  for (const piece of sent.reasoning.pieces) chunk([{ text: piece, thought: true }]);
  for (const piece of sent.text.pieces) chunk([{ text: piece }]);
  let group: GeminiPart[] = [];
  const flush = () => {
    if (group.length > 0) chunk(group);
    group = [];
  };
  for (const { plan: call, sent: count, complete } of sent.calls) {
    if (call.partialArgs === undefined) {
      group.push({ functionCall: { name: call.name, args: call.arguments } });
      if (!groupCalls) flush();
      continue;
    }
    flush();
    chunk([{ functionCall: { name: call.name, willContinue: true } }]);
    call.partialArgs.slice(0, count).forEach((arg) => {
      chunk([{ functionCall: { partialArgs: [arg], willContinue: true } }]);
      if (noOps && input.random() < 0.2) chunk([{ functionCall: { willContinue: true } }]);
    });
    if (complete) chunk([{ functionCall: {} }]);
  }
  flush();
  const usageMetadata = { promptTokenCount: 42, candidatesTokenCount: chunks.length, totalTokenCount: 42 + chunks.length };
  const hasCalls = plan.calls.length > 0;
  if (input.ending === 'finish' || input.ending === 'length') {
    const finishReason = input.ending === 'length' ? 'MAX_TOKENS' : 'STOP';
    const last = chunks[chunks.length - 1];
    if (finishOnLast && last !== undefined && last.candidates?.[0] !== undefined) {
      chunks[chunks.length - 1] = { candidates: [{ ...last.candidates[0], finishReason }], usageMetadata, ...envelope };
    } else {
      chunks.push({ candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason }], usageMetadata, ...envelope });
    }
  } else if (input.ending === 'error') {
    chunks.push({ error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } });
  }
  return { chunks, finishReasons: [hasCalls ? 'tool-calls' : 'stop'], verbatim: (call) => call.partialArgs === undefined };
}

// ---------------------------------------------------------------------------------------------

interface Drawn {
  texts: string[];
  reasoning: string[];
  calls: ProviderStreamToolCall[][];
  ending: ProviderStreamEnding;
  maxFragment: number;
  seed: number;
  geminiPartial: boolean;
}


/**
 * Arbitrary of realistic provider stream chunk sequences, with what an adapter should make of
 * them. Each value holds the chunk objects exactly as the provider's SDK yields them (OpenAI
 * `ChatCompletionChunk`s, Responses stream events, Anthropic raw message stream events, Gemini
 * `GenerateContentResponse`s, Bedrock ConverseStream events, Ollama `/api/chat` NDJSON objects,
 * OpenAI Realtime server events; see {@link ProviderChunkMap}) carrying generated or given text
 * and tool calls, fragmented at
 * random, with the provider's known quirks at random, ending normally, by the token limit, by
 * an in-stream error or by a dropped connection; and `expected`: text per choice, each call
 * with its arguments and whether the stream ends it (`complete`), the finish reason, whether
 * the stream is truncated.
 *
 * Use it to test code that consumes provider streams: the adapters, a tool-call assembler, your
 * own stream handling. {@link toServerSentEvents} gives the wire text of a value, to test
 * HTTP-level code.
 *
 * @remarks
 * A call is `complete` only when the stream ends it explicitly (its end event, the next call,
 * or the finish); a call cut by `length`, an error or a dropped stream is not, even when its
 * argument text happens to be whole. Fragment sizes, interleaving and quirks come from one
 * seeded generator, so a failing value replays from fast-check's seed; content shrinks.
 *
 * @param provider - which provider's chunks to generate.
 * @param constraints - what to fix instead of generating.
 * @throws {TypeError} for an unknown provider.
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { providerStream } from 'streamshape/testing';
 * import { createProviderNormalizer } from 'streamshape/tool-calls';
 *
 * fc.assert(
 *   fc.property(providerStream('anthropic', { ending: 'length' }), ({ chunks, expected }) => {
 *     const normalizer = createProviderNormalizer('anthropic');
 *     const events = [...chunks.flatMap((c) => normalizer.push(c)), ...normalizer.end()];
 *     const ended = events.filter((e) => e.type === 'tool-call-end').length;
 *     return ended === expected.toolCalls.filter((call) => call.complete).length;
 *   }),
 * );
 * ```
 * @public
 */
export function providerStream<P extends ProviderStreamKind>(
  provider: P,
  constraints: ProviderStreamConstraints = {},
): fc.Arbitrary<ProviderStreamValue<P>> {
  if (!PROVIDER_STREAM_KINDS.includes(provider)) {
    throw new TypeError(
      `providerStream: unknown provider ${JSON.stringify(provider)}; use one of ${PROVIDER_STREAM_KINDS.join(', ')}`,
    );
  }
  if (isExtraProviderStreamKind(provider)) {
    // `P` is narrowed to one of the extra kinds here, so the value type is the same.
    return extraProviderStream(provider, constraints) as unknown as fc.Arbitrary<ProviderStreamValue<P>>;
  }
  const maxCalls = constraints.maxToolCalls ?? 3;
  const choices =
    provider !== 'openai-chat'
      ? fc.constant(1)
      : constraints.choices !== undefined
        ? fc.constant(constraints.choices)
        : fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) });
  const givenText = constraints.text;
  const text: fc.Arbitrary<string[]> =
    givenText === undefined
      ? fc.array(textArbitrary, { minLength: 3, maxLength: 3 })
      : fc.constant(typeof givenText === 'string' ? [givenText] : [...givenText]);
  const reasoning: fc.Arbitrary<string[]> =
    provider === 'openai-chat' || constraints.reasoning === false
      ? fc.constant<string[]>([])
      : constraints.reasoning === true
        ? fc.array(textArbitrary.filter((t) => t !== ''), { minLength: 1, maxLength: 1 })
        : fc.oneof(fc.constant<string[]>([]), fc.array(textArbitrary, { minLength: 1, maxLength: 1 }));
  const calls: fc.Arbitrary<ProviderStreamToolCall[][]> =
    constraints.toolCalls !== undefined
      ? fc.constant([[...constraints.toolCalls]])
      : fc.array(fc.array(toolCallArbitrary, { maxLength: maxCalls }), { minLength: 3, maxLength: 3 });
  const maxFragment =
    constraints.maxFragmentLength !== undefined
      ? fc.constant(Math.max(1, constraints.maxFragmentLength))
      : fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 12 }), fc.constant(64));
  const geminiPartial =
    constraints.geminiMode === undefined ? fc.boolean() : fc.constant(constraints.geminiMode === 'partial-args');
  return fc
    .record({
      n: choices,
      texts: text,
      reasoning,
      calls,
      ending: endingArbitrary(constraints.ending),
      maxFragment,
      seed: fc.integer(),
      geminiPartial,
    })
    .map(({ n, ...drawn }) => build(provider, n, drawn, constraints.quirks !== false));
}

function build<P extends ProviderStreamKind>(provider: P, n: number, drawn: Drawn, quirks: boolean): ProviderStreamValue<P> {
  const random: Random = mulberry32(drawn.seed);
  const applied: string[] = [];
  let callNumber = 0;
  const plans: ChoicePlan[] = [];
  for (let choice = 0; choice < n; choice++) {
    const text = drawn.texts[choice % Math.max(1, drawn.texts.length)] ?? '';
    const reasoning = drawn.reasoning[0] ?? '';
    const callsOfChoice = drawn.calls[choice % Math.max(1, drawn.calls.length)] ?? [];
    const calls = callsOfChoice.map((call): CallPlan => {
      const number = callNumber++;
      const json = provider === 'anthropic' && random() < 0.5 ? JSON.stringify(call.arguments, null, 1).replace(/\n */g, ' ') : JSON.stringify(call.arguments);
      const partial = provider === 'gemini' && drawn.geminiPartial && describable(call.arguments);
      const anthropicWhole = provider === 'anthropic' && Object.keys(call.arguments).length > 0 && quirks && random() < 0.1;
      if (anthropicWhole) applied.push('anthropic-input-in-block-start');
      const geminiWhole = provider === 'gemini' && !partial;
      const prefix = provider === 'anthropic' ? 'toolu_01' : 'call_';
      const id = `${prefix}${String(drawn.seed >>> 0).padStart(10, '0').slice(-10)}${String(number).padStart(2, '0')}`;
      return {
        name: call.name,
        arguments: call.arguments,
        id,
        itemId: `fc_${id}`,
        // Sent whole: the adapter re-serializes with JSON.stringify, so that is the text it carries.
        fragments: anthropicWhole || geminiWhole ? [JSON.stringify(call.arguments)] : fragment(json, drawn.maxFragment, random),
        partialArgs: partial ? toPartialArgs(call.arguments, drawn.maxFragment, random) : undefined,
        whole: anthropicWhole || geminiWhole,
        selfEnding: geminiWhole,
      };
    });
    plans.push({
      reasoning: fragment(reasoning, drawn.maxFragment, random),
      text: fragment(text, drawn.maxFragment, random),
      calls,
    });
  }
  const cuts = plans.map((plan) => (drawn.ending === 'finish' ? undefined : chooseCut(plan, random)));
  const input: BuildInput = { plans, cuts, ending: drawn.ending, random, quirks, applied };
  const built =
    provider === 'openai-chat'
      ? buildOpenAIChat(input)
      : provider === 'anthropic'
        ? buildAnthropic(input)
        : provider === 'openai-responses'
          ? buildResponses(input)
          : buildGemini(input);
  const expected: ProviderStreamExpectation = {
    text: [],
    reasoning: [],
    toolCalls: [],
    finishReason: undefined,
    finishReasons: [],
    truncated: drawn.ending !== 'finish',
    ending: drawn.ending,
    errored: drawn.ending === 'error',
    quirks: applied,
  };
  const prefix = built.prefixCalls ?? [];
  prefix.forEach((call, index) => {
    expected.toolCalls.push({
      id: call.id,
      name: call.name,
      arguments: call.arguments,
      complete: call.complete,
      choice: 0,
      index,
      argumentsText: call.argumentsText,
    });
    // A cut response is reported as an error event (its open call is abandoned).
    if (!call.complete) expected.errored = true;
  });
  const opaqueIds = applied.some((q) => q === 'openai-compatible-placeholder-id' || q === 'openai-compatible-id-shared-by-every-call');
  plans.forEach((plan, choice) => {
    const sent = applyCut(plan, cuts[choice]);
    expected.text.push(sent.text.pieces.join(''));
    expected.reasoning.push(sent.reasoning.pieces.join(''));
    const shift = choice === 0 ? prefix.length : 0;
    sent.calls.forEach(({ plan: call, sent: count, complete }, index) => {
      const entry: ProviderStreamExpectedToolCall = {
        name: call.name,
        arguments: call.arguments,
        complete: complete || drawn.ending === 'finish',
        choice,
        index: index + shift,
      };
      if (built.endedCut?.[choice] === index) entry.ended = true;
      if (provider !== 'gemini' && !opaqueIds) entry.id = call.id;
      if (built.verbatim(call)) entry.argumentsText = call.fragments.slice(0, count).join('');
      expected.toolCalls.push(entry);
    });
    const reason: FinishReason | undefined =
      drawn.ending === 'finish'
        ? built.finishReasons[choice]
        : drawn.ending === 'length'
          ? (built.lengthReasons?.[choice] ?? 'length')
          : undefined;
    // An earlier whole response in the stream finished (with its call) even if this one did not.
    const earlier = choice === 0 && prefix.some((call) => call.complete) ? 'tool-calls' : undefined;
    expected.finishReasons.push(reason ?? earlier);
  });
  expected.finishReason = expected.finishReasons[0];
  return { provider, chunks: built.chunks as Array<ProviderChunkMap[P]>, expected };
}

/** Options of {@link toServerSentEvents}. @public */
export interface ToServerSentEventsOptions {
  /**
   * OpenAI chat only: end with `data: [DONE]` as the API does.
   * @defaultValue true
   */
  done?: boolean | undefined;
}

/**
 * The SSE wire text of a chunk sequence, as the provider's HTTP API sends it: `data:` lines for
 * OpenAI chat (then `data: [DONE]`) and Gemini (`alt=sse`, CRLF line ends), `event:` + `data:`
 * lines for Anthropic and the Responses API. Feed it to streamshape's `readServerSentEvents`, or serve
 * it from a test server to the official SDKs.
 *
 * Only for the providers that stream SSE: Bedrock sends binary `application/vnd.amazon.eventstream`
 * frames, Ollama NDJSON (`JSON.stringify(chunk) + '\n'` per chunk, which `fromOllamaChat` also
 * reads as text), and Realtime WebSocket messages (`JSON.stringify(event)` each, which
 * `fromOpenAIRealtime` also reads as strings).
 *
 * @throws {TypeError} for `bedrock`, `ollama` or `openai-realtime` (not SSE; see above).
 * @example
 * ```ts
 * fc.assert(
 *   fc.asyncProperty(providerStream('openai-chat'), async ({ chunks }) => {
 *     const body = toServerSentEvents('openai-chat', chunks);
 *     const replayed = [];
 *     for await (const chunk of readServerSentEventsJson(body)) replayed.push(chunk);
 *     expect(replayed).toEqual(chunks);
 *   }),
 * );
 * ```
 * @public
 */
export function toServerSentEvents<P extends Exclude<ProviderStreamKind, 'bedrock' | 'ollama' | 'openai-realtime'>>(
  provider: P,
  chunks: ReadonlyArray<ProviderChunkMap[P]>,
  options: ToServerSentEventsOptions = {},
): string {
  if (isExtraProviderStreamKind(provider)) {
    const wire = provider === 'bedrock' ? 'AWS eventstream frames' : provider === 'ollama' ? 'NDJSON' : 'WebSocket messages';
    throw new TypeError(`toServerSentEvents: ${provider} streams ${wire}, not SSE`);
  }
  let out = '';
  for (const chunk of chunks) {
    const data = JSON.stringify(chunk);
    switch (provider) {
      case 'openai-chat':
        out += `data: ${data}\n\n`;
        break;
      case 'gemini':
        out += `data: ${data}\r\n\r\n`;
        break;
      default: {
        const type = (chunk as { type?: unknown }).type;
        out += `event: ${typeof type === 'string' ? type : 'message'}\ndata: ${data}\n\n`;
      }
    }
  }
  if (provider === 'openai-chat' && options.done !== false) out += 'data: [DONE]\n\n';
  return out;
}
