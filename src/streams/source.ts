/**
 * What the stream helpers read from: any async iterable of text or UTF-8 bytes (a Node stream, an
 * SDK's stream, an async generator), or a Web `ReadableStream` (for example `response.body`).
 * @public
 */
export type StreamSource = AsyncIterable<string | Uint8Array> | ReadableStream<string | Uint8Array>;

/** Options shared by the stream helpers. @public */
export interface SourceOptions {
  /**
   * Stops reading when aborted, at once, also while a read of the source is pending (a model
   * that went quiet): the source is cancelled (`ReadableStream` reader's `cancel(reason)`, or
   * the async iterator's `return()`, called without waiting for the pending read), and the
   * iteration throws the signal's reason (an `AbortError` `DOMException` by default).
   */
  signal?: AbortSignal | undefined;
}

const noop = (): void => {};

/** The reason an aborted signal reports. @internal */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** A short description of a value for a misuse message: `a string`, `a Response`, `null`. @internal */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object' && typeof value !== 'function') return `a ${typeof value}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name === 'string' && name !== '' && name !== 'Object') return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
  return Array.isArray(value) ? 'an array' : 'an object';
}

function isResponseLike(value: object): boolean {
  return 'body' in value && ('status' in value || 'headers' in value) && typeof (value as { text?: unknown }).text === 'function';
}

/**
 * Throws a `TypeError` that says what was passed and what to pass instead when `source` is not a
 * stream of chunks (a `Response` instead of its body, a whole string, `null`…).
 * @param caller - the function's name as the user wrote it, e.g. `'parseStream()'`.
 * @param forText - what to do instead with a whole text or byte array.
 * @internal
 */
export function checkSource(source: unknown, caller: string, forText: string): void {
  const kind = describeValue(source);
  const expected = 'pass a ReadableStream or an AsyncIterable<string | Uint8Array>';
  if (typeof source === 'string' || source instanceof Uint8Array || source instanceof ArrayBuffer) {
    throw new TypeError(`${caller} reads a stream of chunks, got ${kind}; ${forText}`);
  }
  if (typeof source !== 'object' || source === null) {
    const hint = source === null ? ' (a fetch Response without a body has `body: null`)' : '';
    throw new TypeError(`${caller} got ${kind}${hint}; ${expected}`);
  }
  if (typeof (source as ReadableStream).getReader === 'function' || Symbol.asyncIterator in source) return;
  if (isResponseLike(source)) {
    throw new TypeError(`${caller} got a fetch Response, not its body; pass \`response.body\` (after checking \`response.ok\`)`);
  }
  throw new TypeError(`${caller} got ${kind}, which is not async iterable; ${expected}`);
}

/**
 * Throws a `TypeError` for a chunk that is neither text nor bytes, naming the chunk and the fix.
 * @internal
 */
export function checkChunk(chunk: unknown, caller: string, index: number): asserts chunk is string | Uint8Array {
  if (typeof chunk === 'string' || chunk instanceof Uint8Array) return;
  let hint = 'decode or stringify it first';
  if (chunk instanceof ArrayBuffer) hint = 'wrap it: `new Uint8Array(buffer)`';
  else if (typeof chunk === 'object' && chunk !== null && ('choices' in chunk || 'type' in chunk || 'candidates' in chunk)) {
    hint = "it looks like a provider SDK's event: pass the text it carries, or use a provider adapter (fromOpenAIChatCompletions…) with assembleToolCalls";
  }
  throw new TypeError(`${caller}: chunk ${index} of the source is ${describeValue(chunk)}, not a string or a Uint8Array; ${hint}`);
}

/**
 * A pull reader over a source, made for prompt cancellation: `next()` rejects with the abort
 * reason as soon as the signal aborts, and `cancel()` never waits behind a pending read.
 * @internal
 */
export interface SourceReader<T> {
  /** The next item; rejects with the signal's reason as soon as it aborts (the source is then cancelled). */
  next(): Promise<IteratorResult<T, unknown>>;
  /**
   * Cancels the source unless it has ended: a `ReadableStream` reader's `cancel(reason)`, an
   * iterator's `return()`. Fire and forget: called while a read is pending it does not wait for
   * it, and any rejection is swallowed (there is nobody left to report it to). Idempotent.
   */
  cancel(reason?: unknown): void;
}

/**
 * Opens `source` (a `ReadableStream`, an async iterable, or a sync iterable) for pulling. A
 * `ReadableStream` is read through its reader even when it is async iterable: its iterator's
 * `return()` would wait behind a pending read, the reader's `cancel()` does not (and not every
 * runtime makes it async iterable).
 * @internal
 */
export function openSource<T>(
  source: ReadableStream<T> | AsyncIterable<T> | Iterable<T>,
  signal?: AbortSignal | undefined,
): SourceReader<T> {
  let read: () => PromiseLike<IteratorResult<T, unknown>> | IteratorResult<T, unknown>;
  let stop: (reason: unknown) => void;
  let ended: () => void = noop; // the source ended on its own
  if (typeof (source as ReadableStream<T>).getReader === 'function') {
    const reader = (source as ReadableStream<T>).getReader();
    read = () => reader.read() as Promise<IteratorResult<T, unknown>>;
    const release = () => {
      try {
        reader.releaseLock();
      } catch {
        // A runtime that refuses while a read is pending: the stream is cancelled anyway.
      }
    };
    stop = (reason) => void reader.cancel(reason).then(release, release);
    // Unlocked once read to its end, so the caller may still cancel or read it (`finally { body.cancel() }`).
    ended = release;
  } else {
    const iterator =
      Symbol.asyncIterator in (source as object)
        ? (source as AsyncIterable<T>)[Symbol.asyncIterator]()
        : (source as Iterable<T>)[Symbol.iterator]();
    read = () => iterator.next();
    stop = () => {
      // An async generator queues return() behind its pending next(): not awaited, so a source
      // that never answers again cannot hold the caller.
      const result = iterator.return?.();
      if (result !== undefined) void Promise.resolve(result).then(noop, noop);
    };
  }
  let closed = false;
  let rejectAborted: (reason: unknown) => void = noop;
  const aborted =
    signal === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          rejectAborted = reject;
        });
  aborted?.catch(noop); // observed by the races below; never an unhandled rejection
  const onAbort = (): void => {
    const reason = abortReason(signal!);
    rejectAborted(reason);
    cancel(reason);
  };
  function cancel(reason?: unknown): void {
    if (closed) return;
    closed = true;
    signal?.removeEventListener('abort', onAbort);
    try {
      stop(reason);
    } catch {
      // A source whose return() throws synchronously: it is being dropped anyway.
    }
  }
  if (signal !== undefined) {
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  function settle(result: IteratorResult<T, unknown>): IteratorResult<T, unknown> {
    if (typeof result !== 'object' || result === null) {
      throw new TypeError(`the source's iterator returned ${describeValue(result)} from next(), not an iterator result`);
    }
    if (result.done === true && !closed) {
      closed = true; // ended on its own: nothing to cancel
      signal?.removeEventListener('abort', onAbort);
      ended();
    }
    return result;
  }
  return {
    next() {
      if (aborted !== undefined && signal!.aborted) return aborted;
      if (closed) return Promise.resolve({ done: true, value: undefined });
      let pending: Promise<IteratorResult<T, unknown>>;
      try {
        pending = Promise.resolve(read()).then(settle);
      } catch (error) {
        pending = Promise.reject(error);
      }
      return aborted === undefined ? pending : Promise.race([pending, aborted]);
    },
    cancel,
  };
}

/**
 * The items a synchronous push core produces from `source`, one per pull, in order: a source item
 * is read only when every item the previous one produced has been taken (backpressure), and the
 * items produced before a failure (of the source, or thrown by `write` / `end`) are delivered
 * before it is thrown. `start(emit)` makes the core; its callbacks hand items to `emit`. Stopping
 * (`return()`, `throw()`, the signal) cancels the source at once; see {@link stoppableIterator}.
 * Shared by `parseJsonl` / `JsonlStream` and `assembleToolCalls`.
 * @internal
 */
export function pushedItems<In, Out>(
  source: ReadableStream<In> | AsyncIterable<In> | Iterable<In>,
  signal: AbortSignal | undefined,
  start: (emit: (item: Out) => void) => { write(item: In): void; end(): void },
): AsyncGenerator<Out, void, undefined> {
  let queue: Out[] = [];
  let head = 0;
  const core = start((item) => queue.push(item));
  let reader: SourceReader<In> | undefined;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  async function step(): Promise<IteratorResult<Out, void>> {
    for (;;) {
      if (stopped) return { done: true, value: undefined };
      if (head < queue.length) {
        const item = queue[head++]!;
        if (head === queue.length) {
          queue = []; // drop the taken items rather than hold them until the queue empties
          head = 0;
        }
        return { done: false, value: item };
      }
      if (failure !== undefined) throw failure.error;
      if (ended) return { done: true, value: undefined };
      if (reader === undefined) {
        signal?.throwIfAborted();
        reader = openSource(source, signal);
      }
      const result = await reader.next();
      if (stopped) return { done: true, value: undefined };
      try {
        if (result.done === true) {
          ended = true;
          core.end();
        } else {
          core.write(result.value);
        }
      } catch (error) {
        // What the item produced before its failure comes first.
        failure = { error };
        reader.cancel();
      }
    }
  }
  return stoppableIterator(step, () => {
    stopped = true;
    reader?.cancel(signal?.aborted === true ? abortReason(signal) : undefined);
  });
}

/**
 * An `AsyncGenerator` driven by `step`, whose `return()` and `throw()` take effect at once, also
 * while a `next()` is pending (a native async generator queues them behind it, so a consumer
 * that stops while the source is silent would wait for the source). `stop` runs once, when the
 * iteration ends for any reason (done, error, return, throw): it releases timers and cancels the
 * source. `next()` calls are served in order.
 * @internal
 */
export function stoppableIterator<T>(
  step: () => Promise<IteratorResult<T, void>>,
  stop: () => void,
): AsyncGenerator<T, void, undefined> {
  let finished = false;
  let tail: Promise<unknown> = Promise.resolve();
  let resolveStopped: (result: IteratorResult<T, void>) => void = noop;
  const stopped = new Promise<IteratorResult<T, void>>((resolve) => {
    resolveStopped = resolve;
  });
  const DONE: IteratorResult<T, void> = { done: true, value: undefined };
  function finish(): void {
    if (finished) return;
    finished = true;
    resolveStopped(DONE);
    stop();
  }
  async function run(): Promise<IteratorResult<T, void>> {
    if (finished) return DONE;
    try {
      const result = await Promise.race([step(), stopped]);
      if (result.done === true) finish();
      return finished && result.done !== true ? DONE : result;
    } catch (error) {
      if (finished) return DONE;
      finish();
      throw error;
    }
  }
  const iterator = {
    next(): Promise<IteratorResult<T, void>> {
      const result = tail.then(run, run);
      tail = result;
      return result;
    },
    async return(): Promise<IteratorResult<T, void>> {
      finish();
      return DONE;
    },
    async throw(error: unknown): Promise<IteratorResult<T, void>> {
      finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  } as AsyncGenerator<T, void, undefined>;
  const dispose = (Symbol as { asyncDispose?: symbol }).asyncDispose;
  if (typeof dispose === 'symbol') {
    Object.defineProperty(iterator, dispose, { value: () => iterator.return(undefined).then(noop), configurable: true });
  }
  return iterator;
}

/**
 * The writable half of a stream pair whose readable half is produced by pulling an async
 * iterable: `writable` takes chunks, `chunks` yields them to whoever pulls. A chunk's write
 * resolves when it is pulled (backpressure), closing the writable ends `chunks`, aborting it
 * makes `chunks` throw the reason. `stop(reason)` (the readable half was cancelled or failed)
 * errors the writable, so a `pipeTo` into it cancels its source.
 * @internal
 */
export function writableChannel(): {
  writable: WritableStream<unknown>;
  chunks: AsyncIterable<unknown>;
  stop(reason: unknown): void;
} {
  type Waiter = { resolve: (result: IteratorResult<unknown, undefined>) => void; reject: (error: unknown) => void };
  let controller: WritableStreamDefaultController | undefined;
  let puller: Waiter | undefined;
  let offered: { chunk: unknown; taken: () => void; refused: (error: unknown) => void } | undefined;
  let ended: { error?: unknown; failed: boolean } | undefined;
  let stoppedReason: { reason: unknown } | undefined;

  const writable = new WritableStream<unknown>({
    start(c) {
      controller = c;
    },
    write(chunk) {
      if (stoppedReason !== undefined) return Promise.reject(stoppedReason.reason);
      if (puller !== undefined) {
        const p = puller;
        puller = undefined;
        p.resolve({ done: false, value: chunk });
        return undefined;
      }
      return new Promise<void>((taken, refused) => {
        offered = { chunk, taken, refused };
      });
    },
    close() {
      ended = { failed: false };
      puller?.resolve({ done: true, value: undefined });
      puller = undefined;
    },
    abort(reason) {
      ended = { failed: true, error: reason };
      puller?.reject(reason);
      puller = undefined;
    },
  });

  const iterator: AsyncIterator<unknown, undefined> = {
    next() {
      if (offered !== undefined) {
        const o = offered;
        offered = undefined;
        o.taken();
        return Promise.resolve({ done: false, value: o.chunk });
      }
      if (ended !== undefined) return ended.failed ? Promise.reject(ended.error) : Promise.resolve({ done: true, value: undefined });
      if (stoppedReason !== undefined) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve, reject) => {
        puller = { resolve, reject };
      });
    },
    return() {
      return Promise.resolve({ done: true, value: undefined });
    },
  };

  return {
    writable,
    chunks: { [Symbol.asyncIterator]: () => iterator },
    stop(reason) {
      if (stoppedReason !== undefined) return;
      stoppedReason = { reason };
      offered?.refused(reason);
      offered = undefined;
      puller?.resolve({ done: true, value: undefined });
      puller = undefined;
      if (ended === undefined) controller?.error(reason);
    },
  };
}

/**
 * A readable stream that pulls `iterator` once per read (`highWaterMark: 0`: nothing is read
 * ahead of the consumer by the stream itself), errors with what `next()` throws, and on cancel
 * returns the iterator (at once: see {@link stoppableIterator}). `onStop` runs when the stream
 * ends for any reason.
 * @internal
 */
export function pullStream<T>(iterator: AsyncIterator<T, unknown>, onStop: (reason: unknown) => void): ReadableStream<T> {
  let closed = false;
  const end = (reason: unknown): void => {
    if (closed) return;
    closed = true;
    onStop(reason);
  };
  return new ReadableStream<T>(
    {
      async pull(controller) {
        let result: IteratorResult<T, unknown>;
        try {
          result = await iterator.next();
        } catch (error) {
          if (closed) return;
          end(error);
          controller.error(error);
          return;
        }
        if (closed) return;
        if (result.done === true) {
          end(undefined);
          controller.close();
        } else controller.enqueue(result.value);
      },
      cancel(reason) {
        end(reason ?? new DOMException('The stream was cancelled.', 'AbortError'));
        void Promise.resolve(iterator.return?.()).then(noop, noop);
      },
    },
    { highWaterMark: 0 },
  );
}
