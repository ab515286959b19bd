import { ParseError } from '../json/errors.js';
import { createRecordTokenizer, NO_TOKENS, SKIPPED, SKIPPED_RUN, type FastTokenHandler, type RecordTokenizer } from '../json/tokenizer.js';
import type { Lenient, ParseWarning } from '../json/warnings.js';
import type { Delta } from './delta.js';
import { type Container, hasOwn, setOwn } from './own.js';
import { type JsonPath, toJsonPointer } from '../json/json-pointer.js';
import { growingNumber, NUMBER_SHOWN_MAX } from './numbers.js';
import { POINTERS, pointersPlugin, SCALAR_DROP, SCALAR_PLAIN, type ParserWatch, type PointerPatterns, type WatchHost } from './pointers.js';
import { SchemaValidationError } from './schema-error.js';
import { makeGuide, type GuideFactory, type ValueGuide } from './guide.js';
import type { DeepPartial, SchemaInput, SchemaLike, SchemaOutput } from './schema-types.js';

/** `numberBefore_` when the growing number's slot held nothing. */
const ABSENT: unique symbol = Symbol('absent');

type Key = string | number;

/**
 * Options of {@link createPartialParser}. `T` is the final value's type; `P` the partial
 * values' (with a schema: the deep partial of the schema's input, since transforms apply only
 * to the final value).
 * @public
 */
export interface PartialParserOptions<T = unknown, P = DeepPartial<T>> {
  /**
   * The schema of the value: zod v4, or any Standard Schema validator (valibot, arktype, …).
   * Without a `guide`, `end()` validates the final value through the schema's Standard Schema
   * `validate` and returns its output (a {@link SchemaValidationError} with `early: false` when
   * it does not match); snapshots are not checked while the text streams. Snapshots hold the
   * JSON as parsed, so they are typed from the schema's input (`DeepPartial<z.input<S>>`) and
   * `end()` from its output.
   */
  schema?: SchemaLike | undefined;
  /**
   * Follows the value against `schema` while it streams: pass `zodGuide` for zod v4 schemas.
   * Each subtree is then validated once, when it closes; a partial value that can never become
   * valid fails at once (an early {@link SchemaValidationError}); enum, literal and
   * format-checked strings appear only once complete and valid; `end()` returns the schema's
   * full parse (defaults, transforms, refinements). An early failure has the same issues and
   * position for every chunking, and leaves in `value` only what the text before that position
   * says (see `SchemaValidationError.position`). A guide that cannot follow the schema (returns
   * `undefined`) leaves the final validation only. Ignored without `schema`.
   */
  guide?: GuideFactory | undefined;
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
   *
   * In lenient mode, values that `end()` closes because the text was cut (a truncated string,
   * the containers left open, the last number or literal inside them) are not complete: they
   * get no `onComplete` (nor `onElement`), although `end()`'s value holds them. A value reported
   * complete is never one the text cut short.
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
  /**
   * Lenient mode: repairs what language models send instead of failing (prose, fences and
   * `<think>` blocks around the value, trailing commas, comments, single quotes, unquoted keys,
   * Python/JavaScript literals, raw control characters and bad escapes in strings), and `end()`
   * on a truncated text returns the best value so far with a `truncated` warning. Every repair
   * is reported (`onWarning`, `warnings`). On valid JSON the values, deltas and `onComplete`
   * calls are exactly strict mode's; every snapshot invariant holds. Pass `lenient()` (or
   * `lenient({ 'trailing-comma': false })`), imported from `streamshape`: a plug-in, so apps that
   * stay strict do not bundle the repairs. See {@link Lenient} and the README's "Lenient mode".
   * @throws `TypeError` (from `createPartialParser`) for anything but `lenient()`, `false` or
   *   `undefined` (such as `true`, the option of earlier versions).
   * @defaultValue `undefined` (strict)
   */
  lenient?: Lenient | false | undefined;
  /**
   * Called once per repair in lenient mode, synchronously during the `write()` or `end()` that
   * decides it, in stream order, before the `onComplete`/`onDelta`/`onPartial` calls of that
   * write. If it throws, the call rethrows and the parser refuses further input.
   */
  onWarning?: ((warning: ParseWarning) => void) | undefined;
  /**
   * The string values whose text goes to `onText` as it streams, as JSON Pointer patterns (RFC
   * 6901; a segment `*` matches any one key or index): `pointers('/answer', '/files/*\/content')`,
   * with `pointers()` imported from `streamshape` (a plug-in, so apps that do not use it do
   * not bundle it). A pattern matches a path of exactly its length. At most 31 patterns with
   * `select`. Ignored without `onText`.
   * @throws `TypeError` (from `createPartialParser`) for anything but `pointers(…)` or
   *   `undefined` (such as a string array, the option of earlier versions).
   * @defaultValue none
   */
  text?: PointerPatterns | undefined;
  /**
   * Typewriter fields: called with each piece of unescaped text of a string matching a `text`
   * pattern, in order, during the `write` that read it (before `onDelta`/`onPartial`), with the
   * string's JSON Pointer (document indices; the same for every piece of one string).
   * Concatenating the `delta`s of one pointer gives the final string. For each string, the last
   * call has `done: true` (its `delta` is the rest of the text, often `''`): the string closed.
   * A string shown only once complete (a schema's enum or format string), or one that opened and
   * closed within one `write`, arrives as one call with `done: true`.
   * Cost: O(delta) per call, no snapshot is built. If it throws, `write` rethrows and the parser
   * refuses further input.
   * @example
   * ```ts
   * createPartialParser({ text: pointers('/answer'), onText: (delta) => (el.textContent += delta) });
   * ```
   */
  onText?: ((delta: string, pointer: string, done: boolean) => void) | undefined;
  /**
   * The elements to hand to `onElement` one by one, as JSON Pointer patterns (`*` matches any
   * one key or index): `pointers('/items/*', '/sections/*\/bullets/*')`, with `pointers()`
   * imported from `streamshape` (a plug-in, so apps that do not select do not bundle the
   * matching). @streamparser/json's `paths: ['$.items.*']` is `select: pointers('/items/*')`.
   * Ignored without `onElement`.
   * @throws `TypeError` (from `createPartialParser`) for anything but `pointers(…)` or
   *   `undefined` (such as a string array, the option of earlier versions).
   * @defaultValue none
   */
  select?: PointerPatterns | undefined;
  /**
   * Called once per value matching a `select` pattern, when it is complete (after the schema
   * guide validated it, after its `onComplete`), innermost first and in document order, with the
   * value and its JSON Pointer (document indices, also when `keep: false` removed earlier
   * elements). If it throws, `write` rethrows and the parser refuses further input. In lenient
   * mode an element that `end()` closes because the text was cut is not delivered (it stays in
   * the value, also with `keep: false`): see {@link PartialParserOptions.onComplete}.
   */
  onElement?: ((value: unknown, pointer: string) => void) | undefined;
  /**
   * `false` drops each element from the partial value once `onElement` has it, so memory stays
   * bounded by the largest element: a selected array in snapshots (and in `end()`'s value) then
   * holds only the elements not yet delivered (the one still streaming, if any), at indices
   * counted from the first of them; a selected property is removed from its object. Deltas say
   * so with `remove` ops, so replaying them gives the snapshots. Delta paths, `path` and
   * `pending` use the snapshot's indices, `onElement` and `onText` the document's. A schema then
   * sees the arrays without their delivered elements (a `min` length on them fails). The root
   * is never dropped.
   * @defaultValue `true`
   */
  keep?: boolean | undefined;
  /**
   * Show numbers while they grow (`1`, `12`, `123`) instead of only once complete (invariant 3
   * is the default). A growing number shows the longest prefix of its text that is a JSON number
   * (`1.` and `1e` show `1`; `-` shows nothing yet), always a number, and its JSON Pointer is in
   * {@link PartialParser.pending} until it is complete; deltas `add` then `replace` it. Numbers
   * longer than 64 characters stop growing in the snapshot until complete (each growth re-reads
   * the text: this bounds that work). A schema checks the number once it is complete; when it
   * rejects it, the number leaves the value again (a `remove` delta, or a `replace` with the
   * earlier value of a repeated key) before the {@link SchemaValidationError}, so the value left
   * is the same however the text was chunked. With a schema or in lenient mode (where `1.` at the
   * top level may begin prose), a top-level number is shown only once complete. In lenient mode a
   * number the text cuts off inside a container stays as shown (`[1, 2.` ends as `[1, 2]`, where
   * without `partialNumbers` the cut number is dropped: `[1]`), so the value never takes back
   * what it showed.
   * @defaultValue `false`
   */
  partialNumbers?: boolean | undefined;
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
   * In lenient mode an incomplete text gives the best value so far (open strings and containers
   * closed; an incomplete key, number or literal dropped) and one `truncated` warning.
   * @throws {@link ParseError} with code `unexpected-end` when the text is incomplete (strict mode).
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
  /**
   * True when the text so far is a complete JSON text (a trailing top-level number is complete
   * only at `end()`). False after a write failed the schema: the text is rejected at the
   * failure's position, whatever the write held after it.
   */
  readonly complete: boolean;
  /** True once `end()` has returned. */
  readonly done: boolean;
  /**
   * Path of the value being written now (the innermost open string, container or pending
   * property), for "typing" indicators; `undefined` before the text starts and once it is complete.
   */
  readonly path: JsonPath | undefined;
  /**
   * UTF-16 code units of decoded text consumed so far. Inside `onComplete`, `onElement` and
   * `onText`'s final call (`done`), just past the value that fired the call (the same whatever
   * the chunking; `onText`'s other calls carry text whose extent depends on the chunking, and
   * so does the position there); after a {@link ParseError} or a {@link SchemaValidationError}
   * with a position, the error's.
   */
  readonly position: number;
  /** Every repair made so far in lenient mode, in stream order (always empty in strict mode). */
  readonly warnings: readonly ParseWarning[];
  /**
   * JSON Pointers (snapshot indices) of the values the snapshot shows that are still growing:
   * the open string value (unless a schema keeps it out until complete) and, with
   * `partialNumbers`, the growing number. At most one entry (one token is open at a time);
   * containers are not listed (see `path`). The same array object until it changes; `[]` once
   * the text is complete. `parseStream`'s updates, `createPartialStore`'s snapshots and
   * `usePartialJson` carry this same list (after an error there it keeps the value cut off).
   * @example a UI styles `value.price` as "still typing" while `pending.includes('/price')`.
   */
  readonly pending: readonly string[];
}

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
  /** Rope nodes added to open strings' text (one per {@link PIECES} pieces, or per read of a growing string). */
  textNodes: 0,
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
  readonly parent_: PathNode | null;
  readonly key_: Key;
}

/** A long delta path, built once on first read and then shared by every delta that holds it. */
interface LazyPath {
  readonly node_: PathNode;
  path_: Key[] | undefined;
}

function materialise(ref: LazyPath): Key[] {
  const path: Key[] = [];
  for (let node: PathNode | null = ref.node_; node !== null; node = node.parent_) path.push(node.key_);
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
      return (ref.path_ ??= materialise(ref));
    },
    value,
  } as Delta;
}

/** A delta whose `value` may still be set before it is handed out (the parser's own ops list). */
type OpenDelta = { op: Delta['op']; readonly path: JsonPath; value: unknown };

/** `pending` when nothing grows: shared, frozen. */
const NO_PENDING: readonly string[] = Object.freeze([]);

/** No open entry to put into a container's snapshot copy. */
const NOTHING: unique symbol = Symbol('nothing');

/** The empty delta list every parser starts a write with; never written to (pushOp replaces it). */
const NO_OPS: OpenDelta[] = [];

/** Slots per open container in `ParserCore.frames`, and the offsets of its fields (see there). */
const FRAME = 7;
const F_KEY = 1;
const F_OWN = 2;
const F_SNAP = 3;
const F_OPENED = 4;
const F_OP = 5;
const F_COUNT = 6;

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
 * @throws `TypeError` when `schema` is not a schema (a JSON Schema object: convert it first, e.g.
 *   with `z.fromJSONSchema`) or a `select` / `text` / `lenient` option is not its plug-in;
 *   `RangeError` when `maxDepth` or `maxStringLength` is not a number >= 0.
 * @see https://www.rfc-editor.org/rfc/rfc8259
 * @public
 */
export function createPartialParser<S extends SchemaLike>(
  options: PartialParserOptions<SchemaOutput<S>, DeepPartial<SchemaInput<S>>> & { schema: S },
): PartialParser<SchemaOutput<S>, DeepPartial<SchemaInput<S>>>;
export function createPartialParser<T = unknown>(options?: PartialParserOptions<T>): PartialParser<T>;
export function createPartialParser<T = unknown>(options: PartialParserOptions<T> = {}): PartialParser<T> {
  shapeKeeper ??= new ParserHandle(new ParserCore({}));
  const core = new ParserCore(options as PartialParserOptions);
  if (watchKeeper === undefined && core.watch_ !== undefined) {
    // With select and text, so the idle parser holds a watch of each kind (see shapeKeeper); one
    // pattern each, made with this parser's plug-in (whichever build it came from).
    const factory = pointersPlugin(options.select, 'select') ?? pointersPlugin(options.text, 'text');
    const idle = { patterns: ['/-'], [POINTERS]: factory } as PointerPatterns;
    watchKeeper = new ParserCore({ select: idle, onElement: ignore, text: idle, onText: ignore });
  }
  return new ParserHandle<T>(core);
}

/**
 * One idle parser (a few hundred bytes) that lives as long as the module, created with the
 * first parser. V8 holds the hidden classes of an object's fields only weakly: when a major GC
 * finds no parser alive (an app that parses one answer at a time, between answers), those
 * classes die, and with them every piece of optimized code that depends on them, so the next
 * stream runs unoptimized until the JIT compiles it again (measured on Node 20: the first 100 KB
 * stream after a full GC took 5-15x as long as the one before it; with this parser alive, about
 * the same). It holds its tokenizer, so both classes stay.
 */
let shapeKeeper: PartialParser<unknown> | undefined;
/** The same for the `pointers()` plug-in's watch class, made with the first parser that has one. */
let watchKeeper: ParserCore | undefined;
const ignore = (): void => {};

/**
 * Appends to the open string before its text is flattened: at least this many, and at least
 * 1/{@link FLATTEN_RATIO} of its length (see {@link ParserCore.appendText_}).
 */
const FLATTEN_MIN = 32;
const FLATTEN_RATIO = 32;
/**
 * Pieces of the open string gathered before they become one rope node of `stringText` (see
 * {@link ParserCore.appendText_}).
 */
const PIECES = 16;

/**
 * Turns a rope (what `+=` builds: about 32 bytes per append) into one flat string, in place:
 * V8 flattens a cons string when a character is read from it (measured on Node 20: 1 byte per
 * character after, against 32 before; `Number`, `concat`, `indexOf` and `===` leave the rope).
 * Elsewhere it is a harmless read.
 */
function flatten(text: string): string {
  text.charCodeAt(0);
  return text;
}

/**
 * The fast path of {@link SKIPPED}, installed on a parser without per-value
 * callbacks: a container that opens and closes within one write goes to the platform's
 * `JSON.parse` (several times faster than building it in JS; see bench/bulk).
 */
function skipFast(this: ParserCore, text: string): boolean | undefined {
  const watch = this.watch_;
  const bits = watch === undefined ? 0 : watch.next_();
  // A container with `select` / `text` matches inside is tokenized, for their document order;
  // containers inside it may still be taken whole (undefined: declined, not rejected).
  if (bits !== 0 && watch!.inside_(bits)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false; // the tokenizer finds the exact error
  }
  if (bits !== 0 && watch!.skipped_(value, bits)) return true; // selected: placed (unless dropped) and delivered
  this.place_(value, value);
  return true;
}

/** {@link SKIPPED_RUN} for parsers with `select`: see select.ts's `Watch.run_`. */
function skipRun(this: ParserCore, s: string, i: number, depthLeft: number): number {
  return this.watch_!.run_(s, i, depthLeft);
}

/**
 * The parser behind {@link createPartialParser}, and the tokenizer's handler. Its state lives in
 * fields of one object and its steps are prototype methods, not closures (as in the tokenizer):
 * an idle parser costs a few hundred bytes, which matters for servers holding 10,000 streams
 * (issue 12). Not exported: the public object is the {@link ParserHandle} over it.
 */
class ParserCore implements FastTokenHandler {
  readonly onPartial_: ((value: unknown) => void) | undefined;
  readonly onDelta_: ((deltas: Delta[]) => void) | undefined;
  readonly onComplete_: ((value: unknown, path: JsonPath) => void) | undefined;
  readonly guide_: ValueGuide | undefined;
  readonly tracking_: boolean;
  // Both fast paths are fields of every parser (undefined when off), not properties added by some
  // constructors: one hidden class for every option set, so the idle parser that keeps it alive
  // (shapeKeeper) keeps the JIT's code for all of them.
  /** {@link skipFast} when no per-value callback needs every value built here, else undefined. */
  readonly [SKIPPED]: ((text: string) => boolean | undefined) | undefined;
  /** The run fast path (see select.ts's `Watch.run_`) when `select` is set and {@link SKIPPED} is, else undefined. */
  readonly [SKIPPED_RUN]: ((s: string, i: number, depthLeft: number) => number) | undefined;
  readonly tokenizer_: RecordTokenizer;

  /**
   * The open containers, innermost last, FRAME slots each in one array (one backing store rather
   * than one per field: a parser with one open container stays small when 10,000 streams are
   * open at once). For container d, at `FRAME * d`: the working container (mutated by the parser,
   * never handed out); the key or index of the entry it is filling now (its last entry); its own
   * key in its parent; its snapshot (or `undefined`); the write number in which it opened (delta
   * folding); the index in `ops` of its `add` delta or -1 (none of its own); the properties set
   * in it when it is an object (repeated keys included; for the work counter).
   */
  readonly frames_: unknown[] = [];
  /** Open containers (`frames.length / FRAME`). */
  depth_ = 0;
  /** nodes[d]: container d's own path, built on demand (only for paths deeper than EAGER_PATH). */
  nodes_: (PathNode | null)[] | undefined = undefined;

  root_: unknown = undefined;
  pendingKey_ = '';
  staleTo_ = -1; // snapshots of depths 0..staleTo are out of date
  changed_ = false; // something visible changed in this write
  writeNo_ = 0;
  ops_: OpenDelta[] = NO_OPS; // this write's deltas (see pushOp)
  stringOp_: OpenDelta | undefined = undefined; // this write's delta of the open string, to extend
  stringRef_: Key[] | LazyPath | undefined = undefined; // the open string's delta path, shared by its appends
  stringText_ = ''; // the open string's text but its last `stringPieces` pieces (read it through openText())
  stringAppends_ = 0; // rope nodes added to `stringText` since it was last flat
  stringParts_: string[] | undefined = undefined; // PIECES slots, made on the first append
  stringPieces_ = 0; // pieces in `stringParts` not yet in `stringText`
  stringAtomic_ = false; // the guide keeps this string out of snapshots until complete
  stringOpen_ = false;
  ended_ = false;
  // Why the parser refuses further input: a ParseError, a SchemaValidationError, or whatever a
  // callback threw (the tokenizer only records its own errors).
  rejected_: unknown = undefined;
  failed_ = false;
  callbackThrew_ = false; // the error in flight came from onComplete, not from the text
  /** A write or end() is running: one of its callbacks may not write to or end this parser. */
  busy_ = false;
  /** The tokenizer is inside a write or end(): its `position` is where the write began (see position_). */
  feeding_ = false;
  readonly lenient_: boolean;
  readonly lenientOption_: Lenient | false | undefined;
  /** The open string is held as JSON text (string-as-json): the container kind the schema expects. */
  heldJson_: 'object' | 'array' | 'either' | undefined = undefined;
  /** `end()` is running (the tokenizer's end: the handler calls it makes close a cut text in lenient mode). */
  ending_ = false;
  /**
   * Lenient `end()` is closing what the text cut short: no `onComplete`, no `onElement` (and no
   * `keep: false` drop) from here on, so a cut value never looks committed.
   */
  cut_ = false;
  /** The depth of a container parsed from a string the text cut (see `jsonString`): cut when it closes; -1 if none. */
  cutRoot_ = -1;
  /** `maxDepth` (also for containers parsed from strings, see `jsonString`). */
  readonly maxDepth_: number;
  /** `select` / `text` state, when either is set (see select.ts). */
  readonly watch_: ParserWatch | undefined;
  readonly partialNumbers_: boolean;
  /** A growing number is in the slot of the innermost container's last entry (or the root). */
  numberShown_ = false;
  /** The text of the growing number last shown. */
  numberText_ = '';
  /** What the growing number's slot held before it (a repeated key's earlier value), or ABSENT. */
  numberBefore_: unknown = ABSENT;
  pendingList_: readonly string[] = NO_PENDING;

  constructor(options: PartialParserOptions) {
    this.onPartial_ = options.onPartial;
    this.onDelta_ = options.onDelta;
    this.onComplete_ = options.onComplete;
    this.lenient_ = options.lenient !== undefined && options.lenient !== false;
    this.lenientOption_ = options.lenient;
    this.guide_ =
      options.schema === undefined
        ? undefined
        : makeGuide(
            options.schema,
            options.guide,
            () => this.tokenizer_.tokenPosition,
            () => this.tokenizer_.position,
            () => this.tokenizer_.valueStart,
          );
    // Without per-value callbacks a container that closes within one write is handed to the
    // platform's JSON.parse (several times faster than building it in JS); see bench/bulk.
    const fast = this.onComplete_ === undefined && (this.guide_ === undefined || this.guide_.passive === true);
    this[SKIPPED] = fast ? skipFast : undefined;
    this.tracking_ = this.onDelta_ !== undefined;
    this.partialNumbers_ = options.partialNumbers === true;
    // Checked whether or not their callback is set: an array (the option of earlier versions)
    // fails here rather than selecting nothing.
    const select = pointersPlugin(options.select, 'select');
    const text = pointersPlugin(options.text, 'text');
    const watch = (options.onElement === undefined ? undefined : select) ?? (options.onText === undefined ? undefined : text);
    this.watch_ =
      watch === undefined
        ? undefined
        : watch(
            {
              select: options.select?.patterns,
              onElement: this.guarded_<unknown, string, undefined>(options.onElement, true),
              keep: options.keep,
              text: options.text?.patterns,
              onText: this.guarded_<string, string, boolean>(options.onText),
            },
            this as WatchHost,
          );
    this[SKIPPED_RUN] = fast && this.watch_ !== undefined ? skipRun : undefined;
    this.maxDepth_ = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    for (const [name, limit] of [['maxDepth', this.maxDepth_], ['maxStringLength', options.maxStringLength ?? 0]] as const) {
      if (!(limit >= 0)) throw new RangeError(`${name} must be >= 0 (Infinity: no limit), got ${String(limit)}`);
    }
    this.tokenizer_ = createRecordTokenizer(this, {
      maxDepth: this.maxDepth_,
      maxStringLength: options.maxStringLength,
      lenient: options.lenient,
      onWarning: options.onWarning,
    });
  }

  /** `callback`, marking a throw as the callback's (not the text's) like `onComplete`'s. Fixed arity: no rest-argument array per call. */
  guarded_<A, B, C>(callback: ((a: A, b: B, c: C) => void) | undefined, skipCut = false): ((a: A, b: B, c?: C) => void) | undefined {
    if (callback === undefined) return undefined;
    return (a: A, b: B, c?: C) => {
      if (skipCut && this.cut_) return;
      try {
        callback(a, b, c as C);
      } catch (error) {
        this.callbackThrew_ = true;
        throw error;
      }
    };
  }

  containerAt_(d: number): Container {
    return this.frames_[FRAME * d] as Container;
  }

  /** Removes the last entry of container `d` (an element `keep: false` delivered), with a `remove` delta. */
  dropLast_(d: number): void {
    if (!this.cut_) this.removeLast_(d); // a cut element is not delivered (see `cut`): it stays
  }

  /** Removes the last entry of container `d`, with a `remove` delta. */
  removeLast_(d: number): void {
    const container = this.frames_[FRAME * d] as Container;
    const key = this.frames_[FRAME * d + F_KEY] as Key;
    if (Array.isArray(container)) container.pop();
    else delete container[key as string];
    this.markChanged_(d);
    if (this.tracking_ && (this.frames_[FRAME * d + F_OPENED] as number) !== this.writeNo_ && d === this.depth_ - 1) {
      this.pushOp_(makeDelta('remove', this.deltaPath_(key), undefined));
    }
  }

  /**
   * Shows the number the last write ended inside (partialNumbers): the longest prefix of its
   * text that is a JSON number, placed on first sight and replaced as it grows.
   */
  growNumber_(): void {
    const text = this.tokenizer_.numberText;
    if (text === '' || text === this.numberText_ || text.length > NUMBER_SHOWN_MAX) return;
    // A top-level number may still turn out to be prose (lenient: `1. Here is…`) or be rejected
    // by the schema, and the root cannot leave the value by a delta: shown once complete.
    if (this.depth_ === 0 && (this.lenient_ || this.guide_ !== undefined)) return;
    const value = growingNumber(text);
    if (value === undefined) return;
    const before = this.numberText_;
    this.numberText_ = text;
    if (!this.numberShown_) {
      this.numberShown_ = true;
      const top = this.depth_ - 1;
      const object = top < 0 ? undefined : (this.frames_[FRAME * top] as Record<string, unknown>);
      this.numberBefore_ = object === undefined || Array.isArray(object) || !hasOwn.call(object, this.pendingKey_) ? ABSENT : object[this.pendingKey_ as string];
      this.place_(value, value);
      return;
    }
    if (Object.is(growingNumber(before), value)) return;
    this.replaceLast_(value);
  }

  /** Replaces the innermost container's last entry (or the root) with a `replace` delta. */
  replaceLast_(value: unknown): void {
    const top = this.depth_ - 1;
    this.setSlot_(top, value);
    this.markChanged_(top < 0 ? 0 : top);
    if (this.tracking_ && this.reportable_()) {
      this.pushOp_(makeDelta('replace', this.deltaPath_(top < 0 ? undefined : (this.frames_[FRAME * top + F_KEY] as Key)), value));
    }
  }

  /** The growing number is complete: it replaces what was shown, then is handled as any scalar. */
  finishNumber_(value: number): void {
    this.numberShown_ = false;
    this.numberText_ = '';
    const p = this.onComplete_ === undefined ? undefined : this.slotPathOfLast_();
    let kept: unknown = value;
    if (this.guide_ !== undefined) {
      try {
        kept = this.guide_.complete(value);
      } catch (error) {
        // Rejected: the number leaves the value, as if it had never been shown (it would not
        // have been, had the write that completed it also held its first digit).
        // (Never at the top level: with a schema a top-level number is not shown while it grows.)
        const before = this.numberBefore_;
        if (before !== ABSENT) this.replaceLast_(before);
        else this.removeLast_(this.depth_ - 1);
        throw error;
      }
    }
    const top = this.depth_ - 1;
    const shown = top < 0 ? this.root_ : (this.frames_[FRAME * top] as Record<string | number, unknown>)[this.frames_[FRAME * top + F_KEY] as Key];
    if (!Object.is(shown, kept)) this.replaceLast_(kept);
    if (p !== undefined) this.callComplete_(kept, p);
    const watch = this.watch_;
    if (watch === undefined) return;
    const answer = watch.scalar_(kept, true);
    if (answer !== SCALAR_PLAIN) watch.deliver_(kept, watch.lastPointer_, true);
  }

  /** See {@link PartialParser.pending}. */
  pending_(): readonly string[] {
    let pointer: string | undefined;
    if (!this.complete_() && !this.ended_) {
      if (this.stringOpen_ && !this.stringAtomic_) pointer = toJsonPointer(this.slotPathOfLast_());
      else if (this.numberShown_) pointer = toJsonPointer(this.slotPathOfLast_());
    }
    if (pointer === undefined) {
      this.pendingList_ = NO_PENDING;
    } else if (this.pendingList_.length === 0 || this.pendingList_[0] !== pointer) {
      this.pendingList_ = Object.freeze([pointer]);
    }
    return this.pendingList_;
  }

  markChanged_(depth: number): void {
    this.changed_ = true;
    if (depth > this.staleTo_) this.staleTo_ = depth;
  }

  childPath_(key: Key | undefined): Key[] {
    const frames = this.frames_;
    const p: Key[] = [];
    for (let d = 1; d < this.depth_; d++) p.push(frames[FRAME * d + F_OWN] as Key);
    if (key !== undefined) p.push(key);
    return p;
  }

  /** Container d's own path as a persistent node (`null` for the root), building missing nodes. */
  nodeOf_(d: number): PathNode | null {
    const nodes = (this.nodes_ ??= []);
    for (let k = nodes.length; k <= d; k++) nodes.push(k === 0 ? null : { parent_: nodes[k - 1] ?? null, key_: (this.frames_[FRAME * k + F_OWN] as Key) });
    return nodes[d]!;
  }

  /**
   * The delta path of the entry `key` of the innermost container (the root when there is none):
   * an array when short, else a lazily built one sharing the open containers' prefix.
   */
  deltaPath_(key: Key | undefined): Key[] | LazyPath {
    const top = this.depth_ - 1;
    if (top < EAGER_PATH || key === undefined) {
      const p = this.childPath_(key);
      parserWork.pathSteps += p.length;
      return p;
    }
    return { node_: { parent_: this.nodeOf_(top), key_: key }, path_: undefined };
  }

  /**
   * Adds a delta to this write's list. The list starts as a one-element literal: most writes of
   * a token stream make one delta, and `[]` + `push` would allocate room for 17 (garbage per write).
   */
  pushOp_(d: OpenDelta): void {
    if (this.ops_.length === 0) this.ops_ = [d];
    else this.ops_.push(d);
  }

  /**
   * True when a change inside the innermost container needs a delta of its own: the container
   * was opened in an earlier write. A container opened in this write is reported whole, by its
   * own `add`, when the write ends (see `fold`).
   */
  reportable_(): boolean {
    const top = this.depth_ - 1;
    return top < 0 || (this.frames_[FRAME * top + F_OPENED] as number) !== this.writeNo_;
  }

  /** Path of the slot the next value goes into. */
  slotPath_(): Key[] {
    const top = this.depth_ - 1;
    if (top < 0) return [];
    const container = this.frames_[FRAME * top] as Container;
    return this.childPath_(Array.isArray(container) ? container.length : this.pendingKey_);
  }

  /** Puts `value` into the current slot (the root, the next array element, or the pending key). */
  place_(value: unknown, deltaValue: unknown): Key | undefined {
    const top = this.depth_ - 1;
    let key: Key | undefined;
    let op: 'add' | 'replace' = 'add';
    if (top < 0) {
      this.root_ = value;
    } else if (Array.isArray(this.frames_[FRAME * top] as Container)) {
      const array = this.frames_[FRAME * top] as unknown[];
      key = array.length;
      array.push(value);
      this.frames_[FRAME * top + F_KEY] = key;
    } else {
      key = this.pendingKey_;
      const object = this.frames_[FRAME * top] as Record<string, unknown>;
      if (this.tracking_ && (this.frames_[FRAME * top + F_OPENED] as number) !== this.writeNo_ && hasOwn.call(object, key)) op = 'replace';
      setOwn(object, key, value);
      this.frames_[FRAME * top + F_COUNT] = (this.frames_[FRAME * top + F_COUNT] as number) + 1;
      this.frames_[FRAME * top + F_KEY] = key;
    }
    this.markChanged_(top < 0 ? 0 : top);
    if (this.tracking_ && (top < 0 || (this.frames_[FRAME * top + F_OPENED] as number) !== this.writeNo_)) this.pushOp_(makeDelta(op, this.deltaPath_(key), deltaValue));
    return key;
  }

  /** Replaces the value in the current slot (string growth, a closed container's final object). */
  setSlot_(depth: number, value: unknown): void {
    if (depth < 0) this.root_ = value;
    else setOwn((this.frames_[FRAME * depth] as Container), (this.frames_[FRAME * depth + F_KEY] as Key), value);
  }

  completed_(value: unknown): unknown {
    if (this.guide_ === undefined && this.onComplete_ === undefined) return value;
    const kept = this.guide_ === undefined ? value : this.guide_.complete(value);
    if (this.onComplete_ !== undefined) this.callComplete_(kept, this.slotPathOfLast_());
    return kept;
  }

  /** Path of the entry just placed in the innermost container (or the root). */
  slotPathOfLast_(): Key[] {
    const top = this.depth_ - 1;
    return top < 0 ? [] : this.childPath_((this.frames_[FRAME * top + F_KEY] as Key));
  }

  open_(array: boolean): void {
    if (this.guide_ !== undefined) this.guide_.open(array ? 'array' : 'object');
    const container: Container = array ? [] : {};
    if (this.watch_ !== undefined) this.watch_.open_();
    const opsBefore = this.ops_.length;
    const key = this.place_(container, array ? [] : {});
    const opIndex = this.ops_.length > opsBefore ? opsBefore : -1;
    const depth = this.depth_;
    // In FRAME order: container, key, own key, snapshot, opened, op index, count.
    this.frames_.push(container, array ? -1 : '', key ?? '', undefined, this.writeNo_, opIndex, 0);
    this.depth_ = depth + 1;
    this.markChanged_(depth);
  }

  close_(): void {
    const depth = this.depth_ - 1;
    if (depth === this.cutRoot_) this.cut_ = true;
    const working = this.frames_[FRAME * depth] as Container;
    // Reuse the snapshot if nothing changed since it was taken: unchanged subtrees keep identity.
    const snap = this.frames_[FRAME * depth + F_SNAP] as Container | undefined;
    let value: unknown = snap !== undefined && this.staleTo_ < depth ? snap : working;
    const frames = this.frames_;
    const opened = frames[FRAME * depth + F_OPENED] as number;
    const opIndex = frames[FRAME * depth + F_OP] as number;
    frames.length = FRAME * depth;
    this.depth_ = depth;
    if (this.nodes_ !== undefined && this.nodes_.length > depth) this.nodes_.length = depth;
    if (this.staleTo_ >= depth) this.staleTo_ = depth - 1;
    // Opened and closed within this write: its one `add` (not yet handed out) carries the whole
    // value; nothing inside it made a delta of its own. Set before the guide or onComplete may
    // throw, so the deltas of a failed write still give the value left.
    const folded = this.tracking_ && opened === this.writeNo_ && opIndex >= 0;
    if (folded) (this.ops_[opIndex] as OpenDelta).value = value;
    if (this.guide_ !== undefined || this.onComplete_ !== undefined) {
      const kept = this.completed_(value);
      if (kept !== value) {
        value = kept;
        this.markChanged_(depth - 1);
      }
    }
    if (value !== working) this.setSlot_(depth - 1, value);
    if (folded) (this.ops_[opIndex] as OpenDelta).value = value;
    if (this.watch_ !== undefined) this.watch_.close_(value);
  }

  scalar_(value: unknown): void {
    const guide = this.guide_;
    if (guide === undefined && this.onComplete_ === undefined && this.watch_ === undefined) {
      this.place_(value, value);
      return;
    }
    // The path (O(depth) to build) only for the callback: the guide tracks where it is itself.
    const p = this.onComplete_ === undefined ? undefined : this.slotPath_();
    if (guide !== undefined) value = guide.complete(value);
    this.placeWatched_(value, p);
  }

  /** Places a complete scalar, then tells `onComplete` (path `p`) and the watch (select / text). */
  placeWatched_(value: unknown, p: JsonPath | undefined): void {
    const watch = this.watch_;
    const answer = watch === undefined ? SCALAR_PLAIN : watch.scalar_(value);
    // A cut element (see `cut`) is not delivered, so it is placed even with `keep: false`.
    if (answer !== SCALAR_DROP || this.cut_) this.place_(value, value);
    if (p !== undefined) this.callComplete_(value, p);
    if (answer !== SCALAR_PLAIN) watch!.deliver_(value, watch!.lastPointer_, answer !== SCALAR_DROP);
  }

  callComplete_(value: unknown, p: JsonPath): void {
    if (this.cut_) return;
    try {
      this.onComplete_!(value, p);
    } catch (error) {
      this.callbackThrew_ = true;
      throw error;
    }
  }

  /**
   * The open string's text so far: the pieces gathered since the last read go into `stringText`
   * as one rope node. `+=` per piece would build a rope node of 32 bytes per append (22 per
   * character in a stream of 1-character deltas) and keep it until the next flatten: with 10,000
   * streams open, each one's newest node survives every scavenge and is promoted. Pieces instead
   * go into a fixed array (no allocation per append) and reach the rope PIECES at a time, or when
   * the text is read (a snapshot, the string's end, a guide); flattening once the nodes since the
   * last flatten reach 1/32 of the length keeps the rope to about a byte per character.
   */
  openText_(): string {
    const n = this.stringPieces_;
    if (n === 0) return this.stringText_;
    const parts = this.stringParts_ as string[];
    let chunk: string;
    if (n === PIECES) chunk = parts.join('');
    else {
      chunk = parts[0] as string;
      for (let i = 1; i < n; i++) chunk += parts[i] as string;
    }
    // Clear the slots: a piece may be a slice holding a whole input chunk alive.
    for (let i = 0; i < n; i++) parts[i] = '';
    this.stringPieces_ = 0;
    parserWork.textNodes++;
    let text = this.stringText_ + flatten(chunk);
    if (++this.stringAppends_ >= FLATTEN_MIN && this.stringAppends_ * FLATTEN_RATIO >= text.length) {
      text = flatten(text);
      this.stringAppends_ = 0;
    }
    this.stringText_ = text;
    return text;
  }

  /** Drops the open string's text (its start, or after its end). */
  clearText_(): void {
    this.stringText_ = '';
    this.stringAppends_ = 0;
    const parts = this.stringParts_;
    if (parts !== undefined) for (let i = 0; i < this.stringPieces_; i++) parts[i] = '';
    this.stringPieces_ = 0;
  }

  /** More text of the open string value. */
  appendText_(text: string): void {
    const parts = (this.stringParts_ ??= ['', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '']); // PIECES, packed
    parts[this.stringPieces_++] = text;
    if (this.stringPieces_ === PIECES) this.openText_();
    if (this.stringAtomic_) return;
    // The working container gets the text at the string's end; snapshots read `stringText`.
    const top = this.depth_ - 1;
    this.markChanged_(top < 0 ? 0 : top);
    if (this.tracking_) {
      if (this.stringOp_ !== undefined) {
        this.stringOp_.value += text;
      } else if (this.reportable_()) {
        this.stringRef_ ??= this.deltaPath_(top < 0 ? undefined : (this.frames_[FRAME * top + F_KEY] as Key));
        this.stringOp_ = makeDelta('append', this.stringRef_, text);
        this.pushOp_(this.stringOp_);
      }
    }
  }

  startObject(): void {
    this.open_(false);
  }
  startArray(): void {
    this.open_(true);
  }
  endObject(): void {
    this.close_();
  }
  endArray(): void {
    this.close_();
  }
  key(key: string): void {
    if (this.guide_ !== undefined) this.guide_.key(key);
    this.pendingKey_ = key;
  }
  string(value: string): void {
    // A string reported by end() is one the text cut (a whole one closed at its quote, in a write).
    if (this.ending_ && this.lenient_) this.cut_ = true;
    const guide = this.guide_;
    if (guide === undefined) {
      this.scalar_(value);
      return;
    }
    const json = this.jsonExpected_();
    if (json !== undefined) this.jsonString_(value, json);
    else this.guidedString_(value);
  }

  /**
   * Lenient mode with a guide: the container kind the schema expects, and no string, for the
   * value about to start (`string-as-json`), else `undefined`.
   */
  jsonExpected_(): 'object' | 'array' | 'either' | undefined {
    if (!this.lenient_ || this.guide_ === undefined || this.guide_.expectsJsonText === undefined) return undefined;
    return this.guide_.expectsJsonText();
  }

  /**
   * A string where the schema expects a container (`string-as-json`): when its text is one JSON
   * value of that kind (lenient repairs inside it allowed, no text around it; cut short only when
   * the outer text was), a second tokenizer reads it into this parser, so the container is built,
   * guided, reported and shown exactly as if it had been written without quotes, in document
   * order, with one `string-as-json` warning at the closing quote. Otherwise it is a string, as
   * the schema then judges it. Two passes over the string's text: O(its length).
   */
  jsonString_(text: string, kind: 'object' | 'array' | 'either'): void {
    const at = this.tokenizer_.tokenPosition;
    // The container sits where the string is: maxDepth counts from there (a deeper one is not
    // parsed, so the limit cannot be passed by quoting).
    const room = this.maxDepth_ - this.depth_;
    try {
      if (jsonTextOf(text, kind, this.lenientOption_, this.cut_, room)) {
        const repairing = this.tokenizer_ as unknown as { handlerRepair_?: (code: 'string-as-json', position: number, message: string) => boolean };
        const message = `A string held a JSON ${kind === 'either' ? 'value' : kind} where the schema expects one: parsed it into that value`;
        if (repairing.handlerRepair_?.('string-as-json', at, message) === true) {
          const inner = createRecordTokenizer(this, { lenient: this.lenientOption_, maxDepth: room });
          // A string the text cut short (read by end()): what its text completes is delivered as
          // in a write, and only what the inner end() closes is cut, as without the quotes.
          // Without its closing quote the string might have gone on (`[1] and more` is no
          // JSON), so the container itself is cut even when its text closed it.
          // (A throw fails the parser for good: no state to restore.)
          const { ending_: ending, cut_: cut } = this;
          this.ending_ = this.cut_ = false;
          if (cut) this.cutRoot_ = this.depth_;
          inner.write(text);
          this.ending_ = ending;
          // Cut when the text left it open, or (above) when its root closed.
          if (cut && !inner.complete) this.cut_ = true;
          inner.end();
          this.cutRoot_ = -1;
          return;
        }
      }
      this.guidedString_(text);
    } catch (error) {
      // The guide places failures by the raw text of the current write, which holds neither the
      // held string's opening quote nor (for the inner container) its characters, so its
      // positions would depend on the chunking. Any failure here is certain only at the closing
      // quote (before it, the string might still have been the expected JSON): report that.
      if (error instanceof SchemaValidationError && error.early) {
        throw new SchemaValidationError({ issues: error.issues, early: true, position: at });
      }
      throw error;
    }
  }

  /** A whole string value judged by the guide. */
  guidedString_(value: string): void {
    const guide = this.guide_!;
    // A schema failure leaves what a write cut anywhere would: of a string shown while it
    // grows, the text before the failing character (all of it when it fails as a whole), shown
    // and handed to onText as the growing string it would have been.
    const p = this.onComplete_ === undefined ? undefined : this.slotPath_();
    const atomic = guide.startString(true);
    let kept: unknown;
    try {
      guide.stringPart(value);
    } catch (error) {
      // The text before the failing character has the string open: leave it open (for `path`
      // and `pending`), as a write that ended there would have.
      const text = value.slice(0, guide.accepted);
      this.#shownBeforeFailure(text, atomic);
      this.stringOpen_ = true;
      this.stringAtomic_ = atomic;
      this.stringText_ = text;
      throw error;
    }
    try {
      kept = guide.complete(value);
    } catch (error) {
      this.#shownBeforeFailure(value, atomic);
      throw error;
    }
    this.placeWatched_(kept, p);
  }

  /** A whole string the schema failed: `text` of it shown, as it would have been while it grew. */
  #shownBeforeFailure(text: string, atomic: boolean): void {
    if (atomic) return;
    this.watch_?.startString_();
    this.place_(text, text);
    if (text !== '') this.watch_?.stringPart_(text);
  }
  startString(): void {
    const json = this.jsonExpected_();
    if (json !== undefined) {
      // Held (never shown as a string) until it closes: it may become a container.
      this.heldJson_ = json;
      this.stringAtomic_ = true;
      this.clearText_();
      this.stringOpen_ = true;
      return;
    }
    // The guide goes first: if it rejects the string, nothing of it is in the value.
    this.stringAtomic_ = this.guide_ !== undefined && this.guide_.startString(false);
    this.clearText_();
    this.stringOpen_ = true;
    if (this.stringAtomic_) return;
    this.stringRef_ = undefined;
    if (this.watch_ !== undefined) this.watch_.startString_();
    const opsBefore = this.ops_.length;
    this.place_('', '');
    if (this.ops_.length > opsBefore) this.stringOp_ = this.ops_[opsBefore] as OpenDelta;
  }
  stringPart(text: string): void {
    if (this.heldJson_ !== undefined) {
      this.appendText_(text);
      return;
    }
    const guide = this.guide_;
    let failed = false;
    let failure: unknown;
    if (guide !== undefined) {
      try {
        guide.stringPart(this.openText_() + text);
      } catch (error) {
        // The string keeps (shows, and hands to onText) the text before the failing character.
        failed = true;
        failure = error;
        text = text.slice(0, Math.max(0, guide.accepted - this.openText_().length));
      }
    }
    if (!failed || text !== '') {
      this.appendText_(text);
      if (this.watch_ !== undefined && !this.stringAtomic_) this.watch_.stringPart_(text);
    }
    if (failed) throw failure;
  }
  endString(): void {
    if (this.ending_ && this.lenient_) this.cut_ = true;
    // The finished text is kept (in the value, maybe for long): one flat string, not a rope (a
    // single part may be one too, when the tokenizer built it from escapes). O(1) when flat.
    const text = flatten(this.openText_());
    this.clearText_();
    this.stringOp_ = undefined;
    this.stringRef_ = undefined;
    this.stringOpen_ = false;
    if (this.heldJson_ !== undefined) {
      const kind = this.heldJson_;
      this.heldJson_ = undefined;
      this.stringAtomic_ = false;
      this.jsonString_(text, kind);
      return;
    }
    if (this.stringAtomic_) {
      this.stringAtomic_ = false;
      this.scalar_(text);
      return;
    }
    // In the value before the guide judges it, so a failure leaves the whole text.
    const depth = this.depth_ - 1;
    this.setSlot_(depth, text);
    const kept = this.completed_(text);
    this.setSlot_(depth, kept);
    if (kept !== text) {
      this.markChanged_(depth < 0 ? 0 : depth);
      if (this.tracking_ && this.reportable_()) {
        this.pushOp_(makeDelta('replace', this.deltaPath_(depth < 0 ? undefined : (this.frames_[FRAME * depth + F_KEY] as Key)), kept));
      }
    }
    if (this.watch_ !== undefined) this.watch_.endString_(kept as string);
  }
  number(value: number): void {
    if (this.numberShown_) this.finishNumber_(value);
    else this.scalar_(value);
  }
  literal(value: boolean | null): void {
    this.scalar_(value);
  }

  /**
   * Brings the snapshots of depths `from`..top up to date: each stale container is copied once
   * (a native `slice` or spread of its entries) with its open child's snapshot in place; a
   * container that did not change since the last read keeps its snapshot. Depths below `from`
   * stay stale.
   */
  refresh_(from: number): void {
    const frames = this.frames_;
    const top = this.depth_ - 1;
    const growing = this.stringOpen_ && !this.stringAtomic_;
    const to = this.staleTo_ < top ? this.staleTo_ : top;
    for (let d = to; d >= from; d--) {
      const working = frames[FRAME * d] as Container;
      // The open child's entry is its own snapshot, never the working object; an open string's
      // text lives in `stringText` until it closes. In an array that entry is the last one,
      // stored by index: a plain array store rather than setOwn's generic keyed store.
      const open: unknown = d < top ? frames[FRAME * (d + 1) + F_SNAP] : growing ? this.openText_() : NOTHING;
      if (Array.isArray(working)) {
        const copy = working.slice();
        if (open !== NOTHING) copy[copy.length - 1] = open;
        parserWork.copied += copy.length;
        frames[FRAME * d + F_SNAP] = copy;
      } else {
        const copy = { ...(working as Record<string, unknown>) };
        if (open !== NOTHING) setOwn(copy, frames[FRAME * d + F_KEY] as Key, open);
        parserWork.copied += frames[FRAME * d + F_COUNT] as number;
        frames[FRAME * d + F_SNAP] = copy;
      }
    }
    if (to >= from) this.staleTo_ = from - 1;
  }

  snapshot_(): unknown {
    if (this.depth_ === 0) return this.stringOpen_ && !this.stringAtomic_ ? this.openText_() : this.root_;
    this.refresh_(0);
    return this.frames_[F_SNAP] as Container | undefined;
  }

  /**
   * Containers opened in the write that ends here and still open are reported by one `add` of
   * their snapshot (made here, shared with the next read) instead of a delta per entry: a write
   * costs O(its length) in deltas whatever it holds (20 KB of `[` is one delta, not 20,000
   * deltas with paths up to 20,000 long).
   */
  fold_(current: number): void {
    const frames = this.frames_;
    let d0 = this.depth_;
    while (d0 > 0 && frames[FRAME * (d0 - 1) + F_OPENED] === current) d0--;
    if (d0 === this.depth_) return;
    const at = frames[FRAME * d0 + F_OP] as number; // its parent opened earlier (or it is the root), so it has an `add`
    this.refresh_(d0);
    this.ops_.length = at + 1;
    (this.ops_[at] as OpenDelta).value = (this.frames_[FRAME * d0 + F_SNAP] as Container | undefined);
  }

  flush_(): void {
    const current = this.writeNo_++;
    this.stringOp_ = undefined;
    if (!this.changed_) return;
    this.changed_ = false;
    if (this.tracking_ && this.ops_.length > 0) {
      this.fold_(current);
      const out = this.ops_;
      this.ops_ = NO_OPS;
      this.onDelta_!(out as Delta[]);
    }
    if (this.onPartial_ !== undefined) this.onPartial_(this.snapshot_());
  }

  /** Records why the parser fails from now on (the first reason wins) and returns `error`. */
  reject_(error: unknown): unknown {
    if (!this.failed_) {
      this.failed_ = true;
      this.rejected_ = error;
    }
    return error;
  }

  /**
   * The tokenizer, the guide or a callback threw during `write` or `end`: records why, and when
   * the text was rejected reports what it said before the bad character (a callback that threw
   * gets no further calls).
   */
  rejectText_(error: unknown): void {
    this.feeding_ = false;
    this.reject_(error);
    if (this.callbackThrew_ || !(error instanceof ParseError || error instanceof SchemaValidationError)) return;
    // A number cut by the bad character shows what its text before it says (`[1.x` shows 1),
    // as it would had a write ended there.
    if (this.partialNumbers_ && error instanceof ParseError) this.growNumber_();
    this.flush_();
  }

  write_(chunk: string | Uint8Array): void {
    if (this.ended_) throw new TypeError('write() called after end(); create a new parser for the next JSON text');
    if (this.failed_) throw afterRejection('write()', this.rejected_);
    if (this.busy_) throw reentered('write()');
    this.busy_ = true;
    try {
      try {
        this.guide_?.input?.(chunk);
        this.feeding_ = true;
        this.tokenizer_.write(chunk);
        this.feeding_ = false;
        if (this.partialNumbers_) this.growNumber_();
      } catch (error) {
        this.rejectText_(error);
        throw error;
      }
      this.#flushOrReject();
    } finally {
      this.busy_ = false;
      // The chunk a run guessed wrong in is not kept past its write (see Watch.run).
      if (this.watch_ !== undefined) this.watch_.runFailed_ = undefined;
    }
  }

  /** Reports the write's changes (onPartial, onDelta); a callback that throws fails the parser with its error. */
  #flushOrReject(): void {
    try {
      this.flush_();
    } catch (error) {
      throw this.reject_(error);
    }
  }

  end_(): unknown {
    if (this.ended_) throw new TypeError('end() called twice; create a new parser for the next JSON text');
    if (this.failed_) throw afterRejection('end()', this.rejected_);
    if (this.busy_) throw reentered('end()');
    this.busy_ = true;
    try {
      return this.#end();
    } finally {
      this.busy_ = false;
    }
  }

  #end(): unknown {
    // In lenient mode, a text that ends with containers open was cut: what end() completes
    // and closes inside them is not complete (a string cut at the top level is marked when
    // the tokenizer reports it). A top-level number or literal does end at end().
    if (this.lenient_ && !this.tokenizer_.complete && this.depth_ > 0) this.cut_ = true;
    this.ending_ = true;
    try {
      this.feeding_ = true;
      this.tokenizer_.end();
      this.feeding_ = false;
    } catch (error) {
      // end() may complete a trailing number (`[8` shows 8) before it finds the text cut.
      this.rejectText_(error);
      throw error;
    }
    this.#flushOrReject();
    this.ended_ = true;
    this.root_ = this.guide_ === undefined ? this.root_ : this.guide_.finish(this.root_);
    return this.root_;
  }

  /**
   * See {@link PartialParser.complete}. A schema failure during a write rejects the text at its
   * position, which the tokenizer may already have read past (when the failing value closed in
   * the same write): what follows the failure does not count.
   */
  complete_(): boolean {
    return this.tokenizer_.complete && !(this.rejected_ instanceof SchemaValidationError && !this.ending_ && !this.callbackThrew_);
  }

  /**
   * See {@link PartialParser.position}. Inside a callback the tokenizer fires (onComplete,
   * onElement, onText), just past the token that fired it: the tokenizer's own `position` is
   * where the write began until the write returns, which would depend on the chunking.
   */
  position_(): number {
    const tokenizer = this.tokenizer_;
    // After a schema failure, its position, as the tokenizer does for its own errors.
    const failure = this.rejected_;
    if (failure instanceof SchemaValidationError && failure.position !== undefined && !this.callbackThrew_) return failure.position;
    return this.feeding_ ? tokenizer.tokenPosition + 1 : tokenizer.position;
  }

  currentPath_(): JsonPath | undefined {
    if (this.complete_() || this.ended_ || this.position_() === 0) return undefined;
    if (this.stringOpen_) return this.stringAtomic_ ? this.slotPath_() : this.slotPathOfLast_();
    return this.depth_ === 0 ? [] : this.childPath_(undefined);
  }
}

/** Repairs that mean a string's text is more than one JSON value (text around it, or cut). */
const NOT_JSON_TEXT = new Set(['leading-text', 'reasoning-block', 'code-fence', 'trailing-text', 'truncated', 'unterminated-string']);

/**
 * Whether `text` is one JSON value of `kind` in lenient mode: it starts with `{`/`[` (after
 * whitespace), no repair puts text around it, it is complete (or, when `cut`, cut short), and it
 * nests at most `maxDepth` deep.
 */
function jsonTextOf(text: string, kind: 'object' | 'array' | 'either', lenient: Lenient | false | undefined, cut: boolean, maxDepth: number): boolean {
  const first = /\S/.exec(text)?.[0];
  if (!(first === '{' ? kind !== 'array' : first === '[' ? kind !== 'object' : false)) return false;
  const check = createRecordTokenizer(NO_TOKENS, { lenient, maxDepth });
  try {
    check.write(text);
    check.end();
  } catch {
    return false;
  }
  for (const warning of check.warnings) if (NOT_JSON_TEXT.has(warning.code) && !(cut && warning.code === 'truncated')) return false;
  return true;
}

function makeDelta(op: Delta['op'], ref: Key[] | LazyPath, value: unknown): OpenDelta {
  return Array.isArray(ref) ? { op, path: ref, value } : (lazyDelta(op, ref, value) as OpenDelta);
}

/**
 * The object {@link createPartialParser} returns: prototype getters over the parser's state,
 * instead of an object literal with accessors (which V8 keeps as a dictionary, about a kilobyte
 * per parser: it counts when a server holds 10,000 streams). `write` and `end` are own bound
 * functions, so they may be passed around detached (`source.on('data', parser.write)`).
 */
class ParserHandle<T> implements PartialParser<T> {
  readonly write: (chunk: string | Uint8Array) => void;
  readonly end: () => T;
  readonly #core: ParserCore;

  constructor(core: ParserCore) {
    this.#core = core;
    this.write = (chunk) => core.write_(chunk);
    this.end = () => core.end_() as T;
  }

  get value(): DeepPartial<T> | undefined {
    return this.#core.snapshot_() as DeepPartial<T> | undefined;
  }

  get complete(): boolean {
    return this.#core.complete_();
  }

  get done(): boolean {
    return this.#core.ended_;
  }

  get path(): JsonPath | undefined {
    return this.#core.currentPath_();
  }

  get position(): number {
    return this.#core.position_();
  }

  get warnings(): readonly ParseWarning[] {
    return this.#core.tokenizer_.warnings;
  }

  get pending(): readonly string[] {
    return this.#core.pending_();
  }
}

/** A callback of a parser wrote to it or ended it while it was handling a write or `end()`. */
function reentered(method: string): TypeError {
  return new TypeError(`${method} called from inside a callback of the same parser while it handles a write or end(); write after the call that made the callback returns`);
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
