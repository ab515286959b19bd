import { ParseError } from '../json/errors.js';
import { createTokenizer, type TokenHandler, type Tokenizer } from '../json/tokenizer.js';
import type { Delta } from './delta.js';
import type { JsonPath } from '../json/json-pointer.js';
import { SchemaValidationError } from '../schema/errors.js';
import { createSchemaGuide, type ValueGuide } from '../schema/guide.js';
import type { DeepPartial, SchemaInput, SchemaLike, SchemaOutput } from '../schema/types.js';

type Container = Record<string, unknown> | unknown[];
type Key = string | number;

/**
 * Options of {@link createPartialParser}. `T` is the final value's type; `P` the partial
 * values' (with a schema: the deep partial of the schema's input, since transforms apply only
 * to the final value).
 * @public
 */
export interface PartialParserOptions<T = unknown, P = DeepPartial<T>> {
  /**
   * Validates the value against a schema while it streams. With a zod v4 schema: each subtree is
   * validated once, when it closes; a partial value that can never become valid fails at once
   * (an early {@link SchemaValidationError}); enum, literal and format-checked strings appear only
   * once complete and valid; `end()` returns the schema's full parse (defaults, transforms,
   * refinements). Any other Standard Schema validator is used for the final value only.
   * Snapshots hold the JSON as parsed, so they are typed from the schema's input
   * (`DeepPartial<z.input<S>>`) and `end()` from its output. An early failure has the same
   * issues and position for every chunking, and leaves in `value` only what the text before
   * that position says (see `SchemaValidationError.position`).
   */
  schema?: SchemaLike | undefined;
  /**
   * Called at most once per `write`, after `onComplete` and `onDelta`, with the new snapshot,
   * when the write changed something visible (never for whitespace or half a key). Also called
   * by `end()` when it completes a trailing top-level number. If it throws, `write` rethrows and
   * the parser refuses further input.
   */
  onPartial?: ((value: P) => void) | undefined;
  /**
   * Called at most once per `write`, after every `onComplete` of that write and before
   * `onPartial`, with the changes of the write in document order (see {@link Delta}); never with
   * an empty list. Replaying every delta with `applyDelta` from `undefined` gives the final value.
   * Each delta costs O(1) to make, at any depth (see {@link Delta}). If it throws, `write`
   * rethrows, `onPartial` is not called, and the parser refuses further input.
   */
  onDelta?: ((deltas: Delta[]) => void) | undefined;
  /**
   * Called once per value when it is complete, innermost first (a string at its closing quote, a
   * number at the character after it, an array or object at its close), during the `write` that
   * completes it, with the value and its path (a fresh array). The sequence of calls is the same
   * however the text is chunked. Setting it makes the parser build every value itself (no
   * native fast path), and each call's path costs O(depth) to build, so leave it unset when you
   * do not need it. If it throws, `write` rethrows and the parser refuses further input.
   */
  onComplete?: ((value: unknown, path: JsonPath) => void) | undefined;
  /**
   * Most arrays and objects open at once; one more is a `max-depth-exceeded` {@link ParseError}
   * at its `[` or `{`, with everything before it kept in `value`.
   *
   * Why a limit by default, although no recursion is used: deltas cost O(1) each at any depth,
   * but a snapshot read copies every open container (O(depth) per read), `onComplete` and the
   * schema guide hand out paths (O(depth) per value), and consumers downstream recurse
   * (`JSON.stringify`, `structuredClone`, UI trees overflow the stack near 10,000 levels). Text
   * from a model is untrusted input: 60 KB of `[` read after every write would cost seconds.
   * 128 bounds that work to a small constant per character and is far deeper than model output
   * needs (structured-output APIs cap schemas at about 10 levels); it is serde_json's default.
   * Pass `Infinity` for trusted deep documents (like `JSON.parse`, limited only by memory).
   * @defaultValue 128
   */
  maxDepth?: number | undefined;
  /**
   * Longest string or key, in UTF-16 code units; longer is a `max-string-length-exceeded` {@link ParseError}.
   * @defaultValue `Infinity`
   */
  maxStringLength?: number | undefined;
}


/**
 * An incremental JSON parser that keeps a partial value while the text arrives. Made by
 * {@link createPartialParser}.
 * @public
 */
export interface PartialParser<T = unknown, P = DeepPartial<T>> {
  /**
   * Feeds the next chunk of the JSON text: a string, or UTF-8 bytes (decoded by one streaming
   * fatal `TextDecoder`, so characters split between chunks are fine). Fires `onComplete` for
   * each value the chunk completes, then `onDelta` and `onPartial` once if anything visible changed.
   * @throws {@link ParseError} at the first character after which no valid JSON text can follow;
   *   everything before it stays in `value` (and was reported to the callbacks). The parser then
   *   refuses further input.
   * @throws whatever `onComplete`, `onDelta` or `onPartial` throws: the parser then refuses
   *   further input too (the rest of the chunk is not parsed, and no further callback runs), so
   *   a failed callback never leaves a value with a hole in it.
   * @throws `TypeError` after `end()`, after an error, or for a chunk that is neither string nor bytes.
   */
  write(chunk: string | Uint8Array): void;
  /**
   * Ends the input and returns the final value (equal to `JSON.parse` of the whole text).
   * @throws {@link ParseError} with code `unexpected-end` when the text is incomplete.
   */
  end(): T;
  /**
   * The current snapshot, or `undefined` before the first value appears. Immutable with
   * structural sharing: after a write that changed something, this is a new object along the
   * changed path only, and every unchanged subtree keeps its identity. The parser never mutates
   * an object it has handed out. Built lazily when read, at a cost of the width of the open
   * containers on the changed path.
   */
  readonly value: P | undefined;
  /** True when the text so far is a complete JSON text (a trailing top-level number is complete only at `end()`). */
  readonly complete: boolean;
  /** True once `end()` has returned. */
  readonly done: boolean;
  /**
   * Path of the value being written now (the innermost open string, container or pending
   * property), for "typing" indicators; `undefined` before the text starts and once it is complete.
   */
  readonly path: JsonPath | undefined;
  /** UTF-16 code units of decoded text consumed so far. */
  readonly position: number;
}

function setOwn(target: Container, key: Key, value: unknown): void {
  if (key === '__proto__') {
    // Plain assignment would change the prototype; JSON.parse makes an own property.
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (target as Record<Key, unknown>)[key] = value;
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Default of {@link PartialParserOptions.maxDepth}; the reasons are given there. */
const DEFAULT_MAX_DEPTH = 128;

/**
 * Work counters for the growth tests (test/partial/growth.test.ts): they assert that the work
 * grows linearly with the input, on counts rather than wall time. Module-wide, never reset by the
 * parser. Not part of the public API.
 * @internal
 */
export const parserWork = {
  /** Entries copied into snapshot containers (arrays and objects), over every read and delta. */
  copied: 0,
  /** Path steps allocated for delta paths (eager arrays and lazily materialised ones). */
  pathSteps: 0,
};

/**
 * A delta path of at most this many steps is an array built at once; a longer one is built on
 * first read from a shared chain of prefix nodes (see {@link lazyDelta}), so a deep document costs
 * O(1) per delta instead of O(depth) when nobody reads the path (deltas forwarded as a batch of
 * values, replayed only near the root, or dropped). 32 keeps every realistic document on the
 * cheap plain-object path.
 */
const EAGER_PATH = 32;

/** One step of a persistent path: its parent's path plus `key` (`null` is the root, `[]`). */
interface PathNode {
  readonly parent: PathNode | null;
  readonly key: Key;
}

/** A long delta path, built once on first read and then shared by every delta that holds it. */
interface LazyPath {
  readonly node: PathNode;
  path: Key[] | undefined;
}

function materialise(ref: LazyPath): Key[] {
  const path: Key[] = [];
  for (let node: PathNode | null = ref.node; node !== null; node = node.parent) path.push(node.key);
  path.reverse();
  parserWork.pathSteps += path.length;
  return path;
}

/**
 * A delta whose `path` is an own enumerable accessor that builds the array on first read (then
 * keeps it): to JSON, spread, `structuredClone` and deep-equality checks it is a plain delta.
 */
function lazyDelta(op: Delta['op'], ref: LazyPath, value: unknown): Delta {
  return {
    op,
    get path(): JsonPath {
      return (ref.path ??= materialise(ref));
    },
    value,
  } as Delta;
}

/** A delta whose `value` may still be set before it is handed out (the parser's own ops list). */
type OpenDelta = { op: Delta['op']; readonly path: JsonPath; value: unknown };

/** No open entry to put into a container's snapshot copy. */
const NOTHING: unique symbol = Symbol('nothing');

/** The empty delta list every parser starts a write with; never written to (pushOp replaces it). */
const NO_OPS: OpenDelta[] = [];

/**
 * Creates an incremental JSON parser whose partial value an app can render while the text
 * streams in: O(n) total work, and exactly `JSON.parse`'s result at the end.
 *
 * The partial values obey the semantics of DESIGN.md: types never change; numbers, `true`,
 * `false` and `null` appear only once complete; strings only grow, by whole escapes, never
 * showing half a surrogate pair; arrays and objects appear empty as soon as they open and only
 * append (or change their last entry); a property appears once its key is complete and its
 * value's type is known; snapshots are immutable with structural sharing.
 *
 * @example
 * ```ts
 * const parser = createPartialParser({ onPartial: (value) => render(value) });
 * for await (const chunk of stream) parser.write(chunk);
 * const final = parser.end();
 * ```
 * @throws (from `write`/`end`) {@link ParseError}; see {@link PartialParser}.
 * @see https://www.rfc-editor.org/rfc/rfc8259
 * @public
 */
export function createPartialParser<S extends SchemaLike>(
  options: PartialParserOptions<SchemaOutput<S>, DeepPartial<SchemaInput<S>>> & { schema: S },
): PartialParser<SchemaOutput<S>, DeepPartial<SchemaInput<S>>>;
export function createPartialParser<T = unknown>(options?: PartialParserOptions<T>): PartialParser<T>;
export function createPartialParser<T = unknown>(options: PartialParserOptions<T> = {}): PartialParser<T> {
  const { onPartial, onDelta, onComplete } = options;
  const guide: ValueGuide | undefined =
    options.schema === undefined
      ? undefined
      : createSchemaGuide(options.schema, { position: () => tokenizer.tokenPosition, offset: () => tokenizer.position });
  // Without per-value callbacks a container that closes within one write is handed to the
  // platform's JSON.parse (several times faster than building it in JS); see bench/bulk.
  const fast = onComplete === undefined && (guide === undefined || guide.passive === true);
  const tracking = onDelta !== undefined;

  // Open containers, innermost last. `keys[d]` is the key or index of the entry that container
  // `d` is filling now (its last entry); `path[d]` is container d's own key in its parent.
  const containers: Container[] = [];
  const keys: Key[] = [];
  const path: Key[] = [];
  const snaps: (Container | undefined)[] = [];
  // Three numbers per open container d, in one array (one backing store, not three: a parser
  // holding one open container stays small when 10,000 streams are open at once):
  // meta[3d] = the write number in which it opened (delta folding), meta[3d + 1] = the index in
  // `ops` of its `add` delta or -1 (none of its own), meta[3d + 2] = properties set in it when it
  // is an object (repeated keys included; for the work counter).
  const meta: number[] = [];
  const nodes: (PathNode | null)[] = []; // nodes[d]: container d's own path, built on demand

  let root: unknown = undefined;
  let pendingKey = '';
  let staleTo = -1; // snapshots of depths 0..staleTo are out of date
  let changed = false; // something visible changed in this write
  let writeNo = 0;
  let ops: OpenDelta[] = NO_OPS; // this write's deltas (see pushOp)
  let stringOp: OpenDelta | undefined; // this write's delta of the open string, to extend
  let stringRef: Key[] | LazyPath | undefined; // the open string's delta path, shared by its appends
  let stringText = '';
  let stringAtomic = false; // the guide keeps this string out of snapshots until complete
  let stringOpen = false;
  let ended = false;
  // Why the parser refuses further input: a ParseError, a SchemaValidationError, or whatever a
  // callback threw (the tokenizer only records its own errors).
  let rejected: unknown = undefined;
  let failed = false;
  let callbackThrew = false; // the error in flight came from onComplete, not from the text

  function markChanged(depth: number): void {
    changed = true;
    if (depth > staleTo) staleTo = depth;
  }

  function childPath(key: Key | undefined): Key[] {
    const p = path.slice(1, containers.length);
    if (key !== undefined) p.push(key);
    return p;
  }

  /** Container d's own path as a persistent node (`null` for the root), building missing nodes. */
  function nodeOf(d: number): PathNode | null {
    for (let k = nodes.length; k <= d; k++) nodes.push(k === 0 ? null : { parent: nodes[k - 1] ?? null, key: path[k]! });
    return nodes[d]!;
  }

  /**
   * The delta path of the entry `key` of the innermost container (the root when there is none):
   * an array when short, else a lazily built one sharing the open containers' prefix.
   */
  function deltaPath(key: Key | undefined): Key[] | LazyPath {
    const top = containers.length - 1;
    if (top < EAGER_PATH || key === undefined) {
      const p = childPath(key);
      parserWork.pathSteps += p.length;
      return p;
    }
    return { node: { parent: nodeOf(top), key }, path: undefined };
  }

  /**
   * Adds a delta to this write's list. The list starts as a one-element literal: most writes of
   * a token stream make one delta, and `[]` + `push` would allocate room for 17 (garbage per write).
   */
  function pushOp(d: OpenDelta): void {
    if (ops.length === 0) ops = [d];
    else ops.push(d);
  }

  function makeDelta(op: Delta['op'], ref: Key[] | LazyPath, value: unknown): OpenDelta {
    return Array.isArray(ref) ? { op, path: ref, value } : (lazyDelta(op, ref, value) as OpenDelta);
  }

  /**
   * True when a change inside the innermost container needs a delta of its own: the container
   * was opened in an earlier write. A container opened in this write is reported whole, by its
   * own `add`, when the write ends (see `fold`).
   */
  function reportable(): boolean {
    const top = containers.length - 1;
    return top < 0 || meta[3 * top] !== writeNo;
  }

  /** Path of the slot the next value goes into. */
  function slotPath(): Key[] {
    const top = containers.length - 1;
    if (top < 0) return [];
    const container = containers[top]!;
    return childPath(Array.isArray(container) ? container.length : pendingKey);
  }

  /** Puts `value` into the current slot (the root, the next array element, or the pending key). */
  function place(value: unknown, deltaValue: unknown): Key | undefined {
    const top = containers.length - 1;
    let key: Key | undefined;
    let op: 'add' | 'replace' = 'add';
    if (top < 0) {
      root = value;
    } else if (Array.isArray(containers[top])) {
      const array = containers[top] as unknown[];
      key = array.length;
      array.push(value);
      keys[top] = key;
    } else {
      key = pendingKey;
      const object = containers[top] as Record<string, unknown>;
      if (tracking && meta[3 * top] !== writeNo && hasOwn.call(object, key)) op = 'replace';
      setOwn(object, key, value);
      meta[3 * top + 2]!++;
      keys[top] = key;
    }
    markChanged(top < 0 ? 0 : top);
    if (tracking && (top < 0 || meta[3 * top] !== writeNo)) pushOp(makeDelta(op, deltaPath(key), deltaValue));
    return key;
  }

  /** Replaces the value in the current slot (string growth, a closed container's final object). */
  function setSlot(depth: number, value: unknown): void {
    if (depth < 0) root = value;
    else setOwn(containers[depth]!, keys[depth]!, value);
  }

  function completed(value: unknown): unknown {
    if (guide === undefined && onComplete === undefined) return value;
    const kept = guide === undefined ? value : guide.complete(value);
    if (onComplete !== undefined) callComplete(kept, slotPathOfLast());
    return kept;
  }

  /** Path of the entry just placed in the innermost container (or the root). */
  function slotPathOfLast(): Key[] {
    const top = containers.length - 1;
    return top < 0 ? [] : childPath(keys[top]);
  }

  function open(array: boolean): void {
    if (guide !== undefined) guide.open(array ? 'array' : 'object');
    const container: Container = array ? [] : {};
    const opsBefore = ops.length;
    const key = place(container, array ? [] : {});
    const opIndex = ops.length > opsBefore ? opsBefore : -1;
    const depth = containers.length;
    containers.push(container);
    keys.push(array ? -1 : '');
    path.push(key ?? '');
    snaps.push(undefined);
    meta.push(writeNo, opIndex, 0);
    markChanged(depth);
  }

  function close(): void {
    const depth = containers.length - 1;
    const working = containers[depth]!;
    // Reuse the snapshot if nothing changed since it was taken: unchanged subtrees keep identity.
    const snap = snaps[depth];
    let value: unknown = snap !== undefined && staleTo < depth ? snap : working;
    containers.pop();
    keys.pop();
    path.pop();
    snaps.pop();
    if (nodes.length > depth) nodes.length = depth;
    const opened = meta[3 * depth]!;
    const opIndex = meta[3 * depth + 1]!;
    meta.pop();
    meta.pop();
    meta.pop();
    if (staleTo >= depth) staleTo = depth - 1;
    // Opened and closed within this write: its one `add` (not yet handed out) carries the whole
    // value; nothing inside it made a delta of its own. Set before the guide or onComplete may
    // throw, so the deltas of a failed write still give the value left.
    const folded = tracking && opened === writeNo && opIndex >= 0;
    if (folded) (ops[opIndex] as OpenDelta).value = value;
    if (guide !== undefined || onComplete !== undefined) {
      const kept = completed(value);
      if (kept !== value) {
        value = kept;
        markChanged(depth - 1);
      }
    }
    if (value !== working) setSlot(depth - 1, value);
    if (folded) (ops[opIndex] as OpenDelta).value = value;
  }

  function scalar(value: unknown): void {
    if (guide === undefined && onComplete === undefined) {
      place(value, value);
      return;
    }
    // The path (O(depth) to build) only for the callback: the guide tracks where it is itself.
    const p = onComplete === undefined ? undefined : slotPath();
    if (guide !== undefined) value = guide.complete(value);
    place(value, value);
    if (p !== undefined) callComplete(value, p);
  }

  function callComplete(value: unknown, p: JsonPath): void {
    try {
      onComplete!(value, p);
    } catch (error) {
      callbackThrew = true;
      throw error;
    }
  }

  /** More text of the open string value. */
  function appendText(text: string): void {
    stringText += text;
    if (stringAtomic) return;
    // The working container gets the text at the string's end; snapshots read `stringText`.
    markChanged(containers.length === 0 ? 0 : containers.length - 1);
    if (tracking) {
      if (stringOp !== undefined) {
        stringOp.value += text;
      } else if (reportable()) {
        const top = containers.length - 1;
        stringRef ??= deltaPath(top < 0 ? undefined : keys[top]);
        stringOp = makeDelta('append', stringRef, text);
        pushOp(stringOp);
      }
    }
  }

  const handler: TokenHandler = {
    startObject() {
      open(false);
    },
    startArray() {
      open(true);
    },
    endObject: close,
    endArray: close,
    key(key) {
      if (guide !== undefined) guide.key(key);
      pendingKey = key;
    },
    string(value) {
      if (guide === undefined) {
        scalar(value);
        return;
      }
      // A schema failure leaves what a write cut anywhere would: of a string shown while it
      // grows, the text before the failing character (all of it when it fails as a whole).
      const p = onComplete === undefined ? undefined : slotPath();
      const atomic = guide.startString(true);
      let kept: unknown;
      try {
        guide.stringPart(value);
      } catch (error) {
        if (!atomic) place(value.slice(0, guide.accepted), value.slice(0, guide.accepted));
        throw error;
      }
      try {
        kept = guide.complete(value);
      } catch (error) {
        if (!atomic) place(value, value);
        throw error;
      }
      place(kept, kept);
      if (p !== undefined) callComplete(kept, p);
    },
    startString() {
      // The guide goes first: if it rejects the string, nothing of it is in the value.
      stringAtomic = guide !== undefined && guide.startString(false);
      stringText = '';
      stringOpen = true;
      if (stringAtomic) return;
      stringRef = undefined;
      const opsBefore = ops.length;
      place('', '');
      if (ops.length > opsBefore) stringOp = ops[opsBefore] as OpenDelta;
    },
    stringPart(text) {
      if (guide !== undefined) {
        try {
          guide.stringPart(stringText + text);
        } catch (error) {
          const keep = guide.accepted - stringText.length;
          if (keep > 0) appendText(text.slice(0, keep));
          throw error;
        }
      }
      appendText(text);
    },
    endString() {
      const text = stringText;
      stringText = '';
      stringOp = undefined;
      stringOpen = false;
      if (stringAtomic) {
        stringAtomic = false;
        scalar(text);
        return;
      }
      // In the value before the guide judges it, so a failure leaves the whole text.
      setSlot(containers.length - 1, text);
      const kept = completed(text);
      setSlot(containers.length - 1, kept);
      if (kept !== text) {
        markChanged(containers.length === 0 ? 0 : containers.length - 1);
        if (tracking && reportable()) {
          const top = containers.length - 1;
          pushOp(makeDelta('replace', deltaPath(top < 0 ? undefined : keys[top]), kept));
        }
      }
    },
    number: scalar,
    literal: scalar,
  };
  if (fast) {
    handler.skipped = (text) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return false; // the tokenizer finds the exact error
      }
      place(value, value);
      return true;
    };
  }

  const tokenizer: Tokenizer = createTokenizer(handler, {
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxStringLength: options.maxStringLength,
  });

  /**
   * Brings the snapshots of depths `from`..top up to date: each stale container is copied once
   * (a native `slice` or spread of its entries) with its open child's snapshot in place; a
   * container that did not change since the last read keeps its snapshot. Depths below `from`
   * stay stale.
   */
  function refresh(from: number): void {
    const top = containers.length - 1;
    const growing = stringOpen && !stringAtomic;
    const to = staleTo < top ? staleTo : top;
    for (let d = to; d >= from; d--) {
      const working = containers[d]!;
      // The open child's entry is its own snapshot, never the working object; an open string's
      // text lives in `stringText` until it closes. In an array that entry is the last one,
      // stored by index: a plain array store rather than setOwn's generic keyed store.
      const open: unknown = d < top ? snaps[d + 1] : growing ? stringText : NOTHING;
      if (Array.isArray(working)) {
        const copy = working.slice();
        if (open !== NOTHING) copy[copy.length - 1] = open;
        parserWork.copied += copy.length;
        snaps[d] = copy;
      } else {
        const copy = { ...(working as Record<string, unknown>) };
        if (open !== NOTHING) setOwn(copy, keys[d]!, open);
        parserWork.copied += meta[3 * d + 2]!;
        snaps[d] = copy;
      }
    }
    if (to >= from) staleTo = from - 1;
  }

  function snapshot(): unknown {
    if (containers.length === 0) return stringOpen && !stringAtomic ? stringText : root;
    refresh(0);
    return snaps[0];
  }

  /**
   * Containers opened in the write that ends here and still open are reported by one `add` of
   * their snapshot (made here, shared with the next read) instead of a delta per entry: a write
   * costs O(its length) in deltas whatever it holds (20 KB of `[` is one delta, not 20,000
   * deltas with paths up to 20,000 long).
   */
  function fold(current: number): void {
    let d0 = containers.length;
    while (d0 > 0 && meta[3 * (d0 - 1)] === current) d0--;
    if (d0 === containers.length) return;
    const at = meta[3 * d0 + 1]!; // its parent opened earlier (or it is the root), so it has an `add`
    refresh(d0);
    ops.length = at + 1;
    (ops[at] as OpenDelta).value = snaps[d0];
  }

  function flush(): void {
    const current = writeNo++;
    stringOp = undefined;
    if (!changed) return;
    changed = false;
    if (tracking && ops.length > 0) {
      fold(current);
      const out = ops;
      ops = NO_OPS;
      onDelta!(out as Delta[]);
    }
    if (onPartial !== undefined) onPartial(snapshot() as DeepPartial<T>);
  }

  /** Records why the parser fails from now on (the first reason wins) and returns `error`. */
  function reject(error: unknown): unknown {
    if (!failed) {
      failed = true;
      rejected = error;
    }
    return error;
  }

  function write(chunk: string | Uint8Array): void {
    if (ended) throw new TypeError('write() called after end(); create a new parser for the next JSON text');
    if (failed) throw afterRejection('write()', rejected);
    try {
      guide?.input?.(chunk);
      tokenizer.write(chunk);
    } catch (error) {
      reject(error);
      // The text was rejected: report what it said before the bad character, then fail. A
      // callback that threw gets no further calls.
      if (!callbackThrew && (error instanceof ParseError || error instanceof SchemaValidationError)) flush();
      throw error;
    }
    try {
      flush();
    } catch (error) {
      throw reject(error);
    }
  }

  function end(): T {
    if (ended) throw new TypeError('end() called twice; create a new parser for the next JSON text');
    if (failed) throw afterRejection('end()', rejected);
    try {
      tokenizer.end();
    } catch (error) {
      reject(error);
      // As in write: end() may complete a trailing number (`[8` shows 8) before it finds the
      // text cut; report that value to the callbacks before failing.
      if (!callbackThrew && (error instanceof ParseError || error instanceof SchemaValidationError)) flush();
      throw error;
    }
    try {
      flush();
    } catch (error) {
      throw reject(error);
    }
    ended = true;
    root = guide === undefined ? root : guide.finish(root);
    return root as T;
  }

  function isDone(): boolean {
    return ended;
  }

  function currentPath(): JsonPath | undefined {
    if (tokenizer.complete || ended || tokenizer.position === 0) return undefined;
    if (stringOpen) return stringAtomic ? slotPath() : slotPathOfLast();
    return containers.length === 0 ? [] : childPath(undefined);
  }

  return new ParserHandle<T>(tokenizer, write, end, snapshot as () => DeepPartial<T> | undefined, currentPath, isDone);
}

/**
 * The object {@link createPartialParser} returns: prototype getters over a few functions of the
 * parser, instead of an object literal with accessors (which V8 keeps as a dictionary, about a
 * kilobyte per parser: it counts when a server holds 10,000 streams).
 */
class ParserHandle<T> implements PartialParser<T> {
  readonly write: (chunk: string | Uint8Array) => void;
  readonly end: () => T;
  readonly #tokenizer: Tokenizer;
  readonly #snapshot: () => DeepPartial<T> | undefined;
  readonly #currentPath: () => JsonPath | undefined;
  readonly #isDone: () => boolean;

  constructor(
    tokenizer: Tokenizer,
    write: (chunk: string | Uint8Array) => void,
    end: () => T,
    snapshot: () => DeepPartial<T> | undefined,
    currentPath: () => JsonPath | undefined,
    isDone: () => boolean,
  ) {
    this.write = write;
    this.end = end;
    this.#tokenizer = tokenizer;
    this.#snapshot = snapshot;
    this.#currentPath = currentPath;
    this.#isDone = isDone;
  }

  get value(): DeepPartial<T> | undefined {
    return this.#snapshot();
  }

  get complete(): boolean {
    return this.#tokenizer.complete;
  }

  get done(): boolean {
    return this.#isDone();
  }

  get path(): JsonPath | undefined {
    return this.#currentPath();
  }

  get position(): number {
    return this.#tokenizer.position;
  }
}

function afterRejection(method: string, error: unknown): TypeError {
  const by =
    error instanceof ParseError
      ? 'the JSON text was rejected'
      : error instanceof SchemaValidationError
        ? 'the value was rejected by its schema'
        : 'a callback threw';
  const message = error instanceof Error ? error.message : String(error);
  return new TypeError(`${method} called after ${by} (${message}); create a new parser`, {
    cause: error,
  });
}
