import type { StreamEvent } from './events.js';

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
 * const normalizer = createAnthropicMessagesNormalizer();
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

/** @internal Iterate a {@link ChunkSource}, cancelling a ReadableStream when the consumer stops early. */
export async function* iterateChunks<Chunk>(source: ChunkSource<Chunk>): AsyncGenerator<Chunk> {
  if (isReadableStream<Chunk>(source)) {
    // Not every runtime makes ReadableStream async-iterable (Safari), so read it by hand.
    const reader = source.getReader();
    let done = false;
    try {
      for (;;) {
        const result = await reader.read();
        if (result.done) {
          done = true;
          return;
        }
        yield result.value;
      }
    } finally {
      if (!done) void reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  yield* source as AsyncIterable<Chunk> | Iterable<Chunk>;
}

/** @internal Drive a normalizer over a chunk source: the body of every `from*` adapter. */
export async function* runNormalizer<Chunk>(
  source: ChunkSource<Chunk>,
  normalizer: StreamNormalizer<Chunk>,
): AsyncGenerator<StreamEvent, void, undefined> {
  if (source === null || typeof source !== 'object') {
    throw new TypeError(
      'Expected an iterable, async iterable or ReadableStream of provider chunks; got ' +
        (source === null ? 'null' : typeof source),
    );
  }
  checkChunkSource(source);
  for await (const chunk of iterateChunks(source)) {
    yield* normalizer.push(chunk);
  }
  yield* normalizer.end();
}

/**
 * Throws a TypeError that says what to pass when `source` is an object an adapter cannot read:
 * a fetch `Response` (its SSE body must be parsed first) or a single chunk object.
 * @internal
 */
export function checkChunkSource(source: object): void {
  if (!isReadableStream(source) && !(Symbol.asyncIterator in source) && !(Symbol.iterator in source)) {
    const response = typeof (source as { headers?: unknown }).headers === 'object' && 'body' in source;
    throw new TypeError(
      response
        ? 'A provider adapter got a fetch Response; it reads the provider\'s chunk objects: for a ' +
            'server-sent events body pass readServerSentEventsJson(response) (after checking response.ok)'
        : 'A provider adapter got an object that is neither iterable nor a ReadableStream; pass the ' +
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
