/**
 * What the stream helpers read from: any async iterable of text or UTF-8 bytes (a Node stream, an
 * SDK's stream, an async generator), or a Web `ReadableStream` (for example `response.body`).
 * @public
 */
export type StreamSource = AsyncIterable<string | Uint8Array> | ReadableStream<string | Uint8Array>;

/** Options shared by the stream helpers. @public */
export interface SourceOptions {
  /**
   * Stops reading when aborted: the source is cancelled (`ReadableStream.cancel`, or the async
   * iterator's `return`), and the helper throws the signal's reason.
   */
  signal?: AbortSignal | undefined;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * Reads `source` chunk by chunk. Stopping the iteration early (break, return, throw) or an abort
 * of `signal` cancels the source, so nothing keeps reading or holding the connection.
 * @internal
 */
export async function* readSource(
  source: StreamSource,
  signal?: AbortSignal | undefined,
): AsyncGenerator<string | Uint8Array, void, undefined> {
  signal?.throwIfAborted();
  // One iterator shape for both kinds of source. A ReadableStream is read through its reader:
  // not every runtime makes ReadableStream async-iterable (Safari does not).
  let iterator: { next(): Promise<IteratorResult<string | Uint8Array, unknown>>; cancel(reason?: unknown): Promise<unknown> };
  let release = (): void => {};
  if (typeof (source as ReadableStream).getReader === 'function' && !(Symbol.asyncIterator in source)) {
    const reader = (source as ReadableStream<string | Uint8Array>).getReader();
    iterator = { next: () => reader.read(), cancel: (reason) => reader.cancel(reason) };
    release = () => reader.releaseLock();
  } else {
    const it = (source as AsyncIterable<string | Uint8Array>)[Symbol.asyncIterator]();
    iterator = { next: () => it.next(), cancel: async () => it.return?.() };
  }
  const onAbort = () => void iterator.cancel(abortReason(signal!)).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await iterator.next();
      signal?.throwIfAborted();
      if (done) {
        finished = true;
        return;
      }
      yield value as string | Uint8Array;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished) await iterator.cancel().catch(() => {});
    release();
  }
}
