import type { Delta } from '../partial/delta.js';
import { createPartialParser, type PartialParserOptions } from '../partial/parser.js';
import type { DeepPartial, SchemaInput, SchemaLike, SchemaOutput } from '../schema/types.js';
import { readSource, type SourceOptions, type StreamSource } from './source.js';

/**
 * One update of {@link parseStream} or {@link PartialJsonStream}: the snapshot after a chunk
 * that changed something visible, with the deltas that led there from the previous update; the
 * last update (`done: true`) carries the final value. `T` is the final value's type, `P` the
 * snapshots' (with a schema: the deep partial of its input, since transforms apply only at the end).
 * @public
 */
export type PartialUpdate<T = unknown, P = DeepPartial<T>> =
  | {
      /** The snapshot (immutable, structurally shared with the previous update's). */
      value: P | undefined;
      /**
       * The changes since the previous update (several writes' worth when throttled), in order;
       * replaying all of them with `applyDelta` from `undefined` gives the final JSON value.
       */
      deltas: Delta[];
      /** True when the text so far is a complete JSON text. */
      complete: boolean;
      /** More updates follow. */
      done: false;
    }
  | {
      /** The final value returned by the parser's `end()`: with a schema, the schema's full parse. */
      value: T;
      /** The changes since the previous update. */
      deltas: Delta[];
      complete: true;
      /** The last update: the source has ended and the value is final. */
      done: true;
    };

/** Options of {@link parseStream} and {@link PartialJsonStream}. @public */
export interface ParseStreamOptions<T = unknown>
  extends Omit<PartialParserOptions<T>, 'onPartial' | 'onDelta'>,
    SourceOptions {
  /**
   * Delivers at most one update per this many milliseconds, so a fast token rate never thrashes
   * a render loop: updates in between are merged (the latest value wins, deltas are
   * concatenated), a pending update is delivered when its time comes even if the source is
   * quiet, and the last update is always delivered.
   * @defaultValue `0` (an update for every chunk that changed something)
   */
  throttleMs?: number | undefined;
}

/**
 * The async iterable returned by {@link parseStream}; `value` keeps the latest snapshot
 * readable after an error or an early stop.
 * @public
 */
export interface PartialStream<T = unknown, P = DeepPartial<T>> extends AsyncGenerator<PartialUpdate<T, P>, void, undefined> {
  /** The latest snapshot the parser has built (also after an error), or `undefined`. */
  readonly value: P | T | undefined;
}

function now(): number {
  return typeof performance === 'undefined' ? Date.now() : performance.now();
}

/**
 * Parses a JSON text streamed from `source` (text or UTF-8 byte chunks, an async iterable or a
 * `ReadableStream`) and yields an update for each chunk that changed the partial value, then a
 * last update with the final value.
 *
 * Stopping the iteration early (`break`) or aborting `options.signal` cancels the source. An
 * error in the source, a {@link ParseError} or a `SchemaValidationError` is thrown from the
 * iteration; the latest snapshot stays readable as `stream.value`.
 *
 * @example
 * ```ts
 * const response = await fetch(url, { signal });
 * for await (const { value, done } of parseStream(response.body!, { signal, throttleMs: 50 })) {
 *   render(value);
 * }
 * ```
 * @throws {@link ParseError}, `SchemaValidationError`, the source's own errors, or the signal's
 *   abort reason.
 * @public
 */
export function parseStream<S extends SchemaLike>(
  source: StreamSource,
  options: ParseStreamOptions<SchemaOutput<S>> & { schema: S },
): PartialStream<SchemaOutput<S>, DeepPartial<SchemaInput<S>>>;
export function parseStream<T = unknown>(source: StreamSource, options?: ParseStreamOptions<T>): PartialStream<T>;
export function parseStream<T = unknown>(source: StreamSource, options: ParseStreamOptions<T> = {}): PartialStream<T> {
  let pending: Delta[] = [];
  const { signal, throttleMs = 0, ...parserOptions } = options;
  const parser = createPartialParser<T>({
    ...parserOptions,
    onDelta(deltas) {
      for (const d of deltas) pending.push(d);
    },
  });
  let latest: DeepPartial<T> | T | undefined;

  function take(done: boolean, value: DeepPartial<T> | T | undefined): PartialUpdate<T> {
    const deltas = pending;
    pending = [];
    latest = value;
    return done
      ? { value: value as T, deltas, complete: true, done: true }
      : { value: value as DeepPartial<T> | undefined, deltas, complete: parser.complete, done: false };
  }

  async function* generate(): AsyncGenerator<PartialUpdate<T>, void, undefined> {
    const chunks = readSource(source, signal);
    let lastYield = -Infinity;
    let read: Promise<IteratorResult<string | Uint8Array, void>> | undefined;
    try {
      for (;;) {
        read ??= chunks.next();
        let result: IteratorResult<string | Uint8Array, void>;
        if (pending.length > 0 && throttleMs > 0) {
          // An update is waiting for its time slot: deliver it then, even if the source is quiet.
          const wait = lastYield + throttleMs - now();
          let timer: ReturnType<typeof setTimeout> | number | undefined;
          const winner = await Promise.race([
            read.then((r) => ({ r })),
            new Promise<undefined>((resolve) => {
              timer = setTimeout(resolve, Math.max(0, wait));
            }),
          ]);
          clearTimeout(timer);
          if (winner === undefined) {
            lastYield = now();
            yield take(false, parser.value);
            continue;
          }
          result = winner.r;
        } else {
          result = await read;
        }
        read = undefined;
        if (result.done) break;
        parser.write(result.value);
        if (pending.length > 0 && (throttleMs <= 0 || now() - lastYield >= throttleMs)) {
          lastYield = now();
          yield take(false, parser.value);
        }
      }
      const final = parser.end();
      yield take(true, final);
    } finally {
      if (read !== undefined) void read.catch(() => {});
      await chunks.return();
    }
  }

  const stream = generate() as PartialStream<T>;
  Object.defineProperty(stream, 'value', {
    get: () => {
      try {
        return parser.value;
      } catch {
        return latest;
      }
    },
  });
  return stream;
}

/**
 * A `TransformStream` from JSON text chunks (strings or UTF-8 bytes) to {@link PartialUpdate}s,
 * for `response.body.pipeThrough(new PartialJsonStream())`. Emits an update for each chunk that
 * changed the partial value (merged per `throttleMs` when set) and a last update with the final
 * value when the input closes.
 *
 * Errors ({@link ParseError}, `SchemaValidationError`) error the stream; `value` keeps the
 * latest snapshot readable.
 *
 * @example
 * ```ts
 * const updates = response.body!.pipeThrough(new PartialJsonStream({ throttleMs: 50 }));
 * for await (const update of updates) render(update.value);
 * ```
 * @public
 */
export class PartialJsonStream<T = unknown> extends TransformStream<string | Uint8Array, PartialUpdate<T>> {
  readonly #read: () => DeepPartial<T> | undefined;

  constructor(options: Omit<ParseStreamOptions<T>, 'signal'> = {}) {
    const { throttleMs = 0, ...parserOptions } = options;
    let pending: Delta[] = [];
    let lastEmit = -Infinity;
    let timer: ReturnType<typeof setTimeout> | number | undefined;
    const parser = createPartialParser<T>({
      ...parserOptions,
      onDelta(deltas) {
        for (const d of deltas) pending.push(d);
      },
    });
    const emit = (controller: TransformStreamDefaultController<PartialUpdate<T>>, done: boolean, value: unknown) => {
      const deltas = pending;
      pending = [];
      lastEmit = now();
      controller.enqueue(
        done
          ? { value: value as T, deltas, complete: true, done: true }
          : { value: value as DeepPartial<T> | undefined, deltas, complete: parser.complete, done: false },
      );
    };
    super({
      transform(chunk, controller) {
        parser.write(chunk);
        if (pending.length === 0) return;
        const wait = lastEmit + throttleMs - now();
        if (throttleMs <= 0 || wait <= 0) {
          clearTimeout(timer);
          timer = undefined;
          emit(controller, false, parser.value);
        } else if (timer === undefined) {
          timer = setTimeout(() => {
            timer = undefined;
            if (pending.length > 0) emit(controller, false, parser.value);
          }, wait);
        }
      },
      flush(controller) {
        clearTimeout(timer);
        emit(controller, true, parser.end());
      },
    });
    this.#read = () => parser.value;
  }

  /** The latest snapshot, readable also after the stream errored. */
  get value(): DeepPartial<T> | undefined {
    return this.#read();
  }
}
