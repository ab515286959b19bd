import { chunkTypeError, ParseError, type ParseErrorCode } from './errors.js';

// Character codes the state machine branches on, named so it reads as the grammar of RFC 8259.
// Module-local constants: the hot loop compares against them millions of times.
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const UPPER_A = 0x41;
const UPPER_E = 0x45;
const UPPER_F = 0x46;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const LOWER_A = 0x61;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const BOM = 0xfeff;
const HIGH_SURROGATE_MIN = 0xd800;
const HIGH_SURROGATE_MAX = 0xdbff;
const LOW_SURROGATE_MIN = 0xdc00;
const LOW_SURROGATE_MAX = 0xdfff;


/**
 * Receives the tokens of a JSON text from {@link createTokenizer}, in document order.
 *
 * Strings stream: a string that opens and closes within one `write` arrives as one
 * {@link TokenHandler.string} call; a string still open when a `write` ends arrives as
 * {@link TokenHandler.startString}, then one {@link TokenHandler.stringPart} per `write` that
 * added text to it, then {@link TokenHandler.endString}. Parts carry unescaped text; an escape
 * is never split between parts, and a part never ends with a high surrogate while the string is
 * open (it is held back until the next code unit is known). Keys always arrive whole.
 *
 * Numbers and literals arrive once complete. A number needs the character after it (or `end()`)
 * to be complete: `12` may still become `123`.
 *
 * @public
 */
export interface TokenHandler {
  /** `{` was read. */
  startObject(): void;
  /** `}` was read. */
  endObject(): void;
  /** `[` was read. */
  startArray(): void;
  /** `]` was read. */
  endArray(): void;
  /** A complete object key (unescaped). The `:` after it has not necessarily been read yet. */
  key(key: string): void;
  /** A complete string value (unescaped) that opened and closed within one `write`. */
  string(value: string): void;
  /** A string value opened and is still open at the end of this `write`. */
  startString(): void;
  /** More unescaped text of the open string value (never empty). */
  stringPart(text: string): void;
  /** The open string value closed. */
  endString(): void;
  /** A complete number, converted exactly as `JSON.parse` converts it (overflow gives ±Infinity). */
  number(value: number): void;
  /** A complete `true`, `false` or `null`. */
  literal(value: boolean | null): void;
  /**
   * Optional fast path. When present, an array or object that opens and closes within one
   * `write` is not tokenized: its text (from `[`/`{` to the matching close) is offered here
   * instead. Return `true` if it was taken as one complete value (for example by `JSON.parse`),
   * or `false` if it is not valid JSON: the tokenizer then tokenizes it as usual, emitting its
   * tokens and raising the {@link ParseError} at the exact character. The text has only been
   * scanned for brackets and string ends, not validated, so the handler must validate it.
   */
  skipped?(text: string): boolean;
}

/** Options of {@link createTokenizer}. @public */
export interface TokenizerOptions {
  /**
   * Most arrays and objects that may be open at once; one more is a `max-depth-exceeded`
   * {@link ParseError} at its `[` or `{`.
   * @defaultValue `Infinity` (like `JSON.parse`, limited only by memory: no recursion is used,
   *   and the tokenizer's work per token does not depend on depth; `createPartialParser`, whose
   *   snapshots and paths do, defaults to 128)
   */
  maxDepth?: number | undefined;
  /**
   * Longest string or key, in UTF-16 code units after unescaping; a longer one is a
   * `max-string-length-exceeded` {@link ParseError}.
   * @defaultValue `Infinity`
   */
  maxStringLength?: number | undefined;
  /**
   * Accept a sequence of JSON texts separated by whitespace or nothing (`{"a":1}{"b":2} [3]`),
   * as in concatenated JSON and JSON Lines, instead of exactly one. Empty input is then valid.
   * @defaultValue `false`
   */
  multiple?: boolean | undefined;
}

/**
 * A push tokenizer made by {@link createTokenizer}.
 * @public
 */
export interface Tokenizer {
  /**
   * Feeds the next chunk: text, or UTF-8 bytes decoded by one streaming fatal `TextDecoder`
   * (so a character may be split between chunks). Emits every token the chunk completes.
   * @throws {@link ParseError} at the first character after which no valid JSON text could
   *   follow; the tokens before it have been emitted. The tokenizer then refuses further input.
   * @throws `TypeError` when called after `end()` or after an error, or with a chunk that is
   *   neither a string nor a `Uint8Array`.
   */
  write(chunk: string | Uint8Array): void;
  /**
   * Signals the end of the input: completes a trailing top-level number.
   * @throws {@link ParseError} with code `unexpected-end` when the JSON text is incomplete, or
   *   `invalid-utf8` when the bytes end inside a UTF-8 sequence.
   */
  end(): void;
  /** Code units (UTF-16, of the decoded text) consumed so far, including a skipped BOM. */
  readonly position: number;
  /** Arrays and objects open now. */
  readonly depth: number;
  /**
   * Position (UTF-16 code units from the start of the stream) of the last character of the
   * latest token handed to the handler: the closing quote of a string or key, the last digit of
   * a number, a bracket; for a string part at the end of a write, the write's last character.
   * Handlers read it to locate errors they raise.
   */
  readonly tokenPosition: number;
  /** True once the input can end here: a complete JSON text (or, with `multiple`, any number of them) has been read. */
  readonly complete: boolean;
}

// Tokenizer states. Each names what the next non-whitespace character may be.
const S_VALUE = 0; // a value (after `:`, after `,` in an array, at the start)
const S_VALUE_OR_CLOSE = 1; // a value or `]` (after `[`)
const S_KEY_OR_CLOSE = 2; // `"` or `}` (after `{`)
const S_KEY = 3; // `"` (after `,` in an object)
const S_COLON = 4; // `:` (after a key)
const S_AFTER_VALUE = 5; // `,` or the container's close
const S_STRING = 6; // inside a string or key
const S_ESCAPE = 7; // after `\` in a string
const S_UNICODE = 8; // inside `\uXXXX`
const S_NUMBER = 9; // inside a number (sub-state in `numState`)
const S_LITERAL = 10; // inside `true`, `false` or `null`
const S_DONE = 11; // after a complete top-level value: only whitespace (or, with `multiple`, another value)

// Number sub-states (RFC 8259 §6): which characters may come next and whether it may end here.
const N_MINUS = 0; // after `-`: a digit
const N_ZERO = 1; // after a leading `0`: `.`, `e`, or the end
const N_INT = 2; // in integer digits: digit, `.`, `e`, or the end
const N_DOT = 3; // after `.`: a digit
const N_FRAC = 4; // in fraction digits: digit, `e`, or the end
const N_EXP = 5; // after `e`: sign or digit
const N_EXP_SIGN = 6; // after the exponent sign: a digit
const N_EXP_DIGITS = 7; // in exponent digits: digit or the end

const ARRAY = 0;
const OBJECT = 1;

const LITERALS = ['true', 'false', 'null'] as const;
const LITERAL_VALUES = [true, false, null] as const;

function hexValue(c: number): number {
  if (c >= DIGIT_0 && c <= DIGIT_9) return c - DIGIT_0;
  if (c >= LOWER_A && c <= LOWER_F) return c - LOWER_A + 10;
  if (c >= UPPER_A && c <= UPPER_F) return c - UPPER_A + 10;
  return -1;
}

function simpleEscape(c: number): string | undefined {
  switch (c) {
    case QUOTE:
      return '"';
    case BACKSLASH:
      return '\\';
    case SLASH:
      return '/';
    case LOWER_B:
      return '\b';
    case LOWER_F:
      return '\f';
    case LOWER_N:
      return '\n';
    case LOWER_R:
      return '\r';
    case LOWER_T:
      return '\t';
    default:
      return undefined;
  }
}

const EMPTY_BYTES = new Uint8Array(0);

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const all = new Uint8Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  return all;
}

/**
 * The bytes of the unfinished UTF-8 sequence at the end of `before` + `bytes` (both already
 * accepted by a streaming decoder), or an empty array: what the decoder holds for the next chunk.
 */
function incompleteTail(before: Uint8Array, bytes: Uint8Array): Uint8Array {
  const n = before.length + bytes.length;
  if (n === 0 || (bytes.length > 0 && bytes[bytes.length - 1]! < 0x80)) return EMPTY_BYTES; // ends on ASCII
  const at = (k: number): number => (k < before.length ? before[k]! : bytes[k - before.length]!);
  // A sequence is at most 4 bytes: look back over at most 3 continuation bytes for its lead.
  for (let k = n - 1; k >= 0 && k >= n - 4; k--) {
    const b = at(k);
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (n - k >= length) return EMPTY_BYTES;
    const tail = new Uint8Array(n - k);
    for (let j = k; j < n; j++) tail[j - k] = at(j);
    return tail;
  }
  return EMPTY_BYTES;
}

/** The character at `s[i]` for an error message: a whole surrogate pair rather than half of it. */
function foundAt(s: string, i: number): string {
  const c = s.charCodeAt(i);
  return c >= HIGH_SURROGATE_MIN && c <= HIGH_SURROGATE_MAX && i + 1 < s.length ? s.slice(i, i + 2) : s.charAt(i);
}

/**
 * Creates a character-level incremental JSON tokenizer: a push state machine that accepts
 * exactly the texts `JSON.parse` accepts (RFC 8259), resumable after any character — inside a
 * string, an escape, a `\uXXXX`, between the two escapes of a surrogate pair, inside a number or
 * a literal, between the bytes of a UTF-8 character — and emits tokens to `handler`.
 *
 * A leading byte order mark (U+FEFF) is skipped (RFC 8259 §8.1 allows a parser to ignore it).
 * No recursion is used: nesting depth is limited only by memory unless `maxDepth` is set.
 *
 * Cost: O(length of the chunk) per `write`; strings, whitespace and digits are scanned in runs.
 *
 * @example
 * ```ts
 * const tokenizer = createTokenizer({ ...handler, number: (n) => console.log(n) });
 * tokenizer.write('[1, 2');
 * tokenizer.write('3]'); // logs 1, then 23
 * tokenizer.end();
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8259
 * @public
 */
export function createTokenizer(handler: TokenHandler, options: TokenizerOptions = {}): Tokenizer {
  const maxDepth = options.maxDepth ?? Infinity;
  const maxStringLength = options.maxStringLength ?? Infinity;
  const multiple = options.multiple === true;
  // The fast path cannot count string lengths, so it is off under a limit.
  const skipped = maxStringLength === Infinity ? handler.skipped : undefined;

  let state = S_VALUE;
  const stack: number[] = [];
  let offset = 0; // absolute position of the current chunk's first code unit
  let line = 1;
  let lineStart = 0; // absolute position of the current line's first code unit
  let isKey = false;
  let strBuf = ''; // unescaped text of the current string not yet emitted
  let strLen = 0; // code units of the current string so far (for maxStringLength)
  let strStarted = false; // startString() was emitted for the current string value
  let unicodeCount = 0;
  let unicodeCode = 0;
  let numState = N_INT;
  let numBuf = ''; // the part of a number read in earlier chunks
  let litIndex = 0;
  let litKind = 0;
  let failure: ParseError | undefined;
  let ended = false;
  let tokenEnd = 0; // absolute position of the last character of the latest token
  let decoder: TextDecoder | undefined;
  let pending: Uint8Array = EMPTY_BYTES; // bytes of an unfinished UTF-8 sequence the decoder holds

  // Fast path (see TokenHandler.skipped): containers found by a scan to stay open at the end of
  // this chunk, in ascending order, so they are scanned once per chunk, not once per ancestor.
  let unclosed: number[] = [];
  let scanStack: number[] = []; // working stack of scanContainer
  let unclosedNext = 0;
  let noSkipBefore = 0; // no fast path inside a container whose text JSON.parse rejected

  function fail(code: ParseErrorCode, absolute: number, found?: string, detail?: string, cause?: unknown): never {
    throw new ParseError({
      code,
      position: absolute,
      line,
      column: absolute - lineStart + 1,
      found,
      detail,
      cause,
    });
  }

  function failAt(s: string, i: number, code: ParseErrorCode = 'unexpected-character'): never {
    return fail(code, offset + i, foundAt(s, i));
  }

  function afterValue(): number {
    return stack.length === 0 ? S_DONE : S_AFTER_VALUE;
  }

  /** Skips whitespace from `i`, counting lines; returns the index of the next other character. */
  function skipWhitespace(s: string, i: number, n: number): number {
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === SPACE || c === TAB || c === CR) continue;
      if (c === LF) {
        line++;
        lineStart = offset + i + 1;
        continue;
      }
      break;
    }
    return i;
  }

  /**
   * Finds the end of the array or object opening at `s[i]` by tracking only brackets and string
   * ends (JSON.parse validates the text afterwards). Returns the index after its close, or -1 if
   * it stays open in this chunk; then every container still open is remembered in `unclosed`.
   */
  function scanContainer(s: string, i: number, n: number): number {
    let depth = 0;
    scan: while (i < n) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        // The string ends at the next quote preceded by an even number of backslashes.
        let j = s.indexOf('"', i + 1);
        for (;;) {
          if (j < 0) break scan; // the string runs past the chunk: so does everything open
          let k = j - 1;
          while (s.charCodeAt(k) === BACKSLASH) k--;
          if (((j - 1 - k) & 1) === 0) break;
          j = s.indexOf('"', j + 1);
        }
        i = j + 1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        scanStack[depth++] = i++;
        if (stack.length + depth > maxDepth) break; // tokenize it: the limit error needs its position
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        i++;
        if (--depth === 0) return i;
      } else {
        i++;
      }
    }
    // Only a failed scan replaces the list: it saw every container from `i` to the chunk's end,
    // so a later container not on it closes in this chunk and its scan cannot fail. That keeps
    // the scans of one chunk O(chunk) in total, even for alternating open and closed nesting.
    scanStack.length = depth;
    const list = unclosed;
    unclosed = scanStack;
    scanStack = list;
    unclosedNext = 0;
    return -1;
  }

  /** Offers the container opening at `s[i]` to `handler.skipped`; returns the index after it, or -1. */
  function trySkip(s: string, i: number, n: number): number {
    if (i < noSkipBefore) return -1;
    while (unclosedNext < unclosed.length && unclosed[unclosedNext]! < i) unclosedNext++;
    if (unclosedNext < unclosed.length && unclosed[unclosedNext] === i) {
      unclosedNext++;
      return -1;
    }
    const end = scanContainer(s, i, n);
    if (end < 0) return -1;
    if (skipped!(s.slice(i, end))) return end;
    noSkipBefore = end;
    return -1;
  }

  /**
   * Runs the state machine over `s[i..n)`, keeping `state` and the string/number buffers
   * current at every return and throw.
   */
  function run(s: string, i: number, n: number): void {
    let runStart = i; // start of the current string or number run in this chunk
    while (i < n) {
      switch (state) {
        case S_VALUE:
        case S_VALUE_OR_CLOSE:
        case S_DONE: {
          i = skipWhitespace(s, i, n);
          if (i >= n) break;
          const c = s.charCodeAt(i);
          if (state === S_DONE && !multiple) failAt(s, i);
          if (c === QUOTE) {
            isKey = false;
            strBuf = '';
            strLen = 0;
            strStarted = false;
            state = S_STRING;
            runStart = ++i;
          } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            if (stack.length >= maxDepth) fail('max-depth-exceeded', offset + i, s.charAt(i), String(maxDepth));
            if (skipped !== undefined && stack.length + 1 < maxDepth) {
              const end = trySkip(s, i, n);
              if (end >= 0) {
                tokenEnd = offset + end - 1;
                state = afterValue();
                i = end;
                break;
              }
            }
            tokenEnd = offset + i;
            if (c === OPEN_BRACE) {
              stack.push(OBJECT);
              state = S_KEY_OR_CLOSE;
              handler.startObject();
            } else {
              stack.push(ARRAY);
              state = S_VALUE_OR_CLOSE;
              handler.startArray();
            }
            i++;
          } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
            numState = c === MINUS ? N_MINUS : c === DIGIT_0 ? N_ZERO : N_INT;
            numBuf = '';
            state = S_NUMBER;
            runStart = i++;
          } else if (c === LOWER_T || c === LOWER_F || c === LOWER_N) {
            litKind = c === LOWER_T ? 0 : c === LOWER_F ? 1 : 2;
            litIndex = 1;
            state = S_LITERAL;
            i++;
          } else if (c === CLOSE_BRACKET && state === S_VALUE_OR_CLOSE) {
            i = close(i, ARRAY);
          } else {
            failAt(s, i);
          }
          break;
        }
        case S_KEY_OR_CLOSE:
        case S_KEY: {
          i = skipWhitespace(s, i, n);
          if (i >= n) break;
          const c = s.charCodeAt(i);
          if (c === QUOTE) {
            isKey = true;
            strBuf = '';
            strLen = 0;
            state = S_STRING;
            runStart = ++i;
          } else if (c === CLOSE_BRACE && state === S_KEY_OR_CLOSE) {
            i = close(i, OBJECT);
          } else {
            failAt(s, i);
          }
          break;
        }
        case S_COLON: {
          i = skipWhitespace(s, i, n);
          if (i >= n) break;
          if (s.charCodeAt(i) !== COLON) failAt(s, i);
          state = S_VALUE;
          i++;
          break;
        }
        case S_AFTER_VALUE: {
          i = skipWhitespace(s, i, n);
          if (i >= n) break;
          const c = s.charCodeAt(i);
          const top = stack[stack.length - 1];
          if (c === COMMA) {
            state = top === OBJECT ? S_KEY : S_VALUE;
            i++;
          } else if ((c === CLOSE_BRACKET && top === ARRAY) || (c === CLOSE_BRACE && top === OBJECT)) {
            i = close(i, top!);
          } else {
            failAt(s, i);
          }
          break;
        }
        case S_STRING: {
          // Scan the run once and slice it: per-character concatenation is O(n^2) for long strings.
          let c = 0;
          while (i < n) {
            c = s.charCodeAt(i);
            if (c === QUOTE || c === BACKSLASH || c < SPACE) break;
            i++;
          }
          if (i > runStart) {
            strBuf += s.slice(runStart, i);
            if (maxStringLength !== Infinity) {
              strLen += i - runStart;
              if (strLen > maxStringLength) {
                const excess = strLen - maxStringLength;
                // Keep the code units within the limit: the value shows what the text before
                // the first unit over it says, whatever the chunking.
                strBuf = strBuf.slice(0, strBuf.length - excess);
                failInString('max-string-length-exceeded', offset + i - excess, undefined, String(maxStringLength));
              }
            }
          }
          if (i >= n) break;
          if (c === QUOTE) {
            tokenEnd = offset + i;
            i++;
            if (isKey) {
              handler.key(strBuf);
              state = S_COLON;
            } else {
              state = afterValue();
              if (strStarted) {
                if (strBuf.length > 0) handler.stringPart(strBuf);
                handler.endString();
              } else {
                handler.string(strBuf);
              }
            }
            strBuf = '';
          } else if (c === BACKSLASH) {
            state = S_ESCAPE;
            i++;
          } else {
            failInStringAt(s, i, 'control-character');
          }
          break;
        }
        case S_ESCAPE: {
          const c = s.charCodeAt(i);
          if (c === LOWER_U) {
            unicodeCount = 0;
            unicodeCode = 0;
            state = S_UNICODE;
            i++;
            break;
          }
          const unescaped = simpleEscape(c);
          if (unescaped === undefined) failInStringAt(s, i, 'invalid-escape');
          i++;
          appendEscaped(unescaped, i);
          state = S_STRING;
          runStart = i;
          break;
        }
        case S_UNICODE: {
          while (i < n && unicodeCount < 4) {
            const v = hexValue(s.charCodeAt(i));
            if (v < 0) failInStringAt(s, i, 'invalid-escape');
            unicodeCode = unicodeCode * 16 + v;
            unicodeCount++;
            i++;
          }
          if (unicodeCount === 4) {
            appendEscaped(String.fromCharCode(unicodeCode), i);
            state = S_STRING;
            runStart = i;
          }
          break;
        }
        case S_NUMBER: {
          i = scanNumber(s, i, n);
          if (i >= n) break; // the number goes on in the next chunk (saved below)
          // `s[i]` ends the number; it is read again in the state after the value.
          if (numState !== N_ZERO && numState !== N_INT && numState !== N_FRAC && numState !== N_EXP_DIGITS) {
            failAt(s, i);
          }
          state = afterValue();
          tokenEnd = offset + i - 1;
          const text = numBuf === '' ? s.slice(runStart, i) : numBuf + s.slice(runStart, i);
          numBuf = '';
          handler.number(+text);
          break;
        }
        case S_LITERAL: {
          const text = LITERALS[litKind]!;
          while (i < n && litIndex < text.length) {
            if (s.charCodeAt(i) !== text.charCodeAt(litIndex)) failAt(s, i);
            litIndex++;
            i++;
          }
          if (litIndex === text.length) {
            state = afterValue();
            tokenEnd = offset + i - 1;
            handler.literal(LITERAL_VALUES[litKind]!);
          }
          break;
        }
        default:
          throw new Error(`streamshape: unknown tokenizer state ${state}`);
      }
    }
    // The chunk ended inside a token: keep the start of a number, hand over what an open string
    // value gained.
    if (state === S_NUMBER) numBuf += s.slice(runStart, n);
    else if (!isKey && (state === S_STRING || state === S_ESCAPE || state === S_UNICODE)) {
      tokenEnd = offset + n - 1;
      flushStringPart();
    }
  }

  function appendEscaped(unescaped: string, iAfter: number): void {
    if (maxStringLength !== Infinity && ++strLen > maxStringLength) {
      failInString('max-string-length-exceeded', offset + iAfter - 1, undefined, String(maxStringLength));
    }
    strBuf += unescaped;
  }

  /**
   * Fails inside a string at `absolute`. An open string value first hands over the text read
   * before the bad character (buffered in this write), so the value left behind is what the text
   * before it says, however it was chunked; a key in progress never appears.
   */
  function failInString(code: ParseErrorCode, absolute: number, found?: string, detail?: string): never {
    if (!isKey) {
      tokenEnd = absolute - 1;
      flushStringPart();
    }
    return fail(code, absolute, found, detail);
  }

  function failInStringAt(s: string, i: number, code: ParseErrorCode): never {
    return failInString(code, offset + i, foundAt(s, i));
  }

  function flushStringPart(): void {
    if (!strStarted) {
      strStarted = true;
      handler.startString();
    }
    let text = strBuf;
    // Hold back a trailing high surrogate: its low half may be in the next chunk.
    const last = text.charCodeAt(text.length - 1);
    if (last >= HIGH_SURROGATE_MIN && last <= HIGH_SURROGATE_MAX) {
      strBuf = text.slice(-1);
      text = text.slice(0, -1);
    } else {
      strBuf = '';
    }
    if (text.length > 0) handler.stringPart(text);
  }

  /** Returns the index of the first non-digit at or after `i`. */
  function skipDigits(s: string, i: number, n: number): number {
    while (i < n) {
      const d = s.charCodeAt(i);
      if (d < DIGIT_0 || d > DIGIT_9) break;
      i++;
    }
    return i;
  }

  /** Consumes number characters from `i`; returns the index of the first one that is not part of it. */
  function scanNumber(s: string, i: number, n: number): number {
    while (i < n) {
      const c = s.charCodeAt(i);
      const digit = c >= DIGIT_0 && c <= DIGIT_9;
      switch (numState) {
        case N_MINUS:
          if (!digit) return i;
          numState = c === DIGIT_0 ? N_ZERO : N_INT;
          i++;
          break;
        case N_ZERO:
          if (c === DOT) numState = N_DOT;
          else if (c === LOWER_E || c === UPPER_E) numState = N_EXP;
          else if (digit) failAt(s, i); // a leading zero may not be followed by a digit
          else return i;
          i++;
          break;
        case N_INT:
          i = skipDigits(s, i, n);
          if (i >= n) return i;
          {
            const d = s.charCodeAt(i);
            if (d === DOT) numState = N_DOT;
            else if (d === LOWER_E || d === UPPER_E) numState = N_EXP;
            else return i;
          }
          i++;
          break;
        case N_DOT:
          if (!digit) return i;
          numState = N_FRAC;
          i++;
          break;
        case N_FRAC:
          i = skipDigits(s, i, n);
          if (i >= n) return i;
          {
            const d = s.charCodeAt(i);
            if (d === LOWER_E || d === UPPER_E) numState = N_EXP;
            else return i;
          }
          i++;
          break;
        case N_EXP:
          if (c === PLUS || c === MINUS) numState = N_EXP_SIGN;
          else if (digit) numState = N_EXP_DIGITS;
          else return i;
          i++;
          break;
        case N_EXP_SIGN:
          if (!digit) return i;
          numState = N_EXP_DIGITS;
          i++;
          break;
        default: // N_EXP_DIGITS
          i = skipDigits(s, i, n);
          return i;
      }
    }
    return i;
  }

  /** Closes the innermost container at index `i`; returns the index after it. */
  function close(i: number, kind: number): number {
    tokenEnd = offset + i;
    stack.pop();
    state = afterValue();
    if (kind === OBJECT) handler.endObject();
    else handler.endArray();
    return i + 1;
  }

  function feed(s: string): void {
    let i = 0;
    if (offset === 0 && s.length > 0 && s.charCodeAt(0) === BOM) i = 1;
    const n = s.length;
    // Setting an array's length is a runtime call: skip it on the common empty case.
    if (unclosed.length > 0) unclosed.length = 0;
    unclosedNext = 0;
    noSkipBefore = 0;
    run(s, i, n);
    offset += n;
  }

  /**
   * Decodes bytes; on invalid UTF-8 first feeds the valid text before the bad byte, then fails
   * after it. The decoder keeps a leading BOM in the text (`ignoreBOM`), so bytes and text agree
   * on it: `feed` skips one at the start, a second is an error, and positions count it.
   */
  function decode(bytes: Uint8Array): string {
    decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    try {
      const text = decoder.decode(bytes, { stream: true });
      pending = incompleteTail(pending, bytes);
      return text;
    } catch (cause) {
      // The fatal decoder has discarded its state. The bytes it held (an unfinished sequence
      // from earlier chunks) and this chunk are decoded again from scratch: the longest valid
      // prefix (validity of a prefix is monotone, so binary search) is fed before failing, so
      // the error and the text before it do not depend on where the chunks were cut.
      const all = pending.length === 0 ? bytes : concatBytes(pending, bytes);
      pending = EMPTY_BYTES;
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        try {
          new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(all.subarray(0, mid), { stream: true });
          lo = mid;
        } catch {
          hi = mid - 1;
        }
      }
      const text = lo === 0 ? '' : new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(all.subarray(0, lo), { stream: true });
      if (text.length > 0) feed(text);
      return fail('invalid-utf8', offset, undefined, undefined, cause);
    }
  }

  function guard(method: string): void {
    if (failure !== undefined) {
      throw new TypeError(
        `${method} called after the JSON text was rejected (${failure.message}); create a new tokenizer`,
        { cause: failure },
      );
    }
    if (ended) throw new TypeError(`${method} called after end(); create a new tokenizer`);
  }

  return {
    write(chunk: string | Uint8Array): void {
      guard('write()');
      try {
        if (typeof chunk === 'string') {
          if (decoder !== undefined) {
            // Text after bytes: the bytes must have ended on a character boundary.
            const rest = decodeFlush();
            if (rest.length > 0) feed(rest);
          }
          feed(chunk);
        } else if (chunk instanceof Uint8Array) {
          const text = decode(chunk);
          if (text.length > 0) feed(text);
        } else {
          throw chunkTypeError(chunk);
        }
      } catch (error) {
        if (error instanceof ParseError) failure = error;
        throw error;
      }
    },
    end(): void {
      guard('end()');
      try {
        if (decoder !== undefined) {
          const rest = decodeFlush();
          if (rest.length > 0) feed(rest);
        }
        if (state === S_NUMBER) {
          if (numState !== N_ZERO && numState !== N_INT && numState !== N_FRAC && numState !== N_EXP_DIGITS) {
            fail('unexpected-end', offset);
          }
          const text = numBuf;
          numBuf = '';
          state = afterValue();
          tokenEnd = offset - 1;
          handler.number(+text);
        }
        if (!(state === S_DONE || (multiple && state === S_VALUE && stack.length === 0))) fail('unexpected-end', offset);
        ended = true;
      } catch (error) {
        if (error instanceof ParseError) failure = error;
        throw error;
      }
    },
    get position() {
      return offset;
    },
    get depth() {
      return stack.length;
    },
    get tokenPosition() {
      return tokenEnd;
    },
    get complete() {
      if (state === S_DONE) return true;
      if (multiple && state === S_VALUE && stack.length === 0) return true;
      return false;
    },
  };

  function decodeFlush(): string {
    pending = EMPTY_BYTES;
    try {
      return decoder!.decode();
    } catch (cause) {
      return fail('invalid-utf8', offset, undefined, undefined, cause);
    }
  }
}
