import { createPartialParser } from './parser.js';

/**
 * The result of {@link parsePartial}: the partial value of a prefix, and whether the prefix is
 * already a complete JSON text.
 * @public
 */
export interface ParsePartialResult {
  /**
   * The snapshot the streaming parser would show after this prefix; `undefined` before any value
   * appears. A number still at the end of the prefix is left out, since the prefix may go on
   * (`'12'` may become `'123'`): `'12'` gives `undefined`, `'[1, 12'` gives `[1]`.
   */
  value: unknown;
  /**
   * True when the prefix is a complete JSON text that no continuation can change: `JSON.parse`
   * accepts it and it does not end with a bare top-level number (`'12'` is not complete,
   * `'12 '` is).
   */
  complete: boolean;
}

/**
 * Parses a prefix of a JSON text in one call, in O(n): a drop-in for `partial-json`'s `parse`
 * and the AI SDK's `parsePartialJson` that never re-parses and never guesses.
 *
 * Where the answers differ from theirs, and why: a number, `true`, `false` or `null` appears
 * only once complete (`[12` gives `[]`, not `[12]` that later becomes `[123]`; `[tr` gives
 * `[]`, not `[true]`; a bare `12` gives `undefined` and `complete: false`, because the prefix may
 * still become `123`); a half escape or half a surrogate pair is left out of strings rather than
 * shown and later changed; a prefix that can never become JSON (`[tx`, `{"a" 1`) throws instead
 * of being "repaired". The result is exactly what {@link createPartialParser} shows after the
 * same text written at once (`value`, `complete`), with no depth limit (`maxDepth: Infinity`).
 *
 * @example
 * ```ts
 * parsePartial('{"title": "Stream');   // { value: { title: 'Stream' }, complete: false }
 * parsePartial('{"n": 12');            // { value: {}, complete: false }
 * parsePartial('12');                  // { value: undefined, complete: false }
 * parsePartial('[1, 2]');              // { value: [1, 2], complete: true }
 * ```
 * @throws {@link ParseError} when the prefix cannot start a valid JSON text (with the position of
 *   the first bad character).
 * @public
 */
export function parsePartial(prefix: string): ParsePartialResult {
  const parser = createPartialParser({ maxDepth: Infinity });
  parser.write(prefix);
  // `complete` is false while a top-level number may still grow (invariant 3), so `end()` here
  // never completes a value the prefix has not fully shown.
  if (parser.complete) return { value: parser.end(), complete: true };
  return { value: parser.value, complete: false };
}
