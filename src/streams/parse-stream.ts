import type { JsonPath } from '../json/json-pointer.js';
import { lenientPlugin, type ParseWarning } from '../json/warnings.js';
import type { Delta } from '../partial/delta.js';
import { createPartialParser, type PartialParser, type PartialParserOptions } from '../partial/parser.js';
import { pointersPlugin } from '../partial/pointers.js';
import { pointers } from '../partial/select.js';
import type { DeepPartial, SchemaInput, SchemaLike, SchemaOutput } from '../partial/schema-types.js';
import {
  abortReason,
  checkChunk,
  checkSource,
  openSource,
  pullStream,
  stoppableIterator,
  writableChannel,
  type SourceOptions,
  type SourceReader,
  type StreamSource,
} from './source.js';
import { TextStreams, type TextSourceStatus } from './text-stream.js';

/**
 * One update of {@link parseStream} or {@link PartialJsonStream}: the latest snapshot when the
 * consumer pulled, with every delta since the previous update (one chunk's worth when the
 * consumer keeps up, several when it was busy or `throttleMs` merged them); the last update
 * (`done: true`) carries the final value. `T` is the final value's type, `P` the snapshots' (with
 * a schema: the deep partial of its input, since transforms apply only at the end).
 * @public
 */
export type PartialUpdate<T = unknown, P = DeepPartial<T>> =
  | {
      /** The snapshot (immutable, structurally shared with the previous update's). */
      value: P | undefined;
      /**
       * The changes since the previous update (several writes' worth when coalesced), in order;
       * replaying all of them with `applyDelta` from `undefined` gives the final JSON value.
       */
      deltas: Delta[];
      /**
       * Lenient mode's repairs decided since the previous update, in stream order (empty in
       * strict mode). Every warning is in exactly one update: the update before an error also
       * carries those of writes that changed nothing visible and of a failing `end()`.
       */
      warnings: readonly ParseWarning[];
      /** True when the text so far is a complete JSON text. */
      complete: boolean;
      /**
       * Path of the value being written when the update was taken (the parser's `path`: the
       * innermost open string, container or pending property), for "typing" indicators and for
       * marking the field an error or a cut connection left unfinished; `undefined` once the text
       * is complete.
       */
      path?: JsonPath | undefined;
      /**
       * The parser's `pending` when the update was taken: JSON Pointers (snapshot indices) of the
       * values the snapshot shows that are still growing (the open string; with `partialNumbers`,
       * the growing number). At most one entry; `[]` when nothing grows. The same array object
       * from one update to the next until it changes. The update before an error carries the
       * parser's `pending` at the error. See `PartialParser.pending`.
       */
      pending: readonly string[];
      /** More updates follow. */
      done: false;
    }
  | {
      /** The final value returned by the parser's `end()`: with a schema, the schema's full parse. */
      value: T;
      /** The changes since the previous update. */
      deltas: Delta[];
      /** Lenient mode's repairs since the previous update (a `truncated` warning comes here). */
      warnings: readonly ParseWarning[];
      /** The text was a complete JSON text: always true on the last update. */
      complete: true;
      /**
       * `[]`, unless lenient mode closed a truncated text (a `truncated` warning): then the
       * parser's `pending` just before the end, the value the text was cut off inside (a string
       * it closed, or a growing number it kept or dropped), so a UI can mark it as cut off.
       */
      pending: readonly string[];
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
   * quiet, and the last update (or the update before an error) is delivered at once. The timer
   * is cleared whenever the iteration ends (done, error, `break`, abort, cancel).
   * @defaultValue `0` (no time limit: an update per pull, holding every change since the last)
   */
  throttleMs?: number | undefined;
  /**
   * How far the parser may read ahead of a busy consumer: the helper keeps pulling the source
   * and parsing while the consumer works on an update, until the input parsed since the last
   * delivered update reaches this size, and only then waits for the consumer (backpressure to
   * the source). The parser consumes what it reads, so what is held meanwhile is the deltas
   * since the last update: at most this much text (plus one chunk).
   * Units: the sum of the chunks' `length` (UTF-16 code units for text, bytes for bytes).
   * @defaultValue `1_048_576`
   */
  maxReadAhead?: number | undefined;
}

/**
 * The async iterable returned by {@link parseStream}; `value` keeps the latest snapshot
 * readable after an error or an early stop.
 * @public
 */
export interface PartialStream<T = unknown, P = DeepPartial<T>> extends AsyncGenerator<PartialUpdate<T, P>, void, undefined> {
  /** The latest snapshot the parser has built (also after an error), or `undefined`. */
  readonly value: P | T | undefined;
  /**
   * The text of one string field as it streams (a typewriter field): see {@link TextStream}.
   * @throws `TypeError` once the stream has started reading (call it before iterating).
   */
  textStream(pointer: string): TextStream;
}

/**
 * From `textStream(pointer)` of {@link parseStream}'s result or a {@link PartialJsonStream}: the
 * unescaped text of the first string value whose JSON Pointer matches `pointer` (RFC 6901; a
 * segment `*` matches any one key or index, e.g. `/files/*\/content`), as an async iterable of
 * deltas that ends when the string closes. Each pull gets all the text that arrived since the
 * previous one (never `''`); their concatenation is the string.
 *
 * - Iterating a text stream reads the source; the updates need not be iterated. The parser
 *   keeps no deltas for updates nobody pulls: updates iterated later start with one `add` of
 *   the whole snapshot at the root, so replaying them still gives the value.
 * - Text is buffered until pulled (a slow text consumer does not slow the source).
 * - The stream ends without text when the source ends without such a string, and ends early
 *   when the updates' iteration is stopped (`break`). It rejects with the error when the source
 *   fails, the text is not JSON, a schema rejects it, or `signal` aborts, before the string
 *   closed (text already received is delivered first).
 * - `break` out of every text stream still open while nobody iterates the updates cancels the
 *   source. A failure cancels it at once, iterated or not.
 * - Text streams whose strings closed do not stop the reading: the source is read to its end
 *   (the updates may still be iterated later, `value` keeps growing), and stays open while it is
 *   silent. To stop, `return()` the updates (`readable.cancel()` on `PartialJsonStream`) or abort
 *   `signal`.
 *
 * @example
 * ```ts
 * const stream = parseStream(response.body!);
 * for await (const delta of stream.textStream('/answer')) output.append(delta);
 * ```
 * @public
 */
export type TextStream = AsyncIterableIterator<string>;

function now(): number {
  return typeof performance === 'undefined' ? Date.now() : performance.now();
}

const DEFAULT_READ_AHEAD = 1_048_576;
/** The `warnings` of an update without any: shared, so strict mode allocates nothing per update. */
const NO_WARNINGS: readonly ParseWarning[] = Object.freeze([]);
const NO_PENDING: readonly string[] = Object.freeze([]);

/**
 * Checks what the stream helpers check when they are called (the parser itself is made at the
 * first read): the pacing numbers and the plug-in options. `usePartialJson` runs it before any
 * source arrives, so a bad option fails at the first render, not when the stream starts.
 * @internal
 */
export function checkStreamOptions(caller: string, options: ParseStreamOptions<unknown>): void {
  const { throttleMs = 0, maxReadAhead = DEFAULT_READ_AHEAD } = options;
  checkOptions(caller, throttleMs, maxReadAhead);
  lenientPlugin(options.lenient);
  pointersPlugin(options.select, 'select');
  pointersPlugin(options.text, 'text');
}

function checkOptions(caller: string, throttleMs: unknown, maxReadAhead: unknown): void {
  if (typeof throttleMs !== 'number' || !(throttleMs >= 0)) {
    throw new RangeError(`${caller}: throttleMs must be a number of milliseconds >= 0, got ${String(throttleMs)}`);
  }
  if (typeof maxReadAhead !== 'number' || !(maxReadAhead > 0)) {
    throw new RangeError(`${caller}: maxReadAhead must be a positive number, got ${String(maxReadAhead)}`);
  }
}

/**
 * The engine shared by {@link parseStream} and {@link PartialJsonStream}: a pump that reads the
 * source into the parser while the consumer is busy (up to `maxReadAhead`), and a consumer side
 * that hands out one coalesced update per pull. Every error (the source's, the parser's, a
 * callback's) is caught into the state and rethrown from the consumer's `next()`; every timer is
 * cleared by `stop`.
 */
function partialUpdates<T>(
  source: StreamSource,
  caller: string,
  options: ParseStreamOptions<T>,
  onFail?: (error: unknown) => void,
): {
  iterator: AsyncGenerator<PartialUpdate<T>, void, undefined>;
  read(): DeepPartial<T> | T | undefined;
  textStream(pointer: string): TextStream;
} {
  const engine = new PartialUpdates<T>(source, caller, options, onFail);
  return { iterator: engine.iterator, read: () => engine.read(), textStream: (pointer) => engine.textStream(pointer) };
}

/** {@link partialUpdates}' state and steps. Methods handed out as callbacks are bound arrows. */
class PartialUpdates<T> {
  readonly iterator: AsyncGenerator<PartialUpdate<T>, void, undefined>;
  readonly #source: StreamSource;
  readonly #caller: string;
  readonly #signal: AbortSignal | undefined;
  readonly #throttleMs: number;
  readonly #maxReadAhead: number;
  readonly #parserOptions: Omit<ParseStreamOptions<T>, 'signal' | 'throttleMs' | 'maxReadAhead' | 'text' | 'onText'>;
  readonly #onWarning: ((warning: ParseWarning) => void) | undefined;
  readonly #texts: TextStreams;
  readonly #onFail: ((error: unknown) => void) | undefined;
  #pending: Delta[] = [];
  #warnings: ParseWarning[] = [];
  /** Deltas are kept for the updates only once somebody iterates them (see TextStream). */
  #collecting = false;
  #updatesStarted = false;
  // Made when reading starts, so that `textStream` can add the strings it follows.
  #made: PartialParser<T> | undefined = undefined;
  #latest: DeepPartial<T> | T | undefined = undefined;
  /** Input parsed since the last delivered update (chunk lengths). */
  #unread = 0;
  #state: 'idle' | 'reading' | 'ended' | 'failed' | 'delivered' = 'idle';
  #final: T | undefined = undefined;
  /** The final update's `pending`: the value a lenient end cut off, if any. */
  #cutOff: readonly string[] = NO_PENDING;
  /** The last update's `pending` (`undefined` before the first). */
  #shown: readonly string[] | undefined;
  #failure: unknown = undefined;
  #reader: SourceReader<string | Uint8Array> | undefined = undefined;
  #stopped = false;
  #lastYield = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** The consumer, waiting for the pump (or for the throttle timer). */
  #waiting: (() => void) | undefined = undefined;
  /** The pump, waiting for the consumer to take an update (read-ahead is full). */
  #room: (() => void) | undefined = undefined;

  constructor(source: StreamSource, caller: string, options: ParseStreamOptions<T>, onFail?: (error: unknown) => void) {
    const { signal, throttleMs = 0, maxReadAhead = DEFAULT_READ_AHEAD, text, onText, ...parserOptions } = options;
    // The parser is made at the first read: check its plug-in options now.
    checkStreamOptions(caller, options as ParseStreamOptions<unknown>);
    this.#source = source;
    this.#caller = caller;
    this.#signal = signal;
    this.#throttleMs = throttleMs;
    this.#maxReadAhead = maxReadAhead;
    this.#parserOptions = parserOptions;
    this.#onWarning = parserOptions.onWarning;
    this.#texts = new TextStreams(text, onText, parserOptions.select?.patterns.length ?? 0);
    this.#onFail = onFail;
    this.iterator = stoppableIterator(this.#step, this.#stop);
  }

  #parserOf(): PartialParser<T> {
    if (this.#made !== undefined) return this.#made;
    const texts = this.#texts;
    const patterns = texts.patterns();
    this.#made = createPartialParser<T>({
      ...this.#parserOptions,
      ...(patterns.length === 0 ? {} : { text: pointers(...patterns), onText: (delta: string, pointer: string, done: boolean) => texts.route(delta, pointer, done) }),
      onDelta: (deltas) => {
        if (this.#collecting) for (const d of deltas) this.#pending.push(d);
      },
      onWarning: (warning) => {
        this.#warnings.push(warning);
        this.#onWarning?.(warning);
      },
    });
    return this.#made;
  }

  readonly #wake = (): void => {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const w = this.#waiting;
    this.#waiting = undefined;
    w?.();
  };

  #wait(ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.#stopped) return resolve(); // no timer may be set once the iteration has ended
      this.#waiting = resolve;
      if (ms !== undefined) this.#timer = setTimeout(this.#wake, ms);
    });
  }

  async #pump(r: SourceReader<string | Uint8Array>): Promise<void> {
    const parser = this.#parserOf();
    let index = 0;
    try {
      for (;;) {
        if (this.#pending.length > 0 && this.#unread >= this.#maxReadAhead) {
          await new Promise<void>((resolve) => {
            this.#room = resolve;
          });
          if (this.#stopped) return;
          continue;
        }
        const result = await r.next();
        if (this.#stopped) return;
        if (result.done === true) break;
        const chunk: unknown = result.value;
        checkChunk(chunk, this.#caller, index++);
        this.#unread += chunk.length;
        parser.write(chunk);
        if (this.#pending.length > 0) this.#wake();
      }
      const before = parser.pending;
      this.#final = parser.end();
      // Lenient mode closed a truncated text: the value still growing at the end was cut off.
      if (before.length > 0 && parser.warnings.some((w) => w.code === 'truncated')) this.#cutOff = before;
      this.#state = 'ended';
    } catch (error) {
      if (this.#stopped) return;
      this.#failure = error;
      this.#state = 'failed';
      // Cancel now, not when the updates throw: nobody may ever pull them (only a text stream is
      // read), and a silent source would be left open.
      r.cancel(error);
      this.#onFail?.(error);
    } finally {
      this.#wake();
      this.#texts.notify();
    }
  }

  /** Starts reading the source into the parser (once). */
  readonly #start = (): void => {
    if (this.#state !== 'idle') return;
    const signal = this.#signal;
    signal?.throwIfAborted();
    this.#state = 'reading';
    const r = (this.#reader = openSource(this.#source, signal));
    signal?.addEventListener('abort', this.#wake);
    signal?.addEventListener('abort', this.#notifyTexts);
    this.#parserOf();
    void this.#pump(r);
  };

  readonly #notifyTexts = (): void => {
    this.#texts.notify();
  };

  readonly #textStatus = (): TextSourceStatus => {
    const signal = this.#signal;
    if (signal?.aborted === true) return { settled: true, failed: true, error: abortReason(signal) };
    if (this.#state === 'failed') return { settled: true, failed: true, error: this.#failure };
    if (this.#state === 'ended' || this.#state === 'delivered' || this.#stopped) return { settled: true, failed: false };
    return { settled: false };
  };

  #take(done: boolean, value: DeepPartial<T> | T | undefined): PartialUpdate<T> {
    const deltas = this.#pending;
    this.#pending = [];
    const added = this.#warnings.length === 0 ? NO_WARNINGS : this.#warnings;
    if (this.#warnings.length > 0) this.#warnings = [];
    this.#unread = 0;
    this.#latest = value;
    this.#lastYield = now();
    const r = this.#room;
    this.#room = undefined;
    r?.();
    return done
      ? { value: value as T, deltas, warnings: added, complete: true, pending: this.#cutOff, done: true }
      : { value: value as DeepPartial<T> | undefined, deltas, warnings: added, complete: this.#made!.complete, path: this.#currentPath(), pending: (this.#shown = this.#currentPending()), done: false };
  }

  readonly #step = async (): Promise<IteratorResult<PartialUpdate<T>, void>> => {
    if (!this.#updatesStarted) {
      this.#updatesStarted = true;
      // Started by a text stream: the deltas so far were not kept; one add of the snapshot
      // stands for them.
      if (this.#made !== undefined) {
        const value = this.read();
        if (value !== undefined) this.#pending.push({ op: 'add', path: [], value });
      }
      this.#collecting = true;
    }
    this.#start();
    const signal = this.#signal;
    for (;;) {
      if (this.#stopped) return { done: true, value: undefined };
      // An abort ends the iteration at once, whatever is pending.
      if (signal?.aborted === true) throw abortReason(signal);
      if (this.#state === 'delivered') return { done: true, value: undefined };
      if (this.#state === 'ended') {
        const update = this.#take(true, this.#final);
        this.#state = 'delivered';
        return { done: false, value: update };
      }
      const failed = this.#state === 'failed';
      // Before an error, one last update with all it left unsent: the deltas, the warnings (also
      // of writes that changed nothing visible, or of a failing end()) and the parser's `pending`
      // at the error, so that the updates read the same for every chunking.
      if (this.#pending.length > 0 || (failed && (this.#warnings.length > 0 || this.#currentPending()[0] !== this.#shown?.[0]))) {
        // The changes before an error are delivered before it, at once.
        const delay = failed ? 0 : this.#lastYield + this.#throttleMs - now();
        if (delay <= 0) return { done: false, value: this.#take(false, this.read()) };
        await this.#wait(delay);
        continue;
      }
      if (failed) throw this.#failure;
      await this.#wait();
    }
  };

  readonly #stop = (): void => {
    this.#stopped = true;
    this.#wake();
    const r = this.#room;
    this.#room = undefined;
    r?.();
    const signal = this.#signal;
    signal?.removeEventListener('abort', this.#wake);
    signal?.removeEventListener('abort', this.#notifyTexts);
    this.#reader?.cancel(signal?.aborted === true ? abortReason(signal) : undefined);
    this.#texts.notify();
  };

  #currentPending(): readonly string[] {
    try {
      return this.#made?.pending ?? NO_PENDING;
    } catch {
      return NO_PENDING;
    }
  }

  #currentPath(): JsonPath | undefined {
    try {
      return this.#made?.path;
    } catch {
      return undefined;
    }
  }

  /** The snapshot; after a failure that left the parser unreadable, the last one handed out. */
  read(): DeepPartial<T> | T | undefined {
    if (this.#made === undefined) return undefined;
    try {
      return this.#made.value;
    } catch {
      return this.#latest;
    }
  }

  textStream(pointer: string): TextStream {
    if (this.#made !== undefined) {
      throw new TypeError(`${this.#caller}: textStream() called after the stream started reading; call it before iterating the updates or any text stream`);
    }
    return this.#texts.stream(pointer, {
      start: this.#start,
      status: this.#textStatus,
      released: () => {
        if (!this.#updatesStarted) void this.iterator.return(undefined);
      },
    });
  }
}

/**
 * Parses a JSON text streamed from `source` (text or UTF-8 byte chunks, an async iterable or a
 * `ReadableStream`) and yields updates of the partial value, then a last update with the final
 * value.
 *
 * Pacing: the source is read and parsed as fast as it arrives, also while the consumer is busy
 * with an update (up to `maxReadAhead`); each pull then gets one update holding the latest
 * snapshot and every delta since the previous update. So a slow consumer (a renderer) gets fewer,
 * larger updates, and the snapshot is built once per update, not once per chunk: cost per update
 * is O(depth + width of the containers that changed), never per write. A consumer that keeps up
 * gets an update per chunk that changed something. Replaying the deltas of every update, in
 * order, with `applyDelta` from `undefined` gives the final JSON value (before a schema's
 * transforms), also when the updates are cut short by an error: then they give the value the
 * parser holds (`stream.value`).
 *
 * When things go wrong:
 * - an error of the source, a {@link ParseError}, a `SchemaValidationError`, a throwing
 *   `onComplete`, or a chunk that is not text or bytes: what the updates have not carried yet
 *   (deltas, warnings, the parser's `pending` at the error) is delivered as an update first, so
 *   it reads the same for every chunking, then the next pull throws the error; the source is
 *   cancelled at once (a `ReadableStream` with the error as reason), whether or not anyone
 *   iterates the updates;
 * - `break` / `return()` (also while a pull is pending), or aborting `options.signal` (also while
 *   the source is silent): the source is cancelled at once (see {@link SourceOptions.signal})
 *   and the throttle timer is cleared; an abort makes the pending or next pull throw the signal's
 *   reason;
 * - nothing is thrown outside the consumer's calls (no timer or background read can throw), and
 *   no timer is left running once the iteration has ended;
 * - the latest snapshot stays readable as `stream.value`.
 *
 * @example
 * ```ts
 * const response = await fetch(url, { signal });
 * for await (const { value, done } of parseStream(response.body!, { signal, throttleMs: 50 })) {
 *   render(value);
 * }
 * ```
 * @throws `TypeError` at once when `source` is not a stream (a `Response` rather than its body,
 *   a whole string, `null`), `RangeError` for a bad `throttleMs` / `maxReadAhead`. From the
 *   iteration: {@link ParseError}, `SchemaValidationError`, the source's own errors, a `TypeError`
 *   for a chunk that is neither text nor bytes, or the signal's abort reason.
 * @public
 */
export function parseStream<S extends SchemaLike>(
  source: StreamSource,
  options: ParseStreamOptions<SchemaOutput<S>> & { schema: S },
): PartialStream<SchemaOutput<S>, DeepPartial<SchemaInput<S>>>;
export function parseStream<T = unknown>(source: StreamSource, options?: ParseStreamOptions<T>): PartialStream<T>;
export function parseStream<T = unknown>(source: StreamSource, options: ParseStreamOptions<T> = {}): PartialStream<T> {
  return partialStream(source, options, 'parseStream()');
}

/** {@link parseStream}, its errors naming `caller` (`createPartialStore()` reads through it). @internal */
export function partialStream<T>(source: StreamSource, options: ParseStreamOptions<T>, caller: string): PartialStream<T> {
  checkSource(source, caller, 'for a whole text use parsePartial(text) or JSON.parse(text), or pass it as a stream: ReadableStream.from([text])');
  const { iterator, read, textStream } = partialUpdates(source, caller, options);
  Object.defineProperty(iterator, 'value', { get: read });
  Object.defineProperty(iterator, 'textStream', { value: textStream });
  return iterator as PartialStream<T>;
}

/**
 * A `TransformStream` from JSON text chunks (strings or UTF-8 bytes) to {@link PartialUpdate}s,
 * for `response.body.pipeThrough(new PartialJsonStream())`, with the pacing and guarantees of
 * {@link parseStream}: the written chunks are parsed as they come (up to `maxReadAhead` ahead of
 * the reader), and each read of the readable side gets one update with the latest snapshot and
 * every delta since the previous update; the last update carries the final value when the
 * input closes.
 *
 * When things go wrong: an error ({@link ParseError}, `SchemaValidationError`, a chunk of the
 * wrong type, the input aborted) errors the readable side after the update holding the changes
 * before it, and errors the writable side at once, also when only `textStream` is read (so a
 * `pipeThrough` cancels its source and a pending or later `write()` rejects); cancelling
 * the readable side (a client disconnect) errors the writable side and clears the throttle
 * timer. No timer or callback ever throws outside the stream. `value` keeps the latest snapshot
 * readable.
 *
 * `readable` and `writable` are the pair described here (own properties of the instance; the
 * `TransformStream` base is kept for `instanceof` and typing only).
 *
 * @example
 * ```ts
 * const updates = response.body!.pipeThrough(new PartialJsonStream({ throttleMs: 50 }));
 * for await (const update of updates) render(update.value);
 * ```
 * @throws `RangeError` for a bad `throttleMs` / `maxReadAhead`.
 * @public
 */
export class PartialJsonStream<T = unknown> extends TransformStream<string | Uint8Array, PartialUpdate<T>> {
  readonly #read: () => DeepPartial<T> | T | undefined;
  readonly #textStream: (pointer: string) => TextStream;

  constructor(options: Omit<ParseStreamOptions<T>, 'signal'> = {}) {
    super();
    const channel = writableChannel();
    const { iterator, read, textStream } = partialUpdates<T>(
      channel.chunks as AsyncIterable<string | Uint8Array>,
      'PartialJsonStream',
      options,
      channel.stop,
    );
    const readable = pullStream(iterator, channel.stop);
    Object.defineProperties(this, {
      readable: { value: readable, enumerable: true },
      writable: { value: channel.writable, enumerable: true },
    });
    this.#read = read;
    this.#textStream = textStream;
  }

  /**
   * The text of one string field as it streams (see {@link TextStream}); reading it pulls the
   * written chunks through the parser even when nobody reads `readable`.
   * @throws `TypeError` once the stream has started reading (call it before reading).
   */
  textStream(pointer: string): TextStream {
    return this.#textStream(pointer);
  }

  /** The latest snapshot, readable also after the stream errored. */
  get value(): DeepPartial<T> | undefined {
    return this.#read() as DeepPartial<T> | undefined;
  }
}
