/**
 * UTF-16 surrogates, in one place: every layer that must not split or misread a surrogate pair
 * (the tokenizer's culprits, the schema guide's code-point positions, the test arbitraries' cuts)
 * asks these instead of repeating the ranges.
 *
 * A code point above U+FFFF is two code units: a high (leading) surrogate U+D800–U+DBFF, then a
 * low (trailing) one U+DC00–U+DFFF. Either one without its partner is a lone surrogate, which
 * JavaScript strings and `JSON.parse` allow but UTF-8 cannot encode.
 * @see https://www.unicode.org/versions/latest/core-spec/chapter-3/#G2630 (Unicode §3.8, surrogates)
 * @internal
 */

/** The first high (leading) surrogate code unit. @internal */
export const HIGH_SURROGATE_MIN = 0xd800;
/** The last high (leading) surrogate code unit. @internal */
export const HIGH_SURROGATE_MAX = 0xdbff;
/** The first low (trailing) surrogate code unit. @internal */
export const LOW_SURROGATE_MIN = 0xdc00;
/** The last low (trailing) surrogate code unit. @internal */
export const LOW_SURROGATE_MAX = 0xdfff;

/** True for a high (leading) surrogate code unit, U+D800–U+DBFF. `NaN` (past the end of a string) is false. @internal */
export function isHighSurrogate(code: number): boolean {
  return code >= HIGH_SURROGATE_MIN && code <= HIGH_SURROGATE_MAX;
}

/** True for a low (trailing) surrogate code unit, U+DC00–U+DFFF. `NaN` (past the end of a string) is false. @internal */
export function isLowSurrogate(code: number): boolean {
  return code >= LOW_SURROGATE_MIN && code <= LOW_SURROGATE_MAX;
}

/** True for any surrogate code unit, high or low (U+D800–U+DFFF). @internal */
export function isSurrogate(code: number): boolean {
  return code >= HIGH_SURROGATE_MIN && code <= LOW_SURROGATE_MAX;
}

/** True when `text[i]` and `text[i + 1]` are a high and a low surrogate: one code point, two units. @internal */
export function isSurrogatePairAt(text: string, i: number): boolean {
  return isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1));
}

/**
 * The character at `text[i]` for an error message: a whole surrogate pair rather than half of it,
 * and never a lone high surrogate together with the character after it (`\uD83D{` quotes only
 * `\uD83D`). `''` past the end. @internal
 */
export function characterAt(text: string, i: number): string {
  return isSurrogatePairAt(text, i) ? text.slice(i, i + 2) : text.charAt(i);
}
