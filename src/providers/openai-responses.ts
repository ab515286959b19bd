import type { FinishReason, StreamEvent } from './events.js';
import {
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
 * One Responses API stream event (`ResponseStreamEvent` in the `openai` SDK), e.g.
 * `response.output_item.added`, `response.function_call_arguments.delta`,
 * `response.output_text.delta`, `response.completed`, `error`. Only the fields the adapter reads
 * are listed.
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 * @public
 */
export interface OpenAIResponsesStreamEvent {
  /** The event's kind: `response.output_text.delta`, `response.output_item.added`, `error`, … (unknown kinds are skipped). */
  type: string;
  /** The event's 0-based number in the stream; not read. */
  sequence_number?: number | undefined;
  /** Position of the output item the event is about. */
  output_index?: number | null | undefined;
  /** Id of the output item the event is about (`fc_…` for function calls). */
  item_id?: string | null | undefined;
  /** Text or arguments fragment (`*.delta` events). */
  delta?: unknown;
  /** The complete arguments (`response.function_call_arguments.done`, `response.mcp_call_arguments.done`). */
  arguments?: unknown;
  /** The complete free-form input (`response.custom_tool_call_input.done`). */
  input?: unknown;
  /** The item (`response.output_item.added` / `.done`). */
  item?: OpenAIResponsesOutputItem | undefined;
  /** The response (`response.created` / `.completed` / `.incomplete` / `.failed`). */
  response?: OpenAIResponsesResponse | undefined;
  /** `error` events: the error's code (e.g. `rate_limit_exceeded`). */
  code?: string | null | undefined;
  /** `error` events: what went wrong. */
  message?: string | null | undefined;
  /** `error` events: the request parameter at fault, if any. */
  param?: string | null | undefined;
  /** Set on the synthetic `{type: 'error', error}` of {@link readServerSentEventsJson}. */
  error?: unknown;
}

/** The output item of `response.output_item.added` / `.done`. @public */
export interface OpenAIResponsesOutputItem {
  /**
   * `function_call`, `custom_tool_call`, `mcp_call`, `message`, `reasoning`, … (the first three
   * become tool calls).
   */
  type?: string | undefined;
  /** Item id (`fc_…`). */
  id?: string | null | undefined;
  /** The id to answer with a `function_call_output` (`call_…`). */
  call_id?: unknown;
  /** The tool's name (a string on tool-call items). */
  name?: unknown;
  /** The whole arguments' JSON text (on `.done`; `''` on `.added`). */
  arguments?: unknown;
  /** The free-form input of a `custom_tool_call`. */
  input?: unknown;
  /** The MCP server of an `mcp_call`. */
  server_label?: unknown;
  /** `in_progress`, `completed` or `incomplete`; not read. */
  status?: string | null | undefined;
}

/** The response object carried by lifecycle events. @public */
export interface OpenAIResponsesResponse {
  /** The response's id (`resp_…`); not read. */
  id?: string | undefined;
  /** `completed`, `incomplete`, `failed`, … */
  status?: string | null | undefined;
  /** On `response.incomplete`: why the response stopped early. */
  incomplete_details?:
    | {
        /** `max_output_tokens` (finish `length`), `content_filter` (`content-filter`), or another reason (`other`). */
        reason?: string | null | undefined;
      }
    | null
    | undefined;
  /** On `response.failed`: the error (`{code, message}`), reported as an `error` event. */
  error?: unknown;
  /** Token counts, on the final lifecycle event. */
  usage?:
    | {
        /** Tokens of the input, cached ones included (becomes `usage.inputTokens`). */
        input_tokens?: number | undefined;
        /** Tokens generated, reasoning included (becomes `usage.outputTokens`). */
        output_tokens?: number | undefined;
      }
    | null
    | undefined;
}

/** Output item types that are tool calls. */
const CALL_ITEMS: ReadonlySet<string> = new Set(['function_call', 'custom_tool_call', 'mcp_call']);

interface ResponsesCall {
  id: string;
  /** Item id (`fc_…`, `ctc_…`, `mcp_…`), when known. */
  itemId_: string | undefined;
  /** The argument text emitted so far (to check the `done` arguments against); released at the end. */
  text_: string;
  ended_: boolean;
}

/**
 * Create the synchronous core of {@link fromOpenAIResponses}.
 *
 * Rules it follows:
 * - A `function_call` output item is a tool call: `tool-call-start` on
 *   `response.output_item.added` with `id` = the item's `call_id` (what a
 *   `function_call_output` must quote) and `providerMetadata: {itemId, outputIndex}`;
 *   `response.function_call_arguments.delta` → `tool-call-delta` (found by `item_id`, else
 *   `output_index`); `response.function_call_arguments.done` or `response.output_item.done`
 *   ends it. If the `done` arguments extend what the deltas carried, the rest is emitted
 *   as one more delta first (an item seen only at `done` gets start, one delta, end); when they
 *   contradict it (a lost or altered delta), an `error` event is emitted and the call is never
 *   ended (the assembler reports it `truncated`).
 * - `response.output_text.delta` → `text-delta`, `response.refusal.delta` → `refusal-delta`,
 *   `response.reasoning_text.delta` / `response.reasoning_summary_text.delta` → `reasoning-delta`.
 * - `response.completed` ends calls still open and finishes with `tool-calls` when the response
 *   has function calls, else `stop`; `response.incomplete` finishes with `length`
 *   (`max_output_tokens`), `content-filter` or `other` and leaves open calls open;
 *   `response.failed` gives an `error` event then `finish` `error`; an `error` event gives an
 *   `error` event (`{code, message, param}`).
 * - A `custom_tool_call` item (a custom tool with free-form input) is a tool call with
 *   `format: 'text'`: `response.custom_tool_call_input.delta` / `.done` carry its input, which
 *   the assembler delivers as the text itself, never JSON-parsed.
 * - An `mcp_call` item (a remote MCP tool that OpenAI runs) is a tool call whose arguments come
 *   from `response.mcp_call_arguments.delta` / `.done`, with `providerMetadata: {itemId,
 *   outputIndex, serverLabel, providerExecuted: true}`: it is reported, not for you to run. It
 *   does not make the finish `tool-calls`. Built-in tool items are not tool calls here.
 * - Several responses in one stream (a recorded multi-step run) are handled one after the
 *   other: calls are found by item id first (a new item that reuses `output_index` 0 is a new
 *   call, never the ended one), each response finishes once. A call still open when a new
 *   `response.created` arrives, or when a new item takes its `output_index`, was cut: an `error`
 *   event names it, and it is never ended later (the assembler reports it `truncated`).
 *
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 * @public
 */
export function createOpenAIResponsesNormalizer(): StreamNormalizer<OpenAIResponsesStreamEvent> {
  const byItemId = new Map<string, ResponsesCall>();
  const byOutputIndex = new Map<number, ResponsesCall>();
  const usedIds = new Set<string>();
  let open: ResponsesCall[] = [];
  let count = 0;
  /** Calls the model asks the client to run, in the current response. */
  let clientCalls = 0;
  let finished = false;
  let ended = false;

  /**
   * The call an event is about: by item id when the event names one (never by `output_index`
   * then: a later response reuses `output_index` 0 for a different item), else by `output_index`.
   */
  function find(event: OpenAIResponsesStreamEvent): ResponsesCall | undefined {
    const itemId = event.item_id ?? event.item?.id;
    if (typeof itemId === 'string' && itemId !== '') return byItemId.get(itemId);
    const outputIndex = num(event.output_index);
    return outputIndex === undefined ? undefined : byOutputIndex.get(outputIndex);
  }

  /** Abandon calls that can no longer end: an `error` event names them (they are truncated). */
  function abandon(calls: readonly ResponsesCall[], why: string, out: StreamEvent[]): void {
    const cut = calls.filter((call) => !call.ended_);
    if (cut.length === 0) return;
    for (const call of cut) call.ended_ = true;
    open = open.filter((call) => !call.ended_);
    out.push({
      type: 'error',
      error: new Error(
        `${why} while tool call ${cut.map((call) => JSON.stringify(call.id)).join(', ')} was still open: ` +
          'the call was cut off and must not be executed',
      ),
    });
  }

  /** A new response begins: calls of the last one that are still open were cut. */
  function newResponse(why: string, out: StreamEvent[]): void {
    abandon(open, why, out);
    byOutputIndex.clear();
    finished = false;
    clientCalls = 0;
  }

  function start(event: OpenAIResponsesStreamEvent, out: StreamEvent[]): ResponsesCall {
    const item = event.item ?? {};
    // An item after this response finished belongs to the next response (no response.created).
    if (finished) newResponse('A new output item arrived after the response finished', out);
    const n = count++;
    const itemId =
      typeof item.id === 'string' && item.id !== ''
        ? item.id
        : typeof event.item_id === 'string' && event.item_id !== ''
          ? event.item_id
          : undefined;
    let callId =
      typeof item.call_id === 'string' && item.call_id !== ''
        ? item.call_id
        : (itemId ?? generatedCallId('openai', 0, n));
    // Ids must stay unique in the stream, or the assembler would merge two calls.
    if (usedIds.has(callId)) callId = `${callId}#${n}`;
    usedIds.add(callId);
    const call: ResponsesCall = { id: callId, itemId_: itemId, text_: '', ended_: false };
    const outputIndex = num(event.output_index);
    if (outputIndex !== undefined) {
      const previous = byOutputIndex.get(outputIndex);
      if (previous !== undefined) abandon([previous], `A new item took output_index ${outputIndex}`, out);
      byOutputIndex.set(outputIndex, call);
    }
    if (itemId !== undefined) byItemId.set(itemId, call);
    open.push(call);
    const providerMetadata: Record<string, unknown> = {};
    if (itemId !== undefined) providerMetadata['itemId'] = itemId;
    if (outputIndex !== undefined) providerMetadata['outputIndex'] = outputIndex;
    const type = item.type ?? (event.type.startsWith('response.custom_tool_call') ? 'custom_tool_call' : event.type.startsWith('response.mcp_call') ? 'mcp_call' : 'function_call');
    if (type === 'mcp_call') {
      if (typeof item.server_label === 'string') providerMetadata['serverLabel'] = item.server_label;
      providerMetadata['providerExecuted'] = true;
    } else {
      clientCalls++;
    }
    out.push({
      type: 'tool-call-start',
      id: call.id,
      name: typeof item.name === 'string' ? item.name : '',
      index: n,
      providerMetadata,
      ...(type === 'custom_tool_call' ? { format: 'text' as const } : {}),
    });
    return call;
  }

  /** The start of a call item, or of an item first seen at a later event. */
  function itemCall(event: OpenAIResponsesStreamEvent, out: StreamEvent[]): ResponsesCall {
    const found = find(event);
    return found !== undefined && !(found.ended_ && event.type === 'response.output_item.added') ? found : start(event, out);
  }

  function delta(call: ResponsesCall, text: string, out: StreamEvent[]): void {
    if (call.ended_ || text === '') return;
    call.text_ += text;
    out.push({ type: 'tool-call-delta', id: call.id, delta: text });
  }

  function complete(call: ResponsesCall, finalArgs: unknown, out: StreamEvent[]): void {
    if (call.ended_) return;
    // `done` fills in what the deltas did not carry; arguments that do not extend them (a lost
    // or altered delta) are neither mixed with them nor delivered: the call is abandoned.
    const contradicted = typeof finalArgs === 'string' && !finalArgs.startsWith(call.text_);
    if (!contradicted && typeof finalArgs === 'string' && finalArgs.length > call.text_.length) {
      delta(call, finalArgs.slice(call.text_.length), out);
    }
    call.ended_ = true;
    call.text_ = '';
    const position = open.indexOf(call);
    if (position >= 0) open.splice(position, 1);
    if (contradicted) {
      out.push({
        type: 'error',
        error: new Error(
          `Responses stream: the final arguments of call ${JSON.stringify(call.id)} do not extend its streamed ` +
            'arguments; the call is not delivered',
        ),
      });
      return;
    }
    out.push({ type: 'tool-call-end', id: call.id });
  }

  function finish(reason: FinishReason, raw: string | undefined, event: OpenAIResponsesStreamEvent, out: StreamEvent[]): void {
    if (finished) return;
    finished = true;
    const usage = event.response?.usage;
    out.push(finishEvent(reason, raw, usage ? usageOf(num(usage.input_tokens), num(usage.output_tokens)) : undefined));
  }

  return {
    push(event) {
      if (ended) throw pushAfterEnd();
      const out: StreamEvent[] = [];
      if (event === null || typeof event !== 'object') return out;
      switch (event.type) {
        case 'response.created':
          newResponse('A new response started', out);
          break;
        case 'response.output_item.added': {
          const item = event.item;
          if (item !== undefined && item !== null && CALL_ITEMS.has(item.type ?? '')) {
            const found = find(event);
            if (found === undefined || found.ended_) {
              const call = start(event, out);
              const initial = item.type === 'custom_tool_call' ? item.input : item.arguments;
              if (typeof initial === 'string') delta(call, initial, out);
            }
          }
          break;
        }
        case 'response.function_call_arguments.delta':
        case 'response.custom_tool_call_input.delta':
        case 'response.mcp_call_arguments.delta': {
          const call = find(event);
          if (call !== undefined && typeof event.delta === 'string') delta(call, event.delta, out);
          break;
        }
        case 'response.function_call_arguments.done':
        case 'response.mcp_call_arguments.done': {
          const call = find(event) ?? itemCall(event, out);
          complete(call, event.arguments, out);
          break;
        }
        case 'response.custom_tool_call_input.done': {
          const call = find(event) ?? itemCall(event, out);
          complete(call, event.input, out);
          break;
        }
        case 'response.output_item.done': {
          const item = event.item;
          if (item !== undefined && item !== null && CALL_ITEMS.has(item.type ?? '')) {
            const call = find(event) ?? itemCall(event, out);
            complete(call, item.type === 'custom_tool_call' ? item.input : item.arguments, out);
          }
          break;
        }
        case 'response.output_text.delta':
          if (typeof event.delta === 'string' && event.delta !== '') {
            out.push({ type: 'text-delta', delta: event.delta });
          }
          break;
        case 'response.refusal.delta':
          if (typeof event.delta === 'string' && event.delta !== '') {
            out.push({ type: 'refusal-delta', delta: event.delta });
          }
          break;
        case 'response.reasoning_text.delta':
        case 'response.reasoning_summary_text.delta':
          if (typeof event.delta === 'string' && event.delta !== '') {
            out.push({ type: 'reasoning-delta', delta: event.delta });
          }
          break;
        case 'response.completed': {
          for (const call of [...open]) complete(call, undefined, out);
          finish(clientCalls > 0 ? 'tool-calls' : 'stop', event.response?.status ?? 'completed', event, out);
          break;
        }
        case 'response.incomplete': {
          const raw = event.response?.incomplete_details?.reason ?? undefined;
          const reason: FinishReason =
            raw === 'max_output_tokens' ? 'length' : raw === 'content_filter' ? 'content-filter' : 'other';
          for (const call of open) call.ended_ = true; // cut: the `length` finish truncates them
          open = [];
          finish(reason, raw ?? event.response?.status ?? 'incomplete', event, out);
          break;
        }
        case 'response.failed': {
          out.push({ type: 'error', error: event.response?.error ?? event.response ?? event });
          for (const call of open) call.ended_ = true; // abandoned: the assembler truncates them
          open = [];
          finish('error', event.response?.status ?? 'failed', event, out);
          break;
        }
        case 'error': {
          const error =
            event.error !== undefined
              ? event.error
              : { code: event.code ?? null, message: event.message, param: event.param ?? null };
          out.push({ type: 'error', error });
          for (const call of open) call.ended_ = true; // abandoned: the assembler truncates them
          open = [];
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
 * Normalize an OpenAI Responses API stream (`responses.create({stream: true})`) into
 * {@link StreamEvent}s. Tool calls use `call_id` as `id` and keep the item id in
 * `providerMetadata.itemId`. See `createOpenAIResponsesNormalizer` (internal; what `createProviderNormalizer` returns for this provider) for the rules.
 *
 * @throws whatever the source throws.
 * @example
 * ```ts
 * const stream = await openai.responses.create({ model, input, tools, stream: true });
 * for await (const event of fromOpenAIResponses(stream)) console.log(event);
 * ```
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 * @public
 */
export function fromOpenAIResponses(
  events: ChunkSource<OpenAIResponsesStreamEvent>,
): AsyncGenerator<StreamEvent, void, undefined> {
  return runNormalizer(events, createOpenAIResponsesNormalizer(), 'fromOpenAIResponses');
}
