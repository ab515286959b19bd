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
  if (typeof (source as ReadableStream).getReader === 'function' && !(Symbol.asyncIterator in source)) {
    const reader = (source as ReadableStream<string | Uint8Array>).getReader();
    const onAbort = () => void reader.cancel(abortReason(signal!)).catch(() => {});
    signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        signal?.throwIfAborted();
        if (done) {
          finished = true;
          return;
        }
        yield value;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!finished) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  const iterator = (source as AsyncIterable<string | Uint8Array>)[Symbol.asyncIterator]();
  let finished = false;
  const onAbort = () => void iterator.return?.().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await iterator.next();
      signal?.throwIfAborted();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished) await iterator.return?.();
  }
}
