import fc from 'fast-check';
import type { BedrockConverseStreamEvent } from '../providers/bedrock-converse.js';
import type { FinishReason } from '../providers/events.js';
import type { OllamaChatResponse } from '../providers/ollama-chat.js';
import type { OpenAIRealtimeServerEvent } from '../providers/openai-realtime.js';
import type {
  ProviderChunkMap,
  ProviderStreamConstraints,
  ProviderStreamEnding,
  ProviderStreamExpectation,
  ProviderStreamExpectedToolCall,
  ProviderStreamToolCall,
  ProviderStreamValue,
} from './provider-stream.js';
import { fragment, mulberry32 } from './random.js';

/** The providers this module generates (`providerStream` delegates them here). @internal */
export type ExtraProviderStreamKind = 'bedrock' | 'ollama' | 'openai-realtime';

/** Whether `provider` is generated here. @internal */
export function isExtraProviderStreamKind(provider: string): provider is ExtraProviderStreamKind {
  return (EXTRA_PROVIDERS as readonly string[]).includes(provider);
}

type Random = () => number;

const EXTRA_PROVIDERS: readonly ExtraProviderStreamKind[] = ['bedrock', 'ollama', 'openai-realtime'];

const textArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

const keyArbitrary = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/);

/** JSON objects that survive `JSON.parse(JSON.stringify(x))` unchanged (no -0, no `__proto__`). */
const argumentsArbitrary: fc.Arbitrary<Record<string, unknown>> = fc
  .dictionary(keyArbitrary, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);

const toolCallArbitrary: fc.Arbitrary<ProviderStreamToolCall> = fc.record({
  name: fc.stringMatching(/^[a-z][a-z_]{0,12}$/),
  arguments: argumentsArbitrary,
});

function endingArbitrary(ending: ProviderStreamConstraints['ending']): fc.Arbitrary<ProviderStreamEnding> {
  if (typeof ending === 'string') return fc.constant(ending);
  const list = ending ?? (['finish', 'length', 'error', 'cut'] as const);
  if (list.length === 0) throw new RangeError('providerStream: constraints.ending must not be an empty list');
  return fc.oneof(...list.map((value) => ({ weight: value === 'finish' ? list.length * 2 : 1, arbitrary: fc.constant(value) })));
}

interface PlannedCall {
  name: string;
  arguments: Record<string, unknown>;
  id: string;
  itemId: string;
  fragments: string[];
}

/** What is sent of a message: text pieces, then calls; `cut` stops inside. */
interface Message {
  reasoning: string[];
  text: string[];
  calls: PlannedCall[];
  /** Where the content stops: undefined = everything; else the text pieces sent and, when a call is cut, which and how many fragments. */
  cut?: { textPieces: number; call?: number | undefined; fragments?: number | undefined } | undefined;
}

interface Drawn {
  text: string;
  reasoning: string;
  calls: readonly ProviderStreamToolCall[];
  ending: ProviderStreamEnding;
  maxFragment: number;
  seed: number;
  splice: boolean;
  splicedCall: ProviderStreamToolCall;
}

/**
 * `providerStream` for Bedrock ConverseStream, Ollama `/api/chat` and OpenAI Realtime: the same
 * {@link ProviderStreamExpectation}. Quirks (with `quirks`, the default): Bedrock empty first
 * `toolUse.input`, reasoning signature deltas, a missing `contentBlockStop` before `tool_use` /
 * `end_turn`, no `metadata` event; Ollama several calls in one message, arguments as a JSON
 * string; Realtime arguments only in `response.function_call_arguments.done`, a second end
 * signal (`response.output_item.done`), beta event names (`response.text.delta`), audio
 * transcript deltas instead of text. With `splice`, an abandoned message or response comes
 * first. `choices` and `geminiMode` do not apply.
 * @internal
 */
export function extraProviderStream<P extends ExtraProviderStreamKind>(
  provider: P,
  constraints: ProviderStreamConstraints,
): fc.Arbitrary<ProviderStreamValue<P>> {
  const quirks = constraints.quirks !== false;
  const given = constraints.text;
  return fc
    .record({
      text: given === undefined ? textArbitrary : fc.constant(typeof given === 'string' ? given : (given[0] ?? '')),
      reasoning:
        constraints.reasoning === false
          ? fc.constant('')
          : constraints.reasoning === true
            ? textArbitrary.filter((t) => t !== '')
            : fc.oneof(fc.constant(''), textArbitrary),
      calls:
        constraints.toolCalls !== undefined
          ? fc.constant([...constraints.toolCalls])
          : fc.array(toolCallArbitrary, { maxLength: constraints.maxToolCalls ?? 3 }),
      ending: endingArbitrary(constraints.ending),
      maxFragment:
        constraints.maxFragmentLength !== undefined
          ? fc.constant(Math.max(1, constraints.maxFragmentLength))
          : fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 12 }), fc.constant(64)),
      seed: fc.integer(),
      // Ollama's calls arrive whole: nothing to abandon mid-call. Without quirks, no splice unless asked.
      splice:
        provider === 'ollama'
          ? fc.constant(false)
          : constraints.splice !== undefined
            ? fc.constant(constraints.splice)
            : quirks
              ? fc.boolean()
              : fc.constant(false),
      splicedCall: toolCallArbitrary,
    })
    .map((drawn) => build(provider, drawn, quirks));
}

function build<P extends ExtraProviderStreamKind>(provider: P, drawn: Drawn, quirks: boolean): ProviderStreamValue<P> {
  const random = mulberry32(drawn.seed);
  const applied: string[] = [];
  let number = 0;
  const plan = (call: ProviderStreamToolCall): PlannedCall => {
    const n = number++;
    const id = `${provider === 'bedrock' ? 'tooluse_' : 'call_'}${String(drawn.seed >>> 0).padStart(10, '0')}${String(n).padStart(2, '0')}`;
    return { ...call, id, itemId: `item_${id}`, fragments: fragment(JSON.stringify(call.arguments), drawn.maxFragment, random) };
  };
  const messages: Message[] = [];
  if (drawn.splice) {
    // The abandoned message: its one call is cut after some (maybe all) of its fragments.
    const call = plan(drawn.splicedCall);
    messages.push({ reasoning: [], text: [], calls: [call], cut: { textPieces: 0, call: 0, fragments: Math.floor(random() * (call.fragments.length + 1)) } });
    applied.push(provider === 'bedrock' ? 'bedrock-spliced-message' : 'realtime-spliced-response');
  }
  const main: Message = {
    // Realtime sessions stream no reasoning text.
    reasoning: provider === 'openai-realtime' ? [] : fragment(drawn.reasoning, drawn.maxFragment, random),
    text: fragment(drawn.text, drawn.maxFragment, random),
    calls: drawn.calls.map(plan),
  };
  if (drawn.ending !== 'finish') {
    // Cut inside the text, or inside a call (Ollama sends calls whole: only between them).
    const slots = main.calls.length + 1;
    const slot = Math.floor(random() * slots);
    if (provider === 'ollama') {
      // Calls before `slot` are sent (whole), the rest never.
      main.cut = { textPieces: main.text.length, call: slot, fragments: 0 };
    } else if (slot === 0) {
      main.cut = { textPieces: Math.floor(random() * (main.text.length + 1)) };
    } else {
      const call = main.calls[slot - 1]!;
      main.cut = { textPieces: main.text.length, call: slot - 1, fragments: Math.floor(random() * (call.fragments.length + 1)) };
    }
  }
  messages.push(main);

  const expected: ProviderStreamExpectation = {
    text: [''],
    reasoning: [''],
    toolCalls: [],
    finishReason: undefined,
    finishReasons: [],
    truncated: drawn.ending !== 'finish',
    ending: drawn.ending,
    // The adapters report an abandoned call (spliced message or response) with an error event,
    // and so does Realtime for a call open when its response ends `incomplete`.
    errored:
      drawn.ending === 'error' ||
      drawn.splice ||
      (provider === 'openai-realtime' && drawn.ending === 'length' && main.cut?.call !== undefined),
    quirks: applied,
  };
  let index = 0;
  messages.forEach((message, m) => {
    const last = m === messages.length - 1;
    const cut = message.cut;
    expected.text[0] += message.text.slice(0, cut?.textPieces ?? message.text.length).join('');
    expected.reasoning[0] += message.reasoning.join('');
    message.calls.forEach((call, c) => {
      if (cut !== undefined && (cut.call === undefined || c > cut.call)) return; // never sent
      const isCut = cut?.call === c;
      if (provider === 'ollama' && isCut) return; // never sent
      const sent = isCut ? call.fragments.slice(0, cut.fragments) : call.fragments;
      const entry: ProviderStreamExpectedToolCall = {
        id: call.id,
        name: call.name,
        arguments: call.arguments,
        // Ended only by its own end signal: a cut call, or any call of an abandoned message, is not.
        complete: !isCut && (last || !drawn.splice),
        choice: 0,
        index: index++,
        argumentsText: sent.join(''),
      };
      expected.toolCalls.push(entry);
    });
  });
  const reason: FinishReason | undefined =
    drawn.ending === 'finish' ? (main.calls.length > 0 ? 'tool-calls' : 'stop') : drawn.ending === 'length' ? 'length' : undefined;
  const chunks =
    provider === 'bedrock'
      ? buildBedrock(messages, drawn.ending, random, quirks, applied)
      : provider === 'ollama'
        ? buildOllama(main, drawn.ending, random, quirks, applied)
        : buildRealtime(messages, drawn.ending, random, quirks, applied);
  // A cancelled Realtime response before the generated one has its own finish (`other`), unless
  // it was abandoned without its `response.done` (decided while building the chunks). Then its
  // call is reported cut only by a later completed response (or an error): a stream cut off, or
  // a response ending incomplete with no call of its own open, leaves it open without an error.
  const withoutDone = applied.includes('realtime-abandoned-without-done');
  if (withoutDone) {
    expected.errored =
      drawn.ending === 'error' || drawn.ending === 'finish' || (drawn.ending === 'length' && main.cut?.call !== undefined);
  }
  const earlier: FinishReason | undefined = drawn.splice && provider === 'openai-realtime' && !withoutDone ? 'other' : undefined;
  expected.finishReasons.push(reason ?? earlier);
  expected.finishReason = reason ?? earlier;
  return { provider, chunks: chunks as Array<ProviderChunkMap[P]>, expected };
}

function once(applied: string[], name: string): void {
  if (!applied.includes(name)) applied.push(name);
}

function buildBedrock(messages: Message[], ending: ProviderStreamEnding, random: Random, quirks: boolean, applied: string[]): BedrockConverseStreamEvent[] {
  const out: BedrockConverseStreamEvent[] = [];
  messages.forEach((message, m) => {
    const last = m === messages.length - 1;
    const cut = message.cut;
    out.push({ messageStart: { role: 'assistant' } });
    let block = 0;
    if (message.reasoning.length > 0) {
      for (const piece of message.reasoning) out.push({ contentBlockDelta: { delta: { reasoningContent: { text: piece } }, contentBlockIndex: block } });
      if (quirks && random() < 0.5) {
        once(applied, 'bedrock-reasoning-signature');
        out.push({ contentBlockDelta: { delta: { reasoningContent: { signature: 'EqQBCkYIARgC' } }, contentBlockIndex: block } });
      }
      out.push({ contentBlockStop: { contentBlockIndex: block++ } });
    }
    const textPieces = message.text.slice(0, cut?.textPieces ?? message.text.length);
    for (const piece of textPieces) out.push({ contentBlockDelta: { delta: { text: piece }, contentBlockIndex: block } });
    if (cut !== undefined && cut.call === undefined) return; // cut inside the text
    if (message.text.length > 0) out.push({ contentBlockStop: { contentBlockIndex: block++ } });
    for (let c = 0; c < message.calls.length; c++) {
      const call = message.calls[c]!;
      const isCut = cut?.call === c;
      out.push({ contentBlockStart: { start: { toolUse: { toolUseId: call.id, name: call.name } }, contentBlockIndex: block } });
      if (quirks && random() < 0.3) {
        once(applied, 'bedrock-empty-first-input');
        out.push({ contentBlockDelta: { delta: { toolUse: { input: '' } }, contentBlockIndex: block } });
      }
      const sent = isCut ? call.fragments.slice(0, cut.fragments) : call.fragments;
      for (const piece of sent) out.push({ contentBlockDelta: { delta: { toolUse: { input: piece } }, contentBlockIndex: block } });
      if (isCut) return;
      const lastCall = c === message.calls.length - 1;
      if (!(lastCall && last && ending === 'finish' && quirks && random() < 0.2)) {
        out.push({ contentBlockStop: { contentBlockIndex: block } });
      } else once(applied, 'bedrock-missing-block-stop');
      block++;
    }
  });
  const main = messages[messages.length - 1]!;
  if (ending === 'finish' || ending === 'length') {
    out.push({ messageStop: { stopReason: ending === 'length' ? 'max_tokens' : main.calls.length > 0 ? 'tool_use' : 'end_turn' } });
    if (!(quirks && random() < 0.2)) {
      out.push({ metadata: { usage: { inputTokens: 10, outputTokens: 20, totalTokens: 30 }, metrics: { latencyMs: 42 } } });
    } else once(applied, 'bedrock-no-metadata');
  } else if (ending === 'error') {
    out.push({ modelStreamErrorException: { message: 'Model stream error', originalStatusCode: 500 } });
  }
  return out;
}

function buildOllama(message: Message, ending: ProviderStreamEnding, random: Random, quirks: boolean, applied: string[]): OllamaChatResponse[] {
  const out: OllamaChatResponse[] = [];
  const base = { model: 'qwen3', created_at: '2026-11-30T10:00:00.000Z' };
  for (const piece of message.reasoning) out.push({ ...base, message: { role: 'assistant', content: '', thinking: piece }, done: false });
  const cut = message.cut;
  for (const piece of message.text.slice(0, cut?.textPieces ?? message.text.length)) {
    out.push({ ...base, message: { role: 'assistant', content: piece }, done: false });
  }
  const calls = message.calls.slice(0, cut?.call ?? message.calls.length);
  let pending: NonNullable<OllamaChatResponse['message']>['tool_calls'] & unknown[] = [];
  const flush = () => {
    if (pending.length > 0) out.push({ ...base, message: { role: 'assistant', content: '', tool_calls: pending }, done: false });
    pending = [];
  };
  calls.forEach((call, c) => {
    const asString = quirks && random() < 0.2;
    if (asString) once(applied, 'ollama-arguments-string');
    pending.push({ id: call.id, function: { index: c, name: call.name, arguments: asString ? JSON.stringify(call.arguments) : call.arguments } });
    if (!(quirks && random() < 0.5)) flush();
    else once(applied, 'ollama-several-calls-per-message');
  });
  flush();
  if (ending === 'finish' || ending === 'length') {
    out.push({ ...base, message: { role: 'assistant', content: '' }, done: true, done_reason: ending === 'length' ? 'length' : 'stop', prompt_eval_count: 10, eval_count: 20 });
  } else if (ending === 'error') {
    out.push({ error: 'an error was encountered while running the model' });
  }
  return out;
}

function buildRealtime(messages: Message[], ending: ProviderStreamEnding, random: Random, quirks: boolean, applied: string[]): OpenAIRealtimeServerEvent[] {
  const out: OpenAIRealtimeServerEvent[] = [];
  let event = 0;
  const push = (e: Omit<OpenAIRealtimeServerEvent, 'event_id'>) => out.push({ event_id: `event_${event++}`, ...e });
  const textType = quirks && random() < 0.3 ? (random() < 0.5 ? 'response.text.delta' : 'response.output_audio_transcript.delta') : 'response.output_text.delta';
  if (textType !== 'response.output_text.delta') once(applied, textType === 'response.text.delta' ? 'realtime-beta-text' : 'realtime-audio-transcript');
  messages.forEach((message, m) => {
    const last = m === messages.length - 1;
    const responseId = `resp_${m}`;
    const cut = message.cut;
    push({ type: 'response.created', response: { id: responseId, status: 'in_progress' } });
    let outputIndex = 0;
    const textPieces = message.text.slice(0, cut?.textPieces ?? message.text.length);
    for (const piece of textPieces) push({ type: textType, response_id: responseId, item_id: `item_text_${m}`, output_index: 0, delta: piece });
    if (message.text.length > 0) outputIndex++;
    let stopped = cut !== undefined && cut.call === undefined;
    for (let c = 0; c < message.calls.length && !stopped; c++) {
      const call = message.calls[c]!;
      const isCut = cut?.call === c;
      const item = { id: call.itemId, type: 'function_call', call_id: call.id, name: call.name };
      const onlyDone = !isCut && quirks && random() < 0.2;
      if (!onlyDone) {
        push({ type: 'response.output_item.added', response_id: responseId, output_index: outputIndex, item: { ...item, arguments: '', status: 'in_progress' } });
        const sent = isCut ? call.fragments.slice(0, cut.fragments) : call.fragments;
        for (const piece of sent) {
          push({ type: 'response.function_call_arguments.delta', response_id: responseId, item_id: call.itemId, output_index: outputIndex, call_id: call.id, delta: piece });
        }
      } else once(applied, 'realtime-arguments-only-in-done');
      if (isCut) {
        stopped = true;
        break;
      }
      const text = JSON.stringify(call.arguments);
      push({ type: 'response.function_call_arguments.done', response_id: responseId, item_id: call.itemId, output_index: outputIndex, call_id: call.id, name: call.name, arguments: text });
      if (quirks && random() < 0.5) {
        once(applied, 'realtime-output-item-done');
        push({ type: 'response.output_item.done', response_id: responseId, output_index: outputIndex, item: { ...item, arguments: text, status: 'completed' } });
      }
      outputIndex++;
    }
    if (!last) {
      // The abandoned response's own end, or (a lost message) none: the next response begins.
      if (quirks && random() < 0.3) once(applied, 'realtime-abandoned-without-done');
      else push({ type: 'response.done', response: { id: responseId, status: 'cancelled', status_details: { type: 'cancelled', reason: 'turn_detected' } } });
      return;
    }
    if (ending === 'finish') {
      push({ type: 'response.done', response: { id: responseId, status: 'completed', usage: { input_tokens: 10, output_tokens: 20 } } });
    } else if (ending === 'length') {
      push({ type: 'response.done', response: { id: responseId, status: 'incomplete', status_details: { type: 'incomplete', reason: 'max_output_tokens' } } });
    } else if (ending === 'error') {
      push({ type: 'error', error: { type: 'server_error', code: 'server_error', message: 'The server had an error' } });
    }
  });
  return out;
}
