import type { FinishReason, StreamEvent } from './events.js';
import {
  checkChunkSource,
  finishEvent,
  generatedCallId,
  num,
  pushAfterEnd,
  runNormalizer,
  usageOf,
  type ChunkSource,
  type StreamNormalizer,
} from './normalizer.js';

/**
 * One server event of the OpenAI Realtime API (`RealtimeServerEvent` in the `openai` SDK), or of
 * the Responses API over a WebSocket, as a plain object: one parsed WebSocket message. Only the
 * fields the adapter reads are listed.
 * @see https://platform.openai.com/docs/api-reference/realtime-server-events
 * @see https://platform.openai.com/docs/guides/realtime-function-calling
 * @public
 */
export interface OpenAIRealtimeServerEvent {
  /** `response.function_call_arguments.delta`, `response.done`, `session.created`, … */
  type: string;
  /** The server event's own id; not read. */
  event_id?: string | undefined;
  /** The response the event belongs to (Realtime; Responses-over-WebSocket events leave it out). */
  response_id?: string | undefined;
  /** The output item the event is about (`item_…` / `fc_…`). */
  item_id?: string | undefined;
  /** Position of the output item in its response (kept in the start event's `providerMetadata`). */
  output_index?: number | undefined;
  /** The call id (`call_…`) on function-call argument events. */
  call_id?: string | undefined;
  /** The tool's name (`response.function_call_arguments.done`). */
  name?: string | undefined;
  /** A text or arguments fragment (`*.delta`). */
  delta?: unknown;
  /** The complete arguments (`response.function_call_arguments.done`). */
  arguments?: unknown;
  /** The item (`response.output_item.added` / `.done`). */
  item?: OpenAIRealtimeItem | undefined;
  /** The response (`response.created`, `response.done`; Responses: `.completed`, `.incomplete`, `.failed`). */
  response?: OpenAIRealtimeResponse | undefined;
  /** The error of an `error` event (`{type, code, message, param, event_id}`). */
  error?: unknown;
}

/** An output item of {@link OpenAIRealtimeServerEvent}. @public */
export interface OpenAIRealtimeItem {
  /** The item's id (`item_…` / `fc_…`), which argument events name in `item_id`. */
  id?: string | undefined;
  /** `function_call` items are tool calls; `message`, `mcp_call`, … are not. */
  type?: string | undefined;
  /** The id to answer with a `function_call_output` (`call_…`): the tool call's `id`. */
  call_id?: string | undefined;
  /** The tool's name. */
  name?: string | undefined;
  /** The whole arguments' JSON text (complete on `response.output_item.done`). */
  arguments?: unknown;
  /** `in_progress`, `completed`, `incomplete`. */
  status?: string | undefined;
}

/** The response of {@link OpenAIRealtimeServerEvent} lifecycle events. @public */
export interface OpenAIRealtimeResponse {
  /** The response's id: calls and the finish are kept per response. */
  id?: string | undefined;
  /** `in_progress`, `completed`, `cancelled`, `incomplete`, `failed`. */
  status?: string | undefined;
  /** Why it did not complete (Realtime): `{type, reason: 'turn_detected' | 'client_cancelled' | 'max_output_tokens' | 'content_filter', error}`. */
  status_details?:
    | {
        /** The status it details (`incomplete`, `cancelled`, `failed`). */
        type?: string | undefined;
        /** Why: `max_output_tokens` (finish `length`), `content_filter` (`content-filter`), `turn_detected`, `client_cancelled` (`other`). */
        reason?: string | undefined;
        /** For `failed`: the error, reported as an `error` event. */
        error?: unknown;
      }
    | null
    | undefined;
  /** Why it did not complete (Responses over WebSocket). */
  incomplete_details?:
    | {
        /** `max_output_tokens` (finish `length`), `content_filter` (`content-filter`), or another reason (`other`). */
        reason?: string | null | undefined;
      }
    | null
    | undefined;
  /** The error of a failed response (Responses over WebSocket), reported as an `error` event. */
  error?: unknown;
  /** Token counts of the response. */
  usage?:
    | {
        /** Tokens of the input (becomes `usage.inputTokens`). */
        input_tokens?: number | undefined;
        /** Tokens generated (becomes `usage.outputTokens`). */
        output_tokens?: number | undefined;
      }
    | null
    | undefined;
}

interface RealtimeCall {
  id: string;
  responseId_: string | undefined;
  /** The argument text emitted so far. */
  text_: string;
  ended_: boolean;
}

const TEXT_DELTAS = new Set([
  'response.output_text.delta',
  'response.text.delta',
  'response.output_audio_transcript.delta',
  'response.audio_transcript.delta',
]);

/**
 * Create the synchronous core of {@link fromOpenAIRealtime}: push each server event, get the
 * normalized events it produced.
 *
 * Rules it follows:
 * - A `function_call` output item is a tool call: `tool-call-start` at
 *   `response.output_item.added` (`id` = the item's `call_id`, `providerMetadata: {itemId,
 *   outputIndex, responseId}`); `response.function_call_arguments.delta` → `tool-call-delta`
 *   (found by `item_id`); `response.function_call_arguments.done`, or
 *   `response.output_item.done` with a `completed` item, ends it. When the `done` arguments
 *   extend what the deltas carried, the rest is emitted first (a call seen only at `done` gets
 *   start, one delta, end); when they contradict it, an `error` event is emitted and the call is
 *   not ended.
 * - `response.output_text.delta` / `response.text.delta` and the audio transcript deltas
 *   (`response.output_audio_transcript.delta`, `response.audio_transcript.delta`) →
 *   `text-delta`.
 * - `response.done` (Realtime) or `response.completed` / `response.incomplete` /
 *   `response.failed` (Responses over WebSocket) finishes that response, with `usage`:
 *   `completed` ends its open calls and finishes `tool-calls` (it had calls) or `stop`;
 *   `incomplete` (`max_output_tokens` → `length`, `content_filter` → `content-filter`),
 *   `cancelled` (`turn_detected`, `client_cancelled`: `other`, the reason in `rawReason`) and
 *   `failed` (`error`) never end a call: when calls of that response are open, an `error`
 *   event says they were cut (an assembler reports them `truncated`), then `finish`.
 * - A session carries many responses: each gets its own `finish`; calls are tracked per item,
 *   so responses that reuse `output_index` 0 never mix.
 * - An `error` event becomes an `error` event (its `error` object).
 *
 * @see https://platform.openai.com/docs/api-reference/realtime-server-events
 * @public
 */
export function createOpenAIRealtimeNormalizer(): StreamNormalizer<OpenAIRealtimeServerEvent> {
  const byItemId = new Map<string, RealtimeCall>();
  let open: RealtimeCall[] = [];
  /** Responses (by id) that had at least one tool call. */
  const withCalls = new Set<string | undefined>();
  const finished = new Set<string | undefined>();
  let currentResponse: string | undefined;
  let count = 0;
  let ended = false;

  function responseOf(event: OpenAIRealtimeServerEvent): string | undefined {
    return typeof event.response_id === 'string' ? event.response_id : currentResponse;
  }

  function itemIdOf(event: OpenAIRealtimeServerEvent): string | undefined {
    if (typeof event.item_id === 'string') return event.item_id;
    if (typeof event.item?.id === 'string') return event.item.id;
    return undefined;
  }

  function start(event: OpenAIRealtimeServerEvent, out: StreamEvent[]): RealtimeCall {
    const item = event.item ?? {};
    const itemId = itemIdOf(event);
    const n = count++;
    const callId = typeof item.call_id === 'string' && item.call_id !== '' ? item.call_id : event.call_id;
    const id = typeof callId === 'string' && callId !== '' ? callId : (itemId ?? generatedCallId('openai-realtime', 0, n));
    const responseId = responseOf(event);
    const call: RealtimeCall = { id, responseId_: responseId, text_: '', ended_: false };
    if (itemId !== undefined) byItemId.set(itemId, call);
    open.push(call);
    withCalls.add(responseId);
    const providerMetadata: Record<string, unknown> = {};
    if (itemId !== undefined) providerMetadata['itemId'] = itemId;
    const outputIndex = num(event.output_index);
    if (outputIndex !== undefined) providerMetadata['outputIndex'] = outputIndex;
    if (responseId !== undefined) providerMetadata['responseId'] = responseId;
    const name = typeof item.name === 'string' ? item.name : event.name;
    out.push({
      type: 'tool-call-start',
      id,
      name: typeof name === 'string' ? name : '',
      index: n,
      providerMetadata,
    });
    return call;
  }

  function find(event: OpenAIRealtimeServerEvent): RealtimeCall | undefined {
    const itemId = itemIdOf(event);
    return itemId === undefined ? undefined : byItemId.get(itemId);
  }

  function delta(call: RealtimeCall, text: string, out: StreamEvent[]): void {
    if (call.ended_ || text === '') return;
    call.text_ += text;
    out.push({ type: 'tool-call-delta', id: call.id, delta: text });
  }

  function complete(call: RealtimeCall, finalArgs: unknown, out: StreamEvent[]): void {
    if (call.ended_) return;
    if (typeof finalArgs === 'string' && finalArgs !== call.text_) {
      if (!finalArgs.startsWith(call.text_)) {
        out.push({
          type: 'error',
          error: new Error(
            `Realtime stream: the final arguments of call ${JSON.stringify(call.id)} do not extend its streamed ` +
              'arguments; the call is not delivered',
          ),
        });
        abandon(call);
        return;
      }
      delta(call, finalArgs.slice(call.text_.length), out);
    }
    call.ended_ = true;
    open = open.filter((c) => c !== call);
    out.push({ type: 'tool-call-end', id: call.id });
  }

  /** The call gets no more events, and is not ended: an assembler reports it truncated. */
  function abandon(call: RealtimeCall): void {
    call.ended_ = true;
    open = open.filter((c) => c !== call);
  }

  function finish(
    responseId: string | undefined,
    status: string,
    response: OpenAIRealtimeResponse | undefined,
    out: StreamEvent[],
  ): void {
    if (finished.has(responseId) && responseId !== undefined) return;
    finished.add(responseId);
    // A call whose events named no response (and came before any response.created) is this one's.
    const mine = open.filter((call) => responseId === undefined || call.responseId_ === undefined || call.responseId_ === responseId);
    const detail = response?.status_details?.reason ?? response?.incomplete_details?.reason ?? undefined;
    let reason: FinishReason;
    if (status === 'completed') {
      for (const call of mine) complete(call, undefined, out);
      // Calls of another response that never ended (its response.done was lost, or it was
      // abandoned): this completed finish would end them in an assembler, so they are cut here.
      const others = open.filter((call) => !mine.includes(call));
      if (others.length > 0) {
        out.push({
          type: 'error',
          error: new Error(
            `Realtime stream: response ${JSON.stringify(responseId ?? '')} completed while tool call ` +
              `${others.map((c) => JSON.stringify(c.id)).join(', ')} of another response was open; its arguments are cut off`,
          ),
        });
        for (const call of others) abandon(call);
      }
      reason = withCalls.has(responseId) ? 'tool-calls' : 'stop';
    } else {
      if (status === 'failed') {
        out.push({ type: 'error', error: response?.status_details?.error ?? response?.error ?? response ?? status });
      } else if (mine.length > 0) {
        out.push({
          type: 'error',
          error: new Error(
            `Realtime stream: response ${JSON.stringify(responseId ?? '')} ended ${status}` +
              (detail ? ` (${detail})` : '') +
              ` while tool call ${mine.map((c) => JSON.stringify(c.id)).join(', ')} was open; its arguments are cut off`,
          ),
        });
      }
      for (const call of mine) abandon(call);
      reason =
        status === 'failed'
          ? 'error'
          : detail === 'max_output_tokens'
            ? 'length'
            : detail === 'content_filter'
              ? 'content-filter'
              : 'other';
    }
    const usage = response?.usage;
    out.push(finishEvent(reason, detail ?? status, usage ? usageOf(num(usage.input_tokens), num(usage.output_tokens)) : undefined));
  }

  return {
    push(event) {
      if (ended) throw pushAfterEnd();
      const out: StreamEvent[] = [];
      if (event === null || typeof event !== 'object') return out;
      if (TEXT_DELTAS.has(event.type)) {
        if (typeof event.delta === 'string' && event.delta !== '') out.push({ type: 'text-delta', delta: event.delta });
        return out;
      }
      switch (event.type) {
        case 'response.created':
          if (typeof event.response?.id === 'string') currentResponse = event.response.id;
          break;
        case 'response.output_item.added':
          if (event.item?.type === 'function_call' && find(event) === undefined) {
            const call = start(event, out);
            if (typeof event.item.arguments === 'string') delta(call, event.item.arguments, out);
          }
          break;
        case 'response.function_call_arguments.delta': {
          const call = find(event);
          if (call !== undefined && typeof event.delta === 'string') delta(call, event.delta, out);
          else if (call === undefined) {
            out.push({
              type: 'error',
              error: new Error(
                `Realtime stream: arguments for item ${JSON.stringify(itemIdOf(event) ?? '')} before its ` +
                  'response.output_item.added; dropped',
              ),
            });
          }
          break;
        }
        case 'response.function_call_arguments.done':
          complete(find(event) ?? start(event, out), event.arguments, out);
          break;
        case 'response.output_item.done':
          if (event.item?.type === 'function_call') {
            const call = find(event) ?? start(event, out);
            if (event.item.status === 'incomplete') {
              if (!call.ended_) {
                out.push({
                  type: 'error',
                  error: new Error(
                    `Realtime stream: tool call ${JSON.stringify(call.id)} ended incomplete; its arguments are cut off`,
                  ),
                });
                abandon(call);
              }
            } else complete(call, event.item.arguments, out);
          }
          break;
        case 'response.done':
        case 'response.completed':
        case 'response.incomplete':
        case 'response.failed': {
          const response = event.response;
          const responseId = typeof response?.id === 'string' ? response.id : responseOf(event);
          const status =
            typeof response?.status === 'string' && response.status !== 'in_progress'
              ? response.status
              : event.type === 'response.done'
                ? 'completed'
                : event.type.slice('response.'.length);
          finish(responseId, status, response, out);
          if (responseId === currentResponse) currentResponse = undefined;
          break;
        }
        case 'error':
          out.push({ type: 'error', error: event.error ?? event });
          break;
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
 * Normalize OpenAI Realtime server events (or Responses API events received over a WebSocket)
 * into {@link StreamEvent}s. `events` is any iterable of the server events, as objects or as
 * the text of each WebSocket message (parsed here): collect them from your WebSocket's
 * `message` handler, or from the `openai`
 * SDK's `OpenAIRealtimeWebSocket` `event` listener, into an async queue. See
 * `createOpenAIRealtimeNormalizer` (internal; what `createProviderNormalizer` returns for this provider) for the rules; in a callback-driven socket, use that
 * push core directly.
 *
 * Truncation: an interrupted response (`response.done` with status `cancelled`, e.g. the user
 * spoke: `turn_detected`; `incomplete`; `failed`) never delivers its open calls: an `error`
 * event marks them cut and an assembler reports them `truncated`.
 *
 * @throws whatever the source throws; a `SyntaxError` for a string chunk that is not JSON; a
 *   `TypeError` when given the WebSocket itself (use the push core in its message handler).
 * @example
 * ```ts
 * import { createProviderNormalizer } from 'streamshape/tool-calls';
 *
 * const normalizer = createProviderNormalizer('openai-realtime');
 * ws.on('message', (data) => {
 *   for (const event of normalizer.push(JSON.parse(String(data)))) assembler.push(event);
 * });
 * ```
 * @see https://platform.openai.com/docs/api-reference/realtime-server-events
 * @public
 */
export function fromOpenAIRealtime(
  events: ChunkSource<OpenAIRealtimeServerEvent> | ChunkSource<string>,
): AsyncGenerator<StreamEvent, void, undefined> {
  if (events === null || typeof events !== 'object') return runNormalizer(events as never, createOpenAIRealtimeNormalizer());
  if (
    typeof (events as { send?: unknown }).send === 'function' &&
    !(Symbol.asyncIterator in events) &&
    !(Symbol.iterator in events)
  ) {
    throw new TypeError(
      'fromOpenAIRealtime expects an iterable of server events, not the socket: push each message into ' +
        'createOpenAIRealtimeNormalizer() from the socket\'s message handler',
    );
  }
  checkChunkSource(events, 'fromOpenAIRealtime');
  return runNormalizer(events as ChunkSource<OpenAIRealtimeServerEvent | string>, createOpenAIRealtimeNormalizer(), undefined, {
    // A string chunk is one WebSocket message's text.
    push: (event) => [typeof event === 'string' ? (JSON.parse(event) as OpenAIRealtimeServerEvent) : event],
    end: () => [],
  });
}
