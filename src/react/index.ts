/**
 * `streamshape/react`: React bindings. React is an optional peer dependency: only this entry
 * imports it.
 * @packageDocumentation
 */
import { useRef, useSyncExternalStore } from 'react';
import type { DeepPartial, SchemaInput, SchemaLike, SchemaOutput } from '../partial/schema-types.js';
import { checkStreamOptions, type ParseStreamOptions } from '../streams/parse-stream.js';
import type { StreamSource } from '../streams/source.js';
import {
  createPartialStore,
  type PartialSnapshot,
  type PartialStore,
  type PartialStoreOptions,
} from '../streams/store.js';

/**
 * Options of {@link usePartialJson}: those of `createPartialStore` (and so of `parseStream`):
 * `schema`, `guide`, `throttleMs`, `signal`, `maxReadAhead`, the parser's options, and
 * `stopWhenUnsubscribed`. Read once per source: changing them between renders has no effect
 * until `source` changes.
 * @public
 */
export type UsePartialJsonOptions<T = unknown> = PartialStoreOptions<T>;

/** What {@link usePartialJson} returns: the store's snapshot. @public */
export type PartialJsonState<T = unknown, P = DeepPartial<T>> = PartialSnapshot<T, P>;

const IDLE: PartialSnapshot<never, never> = Object.freeze({
  status: 'idle',
  value: undefined,
  done: false,
  error: undefined,
  pending: Object.freeze([]),
  warnings: Object.freeze([]),
});

const subscribeNothing = (): (() => void) => () => {};
const getIdle = (): PartialSnapshot<never, never> => IDLE;

/**
 * Renders a JSON text while it streams: `{ value, done, error, pending, status, warnings }`
 * from a `createPartialStore` over `source`, read with React's `useSyncExternalStore` (so
 * concurrent renders never tear: every component sees the same snapshot in one render).
 *
 * - Re-renders at most once per animation frame (or per `throttleMs`), however fast tokens
 *   arrive; the parser keeps reading while React renders. `value` keeps structural sharing, so
 *   `memo` children whose part did not change skip their render.
 * - `source`: a `ReadableStream` (`response.body`) or an async iterable of text or bytes, read
 *   once; pass `null` or `undefined` until there is one (the state is then `'idle'`). A new
 *   source starts a new store; the old one is cancelled when React drops its subscription.
 * - Errors (a `ParseError`, a `SchemaValidationError`, a cut connection, an abort) are returned
 *   as `error`, never thrown into the render. `done` is true only for a final value.
 * - `pending`: the JSON Pointer of the value still growing (the parser's `pending`, at most one):
 *   a field typing while `status` is `'streaming'`, cut off once the stream ended inside it
 *   (an error, a stop, or lenient mode closing a truncated text).
 * - Reading starts when the component mounts (the store's first subscriber) and is cancelled
 *   when it unmounts; React StrictMode's immediate re-mount keeps the same stream.
 * - Server rendering shows the `'idle'` state (nothing is read on the server).
 *
 * @example
 * ```tsx
 * function Recipe({ body }: { body: ReadableStream<Uint8Array> | null }) {
 *   const { value, done, error } = usePartialJson(body, { schema: RecipeSchema });
 *   if (error) return <p role="alert">{String(error)}</p>;
 *   return <article aria-busy={!done}><h1>{value?.title}</h1></article>;
 * }
 * ```
 * @throws `TypeError` during render when `source` is not a stream or a plug-in option is not
 *   one (`select: ['/a']` instead of `pointers('/a')`), `RangeError` for a bad `throttleMs` /
 *   `maxReadAhead` (programming errors, as `createPartialStore`). The options are checked at the
 *   first render even while `source` is `null`.
 * @public
 */
export function usePartialJson<S extends SchemaLike>(
  source: StreamSource | null | undefined,
  options: UsePartialJsonOptions<SchemaOutput<S>> & { schema: S },
): PartialJsonState<SchemaOutput<S>, DeepPartial<SchemaInput<S>>>;
export function usePartialJson<T = unknown>(
  source: StreamSource | null | undefined,
  options?: UsePartialJsonOptions<T>,
): PartialJsonState<T>;
export function usePartialJson<T = unknown>(
  source: StreamSource | null | undefined,
  options: UsePartialJsonOptions<T> = {},
): PartialJsonState<T> {
  // One store per source, made during render (cheap: it reads nothing until subscribed).
  const ref = useRef<{ source: StreamSource; store: PartialStore<T> } | null>(null);
  if (source !== null && source !== undefined && ref.current?.source !== source) {
    ref.current = { source, store: createPartialStore<T>(source, options) };
  } else if (ref.current === null) {
    // No source yet: check the options now, so that a bad one fails at the first render.
    checkStreamOptions('usePartialJson()', options as ParseStreamOptions<unknown>);
  }
  return usePartialStore(source === null || source === undefined ? undefined : ref.current!.store);
}

/**
 * Reads a store made with `createPartialStore` (shared by several components, or made outside
 * React) with `useSyncExternalStore`: every component reading the same store sees the same
 * snapshot in a render (no tearing), re-rendered at most once per animation frame. Pass `null`
 * or `undefined` for the `'idle'` state. The component's mount starts the store (its first
 * subscriber), and the store is stopped when its last reader unmounts (unless it was made with
 * `stopWhenUnsubscribed: false`).
 *
 * @example
 * ```tsx
 * const store = createPartialStore(body, { schema: Report });
 * function Title() { return <h1>{usePartialStore(store).value?.title}</h1>; }
 * function Progress() { return <progress hidden={usePartialStore(store).done} />; }
 * ```
 * @public
 */
export function usePartialStore<T = unknown, P = DeepPartial<T>>(store: PartialStore<T, P> | null | undefined): PartialJsonState<T, P> {
  return useSyncExternalStore(
    store?.subscribe ?? subscribeNothing,
    store?.getSnapshot ?? (getIdle as () => PartialSnapshot<T, P>),
    store?.getServerSnapshot ?? (getIdle as () => PartialSnapshot<T, P>),
  );
}
