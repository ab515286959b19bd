/**
 * The `concatenated` and `array` modes of the JSON Lines parser: records are JSON values that
 * follow each other (`{"a":1}{"b":2} [3]`), or the elements of one top-level array, delivered as
 * each one completes.
 *
 * A light scanner finds where each record ends: containers and strings by bracket and quote
 * balance, numbers and `true`/`false`/`null` by their exact grammar (as the tokenizer's
 * `multiple` mode reads them). The record's text then goes to the platform's `JSON.parse`; only a
 * record it rejects is re-scanned by the tokenizer to locate the error. The scan is one pass over
 * the text, so the work stays O(n) however the records are chunked.
 *
 * Recovery: a balanced record that is not valid JSON is reported alone and the next one is read
 * normally. Something that cannot start a record is reported up to the next whitespace or
 * `{`, `[`, `"` (concatenated), or up to the next `,` or `]` of the array (array mode). An
 * unclosed string or bracket can swallow the records after it: nothing marks where it should
 * have ended.
 *
 * @module
 */
import { ParseError } from '../json/errors.js';
import { createPartialParser, type PartialParser } from '../partial/parser.js';
import { earlierError, foundAt, locateError, type RecordSink, type SplitterCore } from './record.js';
import { createUtf8Reader, utf8Bytes } from './utf8.js';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const PLUS = 0x2b;
const UPPER_E = 0x45;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_T = 0x74;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const REPLACEMENT = '\ufffd';
const REPLACEMENT_BYTES = 3;

// What the scanner is inside.
const R_NONE = 0; // between records
const R_NESTED = 1; // a container, or a string (depth 0): balanced scan
const R_NUMBER = 2; // a number (sub-state in numState)
const R_LITERAL = 3; // true, false or null
const R_BAD = 4; // a record already known to be bad, read to its end

// Number grammar (RFC 8259 §6), as the tokenizer reads it.
const N_MINUS = 0;
const N_ZERO = 1;
const N_INT = 2;
const N_DOT = 3;
const N_FRAC = 4;
const N_EXP = 5;
const N_EXP_SIGN = 6;
const N_EXP_DIGITS = 7;

// The top-level array around the records (array mode).
const E_OPEN = 0; // before its `[`
const E_FIRST = 1; // after `[`: an element or `]`
const E_NEXT = 2; // after `,`: an element
const E_AFTER = 3; // after an element: `,` or `]`
const E_CLOSED = 4; // after `]`: whitespace only
const E_BROKEN = 5; // not an array: the rest is ignored

/** @internal */
export interface ValuesOptions {
  /** `true`: elements of one top-level array; `false`: concatenated values. */
  readonly array: boolean;
  /** Longest record, in UTF-16 code units. */
  readonly maxLength: number;
  /** Whether the sink wants partial values of the record in progress. */
  readonly partials: boolean;
}

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function numberComplete(state: number): boolean {
  return state === N_ZERO || state === N_INT || state === N_FRAC || state === N_EXP_DIGITS;
}

/**
 * Creates the `concatenated` or `array` splitter. `startUnits`/`startBytes` are what a skipped
 * byte order mark took at the start of the stream.
 * @internal
 */
export function createValuesSplitter(sink: RecordSink, options: ValuesOptions, startUnits: number, startBytes: number): SplitterCore {
  const array = options.array;
  const max = options.maxLength;
  const wantPartials = options.partials;

  // Stream position of the text being scanned.
  let offset = startUnits; // absolute position of the current text's first code unit
  let line = 1;
  let lineStart = 0; // absolute position of the current line's first code unit
  let bytesOnly = true;
  let byteBase = startBytes; // bytes before the absolute position `countedTo`
  let countedTo = startUnits;
  let cur = '';
  let lineBreakAt = -1; // index of the next `\n` in `cur` at or after the scan (cached), or its length

  let env = E_OPEN;
  let rec = R_NONE;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let numState = N_INT;
  let literal = '';
  let literalIndex = 0;

  // The record in progress.
  let recPosition = 0;
  let recLine = 1;
  let recColumn = 1;
  let recByte: number | undefined;
  let recText = ''; // its text in earlier chunks
  let recLength = 0; // code units in earlier chunks
  let recFrom = 0; // where it starts in the current text
  let recDropped = false; // longer than the limit: reported, text not kept
  let recError: ParseError | undefined; // known bad (R_BAD), or invalid UTF-8 inside (R_NESTED)
  let recPoisonAt = -1; // code units of its text before the invalid UTF-8 (R_NESTED)
  let partial: PartialParser | undefined;
  let partialBroken = false;

  const reader = createUtf8Reader(scan, invalidBytes);

  function byteAt(i: number): number | undefined {
    if (!bytesOnly) return undefined;
    byteBase += utf8Bytes(cur, countedTo - offset, i);
    countedTo = offset + i;
    return byteBase;
  }

  function newline(i: number): void {
    line++;
    lineStart = offset + i + 1;
  }

  function unexpected(s: string, i: number): ParseError {
    const position = offset + i;
    return new ParseError({ code: 'unexpected-character', position, line, column: position - lineStart + 1, found: foundAt(s, i) });
  }

  function here(i: number): { line: number; position: number; byteOffset: number | undefined } {
    return { line, position: offset + i, byteOffset: byteAt(i) };
  }

  /** An error that is not a record's: a missing element, or text around the array. */
  function structuralError(error: ParseError, i: number): void {
    const at = here(i);
    sink.error(error, at.line, at.position, at.byteOffset, undefined);
  }

  function beginRecord(i: number, state: number): void {
    rec = state;
    recPosition = offset + i;
    recLine = line;
    recColumn = recPosition - lineStart + 1;
    recByte = byteAt(i);
    recText = '';
    recLength = 0;
    recFrom = i;
    recDropped = false;
    recError = undefined;
    recPoisonAt = -1;
    partial = undefined;
    partialBroken = false;
  }

  /** Starts the record whose first character is `s[i]`; returns where scanning goes on. */
  function startRecord(s: string, i: number, c: number): number {
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      beginRecord(i, R_NESTED);
      depth = 1;
      inString = false;
      return i + 1;
    }
    if (c === QUOTE) {
      beginRecord(i, R_NESTED);
      depth = 0;
      inString = true;
      escaped = false;
      return i + 1;
    }
    if (c === MINUS || isDigit(c)) {
      beginRecord(i, R_NUMBER);
      numState = c === MINUS ? N_MINUS : c === DIGIT_0 ? N_ZERO : N_INT;
      return i + 1;
    }
    if (c === LOWER_T || c === LOWER_F || c === LOWER_N) {
      beginRecord(i, R_LITERAL);
      literal = c === LOWER_T ? 'true' : c === LOWER_F ? 'false' : 'null';
      literalIndex = 1;
      return i + 1;
    }
    beginRecord(i, R_BAD);
    recError = unexpected(s, i);
    depth = 0;
    inString = false;
    return i; // the bad scan reads it
  }

  /** The record turns out bad at `s[i]`; the bad scan goes on from there. */
  function turnBad(error: ParseError): void {
    rec = R_BAD;
    recError = error;
    depth = 0;
    inString = false;
    partial = undefined;
    partialBroken = true;
  }

  /** Line and column of the code unit `units` into the record (for a too-long record's error). */
  function tooLong(text: string | undefined, units: number): ParseError {
    let errorLine = recLine;
    let column = recColumn + units;
    if (text !== undefined) {
      const last = text.lastIndexOf('\n', units - 1);
      if (last >= 0) {
        for (let k = 0; k < last + 1; k++) if (text.charCodeAt(k) === LF) errorLine++;
        column = units - last;
      }
    }
    return new ParseError({
      code: 'max-line-length-exceeded',
      position: recPosition + units,
      line: errorLine,
      column,
      detail: String(max),
    });
  }

  function reportRecordError(error: ParseError, text: string | undefined): void {
    sink.error(error, recLine, recPosition, recByte, text);
  }

  /** The record ends before `s[end]` (`s` is the current text, or '' at a chunk boundary). */
  function finishRecord(s: string, end: number): void {
    rec = R_NONE;
    partial = undefined;
    if (recDropped) return;
    const text = recFrom === 0 && recText === '' ? (end === s.length ? s : s.slice(0, end)) : recText + s.slice(recFrom, end);
    if (text.length > max) {
      reportRecordError(tooLong(text, max), undefined);
      return;
    }
    if (recError !== undefined) {
      const error =
        recPoisonAt >= 0 ? earlierError(text.slice(0, recPoisonAt), recPosition, recLine, recColumn, recError) : recError;
      reportRecordError(error, text);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Only a container or string can get here: the scanner has checked numbers and literals.
      reportRecordError(locateError(text, recPosition, recLine, recColumn), text);
      return;
    }
    sink.value(value, recLine, recPosition, recByte);
  }

  /** Between records: whitespace, the array's punctuation, or the start of a record. */
  function between(s: string, i: number, n: number): number {
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === SPACE || c === TAB || c === CR) continue;
      if (c === LF) {
        newline(i);
        continue;
      }
      break;
    }
    if (i >= n) return n;
    const c = s.charCodeAt(i);
    if (!array) return startRecord(s, i, c);
    switch (env) {
      case E_OPEN:
        if (c === OPEN_BRACKET) {
          env = E_FIRST;
          return i + 1;
        }
        env = E_BROKEN;
        structuralError(unexpected(s, i), i);
        return n;
      case E_FIRST:
      case E_NEXT:
        if (c === CLOSE_BRACKET && env === E_FIRST) {
          env = E_CLOSED;
          return i + 1;
        }
        if (c === COMMA || c === CLOSE_BRACKET) {
          // A missing element (`[,`, `,,`, `,]`): reported, and the array goes on.
          structuralError(unexpected(s, i), i);
          env = c === COMMA ? E_NEXT : E_CLOSED;
          return i + 1;
        }
        env = E_AFTER;
        return startRecord(s, i, c);
      case E_AFTER:
        if (c === COMMA) {
          env = E_NEXT;
          return i + 1;
        }
        if (c === CLOSE_BRACKET) {
          env = E_CLOSED;
          return i + 1;
        }
        // Something after an element that is not `,` or `]`: a bad record up to the next one.
        beginRecord(i, R_BAD);
        turnBad(unexpected(s, i));
        return i;
      case E_CLOSED:
        env = E_BROKEN;
        structuralError(unexpected(s, i), i);
        return n;
      default:
        return n;
    }
  }

  /**
   * Where the string open at `s[i]` (not after a backslash) closes: the index of its closing
   * quote, found with `indexOf` (strings are most of a record's text; a per-character loop here
   * doubled the scan's cost, bench/jsonl), or -1 when it does not close in `s`, or when a raw
   * line break comes first (invalid JSON, but it must be counted: the slow loop does that).
   */
  function stringEnd(s: string, i: number, n: number): number {
    for (;;) {
      const q = s.indexOf('"', i);
      if (q < 0) return -1;
      if (lineBreakAt < i) {
        lineBreakAt = s.indexOf('\n', i);
        if (lineBreakAt < 0) lineBreakAt = n;
      }
      if (lineBreakAt < q) return -1;
      // Escaped when an odd run of backslashes precedes it.
      let k = q - 1;
      while (k >= i && s.charCodeAt(k) === BACKSLASH) k--;
      if (((q - 1 - k) & 1) === 0) return q;
      i = q + 1;
    }
  }

  /** The open string, character by character from `s[i]`: returns the index after its closing quote, or `n`. */
  function scanStringSlowly(s: string, i: number, n: number): number {
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (escaped) escaped = false;
      else if (c === QUOTE) {
        inString = false;
        return i + 1;
      } else if (c === BACKSLASH) escaped = true;
      if (c === LF) newline(i);
    }
    return n;
  }

  /** Inside a container or string: brackets and quotes only. */
  function scanNested(s: string, i: number, n: number): number {
    while (i < n) {
      if (inString) {
        const q = escaped ? -1 : stringEnd(s, i, n);
        if (q >= 0) {
          inString = false;
          i = q + 1;
        } else {
          // Cut by the chunk's end, after a backslash, or with a raw line break: the slow way.
          i = scanStringSlowly(s, i, n);
          if (inString) return n;
        }
        if (depth === 0) {
          finishRecord(s, i);
          return i;
        }
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        inString = true;
        escaped = false;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--depth === 0) {
          finishRecord(s, i + 1);
          return i + 1;
        }
      } else if (c === LF) newline(i);
      i++;
    }
    return n;
  }

  /**
   * A bad record, read to its end (not included): in array mode the next `,` or `]` of the
   * array (brackets and strings balanced); in concatenated mode the next whitespace or `{`,
   * `[`, `"`.
   */
  function scanBad(s: string, i: number, n: number): number {
    if (!array) {
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c === SPACE || c === TAB || c === CR || c === LF || c === OPEN_BRACE || c === OPEN_BRACKET || c === QUOTE) {
          finishRecord(s, i);
          return i;
        }
      }
      return n;
    }
    while (i < n) {
      const c = s.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === QUOTE) inString = false;
        else if (c === BACKSLASH) escaped = true;
      } else if (depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
        finishRecord(s, i);
        return i;
      } else if (c === QUOTE) {
        inString = true;
        escaped = false;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0) depth--;
      if (c === LF) newline(i);
      i++;
    }
    return n;
  }

  function scanNumber(s: string, i: number, n: number): number {
    while (i < n) {
      const c = s.charCodeAt(i);
      switch (numState) {
        case N_MINUS:
          if (!isDigit(c)) break;
          numState = c === DIGIT_0 ? N_ZERO : N_INT;
          i++;
          continue;
        case N_ZERO:
          if (c === DOT) numState = N_DOT;
          else if (c === LOWER_E || c === UPPER_E) numState = N_EXP;
          else if (isDigit(c)) break; // a leading zero may not be followed by a digit
          else {
            finishRecord(s, i);
            return i;
          }
          i++;
          continue;
        case N_INT:
        case N_FRAC:
        case N_EXP_DIGITS:
          while (i < n && isDigit(s.charCodeAt(i))) i++;
          if (i >= n) return n;
          {
            const d = s.charCodeAt(i);
            if (d === DOT && numState === N_INT) numState = N_DOT;
            else if ((d === LOWER_E || d === UPPER_E) && numState !== N_EXP_DIGITS) numState = N_EXP;
            else {
              finishRecord(s, i);
              return i;
            }
          }
          i++;
          continue;
        case N_DOT:
          if (!isDigit(c)) break;
          numState = N_FRAC;
          i++;
          continue;
        case N_EXP:
          if (c === PLUS || c === MINUS) numState = N_EXP_SIGN;
          else if (isDigit(c)) numState = N_EXP_DIGITS;
          else break;
          i++;
          continue;
        default: // N_EXP_SIGN
          if (!isDigit(c)) break;
          numState = N_EXP_DIGITS;
          i++;
          continue;
      }
      // `c` cannot continue the number and the number cannot end here.
      turnBad(unexpected(s, i));
      return i;
    }
    return n;
  }

  function scanLiteral(s: string, i: number, n: number): number {
    while (i < n && literalIndex < literal.length) {
      if (s.charCodeAt(i) !== literal.charCodeAt(literalIndex)) {
        turnBad(unexpected(s, i));
        return i;
      }
      literalIndex++;
      i++;
    }
    if (literalIndex === literal.length) finishRecord(s, i);
    return i;
  }

  function feedPartial(text: string): void {
    partial ??= createPartialParser({ onPartial: (value) => sink.partial(value, recLine, recPosition, recByte) });
    try {
      partial.write(text);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      partialBroken = true; // reported with its position when the record ends
      partial = undefined;
    }
  }

  /** Scans one piece of decoded text. */
  function scan(s: string): void {
    cur = s;
    lineBreakAt = -1;
    const n = s.length;
    recFrom = 0;
    let i = 0;
    while (i < n) {
      switch (rec) {
        case R_NONE:
          if (env === E_BROKEN && array) {
            i = n;
            break;
          }
          i = between(s, i, n);
          break;
        case R_NESTED:
          i = scanNested(s, i, n);
          break;
        case R_NUMBER:
          i = scanNumber(s, i, n);
          break;
        case R_LITERAL:
          i = scanLiteral(s, i, n);
          break;
        default:
          i = scanBad(s, i, n);
      }
    }
    if (rec !== R_NONE && recFrom < n && !recDropped) {
      const part = recFrom === 0 ? s : s.slice(recFrom);
      if (recLength + part.length > max) {
        recDropped = true;
        partial = undefined;
        reportRecordError(tooLong(recText + part, max), undefined);
        recText = '';
      } else {
        recText += part;
        if (wantPartials && !partialBroken && rec !== R_BAD) feedPartial(part);
      }
      recLength += part.length;
    } else if (rec !== R_NONE) recLength += n - recFrom;
    if (bytesOnly) {
      byteBase += utf8Bytes(s, countedTo - offset, n);
      countedTo = offset + n;
    }
    offset += n;
    recFrom = 0;
    cur = '';
  }

  /**
   * Bytes that are not UTF-8, between two decoded texts: a bad character at this position. It
   * counts as the U+FFFD a replacing decoder would put there (one code unit, as in `lines`
   * mode), and makes the record it falls in bad.
   */
  function invalidBytes(byteLength: number, cause: unknown): void {
    const error = new ParseError({ code: 'invalid-utf8', position: offset, line, column: offset - lineStart + 1, cause });
    if (rec === R_NUMBER && numberComplete(numState)) finishRecord('', 0);
    let skip = false;
    switch (rec) {
      case R_NONE:
        if (array) {
          if (env === E_BROKEN) {
            skip = true;
            break;
          }
          if (env === E_OPEN || env === E_CLOSED) {
            env = E_BROKEN;
            structuralError(error, 0);
            skip = true;
            break;
          }
          env = E_AFTER;
        }
        beginRecord(0, R_BAD);
        turnBad(error);
        break;
      case R_NESTED:
        if (recError === undefined) {
          recError = error;
          recPoisonAt = recLength;
        }
        partial = undefined;
        partialBroken = true;
        break;
      case R_NUMBER:
      case R_LITERAL:
        turnBad(error);
        break;
      default:
        break;
    }
    if (skip) {
      offset += 1;
      countedTo = offset;
    } else scan(REPLACEMENT);
    byteBase += byteLength - (skip ? 0 : REPLACEMENT_BYTES);
  }

  /** A record still open when the input ends; returns whether it was reported as bad. */
  function finishAtEnd(): boolean {
    const state = rec;
    if (state === R_NONE) return false;
    if (state === R_NUMBER && numberComplete(numState)) {
      finishRecord('', 0);
      return false;
    }
    if (state === R_BAD) {
      finishRecord('', 0);
      return true;
    }
    rec = R_NONE;
    partial = undefined;
    if (recDropped) return true;
    if (recError !== undefined) {
      reportRecordError(earlierError(recText.slice(0, recPoisonAt), recPosition, recLine, recColumn, recError), recText);
      return true;
    }
    reportRecordError(locateError(recText, recPosition, recLine, recColumn), recText);
    return true;
  }

  return {
    write(chunk) {
      if (typeof chunk === 'string') {
        if (chunk.length === 0) return;
        if (reader.pending > 0) reader.flush();
        bytesOnly = false;
        scan(chunk);
      } else {
        reader.write(chunk);
      }
    },
    end() {
      reader.flush();
      // One error per cause: a record cut short is the array's unexpected end too.
      const cut = finishAtEnd();
      if (array && !cut && env !== E_CLOSED && env !== E_BROKEN) {
        const error = new ParseError({ code: 'unexpected-end', position: offset, line, column: offset - lineStart + 1 });
        sink.error(error, line, offset, bytesOnly ? byteBase : undefined, undefined);
      }
    },
  };
}
