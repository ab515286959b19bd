import { type JsonPath, toJsonPointer } from '../json/json-pointer.js';
import { type Container, hasOwn, setOwn } from './own.js';

/**
 * One change to a partial value, as emitted by `onDelta`. Paths are {@link JsonPath}s from the
 * root; `[]` is the root itself. Deltas are JSON-serialisable objects with own enumerable `op`,
 * `path` and `value`, so a server can forward them (e.g. as SSE events) and a browser can rebuild
 * the value with {@link applyDelta}.
 *
 * - `add`: a new value appears at `path`: a new array element (the index equals the array's
 *   length), a new object property, or the root. A container arrives with what the write that
 *   opened it put in it (whole, if it also closed in that write; `{}` / `[]` if nothing yet) and
 *   fills through later deltas: one write makes one delta per container it opened, never one
 *   per entry inside it.
 * - `append`: the string at `path` grows by `value` (string growth never replaces).
 * - `replace`: an object repeats a key (`{"a":1,"a":2}`): the later value replaces the earlier,
 *   keeping the key's position, as `JSON.parse` does; with `partialNumbers`, a growing number
 *   shows more digits.
 * - `remove`: with `select` and `keep: false`, an element handed to `onElement` leaves the
 *   value; with a schema and `partialNumbers`, so does a growing number the schema rejects once
 *   complete (the error follows). Always the last entry of its array (or the property last added
 *   to its object). It has no `value`.
 *
 * Cost: O(1) per delta whatever the depth. A path of more than 32 steps is an own accessor
 * that builds the array from a prefix shared with the parser on first read (then keeps it), so
 * deep documents do not pay O(depth) per delta unless the path is read; to `JSON.stringify`,
 * spread, `structuredClone` and deep equality it is an ordinary array property.
 *
 * Values inside deltas are never mutated afterwards by the parser (a container's value may be
 * the same object as in a later snapshot: both are immutable). Path arrays may be shared between
 * deltas (all appends to one string share one): treat them as read-only.
 * @public
 */
export type Delta =
  | {
      /** A new value appears at `path`. */
      readonly op: 'add';
      /** Where, from the root: for an array element, its index is the array's length before the add. */
      readonly path: JsonPath;
      /** The new value (a scalar, a string so far, or a container with what it holds so far). */
      readonly value: unknown;
    }
  | {
      /** The string at `path` grows. */
      readonly op: 'append';
      /** The string's path from the root. */
      readonly path: JsonPath;
      /** The text appended to the string's end (decoded; never half an escape or half a surrogate pair). */
      readonly value: string;
    }
  | {
      /**
       * The value at `path` changes: an object repeats a key (the later value replaces the
       * earlier one); with `partialNumbers`, a growing number shows more digits, or a repeated
       * key's earlier value comes back when the schema rejects the number that replaced it.
       */
      readonly op: 'replace';
      /** The repeated property's path from the root. */
      readonly path: JsonPath;
      /** The value that replaces the earlier one, as an `add` would carry it. */
      readonly value: unknown;
    }
  | {
      /**
       * An entry leaves the snapshot: with `keep: false`, a delivered element; with a schema and
       * `partialNumbers`, a growing number the schema rejects. Always the last entry of its array
       * or the property last added to its object.
       */
      readonly op: 'remove';
      /** The entry's path from the root. */
      readonly path: JsonPath;
      /** Always absent. */
      readonly value?: undefined;
    };

/**
 * An RFC 6902 JSON Patch operation, as produced by {@link toJsonPatch}.
 * @public
 */
export interface JsonPatchOperation {
  /** `add` for a {@link Delta}'s `add`; `replace` for its `replace` and for string growth (`append`); `remove` for its `remove`. */
  op: 'add' | 'replace' | 'remove';
  /** A JSON Pointer (RFC 6901). */
  path: string;
  /** The value at `path` after the operation: for string growth, the whole string so far; absent for `remove`. */
  value?: unknown;
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function copyOf(container: Container): Container {
  return Array.isArray(container) ? container.slice() : { ...container };
}

/** A short, never-throwing rendering of an untrusted value for an error message. */
function show(value: unknown): string {
  let text: string | undefined;
  try {
    text = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) text = typeof value === 'function' ? 'a function' : String(typeof value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describePath(path: JsonPath): string {
  return JSON.stringify(toJsonPointer(path));
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'nothing';
  return `a ${typeof value}`;
}

/**
 * Checks the shape of one untrusted delta (it may have crossed a network): an object with a known
 * `op`, a `path` array whose steps are strings or non-negative integers, and a value of the right
 * kind. Cost O(path length).
 */
function checkDelta(d: unknown, index: number): asserts d is Delta {
  const where = `applyDelta: delta ${index}`;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) {
    throw new TypeError(`${where} is ${show(d)}, not a delta object ({op, path, value})`);
  }
  const { op, path, value } = d as { op?: unknown; path?: unknown; value?: unknown };
  if (op !== 'add' && op !== 'append' && op !== 'replace' && op !== 'remove') {
    throw new TypeError(`${where} has op ${show(op)}; expected "add", "append", "replace" or "remove"`);
  }
  if (!Array.isArray(path)) throw new TypeError(`${where} (${op}) has path ${show(path)}, not an array of steps`);
  for (let i = 0; i < path.length; i++) {
    const step: unknown = path[i];
    if (typeof step === 'string') continue;
    if (typeof step === 'number' && Number.isSafeInteger(step) && step >= 0) continue;
    throw new TypeError(
      `${where} (${op}): step ${i} of its path is ${show(step)}; a step must be a string (object key) or a non-negative integer (array index)`,
    );
  }
  if (op === 'remove') return;
  if (op === 'append' ? typeof value !== 'string' : value === undefined) {
    throw new TypeError(
      `${where} (${op} at ${describePath(path as JsonPath)}) has value ${show(value)}; ${op === 'append' ? 'an append carries a string' : 'it needs a JSON value'}`,
    );
  }
}

/** The error for a path step that names nothing in the target (built only when thrown). */
function notFound(n: number, d: Delta, depth: number, at: unknown): TypeError {
  return new TypeError(
    `applyDelta: delta ${n} (${d.op} at ${describePath(d.path)}): ${describePath(d.path.slice(0, depth))} is ${kindOf(at)}, which has no ${show(d.path[depth])}`,
  );
}

/** Whether `container` can take `step`: integer steps index arrays, string steps key objects. */
function fits(container: Container, step: string | number): boolean {
  return Array.isArray(container) ? typeof step === 'number' : typeof step === 'string';
}

/**
 * Applies one delta, or a list of deltas in order, to `target` without mutating it, and returns
 * the new value. Only the containers along each changed path are copied; everything else keeps
 * its identity (structural sharing, as in the parser's own snapshots). Within one call, a
 * container copied for an earlier delta is reused for later ones, so applying a batch costs
 * O(total path length + width of each copied container once).
 *
 * Replaying every delta of a parse, starting from `undefined`, gives exactly the parser's final
 * value.
 *
 * Safe for untrusted deltas (for example received over SSE): every delta is checked before it is
 * applied, and a key is only ever set as an own data property, so no delta, however malformed,
 * can reach or replace a prototype (`__proto__`, `constructor`, `prototype` are ordinary keys).
 * What is accepted:
 * - `op` is `'add'`, `'append'`, `'replace'` or `'remove'`; each path step is a string (a key of an object)
 *   or a non-negative integer (an index of an array), and every step but the last names an
 *   existing own member that is an object or array;
 * - `add` sets a key of an object, an array index up to the array's length (the length appends),
 *   or the root (`path: []`); `replace` needs an existing member (or root); `append` needs an
 *   existing string and a string `value`; `add` / `replace` need a `value` (not `undefined`);
 *   `remove` needs an existing member, the last element when it is an array's.
 *
 * @example
 * ```ts
 * let value: unknown;
 * createPartialParser({ onDelta: (deltas) => { value = applyDelta(value, deltas); } });
 * ```
 * @throws `TypeError` for a malformed delta or one that does not fit `target` (deltas applied
 *   out of order, or to a different value); the message names the delta's index in the list,
 *   its op and path, and what was wrong. `target` is never modified, also when a later delta of
 *   the list throws.
 * @public
 */
export function applyDelta(target: unknown, delta: Delta | readonly Delta[]): unknown {
  const deltas: readonly unknown[] = Array.isArray(delta) ? delta : [delta];
  const fresh = new WeakSet<object>();
  let root = target;
  for (let n = 0; n < deltas.length; n++) {
    const d = deltas[n];
    checkDelta(d, n);
    const path = d.path;
    if (path.length === 0) {
      if (d.op === 'remove') throw new TypeError(`applyDelta: delta ${n} removes the root; only an entry of an array or object can be removed`);
      if (d.op === 'append') {
        if (typeof root !== 'string') throw new TypeError(`applyDelta: delta ${n} appends at the root, which is ${kindOf(root)}, not a string`);
        root = root + d.value;
      } else {
        if (d.op === 'replace' && root === undefined) throw new TypeError(`applyDelta: delta ${n} replaces the root, which does not exist yet`);
        root = d.value;
      }
      continue;
    }
    if (!isContainer(root) || !fits(root, path[0]!)) throw notFound(n, d, 0, root);
    if (!fresh.has(root)) {
      root = copyOf(root);
      fresh.add(root as Container);
    }
    let parent = root as Container;
    for (let i = 0; i < path.length - 1; i++) {
      const step = path[i]!;
      if (!hasOwn.call(parent, step)) throw notFound(n, d, i, parent);
      const child = (parent as Record<string | number, unknown>)[step];
      if (!isContainer(child) || !fits(child, path[i + 1]!)) throw notFound(n, d, i + 1, child);
      let next = child;
      if (!fresh.has(child)) {
        next = copyOf(child);
        fresh.add(next);
        setOwn(parent, step, next);
      }
      parent = next;
    }
    const last = path[path.length - 1]!;
    if (d.op === 'add') {
      if (Array.isArray(parent) && (last as number) > parent.length) {
        throw new TypeError(
          `applyDelta: delta ${n} (add at ${describePath(path)}): index ${last} is past the end of an array of length ${parent.length}`,
        );
      }
      setOwn(parent, last, d.value);
      continue;
    }
    if (!hasOwn.call(parent, last)) throw notFound(n, d, path.length - 1, parent);
    if (d.op === 'remove') {
      if (Array.isArray(parent)) {
        if (last !== parent.length - 1) {
          throw new TypeError(`applyDelta: delta ${n} (remove at ${describePath(path)}): only the last element of an array (index ${parent.length - 1}) can be removed`);
        }
        parent.pop();
      } else {
        delete (parent as Record<string, unknown>)[last];
      }
      continue;
    }
    if (d.op === 'append') {
      const current = (parent as Record<string | number, unknown>)[last];
      if (typeof current !== 'string') {
        throw new TypeError(`applyDelta: delta ${n} appends at ${describePath(path)}, which is ${kindOf(current)}, not a string`);
      }
      setOwn(parent, last, current + d.value);
    } else {
      setOwn(parent, last, d.value);
    }
  }
  return root;
}

/**
 * Converts deltas to RFC 6902 JSON Patch operations for consumers that speak only JSON Patch.
 * JSON Patch has no "append", so each `append` becomes a `replace` of the whole string; for that
 * the value the deltas apply to is needed (`before`: the value before the first delta).
 *
 * @example
 * ```ts
 * toJsonPatch([{ op: 'append', path: ['a'], value: 'lo' }], { a: 'hel' });
 * // [{ op: 'replace', path: '/a', value: 'hello' }]
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6902
 * @public
 */
export function toJsonPatch(deltas: readonly Delta[], before?: unknown): JsonPatchOperation[] {
  const patch: JsonPatchOperation[] = [];
  let current = before;
  for (const d of deltas) {
    current = applyDelta(current, d);
    if (d.op === 'append') {
      let value: unknown = current;
      for (const step of d.path) value = (value as Record<string | number, unknown>)[step];
      patch.push({ op: 'replace', path: toJsonPointer(d.path), value });
    } else if (d.op === 'remove') {
      patch.push({ op: 'remove', path: toJsonPointer(d.path) });
    } else {
      // `add` at the root (path "") sets the whole document (RFC 6902 §4.1), also when there is none yet.
      patch.push({ op: d.op, path: toJsonPointer(d.path), value: d.value });
    }
  }
  return patch;
}
