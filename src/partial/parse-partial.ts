import { ParseError } from '../json/errors.js';
import type { Lenient, ParseWarning } from '../json/warnings.js';
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
   * (`'12'` may become `'123'`): `'12'` gives `undefined`, `'[1, 12'` gives `[1]`. With
   * `lenient`, the text is taken as the whole answer: the value `end()` gives (see
   * {@link ParsePartialOptions.lenient}).
   */
  value: unknown;
  /**
   * True when the prefix is a complete JSON text that no continuation can change: `JSON.parse`
   * accepts it and it does not end with a bare top-level number (`'12'` is not complete,
   * `'12 '` is). With `lenient`: the text (repaired) was complete, nothing was truncated.
   */
  complete: boolean;
  /**
   * The repairs made, in the order they were decided: text order, except that a trailing comma
   * is reported at its closing bracket, after a comment between them (`[1, // c⏎]` gives
   * `comment`, then `trailing-comma`). Present (maybe empty) when `lenient` is on, absent in
   * strict mode (so a strict result stays `{ value, complete }`).
   */
  warnings?: readonly ParseWarning[];
}

/** Options of {@link parsePartial}. @public */
export interface ParsePartialOptions {
  /**
   * Lenient mode (see `PartialParserOptions.lenient`): the text is taken as a whole model answer
   * rather than a prefix, so it is ended: a truncated text gives the best value so far with a
   * `truncated` warning (`'[1, 12'` gives `[1, 12]`, `'{"a": "hel'` gives `{ a: 'hel' }`), and
   * text that no repair covers stops the value there, also with a `truncated` warning at the
   * first bad character, instead of throwing: `parsePartial(text, { lenient: lenient() })` never throws
   * for model text (only for `maxStringLength`).
   * @defaultValue `undefined` (strict)
   */
  lenient?: Lenient | false | undefined;
  /** Called once per repair, in the order decided, as `warnings` lists them (see `PartialParserOptions.onWarning`). */
  onWarning?: ((warning: ParseWarning) => void) | undefined;
  /** Longest string or key (see `PartialParserOptions.maxStringLength`). @defaultValue `Infinity` */
  maxStringLength?: number | undefined;
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
 * With `{ lenient: lenient() }` the text is repaired as model output (see
 * {@link ParsePartialOptions.lenient}) and ended, and the result lists the repairs in `warnings`.
 *
 * @example
 * ```ts
 * parsePartial('{"title": "Stream');   // { value: { title: 'Stream' }, complete: false }
 * parsePartial('{"n": 12');            // { value: {}, complete: false }
 * parsePartial('12');                  // { value: undefined, complete: false }
 * parsePartial('[1, 2]');              // { value: [1, 2], complete: true }
 * parsePartial('```json\n{"n": 12,', { lenient: lenient() });
 * // { value: { n: 12 }, complete: false, warnings: [code-fence, truncated] }
 * ```
 * @throws {@link ParseError} when the prefix cannot start a valid JSON text (with the position of
 *   the first bad character); in lenient mode only for `maxStringLength`.
 * @public
 */
export function parsePartial(
  prefix: string,
  options: ParsePartialOptions & { lenient: Lenient },
): ParsePartialResult & {
  /** The repairs made, as {@link ParsePartialResult.warnings}: always present in lenient mode. */
  warnings: readonly ParseWarning[];
};
export function parsePartial(prefix: string, options?: ParsePartialOptions): ParsePartialResult;
export function parsePartial(prefix: string, options: ParsePartialOptions = {}): ParsePartialResult {
  const lenient = options.lenient !== undefined && options.lenient !== false;
  const warnings: ParseWarning[] = [];
  const onWarning = options.onWarning;
  const parser = createPartialParser({
    maxDepth: Infinity,
    maxStringLength: options.maxStringLength,
    lenient: options.lenient,
    onWarning: lenient
      ? (warning) => {
          warnings.push(warning);
          onWarning?.(warning);
        }
      : undefined,
  });
  if (!lenient) {
    parser.write(prefix);
    // `complete` is false while a top-level number may still grow (invariant 3), so `end()` here
    // never completes a value the prefix has not fully shown.
    if (parser.complete) return { value: parser.end(), complete: true };
    return { value: parser.value, complete: false };
  }
  try {
    parser.write(prefix);
    const value = parser.end();
    return { value, complete: !warnings.some((w) => w.code === 'truncated'), warnings };
  } catch (error) {
    if (!(error instanceof ParseError) || error.code === 'max-string-length-exceeded') throw error;
    // Text no repair covers (or an end with truncation repair off): the value before it, kept
    // as a truncated text is.
    const warning: ParseWarning = {
      code: 'truncated',
      position: error.position,
      line: error.line,
      column: error.column,
      message: `${error.message}: kept the value before it`,
    };
    warnings.push(warning);
    onWarning?.(warning);
    return { value: parser.value, complete: false, warnings };
  }
}
