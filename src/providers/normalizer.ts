import { pushedItems } from '../streams/source.js';
import type { FinishEvent, FinishReason, StreamEvent } from './events.js';

/**
 * A synchronous push core that turns one provider's stream chunks into normalized
 * {@link StreamEvent}s. Every adapter (`fromOpenAIChatCompletions`, …) is a thin async wrapper
 * over one of these; use the core directly where `await` is unwelcome (a CLI replaying a file,
 * a worker, a test).
 *
 * Call `push` once per chunk, in stream order, then `end` once when the stream is over. Each
 * returns the events that chunk produced, in order (often none). `end` never invents end
 * signals: a tool call still open when the stream stops stays open (it is truncated).
 *
 * @typeParam Chunk - the provider's chunk object (as its official SDK yields it).
 * @example
 * ```ts
 * import { createProviderNormalizer } from 'streamshape/tool-calls';
 *
 * const normalizer = createProviderNormalizer('anthropic');
 * for (const line of jsonl.split('\n').filter(Boolean)) {
 *   for (const event of normalizer.push(JSON.parse(line))) console.log(event);
 * }
 * for (const event of normalizer.end()) console.log(event);
 * ```
 * @public
 */
export interface StreamNormalizer<Chunk> {
  /**
   * Feed the next chunk; returns the events it produced.
   * @throws {TypeError} when called after `end()`.
   */
  push(chunk: Chunk): StreamEvent[];
  /**
   * The stream is over: returns what was held back (e.g. an OpenAI `finish` waiting for its
   * usage chunk). Calling it again returns `[]`.
   */
  end(): StreamEvent[];
}

/**
 * What the `from*` adapters accept: any sync or async iterable of chunks (an SDK stream, an
 * async generator, an array), or a Web `ReadableStream` of chunk objects.
 * @public
 */
export type ChunkSource<Chunk> = AsyncIterable<Chunk> | Iterable<Chunk> | ReadableStream<Chunk>;

/**
 * @internal What an adapter reads before its normalizer, when that is not the chunks themselves
 * (WebSocket message text, NDJSON bytes): `push` turns one source item into the chunks it
 * completes, `end` gives what was held back. Their iterables are read lazily, so chunks produced
 * before one that throws are still normalized.
 */
export interface ChunkFramer<Raw, Chunk> {
  push(raw: Raw): Iterable<Chunk>;
  end(): Iterable<Chunk>;
}

/**
 * @internal A source whose opening throws `error`: `pushedItems` opens its source at the first
 * `next()`, so a misuse surfaces there, as it did when the adapters were async generators.
 */
export function failingSource(error: unknown): Iterable<never> {
  return {
    [Symbol.iterator]() {
      throw error;
    },
  };
}

/** The one-liner that turns a `fetch` body into chunks, for error messages. */
function fetchHint(adapter: string): string {
  return `${adapter}(readServerSentEventsJson(response))`;
}

/** What a value is, for an error message. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
  if (typeof value !== 'object') return typeof value;
  if (value instanceof Uint8Array) return 'bytes (a Uint8Array)';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` : 'an object';
}

function isFetchResponse(value: object): boolean {
  const r = value as { body?: unknown; status?: unknown; headers?: unknown; text?: unknown };
  return 'body' in r && typeof r.status === 'number' && typeof r.text === 'function' && r.headers !== undefined;
}

/** A server-sent event as `readServerSentEvents` yields it: `{event, data, id}`, no provider fields. */
function isServerSentEvent(value: object): value is { event?: unknown; data: string } {
  return typeof (value as { data?: unknown }).data === 'string' && 'event' in value && !('type' in value) && !('choices' in value) && !('candidates' in value);
}

/**
 * @internal Drive a normalizer over a chunk source: the body of every `from*` adapter.
 *
 * Read through `pushedItems` rather than an async generator: a generator queues `return()` behind
 * its pending `next()`, so `break`, a forwarded stream's `reader.cancel()` or an assembler's
 * aborted signal would reach a silent upstream only at its next chunk. Here they cancel it at once
 * (the `ReadableStream` reader's `cancel()`, the iterator's `return()`).
 *
 * Common mistakes fail loudly, at the first `next()`, instead of yielding nothing: a `fetch`
 * `Response`, a string, or bytes throw a `TypeError` that names the call to use; raw server-sent
 * events (what `readServerSentEvents` yields) are accepted: their `data` is parsed as JSON (empty
 * data and `[DONE]` skipped; a non-JSON `event: error` becomes `{type: 'error', error: {message}}`).
 *
 * @param adapter - the public function's name, for error messages.
 * @param framer - turns the source's items into chunks first (see {@link ChunkFramer}).
 */
export function runNormalizer<Chunk, Raw = Chunk>(
  source: ChunkSource<Raw>,
  normalizer: StreamNormalizer<Chunk>,
  adapter = 'the adapter',
  framer?: ChunkFramer<Raw, Chunk>,
): AsyncGenerator<StreamEvent, void, undefined> {
  try {
    if (source === null || typeof source !== 'object') {
      throw new TypeError(
        `${adapter}() expects an iterable, async iterable or ReadableStream of provider chunks (the SDK's stream, ` +
          `or ${fetchHint(adapter)} for a fetch body); got ${describeValue(source)}` +
          (typeof source === 'string' ? `: for SSE text, pass ${adapter}(readServerSentEventsJson(text))` : ''),
      );
    }
    checkChunkSource(source, adapter);
  } catch (error) {
    source = failingSource(error);
  }
  return pushedItems<Raw, StreamEvent>(source, undefined, (emit) => {
    const feed = (chunks: Iterable<Chunk>): void => {
      for (const item of chunks) {
        const chunk = toChunk(item, adapter);
        if (chunk !== undefined) for (const event of normalizer.push(chunk)) emit(event);
      }
    };
    return {
      write: (raw) => feed(framer === undefined ? [raw as unknown as Chunk] : framer.push(raw)),
      end() {
        if (framer !== undefined) feed(framer.end());
        for (const event of normalizer.end()) emit(event);
      },
    };
  });
}

/** A source item as the normalizer takes it (undefined: skip it): SSE events parsed, text and bytes refused. */
function toChunk<Chunk>(chunk: Chunk, adapter: string): Chunk | undefined {
  if (chunk !== null && typeof chunk === 'object' && !(chunk instanceof Uint8Array)) {
    if (!isServerSentEvent(chunk)) return chunk;
    const data = chunk.data;
    if (data === '' || data === '[DONE]') return undefined;
    try {
      return JSON.parse(data) as Chunk;
    } catch (cause) {
      if (chunk.event !== 'error') {
        throw new TypeError(
          `${adapter}() was given a server-sent event whose data is not JSON: ${JSON.stringify(data.slice(0, 80))}`,
          { cause },
        );
      }
      return { type: 'error', error: { message: data } } as Chunk;
    }
  }
  throw new TypeError(
    typeof chunk === 'string' || chunk instanceof Uint8Array
      ? `${adapter}() was given ${describeValue(chunk)} as a chunk: it takes parsed provider chunks, not the raw body; ` +
          `for a fetch body use ${fetchHint(adapter)}`
      : `${adapter}() was given ${describeValue(chunk)} as a chunk; it takes the provider's chunk objects`,
  );
}

/**
 * Throws a TypeError that says what to pass when `source` is an object an adapter cannot read:
 * a fetch `Response` (its SSE body must be parsed first) or a single chunk object.
 * @param adapter - the public function's name, for the message.
 * @internal
 */
export function checkChunkSource(source: object, adapter: string): void {
  if (isFetchResponse(source)) {
    throw new TypeError(`${adapter}() was given a fetch Response; pass its events instead: ${fetchHint(adapter)}`);
  }
  const iterable =
    isReadableStream(source) ||
    typeof (source as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function' ||
    typeof (source as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
  if (!iterable) {
    throw new TypeError(
      `${adapter}() was given ${describeValue(source)} that is neither iterable nor a ReadableStream; pass the ` +
        'stream the provider SDK returns, or a list of chunk objects ([chunk] for one)',
    );
  }
}

function isReadableStream<T>(value: unknown): value is ReadableStream<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { getReader?: unknown }).getReader === 'function'
  );
}

/** @internal The TypeError every normalizer throws for `push` after `end`. */
export function pushAfterEnd(): TypeError {
  return new TypeError('push() called after end(); create a new normalizer for a new stream');
}

/** @internal Set `choice` only for choices other than 0 (see `EventBase.choice`). */
export function choiceField(choice: number): { choice?: number } {
  return choice === 0 ? {} : { choice };
}

/** @internal A generated call id, `<provider>-call-<choice>-<n>`. */
export function generatedCallId(provider: string, choice: number, n: number): string {
  return `${provider}-call-${choice}-${n}`;
}

/** @internal Build a usage object, leaving out unknown counts. */
export function usageOf(
  inputTokens: number | undefined,
  outputTokens: number | undefined,
): { inputTokens?: number; outputTokens?: number } | undefined {
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  const usage: { inputTokens?: number; outputTokens?: number } = {};
  if (inputTokens !== undefined) usage.inputTokens = inputTokens;
  if (outputTokens !== undefined) usage.outputTokens = outputTokens;
  return usage;
}

/**
 * @internal A `finish` event with `rawReason` and `usage` set only when known (the adapters
 * each built this shape by hand).
 */
export function finishEvent(
  reason: FinishReason,
  rawReason: string | undefined,
  usage: { inputTokens?: number; outputTokens?: number } | undefined,
): FinishEvent {
  const event: FinishEvent = { type: 'finish', reason };
  if (rawReason !== undefined) event.rawReason = rawReason;
  if (usage !== undefined) event.usage = usage;
  return event;
}

/**
 * @internal `reasons[reason]`, or `other` for a reason the table does not list. Own keys only: a
 * reason is data and must never resolve to an `Object.prototype` member (`constructor`, …).
 */
export function mapReason(reasons: Readonly<Record<string, FinishReason>>, reason: string): FinishReason {
  return Object.hasOwn(reasons, reason) ? reasons[reason]! : 'other';
}

/** @internal `value` if it is a finite number, else undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** @internal Sum of the numbers among `values`, undefined if none is a number. */
export function sumOf(...values: unknown[]): number | undefined {
  let total: number | undefined;
  for (const value of values) {
    const n = num(value);
    if (n !== undefined) total = (total ?? 0) + n;
  }
  return total;
}
