/**
 * Resynchronisation after a bad value in a stream of records (JSON Lines' `concatenated` and
 * `array` modes): where the rest of the value the tokenizer rejected ends, so the tokenizer can
 * read on after it ({@link RecordTokenizer.resume}). Kept beside the tokenizer, not in it, so an
 * app that only tokenizes does not carry it.
 *
 * @module
 */
import type { ParseErrorCode } from './errors.js';
import type { RecordTokenizer } from './tokenizer.js';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Codes the tokenizer raises only inside a string (the bad character is then part of it). */
const IN_STRING: readonly ParseErrorCode[] = ['control-character', 'invalid-escape', 'max-string-length-exceeded'];

/**
 * Skips the rest of a bad value, across chunks. Where it ends:
 * - an array, an object or a string (the bad character inside one): where its brackets and
 *   strings balance (an unclosed one swallows what follows: nothing marks where it should have
 *   ended);
 * - anything else (a number, a literal, a character that cannot start a value): before the next
 *   whitespace, `{`, `[` or `"` at depth 0, or before the next `,` or `]` of the array at depth 1
 *   (brackets and strings in between balanced). At depth 1 a bad `,` or `]` (a missing element)
 *   is not skipped at all: the array reads it next.
 * @internal
 */
export interface ValueSkipper {
  /** Scans `s` from `i`: returns the index where the bad value ends (the first index after it), or -1 when it goes on past `s`. */
  scan(s: string, i: number): number;
}

/**
 * The skipper for the value at depth `depth` (0 or 1) that `tokenizer` has just rejected with an
 * error of code `code`; scanning starts at the bad character.
 * @internal
 */
export function createValueSkipper(tokenizer: RecordTokenizer, depth: number, code: ParseErrorCode): ValueSkipper {
  return new Skipper(depth > 0, tokenizer.depth - depth, IN_STRING.includes(code));
}

class Skipper implements ValueSkipper {
  readonly #array: boolean;
  readonly #balanced: boolean; // a container or a string: it ends where it balances
  #nest: number; // brackets open inside the bad value
  #inString: boolean;
  #escape = false;

  constructor(array: boolean, nest: number, inString: boolean) {
    this.#array = array;
    this.#nest = nest;
    // After a bad escape the bad character is read as plain text of the string.
    this.#inString = inString;
    this.#balanced = nest > 0 || inString;
  }

  scan(s: string, i: number): number {
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (c === BACKSLASH) this.#escape = true;
        else if (c === QUOTE) {
          this.#inString = false;
          if (this.#balanced && this.#nest === 0) return i + 1;
        }
      } else if (!this.#balanced && this.#nest === 0 && this.#ends(c)) {
        return i;
      } else if (c === QUOTE) {
        this.#inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.#nest++;
      } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && this.#nest > 0 && --this.#nest === 0 && this.#balanced) {
        return i + 1;
      }
    }
    return -1;
  }

  /** Whether `c` ends a bad value that is not a container or a string (it is not part of it). */
  #ends(c: number): boolean {
    if (this.#array) return c === COMMA || c === CLOSE_BRACKET;
    return c === SPACE || c === TAB || c === CR || c === LF || c === OPEN_BRACE || c === OPEN_BRACKET || c === QUOTE;
  }
}
