import { ParseError } from '../json/errors.js';
import { createPartialParser } from './parser.js';

/**
 * The result of {@link parsePartial}: the partial value of a prefix, and whether the prefix is
 * already a complete JSON text.
 * @public
 */
export interface ParsePartialResult {
  /** The snapshot the streaming parser would show after this prefix; `undefined` before any value appears. */
  value: unknown;
  /** True when the prefix is a complete JSON text (what `JSON.parse` accepts). */
  complete: boolean;
}

/**
 * Parses a prefix of a JSON text in one call, in O(n): a drop-in for `partial-json`'s `parse`
 * and the AI SDK's `parsePartialJson` that never re-parses and never guesses.
 *
 * Where the answers differ from theirs, and why: a number, `true`, `false` or `null` appears
 * only once complete (`[12` gives `[]`, not `[12]` that later becomes `[123]`; `[tr` gives
 * `[]`, not `[true]`); a half escape or half a surrogate pair is left out of strings rather than
 * shown and later changed; a prefix that can never become JSON (`[tx`, `{"a" 1`) throws instead
 * of being "repaired".
 *
 * @example
 * ```ts
 * parsePartial('{"title": "Stream');   // { value: { title: 'Stream' }, complete: false }
 * parsePartial('{"n": 12');            // { value: {}, complete: false }
 * parsePartial('[1, 2]');              // { value: [1, 2], complete: true }
 * ```
 * @throws {@link ParseError} when the prefix cannot start a valid JSON text (with the position of
 *   the first bad character).
 * @public
 */
export function parsePartial(prefix: string): ParsePartialResult {
  const parser = createPartialParser();
  parser.write(prefix);
  const partial = parser.value;
  try {
    return { value: parser.end(), complete: true };
  } catch (error) {
    if (error instanceof ParseError && error.code === 'unexpected-end') return { value: partial, complete: false };
    throw error;
  }
}
