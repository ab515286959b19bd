import type { DeepPartial, SchemaInput, SchemaLike, SchemaOutput } from '../partial/schema-types.js';
import { partialStream, type ParseStreamOptions, type PartialStream, type PartialUpdate } from './parse-stream.js';
import type { StreamSource } from './source.js';

/**
 * A repair the parser reported (lenient mode), as a store snapshot lists it: the shape of the
 * tokenizer's `ParseWarning`.
 * @public
 */
export interface PartialStoreWarning {
  /** What was repaired, e.g. `'trailing-comma'`. */
  code: string;
  /** A sentence saying what was found and what was done. */
  message: string;
  /** 0-based offset of the repaired text, in UTF-16 code units of the decoded stream. */
  position: number;
  /** 1-based line of `position`. */
  line: number;
  /** 1-based column of `position`. */
  column: number;
}

/**
 * What a {@link PartialStore} holds at one moment. Immutable: a store hands out a new snapshot
 * object only when something in it changed, and `value` keeps the parser's structural sharing
 * (unchanged subtrees keep their identity from one snapshot to the next).
 *
 * `T` is the final value's type, `P` the partial values' (with a schema: the deep partial of
 * its input).
 * @public
 */
export interface PartialSnapshot<T = unknown, P = DeepPartial<T>> {
  /**
   * Where the store is:
   * - `'idle'`: not started (no subscriber yet, `start()` not called); also what the server renders;
   * - `'streaming'`: reading the source;
   * - `'done'`: the source ended and `value` is final (with a schema: its full parse);
   * - `'error'`: the stream failed: `error` says why, `value` is the last partial value;
   * - `'stopped'`: stopped before its end by `stop()` or by its last subscriber leaving (not an error).
   */
  readonly status: 'idle' | 'streaming' | 'done' | 'error' | 'stopped';
  /** The latest partial value (`undefined` before the first value appears), or the final value once `done`. */
  readonly value: P | T | undefined;
  /** True once the value is final (`status === 'done'`). */
  readonly done: boolean;
  /**
   * Why the stream failed (`status === 'error'`): a `ParseError`, a `SchemaValidationError`, the
   * source's own error (a cut connection), or the abort reason of `options.signal`; else `undefined`.
   */
  readonly error: unknown;
  /**
   * JSON Pointers (RFC 6901, snapshot indices) of the values `value` shows that are still
   * growing: the open string (`['/files/0/content']` while that string streams) or, with
   * `partialNumbers`, the growing number. The same concept as the parser's `pending`, taken
   * with each update: at most one entry, `[]` when nothing grows (between values, or while a
   * string a schema keeps whole is still open) and once the value is `done`. After an error it
   * is the parser's `pending` at the error, the same for every chunking: the value the error cut
   * off (a string broken by a bad escape), `[]` when the error came after a value ended
   * (`{"a":12x`: the `12` ended at `x`). After a stop it keeps the entry the stream left
   * unfinished, and a `done` snapshot keeps the value lenient mode cut off when it closed a
   * truncated text (a `truncated` warning).
   * @example a field typing, or cut off: `pending.includes('/content') ? (status === 'streaming' ? 'typing' : 'cut') : undefined`
   */
  readonly pending: readonly string[];
  /**
   * The repairs reported so far (lenient mode), in stream order; empty when none. After an error,
   * every repair the parser reported, also those of a failing `end()`.
   */
  readonly warnings: readonly PartialStoreWarning[];
}

/** Options of {@link createPartialStore}: {@link parseStream}'s, passed on to it unchanged. @public */
export interface PartialStoreOptions<T = unknown> extends ParseStreamOptions<T> {
  /**
   * Stop (cancel the source) when the last subscriber unsubscribes. The check runs one
   * macrotask later, so a subscriber that comes straight back (React StrictMode mounts,
   * unmounts and remounts every effect in one go) keeps the stream running.
   * @defaultValue `true`
   */
  stopWhenUnsubscribed?: boolean | undefined;
}

/**
 * A subscribable store over one streamed JSON text, shaped for React's `useSyncExternalStore`
 * and for every framework that can subscribe to a callback (Vue, Svelte, Solid, Angular signals…).
 * @public
 */
export interface PartialStore<T = unknown, P = DeepPartial<T>> {
  /**
   * Adds `listener`, called with no arguments after each new snapshot (at most once per
   * animation frame or `throttleMs` window), and starts the store if it has not started. Returns
   * the function that removes it (idempotent). A listener that throws does not stop the store
   * or the other listeners: its error is rethrown in a microtask (reported like an event
   * listener's).
   */
  subscribe(listener: () => void): () => void;
  /** The current snapshot: the same object until something changed. */
  getSnapshot(): PartialSnapshot<T, P>;
  /**
   * The snapshot to render on the server and to hydrate against: always the `'idle'` one (a
   * store never reads its source during server rendering, since nobody subscribes there).
   */
  getServerSnapshot(): PartialSnapshot<T, P>;
  /** Starts reading the source now, without waiting for a subscriber. Idempotent. */
  start(): void;
  /**
   * Stops reading: cancels the source and clears the pending frame; the snapshot becomes
   * `'stopped'` unless the stream had already ended. Idempotent; a stopped store never starts again.
   */
  stop(): void;
}

type Frame = { cancel(): void };

/**
 * Waits for the next animation frame (`requestAnimationFrame`, when the platform has it and the
 * page is not hidden), else a macrotask: between two published snapshots there is always at least
 * one frame boundary. A hidden page gets no frames, so it is paced by timers (which browsers
 * slow down in background tabs) and still reaches its final snapshot; a frame requested just
 * before the page was hidden waits until it shows again (the parser keeps reading meanwhile, up
 * to `maxReadAhead`).
 */
function nextFrame(callback: () => void): Frame {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
  const caf = (globalThis as { cancelAnimationFrame?: (handle: number) => void }).cancelAnimationFrame;
  const hidden = (globalThis as { document?: { visibilityState?: string } }).document?.visibilityState === 'hidden';
  if (typeof raf === 'function' && !hidden) {
    const handle = raf(callback);
    return { cancel: () => caf?.(handle) };
  }
  const handle = setTimeout(callback, 0);
  return { cancel: () => clearTimeout(handle) };
}

const NONE: readonly never[] = Object.freeze([]);

function snapshot<S extends PartialSnapshot<unknown, unknown>>(fields: S): S {
  return Object.freeze(fields);
}

function report(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * Creates a store over a streamed JSON text for UI frameworks: `subscribe`, `getSnapshot` and
 * `getServerSnapshot` follow React's `useSyncExternalStore` contract (the same snapshot object
 * until something changed), and any framework can subscribe to it.
 *
 * Built on {@link parseStream} (every option is passed on to it: `schema`, `guide`, `signal`,
 * `throttleMs`, `maxReadAhead`, and the parser's): the source is read and parsed as it arrives,
 * also while the page is busy rendering, and the store takes one update per animation frame
 * (`requestAnimationFrame`; a macrotask where there is none, as on a server or in a test) or
 * per `throttleMs` window when that is longer. So listeners are called at most once per frame,
 * however fast tokens arrive, and each snapshot holds every change since the previous one.
 *
 * Lifecycle: nothing is read until the first `subscribe` (or `start()`), so creating a store
 * during a render, or on the server, costs nothing. The store reads its source once: when it
 * ends (`done`, `error`) or is stopped, it stays on its last snapshot; make a new store for a
 * new request. With `stopWhenUnsubscribed` (the default), the source is cancelled when the last
 * subscriber has left for a macrotask (a component unmounted for good, not React StrictMode's
 * immediate re-subscribe). Aborting `options.signal` ends it with the abort reason as `error`.
 * Once it has ended, no timer or frame request is left and nothing is thrown.
 *
 * @example
 * ```ts
 * const store = createPartialStore(response.body!, { schema: Recipe });
 * const unsubscribe = store.subscribe(() => render(store.getSnapshot()));
 * ```
 * @throws `TypeError` at once when `source` is not a stream, `RangeError` for a bad
 *   `throttleMs` / `maxReadAhead` (as {@link parseStream}). Stream errors are never thrown:
 *   they arrive as the snapshot's `error`.
 * @public
 */
export function createPartialStore<S extends SchemaLike>(
  source: StreamSource,
  options: PartialStoreOptions<SchemaOutput<S>> & { schema: S },
): PartialStore<SchemaOutput<S>, DeepPartial<SchemaInput<S>>>;
export function createPartialStore<T = unknown>(source: StreamSource, options?: PartialStoreOptions<T>): PartialStore<T>;
export function createPartialStore<T = unknown>(source: StreamSource, options: PartialStoreOptions<T> = {}): PartialStore<T> {
  const { stopWhenUnsubscribed = true, ...streamOptions } = options;
  // Validates the source and the options at once; reads nothing before the first next().
  const stream: PartialStream<T> = partialStream<T>(source, streamOptions, 'createPartialStore()');
  type Snap = PartialSnapshot<T>;
  const idle: Snap = snapshot<Snap>({ status: 'idle', value: undefined, done: false, error: undefined, pending: NONE, warnings: NONE });
  let current: Snap = idle;
  const listeners = new Set<() => void>();
  let state: 'idle' | 'running' | 'ended' = 'idle';
  let frame: Frame | undefined;
  let leaveCheck: ReturnType<typeof setTimeout> | undefined;
  let warnings: readonly PartialStoreWarning[] = NONE;

  function publish(next: Snap): void {
    current = next;
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        report(error);
      }
    }
  }

  function end(): void {
    state = 'ended';
    frame?.cancel();
    frame = undefined;
    if (leaveCheck !== undefined) clearTimeout(leaveCheck);
    leaveCheck = undefined;
  }

  function apply(update: PartialUpdate<T>): void {
    const added = (update as { warnings?: readonly PartialStoreWarning[] }).warnings;
    if (added !== undefined && added.length > 0) warnings = Object.freeze([...warnings, ...added]);
    const pending = update.pending.length === 0 ? NONE : update.pending;
    if (update.done) {
      publish(snapshot<Snap>({ status: 'done', value: update.value, done: true, error: undefined, pending, warnings }));
      return;
    }
    const same =
      update.value === current.value &&
      current.status === 'streaming' &&
      current.warnings === warnings &&
      // At most one entry; compared by it, since `['']` (the root) and `[]` join alike.
      pending[0] === current.pending[0];
    if (!same) publish(snapshot<Snap>({ status: 'streaming', value: update.value, done: false, error: undefined, pending, warnings }));
  }

  function pull(): void {
    void stream.next().then(
      (result) => {
        if (state === 'ended') return;
        if (result.done === true) {
          // The iteration ended without a final update: only after stop(), handled there.
          end();
          return;
        }
        apply(result.value);
        if (result.value.done) {
          end();
          return;
        }
        // At least one frame boundary before the next update: the parser keeps reading meanwhile.
        frame = nextFrame(() => {
          frame = undefined;
          if (state === 'running') pull();
        });
      },
      (error: unknown) => {
        if (state === 'ended') return;
        end();
        publish(snapshot<Snap>({ status: 'error', value: current.value, done: false, error, pending: current.pending, warnings }));
      },
    ).catch(report); // nothing above throws (listeners are guarded); never an unhandled rejection
  }

  function start(): void {
    if (state !== 'idle') return;
    state = 'running';
    publish(snapshot<Snap>({ ...current, status: 'streaming' }));
    pull();
  }

  function stop(): void {
    if (state === 'ended') return;
    const wasRunning = state === 'running';
    end();
    void stream.return().catch(() => {});
    if (wasRunning || current.status === 'idle') publish(snapshot<Snap>({ ...current, status: 'stopped' }));
  }

  return {
    subscribe(listener) {
      const entry = (): void => listener();
      listeners.add(entry);
      if (leaveCheck !== undefined) {
        clearTimeout(leaveCheck);
        leaveCheck = undefined;
      }
      start();
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        listeners.delete(entry);
        if (listeners.size === 0 && stopWhenUnsubscribed && state === 'running' && leaveCheck === undefined) {
          leaveCheck = setTimeout(() => {
            leaveCheck = undefined;
            if (listeners.size === 0) stop();
          }, 0);
        }
      };
    },
    getSnapshot: () => current,
    getServerSnapshot: () => idle,
    start,
    stop,
  };
}
