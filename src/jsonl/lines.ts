/**
 * The `lines` mode of the JSON Lines parser: records are lines (RFC-less but well known: JSON
 * Lines, NDJSON). Complete lines go to the platform's `JSON.parse`; only a line that fails is
 * re-scanned by the tokenizer to locate its error, and only a line still in progress, when its
 * partial value is wanted, goes through the partial parser.
 *
 * Byte input is split on the byte 0x0A before decoding (it never occurs inside a multi-byte
 * UTF-8 character), so a character split between chunks needs no care, and a line that is not
 * valid UTF-8 is that line's error, not the stream's.
 *
 * @module
 */
import { ParseError } from '../json/errors.js';
import type { Lenient, ParseWarning } from '../json/warnings.js';
import { createPartialParser, type PartialParser } from '../partial/parser.js';
import { locateError, earlierError, type RecordSink, type SplitterCore } from './record.js';
import { concatBytes, fatalDecoder, findInvalidUtf8, incompleteTail, utf16Units, utf8Bytes, unitsWithinBytes } from '../json/utf8.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** @internal */
export interface LinesOptions {
  /** Longest line, without its line ending: code units for text input, bytes for byte input. */
  readonly maxLineLength: number;
  /** Whether the sink wants partial values of the line in progress. */
  readonly partials: boolean;
  /**
   * Whether the sink reads the byte offset of every good record. When it does not (`recordInfo:
   * false`), lines decoded together get their byte offsets only when one is reported (an
   * error), which saves a byte search per line on non-ASCII input.
   */
  readonly valueOffsets: boolean;
  /** Lenient mode for lines `JSON.parse` rejects (see `JsonlParserOptions.lenient`). */
  readonly lenient?: Lenient | undefined;
}

/**
 * A line `JSON.parse` rejected, read again in lenient mode: its value and the repairs (positions
 * in the line), or the error when no repair covers it or no value is in it (a line of prose).
 */
function lenientLine(text: string, lenient: Lenient): { value: unknown; warnings: readonly ParseWarning[] } | ParseError {
  const parser = createPartialParser({ lenient });
  try {
    parser.write(text);
    const value = parser.end();
    if (value === undefined) throw new ParseError({ code: 'unexpected-end', position: text.length, line: 1, column: text.length + 1 });
    return { value, warnings: parser.warnings };
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
}

/** A warning of a line's own parse (line 1 = the record's line) at its place in the stream. */
function inStream(warning: ParseWarning, start: number, lineNo: number, startColumn: number): ParseWarning {
  return {
    code: warning.code,
    position: warning.position + start,
    line: warning.line + lineNo - 1,
    column: warning.line === 1 ? warning.column + startColumn - 1 : warning.column,
    message: warning.message,
  };
}

/** `lineBytes` of a line cut from a decoded piece whose byte offsets are computed on demand. */
const LAZY = -2;

/** True for a line of JSON whitespace only (space, tab, carriage return), or empty. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB && c !== CR) return false;
  }
  return true;
}

function withoutCr(text: string): string {
  return text.charCodeAt(text.length - 1) === CR ? text.slice(0, -1) : text;
}

const STREAM = { stream: true } as const;

/** Bytes decoded at once (see completeRegion). */
const PIECE = 16 * 1024;

const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Creates the `lines` splitter. `startUnits`/`startBytes` are what a skipped byte order mark
 * took at the start of the stream.
 * @internal
 */
export function createLinesSplitter(sink: RecordSink, options: LinesOptions, startUnits: number, startBytes: number): SplitterCore {
  const max = options.maxLineLength;
  const wantPartials = options.partials;
  const lenient = options.lenient;
  // Byte offsets on demand need every line's byte length to be unneeded: no byte limit to check,
  // no value that reports its offset.
  const lazyOffsets = max === Infinity && !options.valueOffsets;
  const decoder = fatalDecoder();

  // The line in progress: where it starts, and what has arrived of it.
  let line = 1;
  let position = startUnits; // code units from the stream start
  let byteOffset = startBytes; // bytes from the stream start, while every chunk was bytes
  let column = startUnits + 1; // the first line starts after a skipped BOM
  let bytesOnly = true;
  let pendingText = '';
  // Bytes after `pendingText` (text then bytes only when the caller mixes chunk types).
  let pendingBytes: Uint8Array[] = [];
  let pendingByteLength = 0;
  // Invalid UTF-8 found in the pending bytes when a text chunk forced them to be decoded.
  let poison: { error: ParseError; prefix: string } | undefined;
  // Over the limit: reported at once; its text is dropped as it arrives until the line ends.
  let discarding = false;
  let discardedUnits = 0;
  let discardedBytes = 0;
  let partial: PartialParser | undefined;
  let partialBroken = false;
  // The decoded piece whose lines are being completed with LAZY byte lengths: `byteOffset` stays
  // at the piece's start until the piece is done; `lazyAt` is where the current line starts in
  // `lazyText`, and (`lazyUnit`, `lazyByte`) a cursor that only moves forward, so the offsets of
  // any number of errors in a piece cost one pass over it.
  let lazyText = '';
  let lazyAt = 0;
  let lazyUnit = 0;
  let lazyByte = 0;

  /** Byte offset of the line at `lazyAt` in `lazyText`, when every chunk so far was bytes. */
  function lazyByteOffset(): number | undefined {
    if (!bytesOnly) return undefined;
    lazyByte += utf8Bytes(lazyText, lazyUnit, lazyAt);
    lazyUnit = lazyAt;
    return byteOffset + lazyByte;
  }

  function advance(units: number, bytes: number): void {
    position += units + 1;
    if (bytesOnly && bytes !== LAZY) byteOffset += bytes + 1;
    line++;
    column = 1;
    partial = undefined;
    partialBroken = false;
  }

  function tooLong(unitsBefore: number, start: number, lineNo: number, startColumn: number): ParseError {
    return new ParseError({
      code: 'max-line-length-exceeded',
      position: start + unitsBefore,
      line: lineNo,
      column: startColumn + unitsBefore,
      detail: String(max),
    });
  }

  /**
   * A complete line (without its `\n`; possibly ending with `\r`). `lineBytes` is its length in
   * bytes when it came from byte input, {@link LAZY} when it starts at `lazyAt` in `lazyText`,
   * else -1.
   */
  function completeText(text: string, lineBytes: number): void {
    const start = position;
    const lineNo = line;
    const startColumn = column;
    // A LAZY line's byte offset is counted only when an error reports it: the sink does not
    // read a value's (LinesOptions.valueOffsets).
    const lazy = lineBytes === LAZY;
    const byteStart = bytesOnly && !lazy ? byteOffset : undefined;
    advance(text.length, lineBytes);
    const poisoned = poison;
    if (poisoned !== undefined) poison = undefined;
    if (max !== Infinity) {
      const size = (lineBytes >= 0 ? lineBytes : text.length) - (text.charCodeAt(text.length - 1) === CR ? 1 : 0);
      if (size > max) {
        const before = lineBytes >= 0 ? unitsWithinBytes(text, 0, max) : max;
        sink.error_(tooLong(before, start, lineNo, startColumn), lineNo, start, byteStart, undefined);
        return;
      }
    }
    if (poisoned !== undefined) {
      const error = earlierError(poisoned.prefix, start, lineNo, startColumn, poisoned.error);
      sink.error_(error, lineNo, start, lazy ? lazyByteOffset() : byteStart, withoutCr(text));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (isBlank(text)) return;
      // Without the `\r` of a `\r\n`: a line cut short ends before its line ending.
      const shown = withoutCr(text);
      const repaired = lenient === undefined ? undefined : lenientLine(shown, lenient);
      if (repaired === undefined || repaired instanceof ParseError) {
        sink.error_(locateError(shown, start, lineNo, startColumn), lineNo, start, lazy ? lazyByteOffset() : byteStart, shown);
        return;
      }
      // The repairs are reported only for a line that gives a record, just before it.
      if (sink.warning_ !== undefined) {
        for (const warning of repaired.warnings) {
          sink.warning_(inStream(warning, start, lineNo, startColumn), lineNo, start, lazy ? lazyByteOffset() : byteStart);
        }
      }
      value = repaired.value;
    }
    sink.value_(value, lineNo, start, byteStart);
  }

  /** A complete line given as `prefix` text and then bytes that may not be UTF-8. */
  function completeBytes(prefix: string, bytes: Uint8Array): void {
    let text: string;
    try {
      if (incompleteTail(bytes) > 0) throw new TypeError('truncated UTF-8 sequence');
      text = decoder.decode(bytes, STREAM); // see completeRegion
    } catch (cause) {
      invalidLine(prefix, bytes, cause);
      return;
    }
    if (prefix.length > 0) completeText(prefix + text, -1);
    else completeText(text, bytes.length);
  }

  function invalidLine(prefix: string, bytes: Uint8Array, cause: unknown): void {
    const failure = findInvalidUtf8(bytes);
    const at = prefix.length + failure.text.length;
    const error = new ParseError({
      code: 'invalid-utf8',
      position: position + at,
      line,
      column: column + at,
      cause,
    });
    // A poison found earlier in the line (bytes decoded for a text chunk) comes first.
    poison ??= { error, prefix: prefix + failure.text };
    // The text with U+FFFD for the bad bytes: what the error reports and what positions count.
    const text = prefix + lenientDecoder.decode(bytes);
    completeText(text, prefix.length > 0 ? -1 : bytes.length);
  }

  /** A text chunk arrived while bytes of the line were pending: decode them now. */
  function pendingBytesToText(): void {
    const bytes = concatBytes(pendingBytes, pendingByteLength);
    pendingBytes = [];
    pendingByteLength = 0;
    try {
      pendingText += decoder.decode(bytes);
    } catch (cause) {
      const failure = findInvalidUtf8(bytes);
      if (poison === undefined) {
        const at = pendingText.length + failure.text.length;
        poison = {
          error: new ParseError({ code: 'invalid-utf8', position: position + at, line, column: column + at, cause }),
          prefix: pendingText + failure.text,
        };
      }
      pendingText += lenientDecoder.decode(bytes);
      partialBroken = true;
    }
  }

  function feedPartial(chunk: string | Uint8Array): void {
    if (partialBroken) return;
    partial ??= createPartialParser({
      ...(lenient === undefined ? {} : { lenient }),
      onPartial: (value) => sink.partial_(value, line, position, bytesOnly ? byteOffset : undefined),
    });
    try {
      partial.write(chunk);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      // The line is bad; its error is reported with the exact position when it ends.
      partialBroken = true;
      partial = undefined;
    }
  }

  function overLimit(size: number, last: number): boolean {
    // A trailing `\r` may be the first half of the line ending.
    return size > max + 1 || (size === max + 1 && last !== CR);
  }

  /** Reports the pending line as too long and switches to dropping its text. */
  function startDiscarding(unitsBefore: number, units: number, bytes: number): void {
    discarding = true;
    discardedUnits = units;
    discardedBytes = bytes;
    pendingText = '';
    pendingBytes = [];
    pendingByteLength = 0;
    poison = undefined;
    partial = undefined;
    partialBroken = true;
    sink.error_(tooLong(unitsBefore, position, line, column), line, position, bytesOnly ? byteOffset : undefined, undefined);
  }

  function appendText(text: string): void {
    if (text.length === 0) return;
    if (discarding) {
      discardedUnits += text.length;
      return;
    }
    pendingText += text;
    if (max !== Infinity && overLimit(pendingText.length, pendingText.charCodeAt(pendingText.length - 1))) {
      startDiscarding(max, pendingText.length, 0);
      return;
    }
    if (wantPartials) feedPartial(text);
  }

  function appendBytes(chunk: Uint8Array, from: number, to: number): void {
    if (from >= to) return;
    if (discarding) {
      discardedUnits += utf16Units(chunk, from, to);
      discardedBytes += to - from;
      return;
    }
    // Copied: the caller may reuse its buffer once write() returns.
    const part = chunk.slice(from, to);
    pendingBytes.push(part);
    pendingByteLength += part.length;
    if (max !== Infinity && overLimit(pendingText.length + pendingByteLength, part[part.length - 1]!)) {
      const bytes = concatBytes(pendingBytes, pendingByteLength);
      let cut = Math.max(0, max - pendingText.length);
      while (cut > 0 && cut < bytes.length && (bytes[cut]! & 0xc0) === 0x80) cut--;
      const before = pendingText.length + utf16Units(bytes, 0, cut);
      startDiscarding(before, pendingText.length + utf16Units(bytes, 0, bytes.length), bytes.length);
      return;
    }
    if (wantPartials) feedPartial(part);
  }

  /** The line being dropped ended after `units` more code units (`bytes` more bytes). */
  function endDiscarded(units: number, bytes: number): void {
    discarding = false;
    position += discardedUnits;
    if (bytesOnly) byteOffset += discardedBytes;
    advance(units, bytes);
  }

  /**
   * Complete lines in one byte range, separated by `\n`, the last one without its `\n`:
   * decoded in pieces of about {@link PIECE} bytes cut at line ends. A 64 KB chunk of non-ASCII
   * text decodes to a string over V8's large-object threshold (128 KB), which is slow to
   * allocate and to collect; the pieces stay in the young generation (bench/jsonl).
   */
  function completeRegion(region: Uint8Array): void {
    for (let from = 0; ; ) {
      const cut = from + PIECE >= region.length ? -1 : region.indexOf(LF, from + PIECE);
      const to = cut < 0 ? region.length : cut;
      completePiece(from === 0 && to === region.length ? region : region.subarray(from, to));
      if (cut < 0) return;
      from = cut + 1;
    }
  }

  /** Complete lines in one byte range, separated by `\n`, the last one without its `\n`. */
  function completePiece(region: Uint8Array): void {
    let text: string;
    try {
      // One decode for many lines: per-line decoding costs a call each. Streaming mode is about
      // 3x faster than a one-shot decode in Node 20 (ICU against its UTF-8 "fast path"; bench/jsonl)
      // and is exact here: a region of whole lines holds no cut character, unless its last
      // line ends with one, which must fail rather than wait for more bytes.
      if (incompleteTail(region) > 0) throw new TypeError('truncated UTF-8 sequence');
      text = decoder.decode(region, STREAM);
    } catch {
      // Some line is not UTF-8: decode line by line so only that line fails.
      for (let from = 0; ; ) {
        const to = region.indexOf(LF, from);
        completeBytes('', region.subarray(from, to < 0 ? region.length : to));
        if (to < 0) return;
        from = to + 1;
      }
    }
    let i = 0;
    if (text.length === region.length) {
      // ASCII: byte offsets advance with code units.
      for (;;) {
        const j = text.indexOf('\n', i);
        if (j < 0) {
          completeText(text.slice(i), text.length - i);
          return;
        }
        completeText(text.slice(i, j), j - i);
        i = j + 1;
      }
    }
    if (lazyOffsets) {
      // Non-ASCII: a line's byte length is not its length; rather than search the bytes for every
      // line, count them only for a line that is reported with its offset (see lineByteOffset),
      // and move past the whole piece at the end (bench/jsonl: about 10% of the time).
      const pieceStart = byteOffset;
      lazyText = text;
      lazyUnit = 0;
      lazyByte = 0;
      for (;;) {
        const j = text.indexOf('\n', i);
        lazyAt = i;
        if (j < 0) {
          completeText(text.slice(i), LAZY);
          break;
        }
        completeText(text.slice(i, j), LAZY);
        i = j + 1;
      }
      lazyText = '';
      // Every line of the piece counted its `\n`, the last one the `\n` that follows the piece.
      if (bytesOnly) byteOffset = pieceStart + region.length + 1;
      return;
    }
    for (let from = 0; ; ) {
      const j = text.indexOf('\n', i);
      const to = region.indexOf(LF, from);
      if (j < 0) {
        completeText(text.slice(i), region.length - from);
        return;
      }
      completeText(text.slice(i, j), to - from);
      i = j + 1;
      from = to + 1;
    }
  }

  function writeText(s: string): void {
    if (s.length === 0) return;
    if (pendingByteLength > 0) pendingBytesToText();
    bytesOnly = false;
    let j = s.indexOf('\n');
    if (j < 0) {
      appendText(s);
      return;
    }
    if (discarding) endDiscarded(j, 0);
    else if (pendingText.length > 0) {
      const text = pendingText + s.slice(0, j);
      pendingText = '';
      completeText(text, -1);
    } else completeText(s.slice(0, j), -1);
    let i = j + 1;
    while ((j = s.indexOf('\n', i)) >= 0) {
      completeText(s.slice(i, j), -1);
      i = j + 1;
    }
    appendText(i === 0 ? s : s.slice(i));
  }

  function writeBytes(b: Uint8Array): void {
    if (b.length === 0) return;
    const first = b.indexOf(LF);
    if (first < 0) {
      appendBytes(b, 0, b.length);
      return;
    }
    if (discarding) endDiscarded(utf16Units(b, 0, first), first);
    else if (pendingByteLength > 0 || pendingText.length > 0) {
      pendingBytes.push(b.subarray(0, first));
      const bytes = concatBytes(pendingBytes, pendingByteLength + first);
      const prefix = pendingText;
      pendingBytes = [];
      pendingByteLength = 0;
      pendingText = '';
      completeBytes(prefix, bytes);
    } else completeBytes('', b.subarray(0, first));
    const last = b.lastIndexOf(LF);
    if (last > first) completeRegion(b.subarray(first + 1, last));
    appendBytes(b, last + 1, b.length);
  }

  return {
    write_(chunk) {
      if (typeof chunk === 'string') writeText(chunk);
      else writeBytes(chunk);
    },
    end_() {
      if (discarding) return;
      if (pendingByteLength > 0) {
        const bytes = concatBytes(pendingBytes, pendingByteLength);
        const prefix = pendingText;
        pendingBytes = [];
        pendingByteLength = 0;
        pendingText = '';
        completeBytes(prefix, bytes);
      } else if (pendingText.length > 0) {
        const text = pendingText;
        pendingText = '';
        completeText(text, -1);
      }
    },
  };
}
