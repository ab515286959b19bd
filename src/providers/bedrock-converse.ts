import type { FinishEvent, FinishReason, StreamEvent } from './events.js';
import {
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
 * One event of an Amazon Bedrock ConverseStream response, as the AWS SDK's
 * `ConverseStreamCommand` yields it from `response.stream` (`ConverseStreamOutput`): an object
 * with exactly one member set, e.g. `{contentBlockDelta: {delta: {toolUse: {input}},
 * contentBlockIndex: 1}}`. Only the members and fields the adapter reads are listed; every one
 * is optional so that the same shape fits a stream decoded by other means (the event-stream
 * message's `:event-type` header as the key, its JSON payload as the value).
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 * @public
 */
export interface BedrockConverseStreamEvent {
  /** The assistant message begins (`{role: 'assistant'}`). */
  messageStart?:
    | {
        /** `'assistant'`; not read. */
        role?: string | undefined;
      }
    | undefined;
  /** A content block begins; only tool-use blocks (and tool results, images) announce themselves. */
  contentBlockStart?:
    | {
        /** What the block is: for a tool call, `{toolUse}`. */
        start?:
          | {
              /** The tool call this block holds: its id and name (the input follows in deltas). */
              toolUse?: BedrockToolUseBlockStart | undefined;
            }
          | undefined;
        /** The block's position in the message, which its deltas and stop repeat. */
        contentBlockIndex?: number | undefined;
      }
    | undefined;
  /** A fragment of a content block: `text`, `toolUse.input` (JSON text) or `reasoningContent`. */
  contentBlockDelta?:
    | {
        /** The fragment. */
        delta?: BedrockContentBlockDelta | undefined;
        /** The block it belongs to. */
        contentBlockIndex?: number | undefined;
      }
    | undefined;
  /** A content block ended: for a tool-use block, its input is complete. */
  contentBlockStop?:
    | {
        /** The block that ended. */
        contentBlockIndex?: number | undefined;
      }
    | undefined;
  /** The message ended (`end_turn`, `tool_use`, `max_tokens`, …). */
  messageStop?:
    | {
        /** Why (see `mapBedrockStopReason`). */
        stopReason?: string | undefined;
        /** Model-specific extra fields; not read. */
        additionalModelResponseFields?: unknown;
      }
    | undefined;
  /** Usage and metrics; comes after `messageStop`. */
  metadata?:
    | {
        /** Token counts, carried by the `finish` event. */
        usage?: BedrockTokenUsage | undefined;
        /** Latency metrics; not read. */
        metrics?: unknown;
      }
    | undefined;
  /** Errors reported inside the stream (the SDK usually throws these instead of yielding them). */
  internalServerException?: unknown;
  /** An error of the model while streaming, reported as an `error` event. */
  modelStreamErrorException?: unknown;
  /** An invalid request, reported as an `error` event. */
  validationException?: unknown;
  /** Too many requests, reported as an `error` event. */
  throttlingException?: unknown;
  /** The service is unavailable, reported as an `error` event. */
  serviceUnavailableException?: unknown;
  /** A member this SDK version does not know (`[name, value]`); ignored. */
  $unknown?: unknown;
}

/** `contentBlockStart.start.toolUse` of a {@link BedrockConverseStreamEvent}. @public */
export interface BedrockToolUseBlockStart {
  /** The id a `toolResult` must quote (`tooluse_…`). */
  toolUseId?: string | undefined;
  /** The tool's name. */
  name?: string | undefined;
  /** `server_tool_use` for tools Bedrock runs itself, absent for client tools. */
  type?: string | undefined;
}

/** `contentBlockDelta.delta` of a {@link BedrockConverseStreamEvent}. @public */
export interface BedrockContentBlockDelta {
  /** The next piece of the answer text. */
  text?: string | undefined;
  /** The next fragment of a tool call's input, as JSON text. */
  toolUse?:
    | {
        /** The fragment of the input's JSON text. */
        input?: string | undefined;
      }
    | undefined;
  /** Reasoning text (`text`), or its `signature` / `redactedContent` (ignored). */
  reasoningContent?:
    | {
        /** The next piece of the reasoning text. */
        text?: string | undefined;
        /** Authenticates the reasoning block; ignored. */
        signature?: string | undefined;
        /** Encrypted reasoning; ignored. */
        redactedContent?: unknown;
      }
    | undefined;
}

/** `metadata.usage` of a {@link BedrockConverseStreamEvent}. @public */
export interface BedrockTokenUsage {
  /** Uncached input tokens (with the two cache counts, becomes `usage.inputTokens`). */
  inputTokens?: number | undefined;
  /** Output tokens (becomes `usage.outputTokens`). */
  outputTokens?: number | undefined;
  /** Input plus output tokens; not read. */
  totalTokens?: number | undefined;
  /** Input tokens read from the prompt cache. */
  cacheReadInputTokens?: number | undefined;
  /** Input tokens written to the prompt cache. */
  cacheWriteInputTokens?: number | undefined;
}

const EXCEPTIONS = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
] as const;

const STOP_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool-calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  guardrail_intervened: 'content-filter',
  content_filtered: 'content-filter',
  malformed_model_output: 'error',
  malformed_tool_use: 'error',
};

/**
 * Map a Bedrock Converse `stopReason` to a {@link FinishReason}: `end_turn` / `stop_sequence` →
 * `stop`, `tool_use` → `tool-calls`, `max_tokens` / `model_context_window_exceeded` → `length`,
 * `guardrail_intervened` / `content_filtered` → `content-filter`, `malformed_model_output` /
 * `malformed_tool_use` → `error` (the model's tool input is not to be trusted), anything else →
 * `other`.
 * @public
 */
export function mapBedrockStopReason(reason: string): FinishReason {
  return mapReason(STOP_REASONS, reason);
}

interface BedrockCall {
  id: string;
  ended_: boolean;
}

/**
 * Create the synchronous core of {@link fromBedrockConverseStream}: push each
 * `ConverseStreamOutput` event, get the normalized events it produced.
 *
 * Rules it follows:
 * - `contentBlockDelta.delta.text` → `text-delta`, `delta.reasoningContent.text` →
 *   `reasoning-delta` (signatures and redacted reasoning are skipped); citations, images and
 *   tool results are ignored.
 * - `contentBlockStart.start.toolUse` starts a tool call (`id` = `toolUseId`, or
 *   `bedrock-call-0-<n>` when missing; `providerMetadata: {contentBlockIndex, toolUseType}`);
 *   `delta.toolUse.input` → `tool-call-delta` for the call of that `contentBlockIndex`;
 *   `contentBlockStop` of that index ends it. Input fragments for a block that never started
 *   are reported as an `error` event and dropped.
 * - `messageStop` finishes: `end_turn` / `stop_sequence` / `tool_use` also end tool calls
 *   whose `contentBlockStop` never came; `max_tokens` and every other reason cut them (a
 *   `contentBlockStop` after it no longer ends them), so they are truncated (see
 *   `mapBedrockStopReason`). The `finish` waits for the
 *   `metadata` event that follows, to carry its `usage` (input tokens include cache reads and
 *   writes); without one it comes out at `end()` or at the next `messageStart`.
 * - A new `messageStart` while calls are still open abandons them: an `error` event says so
 *   (an assembler then reports them `truncated`), never an end.
 * - Exception members (`modelStreamErrorException`, `throttlingException`, …) become `error`
 *   events (`{name, ...value}`); open calls stay open.
 *
 * @example
 * ```ts
 * const normalizer = createBedrockConverseStreamNormalizer();
 * for await (const event of response.stream) for (const e of normalizer.push(event)) console.log(e);
 * for (const e of normalizer.end()) console.log(e);
 * ```
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 * @public
 */
export function createBedrockConverseStreamNormalizer(): StreamNormalizer<BedrockConverseStreamEvent> {
  let blocks = new Map<number, BedrockCall>();
  let open: BedrockCall[] = [];
  let count = 0;
  let pendingFinish: FinishEvent | undefined;
  let ended = false;

  function endCall(call: BedrockCall | undefined, out: StreamEvent[]): void {
    if (call === undefined || call.ended_) return;
    call.ended_ = true;
    open = open.filter((c) => c !== call);
    out.push({ type: 'tool-call-end', id: call.id });
  }

  function flushFinish(out: StreamEvent[]): void {
    if (pendingFinish !== undefined) out.push(pendingFinish);
    pendingFinish = undefined;
  }

  function abandonOpen(why: string, out: StreamEvent[]): void {
    if (open.length === 0) return;
    const ids = open.map((call) => JSON.stringify(call.id)).join(', ');
    // Abandoned, not ended: no later event may end them (their stop would be for cut input).
    for (const call of open) call.ended_ = true;
    out.push({
      type: 'error',
      error: new Error(`Bedrock stream: ${why} while tool call ${ids} was still open; its input is cut off`),
    });
    open = [];
  }

  return {
    push(event) {
      if (ended) throw pushAfterEnd();
      const out: StreamEvent[] = [];
      if (event === null || typeof event !== 'object') return out;
      if (event.messageStart !== undefined) {
        flushFinish(out);
        abandonOpen('a new messageStart arrived', out);
        blocks = new Map();
      }
      const start = event.contentBlockStart;
      if (start !== undefined && start !== null) {
        const toolUse = start.start?.toolUse;
        if (toolUse !== undefined && toolUse !== null) {
          const blockIndex = num(start.contentBlockIndex) ?? blocks.size;
          const n = count++;
          const id =
            typeof toolUse.toolUseId === 'string' && toolUse.toolUseId !== ''
              ? toolUse.toolUseId
              : generatedCallId('bedrock', 0, n);
          const call: BedrockCall = { id, ended_: false };
          const previous = blocks.get(blockIndex);
          if (previous !== undefined && !previous.ended_) {
            abandonOpen(`content block ${blockIndex} started again`, out);
          }
          blocks.set(blockIndex, call);
          open.push(call);
          const providerMetadata: Record<string, unknown> = { contentBlockIndex: blockIndex };
          if (typeof toolUse.type === 'string') providerMetadata['toolUseType'] = toolUse.type;
          out.push({
            type: 'tool-call-start',
            id,
            name: typeof toolUse.name === 'string' ? toolUse.name : '',
            index: n,
            providerMetadata,
          });
        }
      }
      const blockDelta = event.contentBlockDelta;
      if (blockDelta !== undefined && blockDelta !== null) {
        const delta = blockDelta.delta;
        if (delta !== undefined && delta !== null) {
          if (typeof delta.text === 'string' && delta.text !== '') out.push({ type: 'text-delta', delta: delta.text });
          const reasoning = delta.reasoningContent?.text;
          if (typeof reasoning === 'string' && reasoning !== '') out.push({ type: 'reasoning-delta', delta: reasoning });
          const input = delta.toolUse?.input;
          if (typeof input === 'string' && input !== '') {
            const blockIndex = num(blockDelta.contentBlockIndex) ?? -1;
            const call = blocks.get(blockIndex);
            if (call !== undefined && !call.ended_) {
              out.push({ type: 'tool-call-delta', id: call.id, delta: input });
            } else {
              out.push({
                type: 'error',
                error: new Error(
                  `Bedrock stream: tool input for content block ${blockIndex}, which has no open toolUse block; dropped`,
                ),
              });
            }
          }
        }
      }
      const stop = event.contentBlockStop;
      if (stop !== undefined && stop !== null) {
        endCall(blocks.get(num(stop.contentBlockIndex) ?? -1), out);
      }
      const messageStop = event.messageStop;
      if (messageStop !== undefined && messageStop !== null) {
        flushFinish(out);
        const raw = typeof messageStop.stopReason === 'string' ? messageStop.stopReason : undefined;
        const reason = raw === undefined ? 'other' : mapBedrockStopReason(raw);
        if (reason === 'stop' || reason === 'tool-calls') for (const call of [...open]) endCall(call, out);
        else {
          // Cut by this stop (max_tokens, a guardrail, …): no later contentBlockStop may end them;
          // the finish that follows makes an assembler report them truncated.
          for (const call of open) call.ended_ = true;
          open = [];
        }
        pendingFinish = { type: 'finish', reason };
        if (raw !== undefined) pendingFinish.rawReason = raw;
      }
      const metadata = event.metadata;
      if (metadata !== undefined && metadata !== null) {
        const usage = metadata.usage;
        const mapped =
          usage === undefined || usage === null
            ? undefined
            : usageOf(
                sumOf(usage.inputTokens, usage.cacheReadInputTokens, usage.cacheWriteInputTokens),
                num(usage.outputTokens),
              );
        if (pendingFinish !== undefined && mapped !== undefined) pendingFinish.usage = mapped;
        flushFinish(out);
      }
      for (const name of EXCEPTIONS) {
        const value = event[name];
        if (value !== undefined && value !== null) {
          out.push({ type: 'error', error: typeof value === 'object' ? { name, ...value } : { name, message: value } });
        }
      }
      return out;
    },
    end() {
      if (ended) return [];
      ended = true;
      const out: StreamEvent[] = [];
      flushFinish(out);
      return out;
    },
  };
}

/**
 * Normalize an Amazon Bedrock ConverseStream response into {@link StreamEvent}s. `events` is
 * `response.stream` of the AWS SDK's `ConverseStreamCommand` (`@aws-sdk/client-bedrock-runtime`).
 * See `createBedrockConverseStreamNormalizer` (internal; what `createProviderNormalizer` returns for this provider) for the rules.
 *
 * Truncation: a call is complete only at its `contentBlockStop` (or a `messageStop` with
 * `end_turn` / `tool_use`); after `max_tokens`, a cut stream or an exception it stays open, and
 * an assembler reports it `truncated`.
 *
 * @throws whatever the source throws (the SDK throws in-stream exceptions such as
 *   `ModelStreamErrorException` from its iterator; open calls are then never ended); a
 *   `TypeError` when given the command output instead of its `stream`.
 * @example
 * ```ts
 * const client = new BedrockRuntimeClient({ region: 'us-east-1' });
 * const response = await client.send(new ConverseStreamCommand({ modelId, messages, toolConfig }));
 * for await (const event of fromBedrockConverseStream(response.stream!)) console.log(event);
 * ```
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 * @public
 */
export function fromBedrockConverseStream(
  events: ChunkSource<BedrockConverseStreamEvent>,
): AsyncGenerator<StreamEvent, void, undefined> {
  if (
    events !== null &&
    typeof events === 'object' &&
    'stream' in events &&
    !(Symbol.asyncIterator in events) &&
    !(Symbol.iterator in events)
  ) {
    throw new TypeError(
      'fromBedrockConverseStream expects the event stream, not the command output: pass response.stream ' +
        '(from client.send(new ConverseStreamCommand(…)))',
    );
  }
  return runNormalizer(events, createBedrockConverseStreamNormalizer());
}
