import fc from 'fast-check';
import { chunked, findLoneSurrogate, utf8Chunks, type ChunkedConstraints } from './chunked.js';
import { llmChunks } from './llm-chunks.js';
import { isHighSurrogate, isLowSurrogate } from '../json/surrogates.js';

/**
 * Which invariant of DESIGN.md's "Semantics of partial values" a snapshot sequence broke.
 *
 * - `value-disappeared`: a snapshot is `undefined` after a defined one.
 * - `type-changed` (invariant 2): the value at a path changed JSON type (`undefined` counts as a
 *   type, so a property shown before its value's type is known is caught here).
 * - `scalar-changed` (invariant 3): a number, boolean or null differs from a later one at the
 *   same path: it was shown before it was complete (`12` then `123`).
 * - `string-not-prefix` (invariant 4): a string is not a prefix of the later string at the path.
 * - `lone-surrogate` (invariant 4): a string ends with a high surrogate that the later string
 *   pairs with a low surrogate.
 * - `array-shrank`, `array-element-changed` (invariant 5): an array lost elements, or an element
 *   other than the last one changed.
 * - `object-property-removed`, `object-key-order`, `object-property-changed` (invariant 5): an
 *   object lost a property, its keys are not a prefix (in insertion order) of the later keys, or
 *   a property other than the last one added changed.
 * - `sharing-lost` (invariant 8, only with {@link SnapshotSequenceOptions.structuralSharing}): an
 *   array or object that did not change is not the same object as in the previous snapshot.
 *
 * @public
 */
export type SnapshotInvariant =
  | 'value-disappeared'
  | 'type-changed'
  | 'scalar-changed'
  | 'string-not-prefix'
  | 'lone-surrogate'
  | 'array-shrank'
  | 'array-element-changed'
  | 'object-property-removed'
  | 'object-key-order'
  | 'object-property-changed'
  | 'sharing-lost';

/**
 * The first broken invariant found by {@link findSnapshotViolation}.
 * @public
 */
export interface SnapshotViolation {
  /** Which invariant. */
  invariant: SnapshotInvariant;
  /** Index of the offending snapshot in the sequence. */
  index: number;
  /** What the snapshot was compared with: the next snapshot or the final value. */
  against: 'next' | 'final';
  /** Path of the offending value from the root: property names and array indexes. */
  path: (string | number)[];
  /** A sentence naming all of the above and quoting both values (truncated). */
  message: string;
}

/**
 * Options for {@link checkSnapshotSequence} and {@link findSnapshotViolation}.
 * @public
 */
export interface SnapshotSequenceOptions {
  /**
   * The text may repeat object keys. `JSON.parse` keeps the last value, so a property may be
   * replaced by any value of any type: below object properties, only key presence and order are
   * checked (a replaced property is accepted whatever it becomes).
   * @defaultValue false
   */
  repeatedKeys?: boolean | undefined;
  /**
   * Also check structural sharing between consecutive snapshots (invariant 8): an array or object
   * equal to the one at the same path in the previous snapshot must be the very same object. Only
   * meaningful when the snapshots were recorded without cloning.
   * @defaultValue false
   */
  structuralSharing?: boolean | undefined;
  /**
   * The parser ran with `partialNumbers`: a number may become another number while it grows
   * (`1`, `12`, `12.5`); it must still stay a number (invariant 2). With a schema, a growing
   * number the schema rejects may also leave again (the last element of its array, or the
   * property last added to its object), as the parser's `remove` delta says.
   * @defaultValue false
   */
  partialNumbers?: boolean | undefined;
}

type JsonType = 'undefined' | 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'other';

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'object':
      return 'object';
    default:
      return 'other';
  }
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

/** Keys that JavaScript orders first (ascending) whatever their insertion order: array-index-like keys. */
function isIndexKey(key: string): boolean {
  return INDEX_KEY.test(key) && Number(key) < 0xffff_ffff;
}

/**
 * Options for {@link deepEqualJson}.
 * @public
 */
export interface DeepEqualJsonOptions {
  /**
   * Objects must list their keys in the same order (`Object.keys`), as `JSON.parse` defines it.
   * @defaultValue true
   */
  keyOrder?: boolean | undefined;
}

/**
 * Structural equality of JSON values: numbers compare with `Object.is` (so `-0` differs from `0`,
 * as `JSON.parse("-0")` gives `-0`), arrays element by element, objects by own enumerable keys
 * (in order, by default) and values.
 *
 * @remarks
 * Iterative (no recursion), so deeply nested values do not overflow the stack. Values must be
 * acyclic. Objects that are neither arrays nor plain objects compare by their own enumerable
 * properties too.
 *
 * @param a - A JSON value.
 * @param b - Another JSON value.
 * @param options - See {@link DeepEqualJsonOptions}.
 * @returns Whether they are equal.
 *
 * @example
 * ```ts
 * deepEqualJson(JSON.parse('[-0]'), [0]); // false
 * deepEqualJson({ a: 1, b: 2 }, { b: 2, a: 1 }); // false
 * deepEqualJson({ a: 1, b: 2 }, { b: 2, a: 1 }, { keyOrder: false }); // true
 * ```
 *
 * @public
 */
export function deepEqualJson(a: unknown, b: unknown, options: DeepEqualJsonOptions = {}): boolean {
  const keyOrder = options.keyOrder ?? true;
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop() as [unknown, unknown];
    if (Object.is(x, y)) continue;
    if (!isContainer(x) || !isContainer(y)) return false;
    const xArray = Array.isArray(x);
    if (xArray !== Array.isArray(y)) return false;
    if (xArray) {
      const xs = x as unknown[];
      const ys = y as unknown[];
      if (xs.length !== ys.length) return false;
      for (let i = 0; i < xs.length; i++) stack.push([xs[i], ys[i]]);
      continue;
    }
    const xKeys = Object.keys(x);
    const yKeys = Object.keys(y);
    if (xKeys.length !== yKeys.length) return false;
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    for (let i = 0; i < xKeys.length; i++) {
      const key = xKeys[i] as string;
      if (keyOrder ? yKeys[i] !== key : !Object.prototype.hasOwnProperty.call(y, key)) return false;
      stack.push([xo[key], yo[key]]);
    }
  }
  return true;
}

/**
 * Freezes a value and everything reachable from it (arrays and objects), so that any later
 * mutation throws in strict mode; useful to check that a parser never mutates a snapshot it has
 * handed out (DESIGN invariant 8).
 *
 * @remarks
 * Iterative, safe with shared subtrees and cycles.
 *
 * @param value - The value to freeze (returned as is).
 * @returns The same value, frozen.
 *
 * @example
 * ```ts
 * const snapshots: unknown[] = [];
 * for (const chunk of chunks) { parser.write(chunk); snapshots.push(deepFreeze(parser.value)); }
 * ```
 *
 * @public
 */
export function deepFreeze<T>(value: T): T {
  const seen = new WeakSet<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!isContainer(item) || seen.has(item)) continue;
    seen.add(item);
    Object.freeze(item);
    for (const key of Object.keys(item)) stack.push((item as Record<string, unknown>)[key]);
  }
  return value;
}

interface PathNode {
  parent: PathNode | undefined;
  key: string | number;
}

function toPath(node: PathNode | undefined): (string | number)[] {
  const path: (string | number)[] = [];
  for (let n = node; n !== undefined; n = n.parent) path.push(n.key);
  return path.reverse();
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Formats a path the way JavaScript would access it: `$`, `$.a[2]["x y"]`.
 * @public
 */
export function formatJsonPath(path: readonly (string | number)[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (IDENTIFIER.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

const MAX_SHOWN = 60;

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Object.is(value, -0)) return '-0';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

interface Found {
  invariant: SnapshotInvariant;
  path: PathNode | undefined;
  detail: string;
}

interface Frame {
  a: unknown;
  b: unknown;
  path: PathNode | undefined;
}

/**
 * Whether `earlier` may be followed by `later`: the prefix relation of DESIGN.md's semantics of
 * partial values. Iterative; returns the first problem or undefined.
 */
function compare(earlier: unknown, later: unknown, options: SnapshotSequenceOptions, sharing: boolean): Found | undefined {
  const repeatedKeys = options.repeatedKeys ?? false;
  const stack: Frame[] = [{ a: earlier, b: later, path: undefined }];
  while (stack.length > 0) {
    const { a, b, path } = stack.pop() as Frame;
    const ta = jsonType(a);
    const tb = jsonType(b);
    if (ta !== tb) {
      return { invariant: 'type-changed', path, detail: `${ta} ${show(a)} became ${tb} ${show(b)}` };
    }
    switch (ta) {
      case 'undefined':
      case 'null':
      case 'boolean':
      case 'number':
      case 'other':
        if (!Object.is(a, b) && !(ta === 'number' && options.partialNumbers === true)) {
          return { invariant: 'scalar-changed', path, detail: `${show(a)} became ${show(b)}` };
        }
        break;
      case 'string': {
        const sa = a as string;
        const sb = b as string;
        if (!sb.startsWith(sa)) {
          return { invariant: 'string-not-prefix', path, detail: `${show(sa)} is not a prefix of ${show(sb)}` };
        }
        if (sa.length > 0 && isHighSurrogate(sa.charCodeAt(sa.length - 1)) && isLowSurrogate(sb.charCodeAt(sa.length))) {
          return {
            invariant: 'lone-surrogate',
            path,
            detail: `${show(sa)} ends with the high surrogate of a pair that ${show(sb)} completes`,
          };
        }
        break;
      }
      case 'array': {
        const xa = a as unknown[];
        const xb = b as unknown[];
        if (sharing && xa !== xb && deepEqualJson(xa, xb)) {
          return { invariant: 'sharing-lost', path, detail: `an unchanged array ${show(xa)} is a new object` };
        }
        // A growing number the schema rejected leaves again (partialNumbers).
        const dropped = options.partialNumbers === true && xa.length === xb.length + 1 && typeof xa[xb.length] === 'number';
        if (xa.length > xb.length && !dropped) {
          return { invariant: 'array-shrank', path, detail: `length ${xa.length} became ${xb.length}` };
        }
        for (let i = 0; i < xa.length - 1; i++) {
          if (!deepEqualJson(xa[i], xb[i])) {
            return {
              invariant: 'array-element-changed',
              path: { parent: path, key: i },
              detail: `element ${i} of ${xa.length} changed from ${show(xa[i])} to ${show(xb[i])}; only the last element may change`,
            };
          }
          if (sharing && isContainer(xa[i]) && xa[i] !== xb[i]) {
            return { invariant: 'sharing-lost', path: { parent: path, key: i }, detail: `an unchanged ${jsonType(xa[i])} is a new object` };
          }
        }
        if (xa.length > 0 && !dropped) stack.push({ a: xa[xa.length - 1], b: xb[xa.length - 1], path: { parent: path, key: xa.length - 1 } });
        break;
      }
      case 'object': {
        const oa = a as Record<string, unknown>;
        const ob = b as Record<string, unknown>;
        if (sharing && oa !== ob && deepEqualJson(oa, ob)) {
          return { invariant: 'sharing-lost', path, detail: `an unchanged object ${show(oa)} is a new object` };
        }
        let keysA = Object.keys(oa);
        // A growing number the schema rejected leaves again (partialNumbers): the property last added.
        const lastKey = keysA.filter((k) => !isIndexKey(k)).pop();
        const gone = keysA.filter((k) => !Object.prototype.hasOwnProperty.call(ob, k));
        if (options.partialNumbers === true && gone.length === 1 && typeof oa[gone[0]!] === 'number' && (gone[0] === lastKey || isIndexKey(gone[0]!))) {
          keysA = keysA.filter((k) => k !== gone[0]);
        }
        for (const key of keysA) {
          if (!Object.prototype.hasOwnProperty.call(ob, key)) {
            return { invariant: 'object-property-removed', path: { parent: path, key }, detail: `property ${JSON.stringify(key)} is not in the later value (it disappeared, or its key was shown incomplete)` };
          }
        }
        // Insertion order is observable only for non-index keys (index keys are listed first, ascending).
        const namedA = keysA.filter((k) => !isIndexKey(k));
        const namedB = Object.keys(ob).filter((k) => !isIndexKey(k));
        for (let i = 0; i < namedA.length; i++) {
          if (namedA[i] !== namedB[i]) {
            return {
              invariant: 'object-key-order',
              path,
              detail: `keys ${show(namedA)} are not a prefix of the later keys ${show(namedB)}`,
            };
          }
        }
        const changed = keysA.filter((k) => !deepEqualJson(oa[k], ob[k]));
        if (repeatedKeys) {
          // A repeated key replaces its value with anything; only an unchanged property is checked (for sharing).
          if (sharing) {
            for (const key of keysA) {
              if (!changed.includes(key) && isContainer(oa[key]) && oa[key] !== ob[key]) {
                return { invariant: 'sharing-lost', path: { parent: path, key }, detail: `an unchanged ${jsonType(oa[key])} is a new object` };
              }
            }
          }
          break;
        }
        const lastNamed = namedA[namedA.length - 1];
        for (const key of changed) {
          // The last property added is either the last named key or, invisibly, an index key.
          const mayBeLast = changed.length === 1 && (isIndexKey(key) || key === lastNamed);
          if (!mayBeLast) {
            return {
              invariant: 'object-property-changed',
              path: { parent: path, key },
              detail: `property ${JSON.stringify(key)} changed from ${show(oa[key])} to ${show(ob[key])}; only the last property added may change`,
            };
          }
        }
        if (sharing) {
          for (const key of keysA) {
            if (!changed.includes(key) && isContainer(oa[key]) && oa[key] !== ob[key]) {
              return { invariant: 'sharing-lost', path: { parent: path, key }, detail: `an unchanged ${jsonType(oa[key])} is a new object` };
            }
          }
        }
        const only = changed[0];
        if (only !== undefined) stack.push({ a: oa[only], b: ob[only], path: { parent: path, key: only } });
        break;
      }
      default: {
        const exhaustive: never = ta;
        throw new TypeError(`unexpected JSON type ${String(exhaustive)}`);
      }
    }
  }
  return undefined;
}

function violation(found: Found, index: number, against: 'next' | 'final'): SnapshotViolation {
  const path = toPath(found.path);
  const message = `${found.invariant}: snapshot ${index} at ${formatJsonPath(path)}, compared with ${
    against === 'next' ? `snapshot ${index + 1}` : 'the final value'
  }: ${found.detail}`;
  return { invariant: found.invariant, index, against, path, message };
}

/**
 * Finds the first snapshot that breaks the semantics of partial values (DESIGN.md, invariants
 * 2 to 5, and 8 on request), as a structured {@link SnapshotViolation}.
 *
 * @remarks
 * Each defined snapshot must be a "prefix" of the next defined snapshot and of the final value:
 * the same JSON type at every path; numbers, booleans and null equal to their final value;
 * strings that are prefixes of the later string, never ending in a high surrogate that the later
 * string pairs; arrays whose elements other than the last are final and whose last element is a
 * prefix of the later one; objects whose keys are a prefix of the later keys (in insertion order;
 * index-like keys, which JavaScript lists first, only need to be present) and whose properties
 * other than the last one added are final. A snapshot may be `undefined` only before the first
 * defined one. Snapshots are compared as given: record them without cloning only if the parser
 * never mutates what it handed out (freeze them with {@link deepFreeze} to make sure).
 *
 * Each check is O(size of the snapshot); iterative, so deep values do not overflow the stack.
 *
 * @param snapshots - The parser's value after each write, in order (`undefined` allowed at the start).
 * @param final - The final value (e.g. `JSON.parse(text)` or `parser.end()`).
 * @param options - See {@link SnapshotSequenceOptions}.
 * @returns The first violation (lowest snapshot index; against the final value before against the
 *   next snapshot), or `undefined` when the sequence is valid.
 *
 * @public
 */
export function findSnapshotViolation(
  snapshots: readonly unknown[],
  final: unknown,
  options: SnapshotSequenceOptions = {},
): SnapshotViolation | undefined {
  const sharing = options.structuralSharing ?? false;
  for (let i = 0; i < snapshots.length; i++) {
    const snapshot = snapshots[i];
    const next = i + 1 < snapshots.length ? snapshots[i + 1] : undefined;
    if (snapshot === undefined) continue;
    const againstFinal = compare(snapshot, final, options, false);
    if (againstFinal !== undefined) return violation(againstFinal, i, 'final');
    if (i + 1 < snapshots.length) {
      if (next === undefined) {
        return violation({ invariant: 'value-disappeared', path: undefined, detail: `${show(snapshot)} became undefined` }, i, 'next');
      }
      const againstNext = compare(snapshot, next, options, sharing);
      if (againstNext !== undefined) return violation(againstNext, i, 'next');
    }
  }
  return undefined;
}

/**
 * Checks a sequence of snapshots, observed after each write, against the semantics of partial
 * values of DESIGN.md and returns the first violation described in one sentence.
 *
 * @remarks
 * See {@link findSnapshotViolation} for the exact rules and {@link SnapshotInvariant} for the
 * invariant names that start each message.
 *
 * @param snapshots - The parser's value after each write, in order (`undefined` allowed at the start).
 * @param final - The final value.
 * @param options - See {@link SnapshotSequenceOptions}.
 * @returns A message such as
 *   `scalar-changed: snapshot 2 at $.a[0], compared with the final value: 12 became 123`, or
 *   `undefined` when every invariant holds.
 *
 * @example
 * ```ts
 * const snapshots: unknown[] = [];
 * const parser = createPartialParser();
 * for (const chunk of chunks) { parser.write(chunk); snapshots.push(deepFreeze(parser.value)); }
 * expect(checkSnapshotSequence(snapshots, parser.end())).toBeUndefined();
 * ```
 *
 * @public
 */
export function checkSnapshotSequence(
  snapshots: readonly unknown[],
  final: unknown,
  options: SnapshotSequenceOptions = {},
): string | undefined {
  return findSnapshotViolation(snapshots, final, options)?.message;
}

/**
 * Options for {@link assertChunkingInvariant}.
 * @public
 */
export interface ChunkingInvariantOptions {
  /**
   * What the whole text must give; when it throws, `parse` must throw for every chunking.
   * Pass one that skips a leading BOM for texts that start with one (the one documented
   * difference from `JSON.parse`).
   * @defaultValue `JSON.parse`
   */
  oracle?: ((text: string) => unknown) | undefined;
  /**
   * Equality of `parse`'s result and the oracle's.
   * @defaultValue {@link deepEqualJson}
   */
  equal?: ((actual: unknown, expected: unknown) => boolean) | undefined;
  /**
   * Also feed UTF-8 byte chunks from {@link utf8Chunks}; skipped for texts with lone surrogates.
   * @defaultValue true
   */
  bytes?: boolean | undefined;
  /**
   * Also feed model-token-like chunks from {@link llmChunks}.
   * @defaultValue true
   */
  llm?: boolean | undefined;
  /** Constraints for {@link chunked} and {@link utf8Chunks}. */
  chunkedConstraints?: ChunkedConstraints | undefined;
  /**
   * Chunkings tried per kind (strings, bytes, model tokens).
   * @defaultValue fast-check's global `numRuns` (100 unless configured)
   */
  numRuns?: number | undefined;
  /** fast-check seed, to replay a failure. */
  seed?: number | undefined;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function run(parse: () => unknown): Outcome {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    return { ok: false, error };
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Asserts DESIGN.md invariant 1 for one text: however the text is cut into chunks (strings,
 * UTF-8 bytes, model-token-like pieces), `parse` gives the value the oracle gives for the whole
 * text, or throws when the oracle throws.
 *
 * @remarks
 * Runs `fc.assert` over {@link chunked}, then {@link utf8Chunks} and {@link llmChunks}; a failure
 * throws fast-check's report (the chunking, the seed to replay it, and the mismatch).
 *
 * @param parse - Feeds all chunks to a fresh parser and returns its final value (or throws).
 * @param text - The whole text.
 * @param options - See {@link ChunkingInvariantOptions}.
 * @throws Error (from `fc.assert`) when some chunking gives another value or outcome.
 *
 * @example
 * ```ts
 * assertChunkingInvariant((chunks) => {
 *   const parser = createPartialParser();
 *   for (const chunk of chunks) parser.write(chunk);
 *   return parser.end();
 * }, '{"a":[1,"\\ud83d\\ude00",-0.5e3]}');
 * ```
 *
 * @public
 */
export function assertChunkingInvariant(
  parse: (chunks: readonly (string | Uint8Array)[]) => unknown,
  text: string,
  options: ChunkingInvariantOptions = {},
): void {
  const oracle = options.oracle ?? ((t: string): unknown => JSON.parse(t));
  const equal = options.equal ?? ((x: unknown, y: unknown): boolean => deepEqualJson(x, y));
  const expected = run(() => oracle(text));
  // put the mismatch in the thrown message (fast-check 4 otherwise keeps it in `cause` only)
  const parameters: fc.Parameters<[readonly (string | Uint8Array)[]]> = { includeErrorInReport: true };
  if (options.numRuns !== undefined) parameters.numRuns = options.numRuns;
  if (options.seed !== undefined) parameters.seed = options.seed;

  const check = (chunks: readonly (string | Uint8Array)[]): void => {
    const actual = run(() => parse(chunks));
    if (expected.ok && !actual.ok) {
      throw new Error(`parse threw ${describeError(actual.error)} but the oracle gives ${show(expected.value)}`);
    }
    if (!expected.ok && actual.ok) {
      throw new Error(`parse returned ${show(actual.value)} but the oracle throws ${describeError(expected.error)}`);
    }
    if (expected.ok && actual.ok && !equal(actual.value, expected.value)) {
      throw new Error(`parse returned ${show(actual.value)} but the oracle gives ${show(expected.value)}`);
    }
  };

  const constraints = options.chunkedConstraints ?? {};
  fc.assert(fc.property(chunked(text, constraints), check), parameters);
  if ((options.bytes ?? true) && findLoneSurrogate(text) === -1) {
    fc.assert(fc.property(utf8Chunks(text, constraints), check), parameters);
  }
  if (options.llm ?? true) {
    fc.assert(fc.property(llmChunks(text), check), parameters);
  }
}
