import { ParseError } from '../json/errors.js';
import { createTokenizer, type TokenHandler, type Tokenizer } from '../json/tokenizer.js';
import type { Delta } from './delta.js';
import type { JsonPath } from '../json/json-pointer.js';
import { SchemaValidationError } from '../schema/errors.js';
import { createSchemaGuide, type ValueGuide } from '../schema/guide.js';
import type { DeepPartial, SchemaLike, SchemaOutput } from '../schema/types.js';

type Container = Record<string, unknown> | unknown[];
type Key = string | number;

/**
 * Options of {@link createPartialParser}.
 * @public
 */
export interface PartialParserOptions<T = unknown> {
  /**
   * Validates the value against a schema while it streams. With a zod v4 schema: each subtree is
   * validated once, when it closes; a partial value that can never become valid fails at once
   * (an early {@link SchemaValidationError}); enum, literal and format-checked strings appear only
   * once complete and valid; `end()` returns the schema's full parse (defaults, transforms,
   * refinements). Any other Standard Schema validator is used for the final value only.
   */
  schema?: SchemaLike | undefined;
  /**
   * Called at most once per `write`, after `onComplete` and `onDelta`, with the new snapshot,
   * when the write changed something visible (never for whitespace or half a key). Also called
   * by `end()` when it completes a trailing top-level number.
   */
  onPartial?: ((value: DeepPartial<T>) => void) | undefined;
  /**
   * Called at most once per `write`, after every `onComplete` of that write and before
   * `onPartial`, with the changes of the write in document order (see {@link Delta}); never with
   * an empty list. Replaying every delta with `applyDelta` from `undefined` gives the final value.
   */
  onDelta?: ((deltas: Delta[]) => void) | undefined;
  /**
   * Called once per value when it is complete, innermost first (a string at its closing quote, a
   * number at the character after it, an array or object at its close), during the `write` that
   * completes it, with the value and its path (a fresh array). The sequence of calls is the same
   * however the text is chunked. Setting it makes the parser build every value itself (no
   * native fast path), so leave it unset when you do not need it.
   */
  onComplete?: ((value: unknown, path: JsonPath) => void) | undefined;
  /**
   * Most arrays and objects open at once; deeper is a `max-depth-exceeded` {@link ParseError}.
   * @defaultValue `Infinity` (like `JSON.parse`; no recursion is used, so only memory limits depth)
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
  options: PartialParserOptions<SchemaOutput<S>> & { schema: S },
): PartialParser<SchemaOutput<S>>;
export function createPartialParser<T = unknown>(options?: PartialParserOptions<T>): PartialParser<T>;
export function createPartialParser<T = unknown>(options: PartialParserOptions<T> = {}): PartialParser<T> {
  const { onPartial, onDelta, onComplete } = options;
  const guide: ValueGuide | undefined =
    options.schema === undefined
      ? undefined
      : createSchemaGuide(options.schema, { position: () => tokenizer.tokenPosition });
  // Without per-value callbacks a container that closes within one write is handed to the
  // platform's JSON.parse (several times faster than building it in JS); see bench/bulk.
  const fast = onComplete === undefined && (guide === undefined || guide.passive === true);
  const tracking = onDelta !== undefined;

  // Open containers, innermost last. `keys[d]` is the key or index of the entry that container
  // `d` is filling now (its last entry); `path[d]` is container d's own key in its parent.
  const containers: Container[] = [];
  const isArray: boolean[] = [];
  const keys: Key[] = [];
  const path: Key[] = [];
  const snaps: (Container | undefined)[] = [];
  const openedIn: number[] = []; // write number in which container d opened (delta coalescing)
  const addOpAt: number[] = []; // index in `ops` of container d's `add` delta

  let root: unknown = undefined;
  let pendingKey = '';
  let staleTo = -1; // snapshots of depths 0..staleTo are out of date
  let changed = false; // something visible changed in this write
  let writeNo = 0;
  let ops: Delta[] = [];
  let stringOp: { op: 'add' | 'append'; path: JsonPath; value: string } | undefined;
  let stringText = '';
  let stringAtomic = false; // the guide keeps this string out of snapshots until complete
  let stringOpen = false;
  let stringPath: JsonPath = [];
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

  /** Path of the slot the next value goes into. */
  function slotPath(): Key[] {
    const top = containers.length - 1;
    if (top < 0) return [];
    return childPath(isArray[top] ? (containers[top] as unknown[]).length : pendingKey);
  }

  /** Puts `value` into the current slot (the root, the next array element, or the pending key). */
  function place(value: unknown, deltaValue: unknown): Key | undefined {
    const top = containers.length - 1;
    let key: Key | undefined;
    let op: 'add' | 'replace' = 'add';
    if (top < 0) {
      root = value;
    } else if (isArray[top]) {
      const array = containers[top] as unknown[];
      key = array.length;
      array.push(value);
      keys[top] = key;
    } else {
      key = pendingKey;
      const object = containers[top] as Record<string, unknown>;
      if (tracking && hasOwn.call(object, key)) op = 'replace';
      setOwn(object, key, value);
      keys[top] = key;
    }
    markChanged(top < 0 ? 0 : top);
    if (tracking) ops.push({ op, path: childPath(key), value: deltaValue });
    return key;
  }

  /** Replaces the value in the current slot (string growth, a closed container's final object). */
  function setSlot(depth: number, value: unknown): void {
    if (depth < 0) root = value;
    else setOwn(containers[depth]!, keys[depth]!, value);
  }

  function completed(value: unknown): unknown {
    if (guide === undefined && onComplete === undefined) return value;
    const p = slotPathOfLast();
    const kept = guide === undefined ? value : guide.complete(p, value);
    if (onComplete !== undefined) callComplete(kept, p);
    return kept;
  }

  /** Path of the entry just placed in the innermost container (or the root). */
  function slotPathOfLast(): Key[] {
    const top = containers.length - 1;
    return top < 0 ? [] : childPath(keys[top]);
  }

  function open(array: boolean): void {
    if (guide !== undefined) guide.open(slotPath(), array ? 'array' : 'object');
    const container: Container = array ? [] : {};
    const opIndex = ops.length;
    const key = place(container, array ? [] : {});
    const depth = containers.length;
    containers.push(container);
    isArray.push(array);
    keys.push(array ? -1 : '');
    path.push(key ?? '');
    snaps.push(undefined);
    openedIn.push(writeNo);
    addOpAt.push(opIndex);
    markChanged(depth);
  }

  function close(): void {
    const depth = containers.length - 1;
    const working = containers[depth]!;
    // Reuse the snapshot if nothing changed since it was taken: unchanged subtrees keep identity.
    const snap = snaps[depth];
    let value: unknown = snap !== undefined && staleTo < depth ? snap : working;
    containers.pop();
    isArray.pop();
    keys.pop();
    path.pop();
    snaps.pop();
    const opened = openedIn.pop()!;
    const opIndex = addOpAt.pop()!;
    if (staleTo >= depth) staleTo = depth - 1;
    if (guide !== undefined || onComplete !== undefined) {
      const kept = completed(value);
      if (kept !== value) {
        value = kept;
        markChanged(depth - 1);
      }
    }
    if (value !== working) setSlot(depth - 1, value);
    if (tracking && opened === writeNo) {
      // Opened and closed within this write: one `add` of the whole value replaces its deltas.
      ops.length = opIndex + 1;
      const addOp = ops[opIndex]!;
      ops[opIndex] = { op: addOp.op === 'replace' ? 'replace' : 'add', path: addOp.path, value };
    }
  }

  function scalar(value: unknown): void {
    if (guide === undefined && onComplete === undefined) {
      place(value, value);
      return;
    }
    // One path for the guide and the callback (paths are read-only).
    const p = slotPath();
    if (guide !== undefined) value = guide.complete(p, value);
    place(value, value);
    if (onComplete !== undefined) callComplete(value, p);
  }

  function callComplete(value: unknown, p: JsonPath): void {
    try {
      onComplete!(value, p);
    } catch (error) {
      callbackThrew = true;
      throw error;
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
      if (guide !== undefined) guide.key(childPath(undefined), key);
      pendingKey = key;
    },
    string(value) {
      if (guide !== undefined) {
        const p = slotPath();
        guide.startString(p);
        guide.stringPart(p, value);
      }
      scalar(value);
    },
    startString() {
      stringText = '';
      stringOpen = true;
      // One path for the whole string, shared by the guide's calls and the appends (read-only).
      if (guide !== undefined || tracking) stringPath = slotPath();
      stringAtomic = guide !== undefined && guide.startString(stringPath);
      if (stringAtomic) return;
      place('', '');
      if (tracking) stringOp = ops[ops.length - 1] as typeof stringOp;
    },
    stringPart(text) {
      stringText += text;
      if (guide !== undefined) guide.stringPart(stringPath, stringText);
      if (stringAtomic) return;
      // The working container gets the text at the string's end; snapshots read `stringText`.
      markChanged(containers.length === 0 ? 0 : containers.length - 1);
      if (tracking) {
        if (stringOp !== undefined) {
          stringOp.value += text;
        } else {
          stringOp = { op: 'append', path: stringPath, value: text };
          ops.push(stringOp);
        }
      }
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
      const kept = completed(text);
      setSlot(containers.length - 1, kept);
      if (kept !== text) {
        markChanged(containers.length === 0 ? 0 : containers.length - 1);
        if (tracking) ops.push({ op: 'replace', path: slotPathOfLast(), value: kept });
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
    maxDepth: options.maxDepth,
    maxStringLength: options.maxStringLength,
  });

  function snapshot(): unknown {
    const top = containers.length - 1;
    const growing = stringOpen && !stringAtomic;
    if (top < 0) return growing ? stringText : root;
    for (let d = Math.min(staleTo, top); d >= 0; d--) {
      const working = containers[d]!;
      const copy: Container = isArray[d] ? (working as unknown[]).slice() : { ...(working as Record<string, unknown>) };
      // The open child's entry is its own snapshot, never the working object; an open string's
      // text lives in `stringText` until it closes.
      if (d < top) setOwn(copy, keys[d]!, snaps[d + 1]);
      else if (growing) setOwn(copy, keys[d]!, stringText);
      snaps[d] = copy;
    }
    staleTo = -1;
    return snaps[0];
  }

  function flush(): void {
    writeNo++;
    stringOp = undefined;
    if (!changed) return;
    changed = false;
    if (tracking && ops.length > 0) {
      const out = ops;
      ops = [];
      onDelta!(out);
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

  return {
    write(chunk) {
      if (ended) throw new TypeError('write() called after end(); create a new parser for the next JSON text');
      if (failed) throw afterRejection('write()', rejected);
      try {
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
    },
    end() {
      if (ended) throw new TypeError('end() called twice; create a new parser for the next JSON text');
      if (failed) throw afterRejection('end()', rejected);
      try {
        tokenizer.end();
        flush();
      } catch (error) {
        throw reject(error);
      }
      ended = true;
      root = guide === undefined ? root : guide.finish(root);
      return root as T;
    },
    get value() {
      return snapshot() as DeepPartial<T> | undefined;
    },
    get complete() {
      return tokenizer.complete;
    },
    get done() {
      return ended;
    },
    get path() {
      if (tokenizer.complete || ended || tokenizer.position === 0) return undefined;
      if (stringOpen) return stringAtomic ? slotPath() : slotPathOfLast();
      return containers.length === 0 ? [] : childPath(undefined);
    },
    get position() {
      return tokenizer.position;
    },
  };
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
