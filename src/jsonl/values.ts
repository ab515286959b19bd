/**
 * The `concatenated` and `array` modes of the JSON Lines parser: records are JSON values that
 * follow each other (`{"a":1}{"b":2} [3]`), or the elements of one top-level array, delivered as
 * each one completes.
 *
 * The tokenizer reads the stream (its `multiple` mode for concatenated values, one array for
 * `array`): it says where each value starts ({@link RecordTokenizer.valueStart}), and its tokens
 * say where it ends (a scalar, or the close that brings the depth back). A container that opens
 * and closes within one write is not tokenized: the tokenizer's fast path hands its text over
 * ({@link SKIPPED}) and the platform's `JSON.parse` takes it; a record cut by a
 * chunk boundary is tokenized, and its kept text goes to `JSON.parse` when it closes. A record
 * the tokenizer rejects is reported with the tokenizer's exact position; src/json's skipper
 * ({@link createValueSkipper}) finds where the bad record ends and the tokenizer resumes there
 * ({@link RecordTokenizer.resume}), so no good record before or after a bad one is lost. This
 * module only keeps records' text, positions, lines and byte offsets; it reads no JSON itself.
 *
 * Byte input is decoded here (not by the tokenizer) so that invalid UTF-8 is the error of the
 * record it falls in: each invalid sequence is written to the tokenizer as one U+FFFD (what a
 * replacing decoder would show, so positions count it as one code unit), and the record that
 * holds it is reported as `invalid-utf8` unless a syntax error comes first.
 *
 * @module
 */
import { ParseError } from '../json/errors.js';
import { createValueSkipper, type ValueSkipper } from '../json/skip.js';
import { createRecordTokenizer, SKIPPED, type FastTokenHandler, type RecordTokenizer } from '../json/tokenizer.js';
import { createUtf8Reader, utf8Bytes, type Utf8Reader } from '../json/utf8.js';
import { createPartialParser, type PartialParser } from '../partial/parser.js';
import { foundAt, type RecordSink, type SplitterCore } from './record.js';

const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const REPLACEMENT = '\ufffd';
const REPLACEMENT_BYTES = 3;

/** Thrown by a token callback when the stream turns out not to be one array: the rest is ignored. */
const NOT_AN_ARRAY = Symbol('not an array');

/** @internal */
export interface ValuesOptions {
  /** `true`: elements of one top-level array; `false`: concatenated values. */
  readonly array: boolean;
  /** Longest record, in UTF-16 code units. */
  readonly maxLength: number;
  /** Whether the sink wants partial values of the record in progress. */
  readonly partials: boolean;
}

/**
 * Creates the `concatenated` or `array` splitter. The stream's text goes to the tokenizer whole
 * (a leading byte order mark included: the tokenizer skips it and counts it).
 * @internal
 */
export function createValuesSplitter(sink: RecordSink, options: ValuesOptions): SplitterCore {
  shapeKeeper ??= new ValuesSplitter(IGNORE_RECORDS, { array: false, maxLength: Infinity, partials: false });
  return new ValuesSplitter(sink, options);
}

/**
 * One idle splitter that lives as long as the module, so a major GC between two streams keeps
 * the splitter's hidden classes and the JIT's code for it (see `shapeKeeper` in
 * partial/parser.ts).
 */
let shapeKeeper: ValuesSplitter | undefined;

const ignore = (): void => {};
const IGNORE_RECORDS: RecordSink = { value_: ignore, error_: ignore, partial_: ignore };

/**
 * The splitter's state in one object, its steps as methods (as in the tokenizer): the record in
 * progress, the text being written, and the line and byte counters.
 */
class ValuesSplitter implements SplitterCore, FastTokenHandler {
  readonly #sink: RecordSink;
  readonly #array: boolean;
  readonly #depth: 0 | 1; // depth of a record: 1 in the array
  readonly #max: number;
  readonly #partials: boolean;
  readonly #tokenizer: RecordTokenizer;
  readonly #reader: Utf8Reader;

  // The text being written, and where it starts in the stream; code units written so far.
  #written = 0;
  #cur = '';
  #curBase = 0;
  #curAscii = false; // decoded from as many bytes as it has code units
  // Lines counted up to `#lineTo` (absolute); `#nextLf` is the index in `#cur` of the next `\n`.
  #line = 1;
  #lineStart = 0;
  #lineTo = 0;
  #nextLf = -1;
  // Bytes before the absolute position `#byteTo`, while every chunk was bytes.
  #bytesOnly = true;
  #byteBase = 0;
  #byteTo = 0;

  // A value beginning before this position has been accounted for (a record, the array's `[`).
  #boundary = 0;
  #opened = false; // array mode: the array's `[` has been read
  #broken = false; // array mode: the stream is not one array; the rest is ignored
  #threw = false; // a callback threw: the error goes to the caller as it is
  #poisonAt = -1; // position of the U+FFFD being written for invalid bytes
  #poisonCause: unknown = undefined;
  #poisonRejected = false; // the tokenizer rejected it (outside a string)

  // The record in progress.
  #open = false;
  #skipper: ValueSkipper | undefined = undefined; // it is bad: the rest of it is skipped
  #position = 0;
  #recLine = 1;
  #column = 1;
  #byteOffset: number | undefined = undefined;
  #text = ''; // its text in earlier writes
  #length = 0; // code units in earlier writes
  #dropped = false; // longer than the limit: reported, text not kept
  #error: ParseError | undefined = undefined; // why it is bad (reported when it ends)
  #poison: ParseError | undefined = undefined; // invalid UTF-8 inside one of its strings
  #stringParts = ''; // a string record's text, when it spans writes
  #partial: PartialParser | undefined = undefined;
  #partialBroken = false;

  constructor(sink: RecordSink, options: ValuesOptions) {
    this.#sink = sink;
    this.#array = options.array;
    this.#depth = options.array ? 1 : 0;
    this.#max = options.maxLength;
    this.#partials = options.partials;
    this.#tokenizer = createRecordTokenizer(this, { multiple: !options.array });
    this.#reader = createUtf8Reader(
      (text, bytes) => this.#write(text, text.length === bytes),
      (bytes, cause) => this.#invalidBytes(bytes, cause),
    );
  }

  write_(chunk: string | Uint8Array): void {
    if (this.#broken) return;
    if (typeof chunk === 'string') {
      if (chunk.length === 0) return;
      if (this.#reader.pending > 0) this.#reader.flush();
      this.#bytesOnly = false;
      this.#write(chunk, false);
    } else {
      this.#reader.write(chunk);
    }
  }

  end_(): void {
    if (!this.#broken) this.#reader.flush();
    if (this.#broken) return;
    // One error per cause: a record cut short is the array's unexpected end too.
    if (this.#skipper !== undefined) {
      // The bad record runs to the end: its text is all in `#text` (#endOfWrite kept the last write).
      this.#skipper = undefined;
      if (this.#open) this.#close(this.#written, this.#text);
      return;
    }
    try {
      this.#tokenizer.end();
    } catch (error) {
      // A number the end completes can be the scalar that shows the stream is not an array.
      if (error === NOT_AN_ARRAY) {
        this.#broken = true;
        return;
      }
      if (this.#threw || !(error instanceof ParseError)) throw error;
      this.#noticeStart();
      if (this.#open) {
        this.#open = false;
        if (!this.#dropped) this.#report(this.#poison ?? error, this.#text);
      } else {
        this.#structural(error);
      }
    }
  }

  // Token callbacks (TokenHandler), called by the tokenizer with its depth after the token.

  startObject(): void {
    this.#startContainer();
  }
  startArray(): void {
    if (this.#array && this.#tokenizer.depth === 1 && !this.#opened) {
      this.#opened = true;
      this.#boundary = this.#tokenizer.tokenPosition + 1;
      return;
    }
    this.#startContainer();
  }
  endObject(): void {
    this.#endContainer();
  }
  endArray(): void {
    if (this.#array && this.#tokenizer.depth === 0) return; // the array closed: only whitespace may follow
    this.#endContainer();
  }
  key(): void {}
  string(value: string): void {
    if (this.#atRecordDepth()) this.#scalar(value);
  }
  startString(): void {
    if (this.#atRecordDepth()) {
      this.#begin();
      this.#stringParts = '';
    }
  }
  stringPart(text: string): void {
    if (this.#open && !this.#dropped && this.#tokenizer.depth === this.#depth) this.#stringParts += text;
  }
  endString(): void {
    if (this.#atRecordDepth()) {
      const value = this.#stringParts;
      this.#stringParts = '';
      this.#scalar(value);
    }
  }
  number(value: number): void {
    if (this.#atRecordDepth()) this.#scalar(value);
  }
  literal(value: boolean | null): void {
    if (this.#atRecordDepth()) this.#scalar(value);
  }

  /**
   * The tokenizer's fast path: a container that opens and closes within this write. A whole
   * record goes to `JSON.parse` once; a container inside a record cut by a chunk boundary is only
   * validated (the record's text is parsed when it closes).
   */
  [SKIPPED](text: string): boolean {
    const depth = this.#tokenizer.depth; // before the container
    if (depth < this.#depth) {
      // The top-level value in array mode: the array itself is read token by token.
      if (text.charCodeAt(0) === OPEN_BRACKET) return false;
      this.#notAnArray(this.#tokenizer.valueStart);
    }
    if (depth === this.#depth && text.length > this.#max) {
      this.#begin();
      this.#close(this.#position + text.length); // reported by #close as too long
      return true;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return false; // the tokenizer finds the exact error
    }
    if (depth === this.#depth) {
      this.#begin();
      this.#good(this.#position + text.length, value, text);
    }
    return true;
  }

  /** A scalar token: a record when at record depth (checked by the caller). */
  #scalar(value: unknown): void {
    this.#begin();
    this.#good(this.#tokenizer.tokenPosition + 1, value, undefined);
  }

  #atRecordDepth(): boolean {
    const depth = this.#tokenizer.depth;
    if (depth === this.#depth) return true;
    if (depth === 0) this.#notAnArray(this.#tokenizer.valueStart); // a scalar around the array
    return false;
  }

  #startContainer(): void {
    const depth = this.#tokenizer.depth; // after the open
    if (depth === this.#depth + 1) this.#begin();
    else if (depth === 1 && this.#array) this.#notAnArray(this.#tokenizer.valueStart);
  }

  #endContainer(): void {
    if (this.#tokenizer.depth !== this.#depth || !this.#open) return;
    const end = this.#tokenizer.tokenPosition + 1;
    if (this.#dropped || this.#poison !== undefined || end - this.#position > this.#max) {
      this.#close(end);
      return;
    }
    const text = this.#recordText(end);
    this.#good(end, JSON.parse(text), text);
  }

  /** Opens the record that starts at the tokenizer's `valueStart`, unless it is open. */
  #begin(): void {
    if (!this.#open) this.#openAt(this.#tokenizer.valueStart);
  }

  #openAt(position: number): void {
    this.#open = true;
    this.#position = position;
    this.#countLines(position);
    this.#recLine = this.#line;
    this.#column = position - this.#lineStart + 1;
    this.#byteOffset = this.#byteAt(position);
    this.#text = '';
    this.#length = 0;
    this.#dropped = false;
    this.#error = undefined;
    this.#poison = undefined;
    this.#partial = undefined;
    this.#partialBroken = false;
  }

  /**
   * A record that began with no token yet (a number or literal in progress, or cut by the error
   * being handled) is opened at its first character.
   */
  #noticeStart(): void {
    const tokenizer = this.#tokenizer;
    if (!this.#open && this.#skipper === undefined && tokenizer.depth === this.#depth && tokenizer.valueStart >= this.#boundary) {
      this.#openAt(tokenizer.valueStart);
    }
  }

  /** The record ends before `end` with `value`; `text` is its text when known. */
  #good(end: number, value: unknown, text: string | undefined): void {
    if (this.#dropped || this.#poison !== undefined || end - this.#position > this.#max) {
      this.#close(end, text);
      return;
    }
    this.#open = false;
    this.#boundary = end;
    this.#partial = undefined;
    this.#call(() => this.#sink.value_(value, this.#recLine, this.#position, this.#byteOffset));
  }

  /**
   * Closes the record at `end` reporting what is wrong with it, if anything: too long, invalid
   * UTF-8 inside, or the error the tokenizer raised in it. A dropped record was reported already.
   */
  #close(end: number, text?: string): void {
    this.#open = false;
    this.#boundary = end;
    this.#partial = undefined;
    if (this.#dropped) return;
    const length = end - this.#position;
    if (length > this.#max) {
      this.#report(this.#tooLong(text ?? this.#recordText(end)), undefined);
      return;
    }
    const error = this.#poison ?? this.#error;
    if (error !== undefined) this.#report(error, text ?? this.#recordText(end));
  }

  /** The skip after a bad record ended before `end`. */
  #endBad(end: number): void {
    this.#skipper = undefined;
    // A bad character where a value may start set `valueStart`: it began no value.
    if (this.#open) this.#close(end);
    this.#boundary = Math.max(end, this.#tokenizer.valueStart + 1);
  }

  /** The record's text up to `end` (absolute; within the current write). */
  #recordText(end: number): string {
    const from = Math.max(0, this.#position - this.#curBase);
    const part = this.#cur.slice(from, end - this.#curBase);
    return this.#text === '' ? part : this.#text + part;
  }

  #report(error: ParseError, text: string | undefined): void {
    this.#call(() => this.#sink.error_(error, this.#recLine, this.#position, this.#byteOffset, text));
  }

  /** Runs a sink callback; what it throws (the user's error, or a bad record without onError) ends the stream. */
  #call(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#threw = true;
      throw error;
    }
  }

  /** An error that is not a record's (array mode): a missing element, or text around the array. */
  #structural(error: ParseError): void {
    this.#countLines(error.position);
    const byteOffset = this.#byteAt(error.position);
    this.#call(() => this.#sink.error_(error, error.line, error.position, byteOffset, undefined));
  }

  /**
   * Array mode, before the array opened: whether the first character after whitespace in `s`
   * (and a byte order mark at the stream's start) is not `[`. Then the stream is not one array,
   * reported at that character now, whatever it begins (`-`, `t`, `{`): the tokenizer would
   * otherwise wait for the end of a number or literal, and report a cut one as `unexpected-end`.
   */
  #notArrayStart(s: string): boolean {
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || (c === 0xfeff && this.#curBase + i === 0)) continue;
      break;
    }
    if (i === s.length || s.charCodeAt(i) === 0x5b) return false;
    this.#broken = true;
    try {
      this.#structural(this.#notAnArrayError(this.#curBase + i));
    } catch (error) {
      this.#threw = true;
      throw error;
    }
    return true;
  }

  /** The value at `position` is not the array (array mode): reported, and the rest is ignored. */
  #notAnArray(position: number): never {
    this.#structural(this.#notAnArrayError(position));
    throw NOT_AN_ARRAY;
  }

  #notAnArrayError(position: number): ParseError {
    this.#countLines(position);
    if (this.#poisonAt === position) return this.#invalidUtf8(position);
    const at = position - this.#curBase;
    return new ParseError({
      code: 'unexpected-character',
      position,
      line: this.#line,
      column: position - this.#lineStart + 1,
      found: at >= 0 ? foundAt(this.#cur, at) : undefined,
    });
  }

  #invalidUtf8(position: number, line = this.#line, column = position - this.#lineStart + 1): ParseError {
    return new ParseError({ code: 'invalid-utf8', position, line, column, cause: this.#poisonCause });
  }

  /** Writes decoded text to the tokenizer, handling the records it rejects. */
  #write(s: string, ascii: boolean): void {
    if (this.#broken) return;
    const tokenizer = this.#tokenizer;
    this.#cur = s;
    this.#curBase = this.#written;
    this.#written += s.length;
    this.#curAscii = ascii;
    this.#nextLf = s.indexOf('\n');
    if (this.#array && !this.#opened && this.#notArrayStart(s)) return;
    for (let from = 0; from < s.length; ) {
      if (this.#skipper !== undefined) {
        // A bad record: skipped to its end, then the tokenizer reads on from there.
        const end = this.#skipper.scan(s, from);
        if (end < 0) break;
        const position = this.#curBase + end;
        this.#countLines(position);
        tokenizer.resume(this.#depth, position, this.#line, this.#lineStart);
        this.#endBad(position);
        from = end;
        continue;
      }
      try {
        tokenizer.write(from === 0 ? s : s.slice(from));
        break;
      } catch (error) {
        if (error === NOT_AN_ARRAY) {
          this.#broken = true;
          return;
        }
        if (this.#threw || !(error instanceof ParseError)) throw error;
        from = this.#rejected(error);
        if (from < 0) return;
      }
    }
    this.#endOfWrite();
  }

  /**
   * The tokenizer rejected the text at `error.position`: reports what is wrong and starts
   * skipping the bad record. Returns the index in the current write to go on from (the bad
   * character), or -1 when the rest of the stream is ignored.
   */
  #rejected(error: ParseError): number {
    const tokenizer = this.#tokenizer;
    const code = error.code; // the tokenizer's (it tells the skipper whether it was in a string)
    if (error.position === this.#poisonAt) {
      this.#poisonRejected = true;
      error = this.#invalidUtf8(error.position, error.line, error.column);
    }
    if (this.#array && tokenizer.depth === 0) {
      // Before the array's `[` or after its `]`.
      this.#structural(!this.#opened && tokenizer.valueStart >= 0 ? this.#notAnArrayError(tokenizer.valueStart) : error);
      this.#broken = true;
      return -1;
    }
    // A value begun before the bad character is the bad record; the bad character itself is not one.
    if (tokenizer.valueStart !== error.position) this.#noticeStart();
    const at = error.position - this.#curBase;
    if (!this.#open) {
      const c = this.#cur.charCodeAt(at);
      if (this.#array && (c === COMMA || c === CLOSE_BRACKET) && error.code === 'unexpected-character') {
        // A missing element (`[,`, `,,`, `,]`): reported, and the array goes on.
        this.#structural(error);
        this.#skipper = createValueSkipper(tokenizer, 1, code);
        return at;
      }
      this.#openAt(error.position); // the bad character starts a bad record
    }
    this.#error ??= error;
    this.#partial = undefined;
    this.#partialBroken = true;
    this.#skipper = createValueSkipper(tokenizer, this.#depth, code);
    return at;
  }

  /** The current write went through: keep the text of the record in progress, count lines and bytes. */
  #endOfWrite(): void {
    this.#noticeStart();
    const s = this.#cur;
    const n = s.length;
    if (this.#open && !this.#dropped) {
      const from = Math.max(0, this.#position - this.#curBase);
      const part = from === 0 ? s : s.slice(from);
      if (this.#length + part.length > this.#max) {
        this.#dropped = true;
        this.#partial = undefined;
        this.#report(this.#tooLong(this.#text + part), undefined);
        this.#text = '';
      } else {
        this.#text += part;
        if (this.#partials && !this.#partialBroken && this.#error === undefined) this.#feedPartial(part);
      }
      this.#length += part.length;
    } else if (this.#open) {
      this.#length += n - Math.max(0, this.#position - this.#curBase);
    }
    this.#countLines(this.#curBase + n);
    this.#byteAt(this.#curBase + n);
  }

  #feedPartial(text: string): void {
    this.#partial ??= createPartialParser({
      onPartial: (value) => this.#sink.partial_(value, this.#recLine, this.#position, this.#byteOffset),
    });
    try {
      this.#partial.write(text);
    } catch (error) {
      if (!(error instanceof ParseError)) {
        this.#threw = true;
        throw error;
      }
      this.#partialBroken = true; // the tokenizer reports it with its position
      this.#partial = undefined;
    }
  }

  /**
   * Bytes that are not UTF-8, between two decoded texts: written as one U+FFFD, a bad character
   * at this position; the record it falls in is bad (`invalid-utf8`).
   */
  #invalidBytes(byteLength: number, cause: unknown): void {
    if (this.#broken) return;
    const position = this.#written;
    this.#poisonAt = position;
    this.#poisonCause = cause;
    this.#poisonRejected = false;
    this.#write(REPLACEMENT, false);
    if (this.#broken) return;
    if (!this.#poisonRejected && this.#open && this.#poison === undefined && this.#error === undefined) {
      // Inside a string, where the tokenizer takes any character: the record is bad all the same.
      this.#countLines(position);
      this.#poison = this.#invalidUtf8(position);
      this.#partial = undefined;
      this.#partialBroken = true;
    }
    this.#poisonAt = -1;
    this.#byteBase += byteLength - REPLACEMENT_BYTES;
  }

  /** Counts the lines of the current write up to the absolute position `to`. */
  #countLines(to: number): void {
    if (to <= this.#lineTo) return;
    const end = to - this.#curBase;
    while (this.#nextLf >= 0 && this.#nextLf < end) {
      this.#line++;
      this.#lineStart = this.#curBase + this.#nextLf + 1;
      this.#nextLf = this.#cur.indexOf('\n', this.#nextLf + 1);
    }
    this.#lineTo = to;
  }

  /** Byte offset of the absolute position `to` (in the current write), while every chunk was bytes. */
  #byteAt(to: number): number | undefined {
    if (!this.#bytesOnly) return undefined;
    if (to > this.#byteTo) {
      const from = Math.max(0, this.#byteTo - this.#curBase);
      this.#byteBase += this.#curAscii ? to - this.#curBase - from : utf8Bytes(this.#cur, from, to - this.#curBase);
      this.#byteTo = to;
    }
    return this.#byteBase;
  }

  /** The `max-line-length-exceeded` error of the record whose text (at least `max + 1` units) is `text`. */
  #tooLong(text: string): ParseError {
    let line = this.#recLine;
    let column = this.#column + this.#max;
    const last = text.lastIndexOf('\n', this.#max - 1);
    if (last >= 0) {
      for (let k = text.indexOf('\n'); k >= 0 && k <= last; k = text.indexOf('\n', k + 1)) line++;
      column = this.#max - last;
    }
    return new ParseError({
      code: 'max-line-length-exceeded',
      position: this.#position + this.#max,
      line,
      column,
      detail: String(this.#max),
    });
  }
}
