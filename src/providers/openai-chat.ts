import type { FinishEvent, FinishReason, StreamEvent } from './events.js';
import {
  choiceField,
  generatedCallId,
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
  id?: string | null | undefined;
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
  delta?: OpenAIChatChunkDelta | null | undefined;
  /** `stop`, `length`, `tool_calls`, `content_filter`, `function_call`; some servers repeat it. */
  finish_reason?: string | null | undefined;
}

/** The `delta` of a {@link OpenAIChatChunkChoice}. @public */
export interface OpenAIChatChunkDelta {
  role?: string | null | undefined;
  content?: string | null | undefined;
  /** Refusal text (structured outputs), kept apart from `content`. */
  refusal?: string | null | undefined;
  /** Reasoning text as DeepSeek, vLLM and others stream it. */
  reasoning_content?: string | null | undefined;
  /** Reasoning text as OpenRouter, Ollama and others stream it. */
  reasoning?: string | null | undefined;
  tool_calls?: readonly OpenAIChatToolCallDelta[] | null | undefined;
}

/** A fragment of a tool call in {@link OpenAIChatChunkDelta}. @public */
export interface OpenAIChatToolCallDelta {
  /** Slot of the call in this choice; usually 0, 1, … but some servers start at 1 or reuse 0. */
  index?: number | null | undefined;
  /** Present on the call's first fragment only (some servers repeat it). */
  id?: string | null | undefined;
  type?: string | null | undefined;
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
  prompt_tokens?: number | null | undefined;
  completion_tokens?: number | null | undefined;
}

/** Options of {@link createOpenAIChatCompletionsNormalizer} and {@link fromOpenAIChatCompletions}. @public */
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
  id: string;
  ended: boolean;
}

interface ChatChoiceState {
  /** The current call of each provider slot (`tool_calls[].index`). */
  slots: Map<number, ChatCall>;
  /** Calls started and not yet ended, in order of appearance. */
  open: ChatCall[];
  /** Calls started so far (the next call's `index`). */
  count: number;
  /** The slot of the last fragment, used when a server leaves `index` out. */
  lastSlot: number;
  finished: boolean;
}

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
  return Object.hasOwn(FINISH_REASONS, reason) ? FINISH_REASONS[reason]! : 'other'; // a reason is data: never an Object.prototype member
}

/**
 * Create the synchronous core of {@link fromOpenAIChatCompletions}: push each
 * `ChatCompletionChunk`, get the normalized events it produced.
 *
 * Rules it follows:
 * - `delta.content` → `text-delta`, `delta.refusal` → `refusal-delta`,
 *   `delta.reasoning_content` / `delta.reasoning` → `reasoning-delta`; empty strings are skipped.
 * - Tool calls are identified per choice by `tool_calls[].index`; `id` and name are read from
 *   the first fragment. A fragment at a new index, or with a new `id` at the same index (servers
 *   that put every call on index 0), starts a new call and ends the previous one. The event's
 *   `index` counts calls in order of appearance, so servers that start at index 1 still give 0.
 *   A call without `id` gets `openai-call-<choice>-<n>`; one without name gets `''`.
 * - `finish_reason` `tool_calls` / `function_call` / `stop` ends the choice's open calls;
 *   `length` and `content_filter` leave them open (truncated). Only the first `finish_reason` of
 *   a choice counts (some servers repeat it).
 * - `finish` events wait for the usage chunk (`choices: []`, `stream_options.include_usage`)
 *   so they can carry `usage`; without one they come out at `end()`.
 * - A chunk with an `error` field becomes an `error` event; open calls stay open.
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
      state = { slots: new Map(), open: [], count: 0, lastSlot: 0, finished: false };
      choices.set(choice, state);
    }
    return state;
  }

  function endOpen(state: ChatChoiceState, choice: number, out: StreamEvent[]): void {
    for (const call of state.open) {
      call.ended = true;
      out.push({ type: 'tool-call-end', id: call.id, ...choiceField(choice) });
    }
    state.open = [];
  }

  function endOne(state: ChatChoiceState, call: ChatCall, choice: number, out: StreamEvent[]): void {
    if (call.ended) return;
    call.ended = true;
    state.open = state.open.filter((c) => c !== call);
    out.push({ type: 'tool-call-end', id: call.id, ...choiceField(choice) });
  }

  function toolCallFragment(
    fragment: OpenAIChatToolCallDelta,
    choice: number,
    out: StreamEvent[],
  ): void {
    const state = stateOf(choice);
    const slot = num(fragment.index) ?? state.lastSlot;
    const fragmentId =
      typeof fragment.id === 'string' && fragment.id !== '' ? fragment.id : undefined;
    const args = fragment.function?.arguments;
    let call = state.slots.get(slot);
    if (call === undefined || (fragmentId !== undefined && fragmentId !== call.id)) {
      if (call !== undefined) endOne(state, call, choice, out);
      if (!interleaved) endOpen(state, choice, out);
      const n = state.count++;
      const name = fragment.function?.name;
      call = { id: fragmentId ?? generatedCallId('openai', choice, n), ended: false };
      state.slots.set(slot, call);
      state.open.push(call);
      out.push({
        type: 'tool-call-start',
        id: call.id,
        name: typeof name === 'string' ? name : '',
        index: n,
        providerMetadata: { toolCallIndex: slot },
        ...choiceField(choice),
      });
    } else if (call.ended) {
      if (typeof args === 'string' && args !== '') {
        out.push({
          type: 'error',
          error: new Error(
            `Tool call fragment for call ${JSON.stringify(call.id)} (index ${slot}) arrived after ` +
              'a later call ended it; pass {interleavedToolCalls: true} for servers that interleave ' +
              'parallel calls',
          ),
          ...choiceField(choice),
        });
      }
      state.lastSlot = slot;
      return;
    }
    state.lastSlot = slot;
    if (typeof args === 'string' && args !== '') {
      out.push({ type: 'tool-call-delta', id: call.id, delta: args, ...choiceField(choice) });
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
        const raw = entry.finish_reason;
        if (typeof raw === 'string' && raw !== '') {
          const state = stateOf(choice);
          if (!state.finished) {
            state.finished = true;
            const reason = mapOpenAIChatFinishReason(raw);
            if (reason === 'tool-calls' || reason === 'stop') endOpen(state, choice, out);
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
 * {@link createOpenAIChatCompletionsNormalizer} for the rules (tool-call identity, finish, usage).
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
  return runNormalizer(chunks, createOpenAIChatCompletionsNormalizer(options));
}
