/**
 * Growing numbers (`partialNumbers`): what a number still being read shows.
 */

/**
 * Longest number text shown while it grows; a longer one waits until complete, so re-reading
 * the text on each write costs at most this much per write (a number 1 MB long in 1-character
 * writes would otherwise cost O(n^2)).
 */
export const NUMBER_SHOWN_MAX = 64;

/** The longest prefix of a number's text that is itself a JSON number (RFC 8259 §6). */
const PREFIX = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/;

/**
 * The value a growing number shows: its longest prefix that is a JSON number, converted as
 * `JSON.parse` converts it (`12.` → 12, `1e` → 1, `-0.` → -0), or `undefined` when no prefix is
 * one yet (`-`).
 */
export function growingNumber(text: string): number | undefined {
  const match = PREFIX.exec(text);
  return match === null ? undefined : +match[0];
}
