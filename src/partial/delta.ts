import { type JsonPath, toJsonPointer } from '../json/json-pointer.js';

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
 *   keeping the key's position, as `JSON.parse` does.
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
  | { readonly op: 'add'; readonly path: JsonPath; readonly value: unknown }
  | { readonly op: 'append'; readonly path: JsonPath; readonly value: string }
  | { readonly op: 'replace'; readonly path: JsonPath; readonly value: unknown };

/**
 * An RFC 6902 JSON Patch operation, as produced by {@link toJsonPatch}.
 * @public
 */
export interface JsonPatchOperation {
  op: 'add' | 'replace';
  /** A JSON Pointer (RFC 6901). */
  path: string;
  value: unknown;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** Sets an own data property, also for the key `__proto__` (which plain assignment would turn into a prototype change). */
function setOwn(target: Container, key: string | number, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (target as Record<string, unknown>)[key] = value;
  }
}

function copyOf(container: Container): Container {
  return Array.isArray(container) ? container.slice() : { ...container };
}

function describePath(path: JsonPath): string {
  return JSON.stringify(toJsonPointer(path));
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
 * @example
 * ```ts
 * let value: unknown;
 * createPartialParser({ onDelta: (deltas) => { value = applyDelta(value, deltas); } });
 * ```
 * @throws `TypeError` when a delta's path does not exist in `target` (deltas applied out of
 *   order, or to a different value), or an `append` targets a non-string.
 * @public
 */
export function applyDelta(target: unknown, delta: Delta | readonly Delta[]): unknown {
  const deltas: readonly Delta[] = Array.isArray(delta) ? delta : [delta as Delta];
  const fresh = new WeakSet<object>();
  let root = target;
  for (const d of deltas) {
    const path = d.path;
    if (path.length === 0) {
      if (d.op === 'append') {
        if (typeof root !== 'string') throw new TypeError(`applyDelta: append at the root, which is not a string`);
        root = root + d.value;
      } else {
        root = d.value;
      }
      continue;
    }
    if (!isContainer(root)) throw new TypeError(`applyDelta: no container at the root for path ${describePath(path)}`);
    if (!fresh.has(root)) {
      root = copyOf(root);
      fresh.add(root as Container);
    }
    let parent = root as Container;
    for (let i = 0; i < path.length - 1; i++) {
      const step = path[i]!;
      const child = (parent as Record<string | number, unknown>)[step];
      if (!isContainer(child) || !Object.prototype.hasOwnProperty.call(parent, step)) {
        throw new TypeError(`applyDelta: path ${describePath(path)} does not exist in the target`);
      }
      let next = child;
      if (!fresh.has(child)) {
        next = copyOf(child);
        fresh.add(next);
        setOwn(parent, step, next);
      }
      parent = next;
    }
    const last = path[path.length - 1]!;
    if (d.op === 'append') {
      const current = (parent as Record<string | number, unknown>)[last];
      if (typeof current !== 'string') {
        throw new TypeError(`applyDelta: append at ${describePath(path)}, which is not a string`);
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
    } else {
      // `add` at the root (path "") sets the whole document (RFC 6902 §4.1), also when there is none yet.
      patch.push({ op: d.op, path: toJsonPointer(d.path), value: d.value });
    }
  }
  return patch;
}
