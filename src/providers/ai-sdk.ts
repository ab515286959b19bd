import type { FinishEvent, FinishReason, StreamEvent } from './events.js';
import { num, pushAfterEnd, runNormalizer, type ChunkSource, type StreamNormalizer } from './normalizer.js';

/**
 * One part of the AI SDK's `streamText(...).fullStream` (`TextStreamPart`): `text-delta`,
 * `reasoning-delta`, `tool-input-start`, `tool-input-delta`, `tool-input-end`, `tool-call`,
 * `finish-step`, `finish`, `error`, `abort`, … (AI SDK 5 and 6). The AI SDK 4 names
 * (`tool-call-streaming-start`, `tool-call-delta`, `reasoning`, `textDelta`, `argsTextDelta`,
 * `args`) are read too. Only the fields the adapter reads are listed.
 * @see https://ai-sdk.dev/docs/reference/ai-sdk-core/stream-text#full-stream
 * @public
 */
export interface AiSdkStreamPart {
  /** The part's kind: `text-delta`, `tool-input-start`, `tool-call`, `finish`, … (unknown kinds are skipped). */
  type: string;
  /** Text / reasoning / tool-input id. */
  id?: string | undefined;
  /** `text-delta` / `reasoning-delta` text (AI SDK 5+). */
  text?: string | undefined;
  /** `tool-input-delta` fragment. */
  delta?: string | undefined;
  /** `text-delta` / `reasoning` text (AI SDK 4). */
  textDelta?: string | undefined;
  /** `tool-call-delta` fragment (AI SDK 4). */
  argsTextDelta?: string | undefined;
  /** The tool call's id (`tool-call`; AI SDK 4's `tool-call-streaming-start` / `tool-call-delta`). */
  toolCallId?: string | undefined;
  /** The tool's name (`tool-input-start`, `tool-call`). */
  toolName?: string | undefined;
  /** `tool-call` parsed input (AI SDK 5+). */
  input?: unknown;
  /** `tool-call` parsed input (AI SDK 4). */
  args?: unknown;
  /** `true` when the provider runs the tool itself (kept in the start event's `providerMetadata`). */
  providerExecuted?: boolean | undefined;
  /** `true` for a tool not known at compile time (kept in the start event's `providerMetadata`). */
  dynamic?: boolean | undefined;
  /** `finish` / `finish-step`: the AI SDK's normalized reason (`stop`, `length`, `tool-calls`, …; AI SDK 4's `unknown` becomes `other`). */
  finishReason?: string | undefined;
  /** `finish`: the provider's own reason, kept as the event's `rawReason`. */
  rawFinishReason?: string | undefined;
  /** `finish`: usage of all steps (preferred over `usage`). */
  totalUsage?: AiSdkUsage | undefined;
  /** `finish`: usage (AI SDK 4, or of the last step). */
  usage?: AiSdkUsage | undefined;
  /** `error`: the error, passed on in an `error` event. */
  error?: unknown;
  /** `abort`: why the stream was aborted, in the `AbortError`'s message. */
  reason?: string | undefined;
}

/** Usage of AI SDK `finish` parts (`inputTokens` / `outputTokens`; AI SDK 4: `promptTokens` / `completionTokens`). @public */
export interface AiSdkUsage {
  /** Input tokens (AI SDK 5+). */
  inputTokens?: number | undefined;
  /** Output tokens (AI SDK 5+). */
  outputTokens?: number | undefined;
  /** Input tokens (AI SDK 4). */
  promptTokens?: number | undefined;
  /** Output tokens (AI SDK 4). */
  completionTokens?: number | undefined;
}

interface AiSdkCall {
  id: string;
  emitted_: boolean;
  ended_: boolean;
}

const FINISH_REASONS = new Set<string>(['stop', 'length', 'tool-calls', 'content-filter', 'error', 'other']);

/**
 * Create the synchronous core of {@link fromAiSdk}.
 *
 * Rules it follows:
 * - `text-delta` → `text-delta`, `reasoning-delta` (AI SDK 4: `reasoning`) → `reasoning-delta`.
 * - `tool-input-start` starts a call (`id`, `toolName`; `providerMetadata` keeps
 *   `providerExecuted: true` / `dynamic: true` when the part says so), `tool-input-delta` → `tool-call-delta`,
 *   `tool-input-end` ends it. A `tool-call` part ends a streamed call whose end did not come, and
 *   a call that was never streamed gets start, one delta (`JSON.stringify(input)`) and end.
 * - `finish-step` / `finish` with `tool-calls` or `stop` end calls still open; a `finish-step`
 *   with another reason abandons them with an `error` event (a later step's `stop` must not
 *   end a call cut in an earlier step); `finish` gives
 *   the `finish` event (its reason is already normalized; AI SDK 4's `unknown` → `other`) with
 *   `totalUsage`. `error` → `error` event; `abort` → `error` event with an `AbortError`; both
 *   abandon the calls open then (never ended later: the assembler reports them `truncated`).
 *   Everything else (`start`, `text-start`, sources, files, tool results, `raw`) is ignored.
 *
 * @see https://ai-sdk.dev/docs/reference/ai-sdk-core/stream-text#full-stream
 * @public
 */
export function createAiSdkNormalizer(): StreamNormalizer<AiSdkStreamPart> {
  const calls = new Map<string, AiSdkCall>();
  const open: AiSdkCall[] = [];
  let count = 0;
  let ended = false;

  function start(id: string, name: string, part: AiSdkStreamPart, out: StreamEvent[]): AiSdkCall {
    const call: AiSdkCall = { id, emitted_: false, ended_: false };
    calls.set(id, call);
    open.push(call);
    const metadata: Record<string, unknown> = {};
    if (part.providerExecuted === true) metadata['providerExecuted'] = true;
    if (part.dynamic === true) metadata['dynamic'] = true;
    out.push({
      type: 'tool-call-start',
      id,
      name,
      index: count++,
      ...(Object.keys(metadata).length > 0 ? { providerMetadata: metadata } : {}),
    });
    return call;
  }

  function delta(call: AiSdkCall | undefined, text: unknown, out: StreamEvent[]): void {
    if (call === undefined || call.ended_ || typeof text !== 'string' || text === '') return;
    call.emitted_ = true;
    out.push({ type: 'tool-call-delta', id: call.id, delta: text });
  }

  function end(call: AiSdkCall | undefined, out: StreamEvent[]): void {
    if (call === undefined || call.ended_) return;
    call.ended_ = true;
    const position = open.indexOf(call);
    if (position >= 0) open.splice(position, 1);
    out.push({ type: 'tool-call-end', id: call.id });
  }

  /** After an error or abort, open calls are abandoned: never ended later (the assembler truncates them). */
  function abandonOpen(): void {
    for (const call of open) call.ended_ = true;
    open.length = 0;
  }

  function endAllIf(reason: string | undefined, out: StreamEvent[]): void {
    if (reason === 'tool-calls' || reason === 'stop') for (const call of [...open]) end(call, out);
  }

  return {
    push(part) {
      if (ended) throw pushAfterEnd();
      const out: StreamEvent[] = [];
      if (part === null || typeof part !== 'object') return out;
      switch (part.type) {
        case 'text-delta': {
          const text = part.text ?? part.textDelta ?? part.delta;
          if (typeof text === 'string' && text !== '') out.push({ type: 'text-delta', delta: text });
          break;
        }
        case 'reasoning-delta':
        case 'reasoning': {
          const text = part.text ?? part.textDelta ?? part.delta;
          if (typeof text === 'string' && text !== '') out.push({ type: 'reasoning-delta', delta: text });
          break;
        }
        case 'tool-input-start':
        case 'tool-call-streaming-start': {
          const id = part.id ?? part.toolCallId;
          if (typeof id === 'string' && !calls.has(id)) start(id, part.toolName ?? '', part, out);
          break;
        }
        case 'tool-input-delta':
          delta(calls.get(part.id ?? ''), part.delta, out);
          break;
        case 'tool-call-delta': {
          const id = part.toolCallId ?? '';
          const call = calls.get(id) ?? (id !== '' ? start(id, part.toolName ?? '', part, out) : undefined);
          delta(call, part.argsTextDelta, out);
          break;
        }
        case 'tool-input-end':
          end(calls.get(part.id ?? ''), out);
          break;
        case 'tool-call': {
          const id = part.toolCallId;
          if (typeof id !== 'string') break;
          let call = calls.get(id);
          if (call === undefined) call = start(id, part.toolName ?? '', part, out);
          if (!call.emitted_ && !call.ended_) {
            const input = part.input !== undefined ? part.input : part.args;
            delta(call, typeof input === 'string' ? input : JSON.stringify(input ?? {}), out);
          }
          end(call, out);
          break;
        }
        case 'finish-step':
        case 'step-finish': {
          const reason = part.finishReason;
          if (reason === 'tool-calls' || reason === 'stop' || reason === undefined || open.length === 0) {
            endAllIf(reason, out);
            break;
          }
          // A step cut (`length`, …) with calls open: they can never go on (a next step has new
          // calls), and the final `finish` may read `stop`: report them cut now, as an error.
          out.push({
            type: 'error',
            error: new Error(`Step finished with ${reason}: tool call ${open.map((c) => c.id).join(', ')} was cut off`),
          });
          abandonOpen();
          break;
        }
        case 'finish': {
          const raw = part.finishReason;
          endAllIf(raw, out);
          const reason: FinishReason =
            raw !== undefined && FINISH_REASONS.has(raw) ? (raw as FinishReason) : 'other';
          const finish: FinishEvent = { type: 'finish', reason };
          const rawReason = part.rawFinishReason ?? raw;
          if (rawReason !== undefined) finish.rawReason = rawReason;
          const usage = part.totalUsage ?? part.usage;
          if (usage !== undefined) {
            const input = num(usage.inputTokens) ?? num(usage.promptTokens);
            const output = num(usage.outputTokens) ?? num(usage.completionTokens);
            if (input !== undefined || output !== undefined) {
              finish.usage = {};
              if (input !== undefined) finish.usage.inputTokens = input;
              if (output !== undefined) finish.usage.outputTokens = output;
            }
          }
          out.push(finish);
          break;
        }
        case 'error':
          out.push({ type: 'error', error: part.error });
          abandonOpen();
          break;
        case 'abort': {
          const error = new Error(part.reason ? `Stream aborted: ${part.reason}` : 'Stream aborted');
          error.name = 'AbortError';
          out.push({ type: 'error', error });
          abandonOpen();
          break;
        }
        default:
          break;
      }
      return out;
    },
    end() {
      ended = true;
      return [];
    },
  };
}

/**
 * Normalize the AI SDK's `streamText(...).fullStream` into {@link StreamEvent}s. Useful to run
 * streamshape's tool-call assembler over any provider the AI SDK supports. See
 * `createAiSdkNormalizer` (internal; what `createProviderNormalizer` returns for this provider) for the rules.
 *
 * @throws whatever the source throws.
 * @example
 * ```ts
 * const result = streamText({ model, prompt, tools });
 * for await (const event of fromAiSdk(result.fullStream)) console.log(event);
 * ```
 * @see https://ai-sdk.dev/docs/reference/ai-sdk-core/stream-text#full-stream
 * @public
 */
export function fromAiSdk(
  parts: ChunkSource<AiSdkStreamPart>,
): AsyncGenerator<StreamEvent, void, undefined> {
  return runNormalizer(parts, createAiSdkNormalizer(), 'fromAiSdk');
}
