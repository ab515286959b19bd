/**
 * What a lenient-mode repair changed (see {@link LenientOption}). One code per repair class:
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

/**
 * The `lenient` option: `true` turns every repair on; an object turns lenient mode on with the
 * repairs it maps to `false` turned off (`{ 'trailing-comma': false }`); `false` or absent is
 * strict RFC 8259 parsing (the default).
 * @public
 */
export type LenientOption = boolean | Partial<Record<ParseWarningCode, boolean>>;

/** Bit of each repair in the tokenizer's repair mask, in code order. @internal */
export const REPAIR_BITS: Readonly<Record<ParseWarningCode, number>> = {
  'leading-text': 1 << 0,
  'reasoning-block': 1 << 1,
  'code-fence': 1 << 2,
  'trailing-text': 1 << 3,
  'trailing-comma': 1 << 4,
  comment: 1 << 5,
  'single-quoted-string': 1 << 6,
  'unquoted-key': 1 << 7,
  'python-literal': 1 << 8,
  'javascript-literal': 1 << 9,
  'control-character': 1 << 10,
  'invalid-escape': 1 << 11,
  'unterminated-string': 1 << 12,
  truncated: 1 << 13,
  'string-as-json': 1 << 14,
};

const ALL_REPAIRS = (1 << 15) - 1;

/**
 * The repair mask of a {@link LenientOption}: 0 for strict mode. Lenient mode always has at
 * least one bit (a bit outside every repair), so "lenient with every repair off" is not strict.
 * @internal
 */
export function repairMask(option: LenientOption | undefined): number {
  if (option === undefined || option === false) return 0;
  if (option === true) return ALL_REPAIRS | (1 << 15);
  if (typeof option !== 'object' || option === null) {
    throw new TypeError(`lenient must be a boolean or an object of repair switches, got ${String(option)}`);
  }
  let mask = ALL_REPAIRS | (1 << 15);
  for (const code of Object.keys(option) as ParseWarningCode[]) {
    // Own names only: `toString` or `__proto__` must not be found on the prototype.
    const bit = Object.prototype.hasOwnProperty.call(REPAIR_BITS, code) ? REPAIR_BITS[code] : undefined;
    if (bit === undefined) throw new TypeError(`lenient: unknown repair ${JSON.stringify(code)}`);
    if (option[code] === false) mask &= ~bit;
  }
  return mask;
}
