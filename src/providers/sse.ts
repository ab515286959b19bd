/**
 * One server-sent event, as {@link readServerSentEvents} yields it.
 * @public
 */
export interface ServerSentEvent {
  /**
   * The `event:` field (`'message_start'`, `'response.completed'`, `'error'`, …), or `undefined`
   * when the event has none (OpenAI Chat Completions, Gemini). Browsers' `EventSource` would
   * report `'message'` for those.
   */
  event: string | undefined;
  /** The `data:` lines joined with `\n` (the final newline removed), as the SSE standard says. */
  data: string;
  /** The `id:` field of this event's block, or `undefined` (ids do not carry over to later events). */
  id: string | undefined;
}

/**
 * A `fetch` `Response` as {@link readServerSentEvents} uses it (structural, so any fetch
 * implementation fits).
 * @public
 */
export interface FetchResponseLike {
  /** The response body, read as the event stream; `null` reads as an empty stream. */
  readonly body: ReadableStream<Uint8Array> | null;
  /** False for an HTTP error status: reading then throws an `Error` naming the status and quoting the body. */
  readonly ok: boolean;
  /** The HTTP status, quoted in the error for a failed response. */
  readonly status: number;
  /** The HTTP status text, quoted in the error for a failed response. */
  readonly statusText: string;
  /** Reads the whole body as text: called only for a failed response, to quote it (first 500 characters) in the error. */
  text(): Promise<string>;
}

/**
 * What {@link readServerSentEvents} reads: a `fetch` `Response`, a `ReadableStream` of bytes,
 * any (async) iterable of byte or string chunks (a Node `http.IncomingMessage`, a generator), or
 * the whole body as one string.
 * @public
 */
export type ServerSentEventsSource =
  | FetchResponseLike
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>
  | string;

/** Options of {@link readServerSentEvents} and {@link readServerSentEventsJson}. @public */
export interface ReadServerSentEventsOptions {
  /**
   * Stops reading: the source is cancelled and the generator throws `signal.reason` (an
   * `AbortError` `DOMException` by default).
   */
  signal?: AbortSignal | undefined;
  /**
   * Largest incomplete line or event the parser may buffer, in UTF-16 code units; past it the
   * generator throws eventsource-parser's `ParseError` (`max-buffer-size-exceeded`). Needs
   * eventsource-parser 4.
   * @defaultValue undefined (unbounded)
   */
  maxBufferSize?: number | undefined;
}

interface ByteSource {
  next(): Promise<IteratorResult<Uint8Array | string>>;
  cancel(reason?: unknown): void;
}

interface EventSourceParserModule {
  createParser(callbacks: {
    onEvent?: (event: { event?: string | undefined; data: string; id?: string | undefined }) => void;
    onError?: (error: Error & { type?: string }) => void;
    maxBufferSize?: number | undefined;
  }): { feed(chunk: string): void; reset(options?: { consume?: boolean }): void };
}

let parserModule: Promise<EventSourceParserModule> | undefined;

function loadParser(): Promise<EventSourceParserModule> {
  // A dynamic import keeps eventsource-parser an optional peer: only SSE users need it.
  parserModule ??= import('eventsource-parser').then(
    (module) => module as unknown as EventSourceParserModule,
    (cause: unknown) => {
      parserModule = undefined;
      throw new Error(
        'readServerSentEvents needs the "eventsource-parser" package (an optional peer dependency ' +
          'of streamshape): install it with `npm install eventsource-parser`',
        { cause },
      );
    },
  );
  return parserModule;
}

/** The `data` value that ends an OpenAI-style stream. */
const DONE = '[DONE]';

/**
 * Read server-sent events (SSE) from a streamed HTTP body, with the `eventsource-parser`
 * package (an optional peer dependency, loaded on first use).
 *
 * - Bytes are decoded as UTF-8 with one streaming `TextDecoder`, so a character split across
 *   chunks is read whole (invalid bytes become U+FFFD, as the SSE standard says).
 * - An event whose data is `[DONE]` (OpenAI) ends the stream; it is not yielded.
 * - `event: error` events (Anthropic, the Responses API) are yielded like any other: check
 *   `event.event === 'error'`.
 * - An event the body leaves unfinished (no blank line after it) is dropped, as the SSE
 *   standard says: a cut stream does not yield half an event.
 * - When the consumer stops early (`break`, `return`), the source is cancelled
 *   (`ReadableStream.cancel()`, `iterator.return()`).
 *
 * @param body - a `fetch` `Response` (its status is checked), a `ReadableStream<Uint8Array>`,
 *   an (async) iterable of `Uint8Array` or string chunks, or the whole body as a string.
 * @throws {Error} when `eventsource-parser` is not installed; when `body` is a `Response`
 *   whose status is not 2xx (the message quotes the start of the body; `cause` holds
 *   `{status, body}`).
 * @throws `options.signal.reason` when the signal aborts.
 * @example
 * ```ts
 * const res = await fetch('https://api.anthropic.com/v1/messages', { method: 'POST', headers, body });
 * for await (const { event, data } of readServerSentEvents(res)) {
 *   if (event === 'error') throw new Error(data);
 *   console.log(event, JSON.parse(data));
 * }
 * ```
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 * @public
 */
export async function* readServerSentEvents(
  body: ServerSentEventsSource,
  options: ReadServerSentEventsOptions = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const { signal } = options;
  signal?.throwIfAborted();
  const { createParser } = await loadParser();
  signal?.throwIfAborted();
  const source = await openSource(body);
  const queue: ServerSentEvent[] = [];
  let fatal: Error | undefined;
  const parser = createParser({
    onEvent(message) {
      queue.push({ event: message.event, data: message.data, id: message.id });
    },
    onError(error) {
      // Unknown fields and bad `retry:` values are ignorable by the standard; a blown buffer is not.
      if (error.type === 'max-buffer-size-exceeded') fatal = error;
    },
    maxBufferSize: options.maxBufferSize,
  });
  const decoder = new TextDecoder();
  let finished = false;
  let abortListener: (() => void) | undefined;
  const aborted =
    signal === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          abortListener = () => reject(signal.reason);
          signal.addEventListener('abort', abortListener, { once: true });
        });
  // Avoid an unhandled rejection when the abort happens while nothing awaits `aborted`.
  aborted?.catch(() => undefined);
  try {
    for (;;) {
      const result = await (aborted === undefined ? source.next() : Promise.race([source.next(), aborted]));
      if (result.done) {
        finished = true;
        const rest = decoder.decode();
        if (rest !== '') parser.feed(rest);
      } else if (typeof result.value === 'string') {
        const rest = decoder.decode();
        parser.feed(rest + result.value);
      } else {
        parser.feed(decoder.decode(result.value, { stream: true }));
      }
      if (fatal !== undefined) throw fatal;
      for (let i = 0; i < queue.length; i++) {
        const event = queue[i] as ServerSentEvent;
        if (event.data === DONE) {
          queue.length = 0;
          return;
        }
        yield event;
        signal?.throwIfAborted();
      }
      queue.length = 0;
      if (finished) return;
    }
  } finally {
    if (abortListener !== undefined) signal?.removeEventListener('abort', abortListener);
    if (!finished) source.cancel(signal?.aborted === true ? signal.reason : undefined);
  }
}

/**
 * Read server-sent events and yield each event's `data` parsed as JSON: the chunk objects the
 * `from*` adapters take, for code that calls a provider with `fetch` instead of its SDK. Events
 * with empty data are skipped; `[DONE]` ends the stream. An `event: error` whose data is not
 * JSON is yielded as `{type: 'error', error: {message: data}}`, which every adapter turns into
 * an `error` event (JSON error payloads are yielded as they are: they already say they are
 * errors).
 *
 * @typeParam T - the chunk type; inferred from the adapter the result is passed to.
 * @throws {SyntaxError} when an event's data is not JSON (`cause` holds the parse error).
 * @throws the errors of {@link readServerSentEvents}.
 * @example
 * ```ts
 * const res = await fetch('https://api.openai.com/v1/chat/completions', {
 *   method: 'POST',
 *   headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
 *   body: JSON.stringify({ model, messages, tools, stream: true }),
 * });
 * for await (const event of fromOpenAIChatCompletions(readServerSentEventsJson(res))) { … }
 * ```
 * @public
 */
export async function* readServerSentEventsJson<T = unknown>(
  body: ServerSentEventsSource,
  options?: ReadServerSentEventsOptions,
): AsyncGenerator<T, void, undefined> {
  for await (const event of readServerSentEvents(body, options)) {
    if (event.data === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(event.data);
    } catch (cause) {
      if (event.event === 'error') {
        value = { type: 'error', error: { message: event.data } };
      } else {
        throw new SyntaxError(
          `Server-sent event data is not JSON: ${JSON.stringify(truncate(event.data, 80))}`,
          { cause },
        );
      }
    }
    yield value as T;
  }
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : text.slice(0, length) + '…';
}

function isResponse(value: object): value is FetchResponseLike {
  return (
    'body' in value &&
    'status' in value &&
    typeof (value as { text?: unknown }).text === 'function'
  );
}

async function openSource(body: ServerSentEventsSource): Promise<ByteSource> {
  if (typeof body === 'string') {
    let done = false;
    return {
      next: () => {
        if (done) return Promise.resolve({ done: true, value: undefined });
        done = true;
        return Promise.resolve({ done: false, value: body });
      },
      cancel: () => undefined,
    };
  }
  if (body === null || typeof body !== 'object') {
    throw new TypeError(
      'readServerSentEvents expects a fetch Response, a ReadableStream, or an (async) iterable of ' +
        `Uint8Array or string chunks; got ${body === null ? 'null' : typeof body}`,
    );
  }
  if (isResponse(body)) {
    if (!body.ok) {
      let text = '';
      try {
        text = await body.text();
      } catch {
        // The status alone still says what went wrong.
      }
      throw new Error(
        `HTTP ${body.status}${body.statusText ? ' ' + body.statusText : ''}` +
          (text ? `: ${truncate(text, 500)}` : ''),
        { cause: { status: body.status, body: text } },
      );
    }
    if (body.body === null) return openSource([]);
    return openSource(body.body);
  }
  if (typeof (body as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      cancel: (reason) => {
        reader.cancel(reason).catch(() => undefined);
      },
    };
  }
  const iterable = body as AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  const iterator: AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string> =
    Symbol.asyncIterator in iterable
      ? (iterable as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]()
      : (iterable as Iterable<Uint8Array | string>)[Symbol.iterator]();
  return {
    next: async () => iterator.next(),
    cancel: (reason) => {
      // Do not await: an async iterator may hold `return()` until its pending `next()` settles.
      try {
        const result = iterator.return?.(reason);
        if (result instanceof Promise) result.catch(() => undefined);
      } catch {
        // Cancelling is best effort.
      }
    },
  };
}
