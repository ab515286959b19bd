import { createRecordTokenizer, type TokenHandler } from '../json/tokenizer.js';
import type { FinishEvent, FinishReason, StreamEvent } from './events.js';
import {
  choiceField,
  generatedCallId,
  mapReason,
  num,
  pushAfterEnd,
  runNormalizer,
  sumOf,
  usageOf,
  type ChunkSource,
  type StreamNormalizer,
} from './normalizer.js';

/**
 * One Chat Completions stream chunk (`chat.completion.chunk`), as the `openai` SDK yields it
 * (`ChatCompletionChunk`) or as an OpenAI-compatible server sends it in an SSE `data:` line.
 * Only the fields the adapter reads are listed; every one is optional so that other servers'
 * chunks fit too.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 * @public
 */
export interface OpenAIChatCompletionChunk {
  /** The completion's id, the same on every chunk of one response; not read. */
  id?: string | null | undefined;
  /** The model that answered; not read. */
  model?: string | null | undefined;
  /** One entry per choice that has news in this chunk; `[]` in the final usage chunk. */
  choices?: readonly OpenAIChatChunkChoice[] | null | undefined;
  /** Token usage: only on the last chunk (with `choices: []`) when `stream_options.include_usage` is set. */
  usage?: OpenAIChatUsage | null | undefined;
  /** An error reported inside the stream (`data: {"error": {...}}`). */
  error?: unknown;
  /** `'error'` on the synthetic chunk {@link readServerSentEventsJson} yields for a non-JSON `event: error`. */
  type?: string | undefined;
}

/** A choice entry of {@link OpenAIChatCompletionChunk}. @public */
export interface OpenAIChatChunkChoice {
  /** The choice (0 … n-1); choices of an `n > 1` request interleave. */
  index?: number | null | undefined;
  /** What this choice adds in this chunk: text, refusal, reasoning, tool-call fragments. */
  delta?: OpenAIChatChunkDelta | null | undefined;
  /**
   * A whole message, as some OpenAI-compatible servers send in their last chunk; only its
   * `tool_calls` are read (whole arguments, deduplicated against what the deltas carried).
   */
  message?:
    | {
        /** The message's tool calls, each with its whole arguments text. */
        tool_calls?: readonly OpenAIChatToolCallDelta[] | null | undefined;
      }
    | null
    | undefined;
  /** `stop`, `length`, `tool_calls`, `content_filter`, `function_call`; some servers repeat it. */
  finish_reason?: string | null | undefined;
}

/** The `delta` of a {@link OpenAIChatChunkChoice}. @public */
export interface OpenAIChatChunkDelta {
  /** `'assistant'`, on the first chunk of a choice; not read. */
  role?: string | null | undefined;
  /** The next piece of the answer text (becomes a `text-delta`). */
  content?: string | null | undefined;
  /** Refusal text (structured outputs), kept apart from `content`. */
  refusal?: string | null | undefined;
  /** Reasoning text as DeepSeek, vLLM and others stream it. */
  reasoning_content?: string | null | undefined;
  /** Reasoning text as OpenRouter, Ollama and others stream it. */
  reasoning?: string | null | undefined;
  /** Fragments of tool calls, each naming its call by `index` (and `id` on its first fragment). */
  tool_calls?: readonly OpenAIChatToolCallDelta[] | null | undefined;
}

/** A fragment of a tool call in {@link OpenAIChatChunkDelta}. @public */
export interface OpenAIChatToolCallDelta {
  /**
   * Slot of the call in this choice; usually 0, 1, … but some servers start at 1, reuse 0 for
   * every call, send -1, or leave it out.
   */
  index?: number | null | undefined;
  /** Present on the call's first fragment only (some servers repeat it). */
  id?: string | null | undefined;
  /** `'function'`, on the first fragment; not read. */
  type?: string | null | undefined;
  /** The function called: its name (first fragment) and a piece of its arguments. */
  function?:
    | {
        /** Present on the first fragment only (some servers repeat it). */
        name?: string | null | undefined;
        /** The next piece of the arguments' JSON text. */
        arguments?: string | null | undefined;
      }
    | null
    | undefined;
}

/** Token counts of {@link OpenAIChatCompletionChunk.usage}. @public */
export interface OpenAIChatUsage {
  /** Tokens of the prompt, cached ones included (becomes `usage.inputTokens`). */
  prompt_tokens?: number | null | undefined;
  /** Tokens generated, reasoning included, for all choices (becomes `usage.outputTokens`). */
  completion_tokens?: number | null | undefined;
}

/** Options of `createOpenAIChatCompletionsNormalizer` (internal; what `createProviderNormalizer` returns for this provider) and {@link fromOpenAIChatCompletions}. @public */
export interface OpenAIChatCompletionsOptions {
  /**
   * Set for servers that interleave the fragments of parallel tool calls (call 0, call 1, call 0,
   * …). Then a new `index` no longer ends the previous call; calls end at a new `id` on their own
   * slot or at the finish (`tool_calls` / `stop`). Without it, a fragment for a call that a newer
   * index already ended is dropped and reported as an `error` event.
   * @defaultValue false
   */
  interleavedToolCalls?: boolean | undefined;
}

interface ChatCall {
  /** The id events carry; set when the call starts. */
  id: string;
  /** The server's id, when it sent a real one. */
  providerId_: string | undefined;
  name_: string | undefined;
  /** `tool-call-start` was emitted. */
  started_: boolean;
  ended_: boolean;
  /** The provider slot (`tool_calls[].index`, or a private negative key when it sends none). */
  slot_: number;
  /** The arguments text so far (to recognise whole-so-far resends); released at the finish. */
  text_: string;
  /** Arguments that arrived before the call's name: emitted once it starts. */
  pending_: string;
}

interface ChatChoiceState {
  /** The current call of each provider slot (`tool_calls[].index`). */
  slots_: Map<number, ChatCall>;
  /** Calls by the server's id. */
  byProviderId_: Map<string, ChatCall>;
  /** Ids given to events so far (they must stay unique in the choice). */
  usedIds_: Set<string>;
  /** Calls not yet ended, in order of appearance. */
  open_: ChatCall[];
  /** Calls started so far (the next call's `index`). */
  count_: number;
  /** The call of the last fragment, used when a server leaves `index` out (or sends -1). */
  last_: ChatCall | undefined;
  /** Next private slot key for calls without an `index`. */
  nextPrivateSlot_: number;
  finished_: boolean;
}

const noop = (): void => {};
/** Tokens are not needed, only whether the tokenizer accepts the text. */
const IGNORE_TOKENS: TokenHandler = {
  startObject: noop,
  endObject: noop,
  startArray: noop,
  endArray: noop,
  key: noop,
  string: noop,
  startString: noop,
  stringPart: noop,
  endString: noop,
  number: noop,
  literal: noop,
};

/**
 * True when `text` is a prefix of some JSON text (it may continue into valid JSON). Deeper than
 * 128 is not viable, as in the assembler (whose parser has that default depth limit). The
 * tokenizer alone decides this: the adapter does not carry the partial parser.
 */
function viablePrefix(text: string): boolean {
  try {
    createRecordTokenizer(IGNORE_TOKENS, { maxDepth: 128 }).write(text);
    return true;
  } catch {
    return false;
  }
}

/** Ids some servers send instead of a real one. */
const PLACEHOLDER_IDS: ReadonlySet<string> = new Set(['', 'null', 'None', 'undefined', 'none']);

const FINISH_REASONS: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
  // OpenAI-compatible servers' own names (TGI, Anthropic-style proxies, Mistral, DeepSeek): an
  // unknown reason is `other`, which leaves open calls truncated, so a normal end must be known.
  eos_token: 'stop',
  eos: 'stop',
  stop_sequence: 'stop',
  end_turn: 'stop',
  tool_use: 'tool-calls',
  model_length: 'length',
  insufficient_system_resource: 'error',
};

/**
 * Map a Chat Completions `finish_reason` to a {@link FinishReason}: `stop` → `stop`,
 * `length` → `length`, `tool_calls` / `function_call` → `tool-calls`, `content_filter` →
 * `content-filter`; OpenAI-compatible servers' `eos_token` / `eos` / `stop_sequence` /
 * `end_turn` → `stop`, `tool_use` → `tool-calls`, `model_length` → `length`,
 * `insufficient_system_resource` → `error`; anything else → `other`.
 * @public
 */
export function mapOpenAIChatFinishReason(reason: string): FinishReason {
  return mapReason(FINISH_REASONS, reason);
}

/**
 * Create the synchronous core of {@link fromOpenAIChatCompletions}: push each
 * `ChatCompletionChunk`, get the normalized events it produced.
 *
 * Rules it follows:
 * - `delta.content` → `text-delta`, `delta.refusal` → `refusal-delta`,
 *   `delta.reasoning_content` / `delta.reasoning` → `reasoning-delta`; empty strings are skipped.
 * - Tool calls are identified per choice by the server's `id` when a fragment carries one it
 *   already used (servers that repeat the id on every fragment, with or without `index`), else
 *   by `tool_calls[].index`; a fragment without `index` (or with `index: -1`, as some servers
 *   send) belongs to the call of the previous fragment unless it brings a new `id` or a new
 *   name. A fragment at a new index, or with a new `id` at the same index (servers that put
 *   every call on index 0), or a name other than the call's own (a call's name comes whole;
 *   servers that repeat one id for every call), starts a new call and ends the previous one. The event's `index`
 *   counts calls in order of appearance, so servers that start at index 1 still give 0.
 * - Arguments that arrive before the call's name (some servers send the name later) are held
 *   back: `tool-call-start` comes once the name is known, then the held text. A call without a
 *   real `id` (missing, `""`, `"null"`, …) gets `openai-call-<choice>-<n>`; an id an earlier
 *   call of the choice already has (a placeholder every call repeats) gets `<id>#<n>`, so two
 *   calls never merge; the server's own id is then in `providerMetadata.providerId`. A call that
 *   never got a name has `''` (the assembler's `unknown-tool` when `tools` is given).
 * - Whole-so-far resends (servers that repeat all the arguments so far in every fragment): a
 *   fragment that starts with everything received for the call and adds more gives only the
 *   new part (unless appending it keeps the text valid JSON and the fragment alone is not:
 *   `{"a":` then `{"a":1}}` is an append); one identical to it is dropped; anything else is
 *   appended. Never `{…}{…}`. The
 *   same rule takes the whole arguments from a terminal `choices[].message.tool_calls` (servers
 *   that send the call only there, or repeat it there).
 * - `finish_reason` `tool_calls` / `function_call` / `stop` ends the choice's open calls (the
 *   assembler reports a call whose JSON never closed as `truncated`); `length` and
 *   `content_filter` leave them open (truncated). Only the first `finish_reason` of a choice
 *   counts (some servers repeat it).
 * - `finish` events wait for the usage chunk (`choices: []`, `stream_options.include_usage`)
 *   so they can carry `usage`; without one they come out at `end()`.
 * - A chunk with an `error` field becomes an `error` event; the calls open then are abandoned
 *   (never ended later: the assembler reports them `truncated`).
 * - `choice` is set from `choices[].index` (left out for choice 0).
 *
 * @example
 * ```ts
 * const normalizer = createOpenAIChatCompletionsNormalizer();
 * const events = [...chunks.flatMap((chunk) => normalizer.push(chunk)), ...normalizer.end()];
 * ```
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 * @public
 */
export function createOpenAIChatCompletionsNormalizer(
  options: OpenAIChatCompletionsOptions = {},
): StreamNormalizer<OpenAIChatCompletionChunk> {
  const interleaved = options.interleavedToolCalls === true;
  const choices = new Map<number, ChatChoiceState>();
  let pendingFinishes: FinishEvent[] = [];
  let usage: FinishEvent['usage'];
  let ended = false;

  function stateOf(choice: number): ChatChoiceState {
    let state = choices.get(choice);
    if (state === undefined) {
      state = {
        slots_: new Map(),
        byProviderId_: new Map(),
        usedIds_: new Set(),
        open_: [],
        count_: 0,
        last_: undefined,
        nextPrivateSlot_: -2,
        finished_: false,
      };
      choices.set(choice, state);
    }
    return state;
  }

  /** Emit `tool-call-start` (and the arguments held back) for a call not started yet. */
  function startCall(state: ChatChoiceState, call: ChatCall, choice: number, out: StreamEvent[]): void {
    if (call.started_) return;
    call.started_ = true;
    const n = state.count_++;
    let id = call.providerId_ ?? generatedCallId('openai', choice, n);
    if (state.usedIds_.has(id)) id = `${id}#${n}`;
    state.usedIds_.add(id);
    call.id = id;
    const providerMetadata: Record<string, unknown> = { toolCallIndex: call.slot_ < 0 ? null : call.slot_ };
    if (call.providerId_ !== undefined && call.providerId_ !== id) providerMetadata['providerId'] = call.providerId_;
    out.push({
      type: 'tool-call-start',
      id,
      name: call.name_ ?? '',
      index: n,
      providerMetadata,
      ...choiceField(choice),
    });
    if (call.pending_ !== '') {
      out.push({ type: 'tool-call-delta', id, delta: call.pending_, ...choiceField(choice) });
      call.pending_ = '';
    }
  }

  function endCall(state: ChatChoiceState, call: ChatCall, choice: number, out: StreamEvent[]): void {
    if (call.ended_) return;
    startCall(state, call, choice, out);
    call.ended_ = true;
    state.open_ = state.open_.filter((c) => c !== call);
    out.push({ type: 'tool-call-end', id: call.id, ...choiceField(choice) });
  }

  function endOpen(state: ChatChoiceState, choice: number, out: StreamEvent[]): void {
    for (const call of [...state.open_]) endCall(state, call, choice, out);
    state.open_ = [];
  }

  /** Append arguments to a call, applying the whole-so-far resend rule. */
  function addArguments(call: ChatCall, args: string, choice: number, out: StreamEvent[]): void {
    const text = call.text_;
    let added = args;
    if (text !== '' && args.length >= text.length && args.startsWith(text)) {
      if (args.length === text.length) return; // an identical resend
      // All so far plus more: only the new part is new, unless the fragment is a genuine
      // append that happens to repeat the text so far (`{"a":` then `{"a":1}}`): then the
      // appended text can still become JSON and the fragment alone cannot. (Scanning costs
      // the fragment's length: linear in the input, also for a server that always resends.)
      if (!(viablePrefix(text + args) && !viablePrefix(args))) added = args.slice(text.length);
    }
    call.text_ = text + added;
    if (call.started_) out.push({ type: 'tool-call-delta', id: call.id, delta: added, ...choiceField(choice) });
    else call.pending_ += added;
  }

  function toolCallFragment(
    fragment: OpenAIChatToolCallDelta,
    choice: number,
    out: StreamEvent[],
  ): void {
    const state = stateOf(choice);
    const rawIndex = num(fragment.index);
    const hasIndex = rawIndex !== undefined && rawIndex >= 0 && Number.isInteger(rawIndex);
    const rawId = typeof fragment.id === 'string' ? fragment.id : undefined;
    const fragmentId = rawId !== undefined && !PLACEHOLDER_IDS.has(rawId) ? rawId : undefined;
    const rawName = fragment.function?.name;
    const name = typeof rawName === 'string' && rawName !== '' ? rawName : undefined;
    const args = fragment.function?.arguments;

    // 1. A server id seen before names its call, wherever the index says.
    // (At another index, a known id is a placeholder every call repeats: a new call.)
    let call = fragmentId === undefined ? undefined : state.byProviderId_.get(fragmentId);
    if (call !== undefined && hasIndex && call.slot_ !== rawIndex) call = undefined;
    // A name other than the call's own is another call, whatever the id and index say (an id
    // every call repeats on index 0): a call's name comes whole, so it never changes.
    const renamed = (c: ChatCall): boolean => name !== undefined && (c.name_ ?? name) !== name;
    let fresh = call !== undefined && renamed(call);
    if (call === undefined) {
      const current = hasIndex ? state.slots_.get(rawIndex) : state.last_;
      fresh =
        current === undefined ||
        (current.ended_ && (fragmentId !== undefined || name !== undefined)) ||
        (fragmentId !== undefined && current.providerId_ !== undefined && fragmentId !== current.providerId_) ||
        // a new name (not a repeat of the current one) is a new call
        renamed(current);
      call = current;
    }
    if (fresh || call === undefined) {
      const slot = hasIndex ? rawIndex : state.nextPrivateSlot_--;
      const previous = hasIndex ? state.slots_.get(slot) : state.last_;
      if (previous !== undefined) endCall(state, previous, choice, out);
      if (!interleaved) endOpen(state, choice, out);
      call = { id: '', providerId_: undefined, name_: undefined, started_: false, ended_: false, slot_: slot, text_: '', pending_: '' };
      state.slots_.set(slot, call);
      state.open_.push(call);
    } else if (call.ended_) {
      if (typeof args === 'string' && args !== '') {
        // A resend of what the call already had (e.g. a terminal repeat) is harmless.
        if (call.text_.startsWith(args)) return;
        out.push({
          type: 'error',
          error: new Error(
            `Tool call fragment for call ${JSON.stringify(call.id)} (index ${call.slot_}) arrived after ` +
              'a later call ended it; pass {interleavedToolCalls: true} for servers that interleave ' +
              'parallel calls',
          ),
          ...choiceField(choice),
        });
      }
      state.last_ = call;
      return;
    }
    state.last_ = call;
    if (fragmentId !== undefined && call.providerId_ === undefined && !call.started_) {
      call.providerId_ = fragmentId;
      // The latest call with this id (an id every call repeats names the current one).
      state.byProviderId_.set(fragmentId, call);
    }
    if (name !== undefined && call.name_ === undefined) call.name_ = name;
    // Start once the name is known (arguments before it are held back, then sent as they came).
    if (!call.started_ && call.name_ !== undefined) startCall(state, call, choice, out);
    if (typeof args === 'string' && args !== '') addArguments(call, args, choice, out);
  }

  /** Abandon every open call (an error): never ended later, so the assembler truncates them. */
  function abandonAll(): void {
    for (const state of choices.values()) {
      for (const call of state.open_) call.ended_ = true;
      state.open_ = [];
    }
  }

  function flushFinishes(out: StreamEvent[]): void {
    for (const finish of pendingFinishes) {
      if (usage !== undefined) finish.usage = usage;
      out.push(finish);
    }
    pendingFinishes = [];
  }

  return {
    push(chunk) {
      if (ended) throw pushAfterEnd();
      const out: StreamEvent[] = [];
      if (chunk === null || typeof chunk !== 'object') return out;
      if (chunk.error !== undefined && chunk.error !== null) {
        out.push({ type: 'error', error: chunk.error });
        abandonAll();
      }
      const list = chunk.choices ?? [];
      for (let position = 0; position < list.length; position++) {
        const entry = list[position];
        if (entry === undefined || entry === null) continue;
        const choice = num(entry.index) ?? position;
        const delta = entry.delta;
        if (delta !== undefined && delta !== null) {
          const reasoning = delta.reasoning_content ?? delta.reasoning;
          if (typeof reasoning === 'string' && reasoning !== '') {
            out.push({ type: 'reasoning-delta', delta: reasoning, ...choiceField(choice) });
          }
          if (typeof delta.content === 'string' && delta.content !== '') {
            out.push({ type: 'text-delta', delta: delta.content, ...choiceField(choice) });
          }
          if (typeof delta.refusal === 'string' && delta.refusal !== '') {
            out.push({ type: 'refusal-delta', delta: delta.refusal, ...choiceField(choice) });
          }
          for (const fragment of delta.tool_calls ?? []) {
            if (fragment !== null && typeof fragment === 'object') {
              toolCallFragment(fragment, choice, out);
            }
          }
        }
        // A terminal message (some servers send the calls only there, or repeat them there):
        // each call by its id or index, its arguments through the resend rule.
        const message = entry.message;
        if (message !== undefined && message !== null && Array.isArray(message.tool_calls)) {
          message.tool_calls.forEach((fragment: OpenAIChatToolCallDelta, position: number) => {
            if (fragment === null || typeof fragment !== 'object') return;
            const indexed = num(fragment.index) !== undefined ? fragment : { ...fragment, index: position };
            toolCallFragment(indexed, choice, out);
          });
        }
        const raw = entry.finish_reason;
        if (typeof raw === 'string' && raw !== '') {
          const state = stateOf(choice);
          if (!state.finished_) {
            state.finished_ = true;
            const reason = mapOpenAIChatFinishReason(raw);
            if (reason === 'tool-calls' || reason === 'stop') endOpen(state, choice, out);
            else for (const call of state.open_) call.ended_ = true; // cut: the `length` finish truncates them
            state.open_ = state.open_.filter((call) => !call.ended_);
            pendingFinishes.push({ type: 'finish', reason, rawReason: raw, ...choiceField(choice) });
          }
        }
      }
      const chunkUsage = chunk.usage;
      if (chunkUsage !== undefined && chunkUsage !== null) {
        usage = usageOf(num(chunkUsage.prompt_tokens), sumOf(chunkUsage.completion_tokens));
        flushFinishes(out);
      }
      return out;
    },
    end() {
      if (ended) return [];
      ended = true;
      const out: StreamEvent[] = [];
      flushFinishes(out);
      return out;
    },
  };
}

/**
 * Normalize an OpenAI Chat Completions stream (`stream: true`) into {@link StreamEvent}s.
 *
 * `chunks` is what the `openai` SDK returns from `chat.completions.create({stream: true})`, or
 * the parsed `data:` payloads of the SSE body (see {@link readServerSentEventsJson}). See
 * `createOpenAIChatCompletionsNormalizer` (internal; what `createProviderNormalizer` returns for this provider) for the rules (tool-call identity, finish, usage).
 *
 * @throws whatever the source throws (a network error is not turned into an event: open calls
 *   are simply never ended).
 * @example
 * ```ts
 * const stream = await openai.chat.completions.create({ model, messages, tools, stream: true });
 * for await (const event of fromOpenAIChatCompletions(stream)) {
 *   if (event.type === 'tool-call-delta') process.stdout.write(event.delta);
 * }
 * // or without the SDK:
 * const res = await fetch(url, { method: 'POST', headers, body });
 * for await (const event of fromOpenAIChatCompletions(readServerSentEventsJson(res))) { … }
 * ```
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 * @public
 */
export function fromOpenAIChatCompletions(
  chunks: ChunkSource<OpenAIChatCompletionChunk>,
  options?: OpenAIChatCompletionsOptions,
): AsyncGenerator<StreamEvent, void, undefined> {
  return runNormalizer(chunks, createOpenAIChatCompletionsNormalizer(options), 'fromOpenAIChatCompletions');
}
