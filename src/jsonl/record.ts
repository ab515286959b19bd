/**
 * What the JSON Lines splitters share: the record-level callbacks they report to, and the
 * re-scan that turns a record `JSON.parse` rejected into a positioned {@link ParseError}.
 *
 * @module
 */
import { ParseError } from '../json/errors.js';
import { characterAt } from '../json/surrogates.js';
import { createRecordTokenizer, NO_TOKENS } from '../json/tokenizer.js';
import type { ParseWarning } from '../json/warnings.js';

/**
 * Receives the records a splitter finds, in stream order. Positions are absolute: code units of
 * the decoded text from the start of the stream; `byteOffset` is `undefined` unless every chunk
 * so far was bytes.
 * @internal
 */
export interface RecordSink {
  value_(value: unknown, line: number, position: number, byteOffset: number | undefined): void;
  /** `text` is the record's text when it was kept (not too long). */
  error_(error: ParseError, line: number, position: number, byteOffset: number | undefined, text: string | undefined): void;
  /** Only called when the user asked for partial values. */
  partial_(value: unknown, line: number, position: number, byteOffset: number | undefined): void;
  /** A lenient repair in the record about to be reported (positions in the stream). */
  warning_?(warning: ParseWarning, line: number, position: number, byteOffset: number | undefined): void;
}

/** What {@link createJsonlParser}'s modes implement. @internal */
export interface SplitterCore {
  write_(chunk: string | Uint8Array): void;
  end_(): void;
}

/**
 * The {@link ParseError} for a record `JSON.parse` rejected, found by running the tokenizer over
 * it (the tokenizer rejects at the same character `JSON.parse` does, and knows where). The
 * record starts at `position` (line `line`, column `column`) of the stream; the error is moved
 * there. With `ended`, a record that is only incomplete fails with `unexpected-end`.
 *
 * A space is written before the record so the tokenizer does not skip a U+FEFF at its start:
 * only the stream's first character may be a skipped byte order mark, and `JSON.parse` rejects
 * one anywhere.
 */
export function locateError(text: string, position: number, line: number, column: number): ParseError {
  const tokenizer = createRecordTokenizer(NO_TOKENS);
  try {
    tokenizer.write(' ');
    tokenizer.write(text);
    tokenizer.end();
  } catch (error) {
    if (error instanceof ParseError) return moved(error, position - 1, line - 1, column - 2);
    throw error;
  }
  // Not reached while the tokenizer and JSON.parse agree; report the record as a whole.
  return new ParseError({ code: 'unexpected-character', position, line, column, found: text.slice(0, 1) });
}

/**
 * `error` (of a record read on its own) moved by `offset` code units and `lineOffset` lines to
 * where the record is in the stream; `columnOffset` moves columns on the record's first line.
 */
function moved(error: ParseError, offset: number, lineOffset: number, columnOffset: number): ParseError {
  return new ParseError({
    code: error.code,
    position: error.position + offset,
    line: error.line + lineOffset,
    column: error.line === 1 ? error.column + columnOffset : error.column,
    found: error.found,
    detail: error.detail,
    cause: error.cause,
  });
}

/**
 * The error for a record whose text was valid up to a point where something else went wrong
 * (invalid UTF-8): a syntax error before that point wins, as it comes first in the stream.
 */
export function earlierError(prefix: string, position: number, line: number, column: number, later: ParseError): ParseError {
  const tokenizer = createRecordTokenizer(NO_TOKENS);
  try {
    tokenizer.write(' ');
    tokenizer.write(prefix);
  } catch (error) {
    if (error instanceof ParseError) return moved(error, position - 1, line - 1, column - 2);
    throw error;
  }
  return later;
}

/**
 * The quoted culprit of an error at `text[i]`: a whole surrogate pair rather than half of it
 * (the tokenizer's rule, so both splitters quote what the tokenizer would).
 */
export const foundAt = characterAt;
