import type { FastTokenHandler, RecordTokenizer, TokenizerOptions } from './tokenizer.js';

/**
 * What a lenient-mode repair changed (see {@link lenient}). One code per repair class:
 *
 * - `leading-text`: prose (any text that cannot start a value) before the value; one warning
 *   for each run of it.
 * - `reasoning-block`: one `<think>…</think>` block (also `<thinking>`, `<reasoning>`) before the
 *   value, skipped; one per block.
 * - `code-fence`: a markdown fence: the opening ```` ```lang ```` before the value and the
 *   closing ```` ``` ```` after it each give one.
 * - `trailing-text`: any non-whitespace after the value that is not a closing fence or a
 *   comment; one warning for all of it.
 * - `trailing-comma`: a comma before `]` or `}`, dropped; one per comma.
 * - `comment`: a `//` or `/* *\/` comment outside strings, skipped; one per comment.
 * - `single-quoted-string`: a `'…'` string (key or value); `"` inside it is a literal quote.
 * - `unquoted-key`: a bare identifier key (`{a: 1}`).
 * - `python-literal`: `True` → `true`, `False` → `false`, `None` → `null`.
 * - `javascript-literal`: `undefined` → `null`, `NaN` → `"NaN"`, `Infinity` → `"Infinity"`,
 *   `-Infinity` → `"-Infinity"` (jsonrepair's mapping).
 * - `control-character`: a raw U+0000–U+001F inside a string, kept as that character.
 * - `invalid-escape`: a backslash before a character that cannot start an escape (`\U`, `\x`,
 *   `\u12G4`), kept as the backslash plus what follows it.
 * - `unterminated-string`: a string value in an object whose closing quote (and the comma after
 *   it) is missing at the end of its line, where unambiguous: the next line starts with
 *   `"key":`, which could not follow if the line end were a raw newline inside the string.
 * - `truncated`: the text ended inside the value: the best value so far was kept.
 * - `string-as-json`: (with a schema guide that implements `expectsJsonText`, such as
 *   `zodGuide`) a string holding one JSON object or array where the schema expects that kind
 *   of container and no string was parsed into it; reported at the string's closing quote.
 *
 * @public
 */
export type ParseWarningCode =
  | 'leading-text'
  | 'reasoning-block'
  | 'code-fence'
  | 'trailing-text'
  | 'trailing-comma'
  | 'comment'
  | 'single-quoted-string'
  | 'unquoted-key'
  | 'python-literal'
  | 'javascript-literal'
  | 'control-character'
  | 'invalid-escape'
  | 'unterminated-string'
  | 'truncated'
  | 'string-as-json';

/**
 * One repair made in lenient mode, reported through `onWarning` and kept in `warnings`.
 * @public
 */
export interface ParseWarning {
  /** Which repair. */
  code: ParseWarningCode;
  /**
   * 0-based offset of the first character of the repaired text from the start of the stream,
   * in UTF-16 code units of the decoded text (for `truncated`: the end of the text).
   */
  position: number;
  /** 1-based line of {@link ParseWarning.position}; lines end at `\n`. */
  line: number;
  /** 1-based column of {@link ParseWarning.position}, in UTF-16 code units. */
  column: number;
  /** A sentence for people: what was found and what was done. */
  message: string;
}

/** The key under which a {@link Lenient} plug-in carries its tokenizer factory. @internal */
// A registered symbol: the ESM and the CommonJS build each have their own module copy, and a
// plug-in made by one must work in a parser of the other (as zodGuide does).
export const LENIENT: unique symbol = Symbol.for('streamshape.lenient');

/**
 * Lenient mode, as the `lenient` option of every parser takes it: made by `lenient()` (which
 * repairs, and which repairs are off), opaque otherwise. A plug-in rather than a boolean so that
 * an app that never passes one bundles none of the repair code (tree-shaking, as with the schema
 * guide `zodGuide`).
 * @public
 */
export interface Lenient {
  /** The lenient tokenizer's factory. @internal */
  readonly [LENIENT]: LenientTokenizerFactory;
}

/** What a {@link Lenient} plug-in makes: a tokenizer with its repairs. @internal */
export type LenientTokenizerFactory = (handler: FastTokenHandler, options: TokenizerOptions) => RecordTokenizer;

/**
 * The lenient tokenizer's factory of a `lenient` option: `undefined` for strict mode (`undefined`
 * or `false`).
 * @throws `TypeError` for anything else that is not a {@link Lenient} (`true`, an object of
 *   repair switches: the option of earlier versions).
 * @internal
 */
export function lenientPlugin(option: unknown): LenientTokenizerFactory | undefined {
  if (option === undefined || option === false) return undefined;
  const factory = typeof option === 'object' && option !== null ? (option as Partial<Lenient>)[LENIENT] : undefined;
  if (typeof factory === 'function') return factory;
  throw new TypeError(
    `lenient: pass lenient() from 'streamshape', not ${optionKind(option)}: a plug-in, so strict apps do not bundle the repairs`,
  );
}

/** What a wrong plug-in option is, for its `TypeError`: `an array`, `a plain object`, `"x"`, `true`… @internal */
export function optionKind(option: unknown): string {
  if (option === null) return 'null';
  if (Array.isArray(option)) return 'an array';
  if (typeof option === 'function') return 'a function (call it)';
  if (typeof option === 'object') return 'an object';
  return typeof option === 'string' ? JSON.stringify(option) : String(option);
}
