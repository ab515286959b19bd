import type { JsonPath } from '../json/json-pointer.js';
import { applyDelta, type Delta } from '../partial/delta.js';
import type { FinishReason } from '../providers/events.js';
import { readServerSentEvents, type ServerSentEventsSource } from '../providers/sse.js';
import type { DeepPartial } from '../partial/schema-types.js';
import type { AssembledEvent } from '../tool-calls/assemble.js';
import type { ToolCallErrorReason } from '../tool-calls/errors.js';
import type { PartialUpdate } from '../streams/parse-stream.js';
import { describeValue } from '../streams/source.js';

/*
 * The wire format (text/event-stream, one JSON document per `data:` line):
 *
 *   event: delta      data: Delta[]                   (the changes since the previous event)
 *   event: done       data: {"value": <final value>}  (the last event of a successful stream)
 *   event: error      data: ForwardedErrorInfo        (the last event of a failed stream)
 *
 * JSON.stringify never writes a raw CR or LF, so one `data:` line always holds one document.
 */

/**
 * An error as a forwarding stream sends it in its `event: error` (JSON), and as
 * {@link receiveUpdates} puts it in the thrown error's `cause`.
 * @public
 */
export interface ForwardedErrorInfo {
  /** The error's class name: `'ParseError'`, `'SchemaValidationError'`, `'ToolCallError'`, `'AbortError'`, or `'Error'`. */
  name: string;
  /** The error's message (for an unknown error, only the generic `'The stream failed'`). */
  message: string;
  /** `ParseError.code`. */
  code?: string | undefined;
  /** `ToolCallError.reason`. */
  reason?: string | undefined;
  /** `ParseError.position`: 0-based, in UTF-16 code units of the decoded text. */
  position?: number | undefined;
  /** `ParseError.line`, 1-based. */
  line?: number | undefined;
  /** `ParseError.column`, 1-based, in UTF-16 code units. */
  column?: number | undefined;
  /** `SchemaValidationError.issues` (each with `path` and `message`). */
  issues?:
    | ReadonlyArray<{
        /** Where the issue is, from the root of the value. */
        path: JsonPath;
        /** What is wrong, for people. */
        message: string;
        /** The schema library's issue code (zod's `invalid_type`, `too_big`…), when it gives one. */
        code?: string | undefined;
      }>
    | undefined;
  /** `SchemaValidationError.early`: the partial value could never have become valid. */
  early?: boolean | undefined;
}

/** Options of {@link toUpdateEventStream} and {@link toToolCallEventStream}. @public */
export interface ForwardOptions {
  /**
   * Turns an error thrown by the source into what the browser sees. The default sends the name,
   * message and position fields of streamshape's own errors (`ParseError`,
   * `SchemaValidationError`, `ToolCallError`) and of an `AbortError`, and only
   * `{name: 'Error', message: 'The stream failed'}` for anything else, so a server never leaks
   * an upstream error's details (URLs, keys in messages) to a page by accident.
   */
  serializeError?: ((error: unknown) => ForwardedErrorInfo) | undefined;
  /**
   * Send the final value in the `done` event. The browser then ends with exactly the server's
   * final value: with a schema, its full parse (defaults, transforms) rather than the raw JSON
   * the deltas rebuild. `false` saves those bytes when the schema does not change values.
   * @defaultValue `true`
   */
  sendFinalValue?: boolean | undefined;
}

/** One update rebuilt by {@link receiveUpdates}. @public */
export interface ReceivedUpdate<T = unknown> {
  /**
   * The value rebuilt so far with `applyDelta` (immutable, structurally shared with the previous
   * update's, as the server's snapshots are). In the last update (`done: true`) it is the
   * server's final value.
   */
  value: DeepPartial<T> | T | undefined;
  /** The deltas of this SSE event (empty in the last update). */
  deltas: Delta[];
  /** True for the last update, after the server's `done` event. */
  done: boolean;
}

/** Options of {@link receiveUpdates}. @public */
export interface ReceiveUpdatesOptions {
  /** Stops reading: the body is cancelled and the generator throws `signal.reason`. */
  signal?: AbortSignal | undefined;
}

const encoder = new TextEncoder();

const OWN_ERRORS: ReadonlySet<string> = new Set(['ParseError', 'SchemaValidationError', 'ToolCallError', 'AbortError']);

function pick(error: object, key: string, type: 'string' | 'number' | 'boolean'): unknown {
  const value = (error as Record<string, unknown>)[key];
  return typeof value === type ? value : undefined;
}

/**
 * The default of {@link ForwardOptions.serializeError}: details for streamshape's own errors and
 * `AbortError`, a generic message for anything else.
 * @internal
 */
export function serializeForwardedError(error: unknown): ForwardedErrorInfo {
  if (typeof error !== 'object' || error === null || !OWN_ERRORS.has(String((error as Error).name))) {
    return { name: 'Error', message: 'The stream failed' };
  }
  const info: ForwardedErrorInfo = { name: (error as Error).name, message: String((error as Error).message) };
  for (const key of ['code', 'reason'] as const) {
    const value = pick(error, key, 'string');
    if (value !== undefined) info[key] = value as string;
  }
  for (const key of ['position', 'line', 'column'] as const) {
    const value = pick(error, key, 'number');
    if (value !== undefined) info[key] = value as number;
  }
  const early = pick(error, 'early', 'boolean');
  if (early !== undefined) info.early = early as boolean;
  const issues = (error as { issues?: unknown }).issues;
  if (Array.isArray(issues)) {
    info.issues = issues.map((issue: { path?: unknown; message?: unknown; code?: unknown }) => ({
      path: Array.isArray(issue.path) ? (issue.path as JsonPath) : [],
      message: String(issue.message),
      ...(typeof issue.code === 'string' ? { code: issue.code } : {}),
    }));
  }
  return info;
}

function sseEvent(name: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** What the producers of the event streams hand over per step: the SSE events to send, in order. */
type Outgoing = { event: 'delta'; deltas: Delta[] } | { event: 'done'; value: unknown };

function noop(): void {}

/**
 * Turns a producer of outgoing events into an SSE byte stream. Pulls only when the client reads
 * (`highWaterMark: 0`: nothing is produced, so nothing is read upstream, before the first read).
 * `produce` resolves with the next events, or `undefined` when its source ended without a final
 * value; whatever it throws becomes an `error` event (never an exception outside the stream).
 * `stop` runs once when the stream ends for any reason; on cancel (the client went away) it runs
 * at once, also while a `produce` is pending, and must cancel the upstream without waiting.
 */
function eventStream(
  produce: () => Promise<Outgoing[] | undefined>,
  stop: () => void,
  options: ForwardOptions,
): ReadableStream<Uint8Array> {
  const serialize = options.serializeError ?? serializeForwardedError;
  const sendFinal = options.sendFinalValue ?? true;
  let closed = false;
  const end = (): void => {
    if (closed) return;
    closed = true;
    stop();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          let events: Outgoing[] | undefined;
          try {
            events = await produce();
          } catch (error) {
            if (closed) return;
            let info: ForwardedErrorInfo;
            try {
              info = serialize(error);
            } catch {
              info = { name: 'Error', message: 'The stream failed' };
            }
            end();
            controller.enqueue(sseEvent('error', info));
            controller.close();
            return;
          }
          if (closed) return; // cancelled while producing
          if (events === undefined) {
            // The source ended without its final value: say so rather than leave the browser guessing.
            end();
            controller.enqueue(sseEvent('error', { name: 'Error', message: 'The stream ended before its final value' }));
            controller.close();
            return;
          }
          let sent = false;
          for (const item of events) {
            if (item.event === 'delta') {
              if (item.deltas.length === 0) continue;
              controller.enqueue(sseEvent('delta', item.deltas));
              sent = true;
            } else {
              end();
              controller.enqueue(sseEvent('done', sendFinal ? { value: item.value } : {}));
              controller.close();
              return;
            }
          }
          if (sent) return;
        }
      },
      cancel() {
        end();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Returns `iterator` without waiting (a native async generator would queue this behind a pending `next()`). */
function dropIterator(iterator: AsyncIterator<unknown>): void {
  try {
    const result = iterator.return?.();
    if (result !== undefined) void Promise.resolve(result).then(noop, noop);
  } catch {
    // A throwing return(): the iterator is being dropped anyway.
  }
}

/**
 * The server half of the backend proxy pattern: turns `parseStream` updates into a
 * server-sent events body (`text/event-stream`) for an HTTP response. The server parses and
 * validates while the model streams; the browser gets only JSON deltas (small, and already
 * checked) and rebuilds the value with {@link receiveUpdates}.
 *
 * SSE events: `event: delta` with the update's deltas (a JSON array of {@link Delta}s; updates
 * without deltas send nothing), then `event: done` with `{"value": final}` (the schema's full
 * parse when there is a schema), or `event: error` with a {@link ForwardedErrorInfo} when the
 * updates throw (a `ParseError`, an early `SchemaValidationError`, the upstream's error). The
 * stream always ends with exactly one `done` or `error` event, so a cut connection is told apart
 * from a finished stream.
 *
 * The updates are pulled as the client reads (backpressure; nothing is read before the first
 * read). Cancelling the stream (the client disconnected) returns the updates' iterator at once,
 * also while a pull is pending on a silent upstream: with `parseStream`'s iterator that
 * cancels the upstream request immediately (a native async generator of your own would only
 * see the `return()` after its pending step). An error of the updates (a `ParseError`, the
 * upstream's) becomes the `error` event; a throwing `serializeError` falls back to the generic
 * message; nothing is thrown outside the stream.
 *
 * @example
 * ```ts
 * // a route handler (Next.js, Hono, Bun, Deno, workers…)
 * export async function POST(request: Request) {
 *   const upstream = await fetch(modelUrl, { method: 'POST', body, signal: request.signal });
 *   const updates = parseStream(textOf(upstream), { schema: Recipe, throttleMs: 50 });
 *   return new Response(toUpdateEventStream(updates), {
 *     headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
 *   });
 * }
 * ```
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 * @public
 */
export function toUpdateEventStream<T = unknown, P = DeepPartial<T>>(
  updates: AsyncIterable<PartialUpdate<T, P>>,
  options: ForwardOptions = {},
): ReadableStream<Uint8Array> {
  const iterator = updates[Symbol.asyncIterator]();
  const produce = async (): Promise<Outgoing[] | undefined> => {
    for (;;) {
      const result = await iterator.next();
      if (result.done === true) return undefined;
      const update = result.value;
      const out: Outgoing[] = [];
      if (update.deltas.length > 0) out.push({ event: 'delta', deltas: update.deltas });
      if (update.done) out.push({ event: 'done', value: update.value });
      if (out.length > 0) return out;
    }
  };
  return eventStream(produce, () => dropIterator(iterator), options);
}

/** A tool call as {@link toToolCallEventStream} shows it to the browser. @public */
export interface ToolCallView {
  /** The provider's tool-call id (the one a tool result must answer). */
  id: string;
  /** The tool's name, as the model called it. */
  name: string;
  /** 0-based position among its choice's tool calls. */
  index: number;
  /** The choice, when the provider streams several. */
  choice?: number | undefined;
  /** `streaming` while arguments arrive; `complete` once ended with valid arguments (safe to execute); `failed` otherwise. */
  status: 'streaming' | 'complete' | 'failed';
  /** Partial arguments while streaming; the validated final arguments once complete. Absent before `{`. */
  arguments?: unknown;
  /** Why the call failed (`truncated`, `invalid-json`, `schema`, `unknown-tool`), and the message. */
  error?:
    | {
        /** `ToolCallError`'s `reason`. */
        reason: ToolCallErrorReason;
        /** `ToolCallError`'s message. */
        message: string;
      }
    | undefined;
}

/**
 * The value {@link toToolCallEventStream} forwards: what a page needs to render an assistant
 * turn while it streams.
 * @public
 */
export interface StreamView {
  /** The text so far (all choices' text, in arrival order). */
  text: string;
  /** With `assembleToolCalls(…, { output })`: the structured output's partial, then final, value. */
  output?: unknown;
  /** The output's error (`ParseError` or `SchemaValidationError`), if it failed. */
  outputError?: ForwardedErrorInfo | undefined;
  /** Every tool call, in order of appearance. */
  toolCalls: ToolCallView[];
  /** The finish reason (of the first choice that finished). */
  finishReason?: FinishReason | undefined;
}

/** Options of {@link toToolCallEventStream}. @public */
export interface ToolCallEventStreamOptions extends ForwardOptions {
  /**
   * Forward `text-delta`s as `text`. Turn off when the text is the structured output's JSON
   * (`output` is forwarded as a value already).
   * @defaultValue `true`
   */
  text?: boolean | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type DiffTask = { delta: Delta } | { before: unknown; after: unknown; path: JsonPath };

/**
 * Deltas that turn `before` into `after`, for a final value that may differ from the partial one
 * it follows (a schema's defaults and transforms): identical subtrees are skipped by identity, so
 * the cost is that of what changed (plus one key scan per changed object). Changes the delta ops
 * cannot express (a removed key, a shrunk array, a string that is not an extension) become a
 * `replace` there. An explicit stack, in document order: no recursion, whatever the depth.
 */
function diff(before: unknown, after: unknown, path: JsonPath, out: Delta[]): void {
  const stack: DiffTask[] = [{ before, after, path }];
  while (stack.length > 0) {
    const task = stack.pop()!;
    if ('delta' in task) {
      out.push(task.delta);
      continue;
    }
    const { before: b, after: a, path: p } = task;
    if (b === a) continue;
    if (typeof b === 'string' && typeof a === 'string' && a.startsWith(b)) {
      out.push({ op: 'append', path: p, value: a.slice(b.length) });
      continue;
    }
    const children: DiffTask[] = [];
    if (Array.isArray(b) && Array.isArray(a) && a.length >= b.length) {
      for (let i = 0; i < a.length; i++) {
        children.push(i < b.length ? { before: b[i], after: a[i], path: [...p, i] } : { delta: { op: 'add', path: [...p, i], value: a[i] } });
      }
    } else if (isObject(b) && isObject(a) && Object.keys(b).every((key) => Object.prototype.hasOwnProperty.call(a, key))) {
      for (const key of Object.keys(b)) children.push({ before: b[key], after: a[key], path: [...p, key] });
      for (const key of Object.keys(a)) {
        if (!Object.prototype.hasOwnProperty.call(b, key)) children.push({ delta: { op: 'add', path: [...p, key], value: a[key] } });
      }
    } else {
      out.push({ op: b === undefined ? 'add' : 'replace', path: p, value: a });
      continue;
    }
    // Last pushed is done first: push in reverse to keep document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** `deltas` moved under `prefix` (deltas of a value that lives at `prefix` in the view). */
function under(prefix: JsonPath, deltas: readonly Delta[]): Delta[] {
  return deltas.map((d) => ({ ...d, path: [...prefix, ...d.path] }) as Delta);
}

/**
 * The server half of the backend proxy pattern for tool calls: turns `assembleToolCalls`
 * events into a server-sent events body that forwards a {@link StreamView} (text, structured
 * output, and every tool call with its state and arguments) as deltas. The browser rebuilds it
 * with {@link receiveUpdates} and renders each call as `streaming`, `complete` or `failed`
 * (with the reason, e.g. `truncated`) while the server does the validating.
 *
 * Same wire format as {@link toUpdateEventStream}: `event: delta` (deltas to the view),
 * `event: done` (`{"value": view}`), or `event: error`. The first delta adds the empty view
 * `{text: '', toolCalls: []}`; argument and output deltas are the assembler's own (a final value
 * that differs from the partial one, through a schema, is compared once), so leave
 * `assembleToolCalls`' `argumentDeltas` on (its default) or partial arguments are not forwarded.
 *
 * @example
 * ```ts
 * const events = assembleToolCalls(fromAnthropicMessages(readServerSentEventsJson(upstream)), { tools });
 * return new Response(toToolCallEventStream(events), { headers: { 'content-type': 'text/event-stream' } });
 * // browser
 * for await (const { value } of receiveUpdates<StreamView>(await fetch('/chat'))) render(value);
 * ```
 * @public
 */
export function toToolCallEventStream<Args = unknown>(
  events: AsyncIterable<AssembledEvent<Args>>,
  options: ToolCallEventStreamOptions = {},
): ReadableStream<Uint8Array> {
  const forwardText = options.text ?? true;
  const iterator = events[Symbol.asyncIterator]();
  let view: StreamView = { text: '', toolCalls: [] };
  const indexOf = new Map<string, number>();
  const keyOf = (choice: number | undefined, id: string) => `${choice ?? 0}\u0000${id}`;
  let pending: Delta[] = [{ op: 'add', path: [], value: view }];
  // Deltas not applied to `view` yet: it is brought up to date only where it is read (a call's
  // or the output's final diff, the end), so a wide array that stays open is not copied per event.
  let unapplied: Delta[] = [];
  let finished = false;
  let outputFailed = false;
  let finishSeen = false;
  const push = (deltas: Delta[]) => {
    for (const d of deltas) {
      pending.push(d);
      unapplied.push(d);
    }
  };
  const current = (): StreamView => {
    if (unapplied.length > 0) view = applyDelta(view, unapplied) as StreamView;
    unapplied = [];
    return view;
  };
  const callPath = (choice: number | undefined, id: string): JsonPath | undefined => {
    const i = indexOf.get(keyOf(choice, id));
    return i === undefined ? undefined : ['toolCalls', i];
  };
  const produce = async (): Promise<Outgoing[] | undefined> => {
    if (finished) return undefined;
    for (;;) {
      const { done, value: event } = await iterator.next();
      if (done === true) {
        finished = true;
        const out: Outgoing[] = [];
        if (pending.length > 0) out.push({ event: 'delta', deltas: pending });
        pending = [];
        out.push({ event: 'done', value: current() });
        return out;
      }
      switch (event.type) {
        case 'text-delta':
          if (forwardText && event.delta !== '') push([{ op: 'append', path: ['text'], value: event.delta }]);
          break;
        case 'tool-call-start': {
          if (indexOf.has(keyOf(event.choice, event.id))) break;
          const i = indexOf.size; // one entry per call in `toolCalls`
          indexOf.set(keyOf(event.choice, event.id), i);
          const call: ToolCallView = {
            id: event.id,
            name: event.name,
            index: event.index,
            ...(event.choice === undefined ? {} : { choice: event.choice }),
            status: 'streaming',
          };
          push([{ op: 'add', path: ['toolCalls', i], value: call }]);
          break;
        }
        case 'tool-call-partial': {
          // The assembler's own argument deltas: no need to compare snapshots.
          const path = callPath(event.choice, event.id);
          if (path !== undefined && event.deltas.length > 0) push(under([...path, 'arguments'], event.deltas));
          break;
        }
        case 'tool-call': {
          const path = callPath(event.choice, event.id);
          if (path === undefined) break;
          const call = current().toolCalls[path[1] as number] as ToolCallView;
          // The final arguments may differ from the partial ones (a schema's defaults, transforms).
          const deltas: Delta[] = [];
          diff(call.arguments, event.arguments, [...path, 'arguments'], deltas);
          deltas.push({ op: 'replace', path: [...path, 'status'], value: 'complete' });
          push(deltas);
          break;
        }
        case 'tool-call-error': {
          const path = callPath(event.error.choice, event.error.id);
          if (path === undefined) break;
          push([
            { op: 'replace', path: [...path, 'status'], value: 'failed' },
            { op: 'add', path: [...path, 'error'], value: { reason: event.error.reason, message: event.error.message } },
          ]);
          break;
        }
        case 'output-partial':
          if (event.deltas.length > 0) push(under(['output'], event.deltas));
          break;
        case 'output': {
          const deltas: Delta[] = [];
          diff(current().output, event.value, ['output'], deltas);
          if (deltas.length > 0) push(deltas);
          break;
        }
        case 'output-error':
          if (!outputFailed) {
            outputFailed = true;
            push([{ op: 'add', path: ['outputError'], value: serializeForwardedError(event.error) }]);
          }
          break;
        case 'finish':
          if (!finishSeen) {
            finishSeen = true;
            push([{ op: 'add', path: ['finishReason'], value: event.reason }]);
          }
          break;
        case 'error':
        case 'reasoning-delta':
        case 'refusal-delta':
        case 'tool-call-delta':
        case 'tool-call-end':
        case 'output-warning':
          // Errors surface through the calls they truncate; fragments through tool-call-partial;
          // lenient repairs of the output text are already in its value.
          break;
        default: {
          const exhaustive: never = event;
          void exhaustive;
        }
      }
      if (pending.length > 0) {
        const deltas = pending;
        pending = [];
        return [{ event: 'delta', deltas }];
      }
    }
  };
  return eventStream(produce, () => dropIterator(iterator), options);
}

/** An event's data parsed as JSON (`JSON.parse` makes `__proto__` an ordinary own key), or a clear error. */
function received(data: string, index: number, name: string): unknown {
  try {
    return JSON.parse(data);
  } catch (error) {
    throw new TypeError(`receiveUpdates: event ${index} (${name}) is not JSON: ${JSON.stringify(data.slice(0, 40))}`, { cause: error });
  }
}

/**
 * The browser half of the backend proxy pattern: reads the server-sent events of
 * {@link toUpdateEventStream} or {@link toToolCallEventStream} and rebuilds the value with
 * {@link applyDelta}, yielding an update per `delta` event and a last update (`done: true`)
 * with the server's final value. Reads SSE with {@link readServerSentEvents}, so it needs the
 * optional peer dependency `eventsource-parser` (bundled like any import).
 *
 * @param source - the `fetch` `Response` (its status is checked), its body, or any source
 *   {@link readServerSentEvents} takes.
 * @throws `Error` when the server sent `event: error`: its `name` and `message` are the server
 *   error's (`'ParseError'`, `'SchemaValidationError'`, `'ToolCallError'`, …) and `cause` is the
 *   {@link ForwardedErrorInfo}; when the body ends without a `done` event (the connection was
 *   cut: the value is not final); the errors of {@link readServerSentEvents}.
 * @throws `TypeError` when an event does not hold what the wire format says: data that is not
 *   JSON, a `delta` event that is not a list of valid deltas or does not apply to the value so
 *   far (every delta is checked by {@link applyDelta} before it is applied: a malicious or
 *   corrupted server cannot reach a prototype), a `done` event that is not an object. The body
 *   is cancelled, as on every early end.
 * @example
 * ```ts
 * const response = await fetch('/api/recipe', { method: 'POST', body });
 * for await (const { value, done } of receiveUpdates<Recipe>(response)) {
 *   render(value, { final: done });
 * }
 * ```
 * @public
 */
export async function* receiveUpdates<T = unknown>(
  source: ServerSentEventsSource,
  options: ReceiveUpdatesOptions = {},
): AsyncGenerator<ReceivedUpdate<T>, void, undefined> {
  let value: unknown;
  let index = 0;
  for await (const event of readServerSentEvents(source, options)) {
    if (event.event === 'delta') {
      const deltas = received(event.data, index, 'delta') as Delta[];
      if (!Array.isArray(deltas)) {
        throw new TypeError(`receiveUpdates: event ${index} (delta) holds ${describeValue(deltas)}, not a list of deltas`);
      }
      try {
        value = applyDelta(value, deltas);
      } catch (error) {
        throw new TypeError(`receiveUpdates: event ${index} (delta) does not apply: ${(error as Error).message}`, { cause: error });
      }
      index++;
      yield { value: value as DeepPartial<T>, deltas, done: false };
    } else if (event.event === 'done') {
      const data = received(event.data, index, 'done');
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw new TypeError(`receiveUpdates: event ${index} (done) holds ${describeValue(data)}, not {"value": …}`);
      }
      if (Object.prototype.hasOwnProperty.call(data, 'value')) value = (data as { value?: unknown }).value;
      yield { value: value as T, deltas: [], done: true };
      return;
    } else if (event.event === 'error') {
      // The data is untrusted: `null`, a bare string or an object without a string `name` or
      // `message` still becomes an Error with a usable name and message.
      let info: unknown;
      try {
        info = JSON.parse(event.data);
      } catch {
        info = event.data;
      }
      if (typeof info !== 'object' || info === null || Array.isArray(info)) {
        info = { name: 'Error', message: typeof info === 'string' ? info : event.data };
      }
      const { name, message } = info as { name?: unknown; message?: unknown };
      const error = new Error(typeof message === 'string' && message !== '' ? message : 'The stream failed', { cause: info });
      error.name = typeof name === 'string' && name !== '' ? name : 'Error';
      throw error;
    }
    // Other events (comments, keep-alives, a server's own events) are ignored.
  }
  throw new Error('The stream ended before its done event (the connection was cut); the value is not final');
}
