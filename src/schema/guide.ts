import { finalValidation } from './standard.js';
import type { SchemaLike } from './types.js';
import { createZodGuide } from './zod-guide.js';
import { isZodV4 } from './zod-shape.js';
// for {@link} in TSDoc
import type { SchemaValidationError } from './errors.js';

/**
 * Follows the value as the partial parser builds it and may veto it: the seam through which the
 * schema layer validates subtrees as they close and fails early. Every method may throw a
 * {@link SchemaValidationError}; the parser then refuses further input.
 *
 * Call order for one value: `open` (containers) or `startString` then `stringPart`s (strings),
 * then `key`s inside objects, then `complete` once it is complete (innermost first); `finish`
 * once at `end()`. The guide keeps track of where it is itself (paths cost O(depth) to build, so
 * it builds one only for a failure it reports).
 * @internal
 */
export interface ValueGuide {
  /**
   * True when the guide only needs `finish` (a Standard Schema it cannot follow while streaming):
   * the parser may skip the other calls and keep its fast paths.
   */
  readonly passive?: boolean | undefined;
  /**
   * The chunk about to be written (before the tokenizer sees it): the guide keeps the text of
   * the current write to locate failures inside strings exactly, whatever the chunking.
   */
  input?(chunk: string | Uint8Array): void;
  /** An array or object opens (before it appears in the value). */
  open(kind: 'array' | 'object'): void;
  /** A key was read inside the innermost open object (before its value starts). */
  key(key: string): void;
  /**
   * A string value opens; returns true to keep it out of snapshots until it is complete.
   * `whole` is true when the string also closed in this write (the latest token is its closing
   * quote); false when it is still open at the end of the write.
   */
  startString(whole?: boolean): boolean;
  /**
   * The open string is now `text` (all of it so far); at most once per write. When it
   * throws, {@link ValueGuide.accepted} says how much of `text` precedes the failure.
   */
  stringPart(text: string): void;
  /**
   * After `stringPart` threw: the code units of the string that precede the character at which
   * it failed (what the value may keep of a string that is shown while it grows).
   */
  readonly accepted: number;
  /**
   * A value is complete (scalars, strings, and containers as they close, innermost
   * first). Returns the value to keep in the tree (the JSON value itself: transforms and
   * defaults apply only in `finish`).
   */
  complete(value: unknown): unknown;
  /** Called at `end()` with the root value; returns the final value (the schema's full parse). */
  finish(value: unknown): unknown;
}

/** Options of {@link createSchemaGuide}. @internal */
export interface SchemaGuideOptions {
  /**
   * Position in the stream (UTF-16 code units) of the last character of the token being
   * handled, for errors (the tokenizer's `tokenPosition`).
   */
  position(): number;
  /**
   * Position in the stream (UTF-16 code units) of the first character of the text being written
   * now (the tokenizer's `position` before and during a write).
   */
  offset(): number;
}

/**
 * Makes the guide that follows a value against `schema` while it streams.
 *
 * - A zod v4 schema (zod 4, `zod/mini`, or `zod/v4` in zod 3.25) is followed through its
 *   definition: each subtree is validated once, when it closes, against the matching part of the
 *   schema, and a value that can never become valid fails at the first character that shows it
 *   (wrong JSON type, a key a strict object forbids, a string no enum member or literal starts
 *   with, an array or string over its maximum, a discriminator no option accepts). Unions narrow
 *   as the data arrives and fail only when no option is left.
 * - Any other Standard Schema (valibot, arktype, zod 3 classic, …) validates the final value only.
 *
 * Values in the tree stay the JSON values as parsed (validated, not transformed); transforms and
 * defaults apply only to the final value returned by `finish`.
 *
 * Every failure is reported at a position that does not depend on the chunking (see
 * {@link SchemaValidationError.position}), and the parser's value then holds only what the text
 * before it says.
 *
 * Work is O(n) whatever the schema: a value has at most one candidate per alternative of the
 * schema at its place (alternatives asked for by several enclosing candidates are shared, so a
 * recursive union whose options share keys does not multiply them per level). Where following a
 * value would take more than `MAX_PAIRS` (64) (enclosing candidate, alternative) pairs, the value
 * is deferred: not followed while it streams, and judged once complete by running its schemas
 * (zod's parse) on it; a failure then points at its end. A container's refinements run at its
 * close only when no enclosing open container runs checks of its own (its run covers them).
 *
 * Limits (each errs on the lenient side; the final parse catches what streaming cannot):
 * - Numbers, `true`, `false` and `null` are judged once complete (the parser sees no start for
 *   them), so a scalar of the wrong type, or one element too many that is a scalar, fails at
 *   the character after the number or at the literal's last letter. Keys arrive whole: a key a
 *   strict object forbids fails at its closing quote.
 * - Refinements (`.refine`, `.check`, `.superRefine`) and checks other than lengths run when
 *   their value closes, on the whole subtree, unless an enclosing container runs its own (then
 *   at that container's close, or in the final parse when it is the root); the root's own run
 *   only in the final parse.
 *   String formats, `endsWith`, `includes` and regexes are judged when the string closes.
 * - Pipes and transforms are followed on their input side; their output side (and anything
 *   past a `z.preprocess` or `z.transform`) is judged by the final parse only.
 * - A key repeated in an object is judged at each occurrence, although `JSON.parse` keeps only
 *   the last one.
 * - Schemas this guide does not look inside (custom, coerced, promise, schemas newer than it)
 *   accept any JSON value and run once their value is complete.
 * @internal
 */
export function createSchemaGuide(schema: SchemaLike, options: SchemaGuideOptions): ValueGuide {
  if (isZodV4(schema)) return createZodGuide(schema, options);
  return {
    passive: true,
    accepted: 0,
    open() {},
    key() {},
    startString() {
      return false;
    },
    stringPart() {},
    complete(value) {
      return value;
    },
    finish(value) {
      return finalValidation(schema, value);
    },
  };
}
