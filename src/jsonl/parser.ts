import { ParseError, chunkTypeError } from '../json/errors.js';
import { lenientPlugin, type Lenient, type ParseWarning } from '../json/warnings.js';
import type { DeepPartial } from '../partial/schema-types.js';
import { createLinesSplitter } from './lines.js';
import type { RecordSink, SplitterCore } from './record.js';
import { createValuesSplitter } from './values.js';

/**
 * How {@link createJsonlParser} cuts the stream into records.
 *
 * - `lines`: one JSON text per line (JSON Lines, NDJSON). Lines end at `\n` or `\r\n`; blank
 *   and whitespace-only lines are skipped; the last line needs no line ending.
 * - `concatenated`: JSON texts one after another, separated by whitespace or by nothing
 *   (`{"a":1}{"b":2} [3]`), as in concatenated JSON and pretty-printed record streams. Two
 *   numbers need whitespace between them (`12` is one number).
 * - `array`: the elements of one top-level array, each delivered as soon as it is complete
 *   (a large JSON array, or Gemini's `streamGenerateContent` body `[{…}\n,\r\n{…}]`). The
 *   array itself is never built. Anything but whitespace around the array is an error.
 *
 * @see https://jsonlines.org/
 * @see https://github.com/ndjson/ndjson-spec
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 * @public
 */
export type JsonlMode = 'lines' | 'concatenated' | 'array';

/**
 * Where a record is in the stream: passed with every value, partial value and error.
 * @public
 */
export interface JsonlRecordInfo {
  /** 0-based number of the record in the stream, counting good and bad records alike. */
  readonly index: number;
  /** 1-based line on which the record starts; lines end at `\n` (a `\r\n` pair counts once). */
  readonly line: number;
  /**
   * 0-based offset of the record's first character from the start of the stream, in UTF-16 code
   * units of the decoded text (a skipped byte order mark counts). In `lines` mode a record
   * starts at the first character of its line, leading whitespace included.
   */
  readonly position: number;
  /**
   * The same offset in bytes of the input, when every chunk written so far was a `Uint8Array`;
   * `undefined` once a text chunk has been written.
   */
  readonly byteOffset: number | undefined;
}

/**
 * Where a bad record is, and what is known of it: passed to {@link JsonlParserOptions.onError}
 * with the {@link ParseError}, whose `position`, `line` and `column` are in the stream.
 * @public
 */
export interface JsonlErrorInfo extends JsonlRecordInfo {
  /**
   * The record's text (without its line ending), for logging or a dead-letter queue;
   * `undefined` when it was too long to keep (`max-line-length-exceeded`) or when the error is
   * not a record's (array mode: a missing element, or text around the array). Invalid UTF-8
   * shows as U+FFFD.
   */
  readonly text: string | undefined;
  /** Where the error is inside the record: `error.position - position`, in UTF-16 code units. */
  readonly errorOffset: number;
}

/**
 * Options of {@link createJsonlParser}. `I` is the type of {@link JsonlParserOptions.recordInfo}
 * (inferred from it): with `recordInfo: false`, `onValue`'s second argument is `undefined`.
 * @public
 */
export interface JsonlParserOptions<T = unknown, I extends boolean = true> {
  /**
   * How the stream is cut into records; see {@link JsonlMode}.
   * @defaultValue `'lines'`
   */
  mode?: JsonlMode | undefined;
  /**
   * Called once per good record, in stream order, during the `write` (or `end`) that completes
   * it, with `JSON.parse`'s value of the record (not validated against `T`: `T` is for your
   * convenience) and, unless `recordInfo` is `false`, where the record is ({@link JsonlRecordInfo},
   * a new object per record).
   */
  onValue?: ((value: T, info: I extends false ? undefined : JsonlRecordInfo) => void) | undefined;
  /**
   * Whether `onValue` receives the record's {@link JsonlRecordInfo}. `false` calls it with the
   * value only (the second argument is `undefined`) and skips the work of locating good records:
   * no info object per record and, in `lines` mode on non-ASCII byte input, no byte offset counted
   * for a good line (bench/jsonl: 10-40% of the time on short records). Errors and partial
   * values still carry their full info. The parser's `records` counter still gives the index.
   * @defaultValue `true`
   */
  recordInfo?: I | undefined;
  /**
   * Called once per bad record, in stream order with the good ones, with a {@link ParseError}
   * positioned in the stream (`position`, `line`, `column`) and the position inside the record
   * (`info.errorOffset`). Parsing goes on with the next record: no good record before or after
   * a bad one is lost. Codes: those of `JSON.parse`-style rejection (`unexpected-character`,
   * `unexpected-end`, `invalid-escape`, `control-character`), `invalid-utf8` for byte input
   * that is not UTF-8 (the record it falls in is bad, not the stream), and
   * `max-line-length-exceeded`.
   *
   * When absent, the first bad record is thrown from `write` or `end` (after the good records
   * before it have been delivered), and the parser refuses further input.
   */
  onError?: ((error: ParseError, info: JsonlErrorInfo) => void) | undefined;
  /**
   * Partial values of the record still in progress when a `write` ends, with the semantics of
   * `createPartialParser` (DESIGN.md: types never change, scalars appear complete, strings only
   * grow, immutable snapshots with structural sharing): at most once per `write`, only when the
   * record's visible value changed. A record that completes within one `write` gets no partial
   * value, only its `onValue`. A partial value may belong to a record that turns out bad.
   * Setting this costs a tokenizer pass over records that span writes; leave it unset when you
   * do not need it.
   */
  onPartial?: ((value: DeepPartial<T>, info: JsonlRecordInfo) => void) | undefined;
  /**
   * Longest record; a longer one is reported once, as a `max-line-length-exceeded`
   * {@link ParseError} at its first character past the limit, during the `write` that passes
   * the limit, and its text is dropped as it arrives, so memory stays bounded by the limit (plus
   * one chunk), not by the record. In `lines` mode the length of a line without its line ending, in
   * the units of the input: UTF-16 code units for text chunks, bytes for `Uint8Array` chunks. In
   * the other modes the length of the record's text, in UTF-16 code units.
   * @defaultValue `Infinity`
   */
  maxLineLength?: number | undefined;
  /**
   * Lenient mode per record (`lenient()` from `streamshape`, see `PartialParserOptions.lenient`),
   * in `lines` mode: a line `JSON.parse` accepts is taken as it is (the
   * fast path is unchanged); a line it rejects is read again by the lenient parser (trailing
   * commas, comments, single quotes, unquoted keys, Python/JavaScript literals, bad escapes, a
   * fence or prose around the value on the same line, a cut line with `truncated`). If that
   * gives a value, it is the record, and its repairs go to `onWarning`; otherwise the line is a
   * bad record as in strict mode (same error). Partial values (`onPartial`) of a damaged line
   * are shown as lenient mode repairs it. The `concatenated` and `array` modes do not take it
   * yet (a `TypeError`).
   * @throws `TypeError` (from `createJsonlParser`) for anything but `lenient()`, `false` or
   *   `undefined` (such as `true`, the option of earlier versions).
   * @defaultValue `undefined` (strict)
   */
  lenient?: Lenient | false | undefined;
  /**
   * With `lenient`: called once per repair of a record, in text order, just before that record's
   * `onValue` (a line that stays bad reports no repair), with the warning at its place in the
   * stream (`position` in UTF-16 code units from the stream start, `line`, `column` as the
   * stream counts them) and the record's info.
   */
  onWarning?: ((warning: ParseWarning, info: JsonlRecordInfo) => void) | undefined;
}

/**
 * A push parser for a stream of JSON records, made by {@link createJsonlParser}.
 * @public
 */
export interface JsonlParser {
  /**
   * Feeds the next chunk: text, or UTF-8 bytes (a character may be split between chunks).
   * Delivers every record the chunk completes, in order.
   * @throws {@link ParseError} for a bad record when no `onError` was given (the parser then
   *   refuses further input); whatever a callback throws.
   * @throws `TypeError` after `end()` or a thrown error, or for a chunk that is neither a string
   *   nor a `Uint8Array`.
   */
  write(chunk: string | Uint8Array): void;
  /**
   * Ends the stream: delivers a last record without a line ending (or, in `concatenated` and
   * `array` modes, a trailing number), and reports a record the stream cut short
   * (`unexpected-end`); in `array` mode, an array that never opened or closed.
   * @throws {@link ParseError} as for `write`.
   */
  end(): void;
  /** Records delivered so far, good and bad (the next record's `index`). */
  readonly records: number;
  /** Bad records reported so far. */
  readonly errors: number;
}

const MODES: readonly JsonlMode[] = ['lines', 'concatenated', 'array'];
const BOM = 0xfeff;

function isBomPrefix(bytes: Uint8Array): boolean {
  return (
    (bytes.length < 1 || bytes[0] === 0xef) && (bytes.length < 2 || bytes[1] === 0xbb) && (bytes.length < 3 || bytes[2] === 0xbf)
  );
}

/**
 * Creates a parser for a stream of many JSON values: JSON Lines / NDJSON (logs, batch APIs,
 * agent traces), concatenated JSON values, or the elements of one top-level array. A bad record
 * never takes its neighbours down: it is reported with its exact position and parsing goes on.
 *
 * In `lines` mode complete lines go to the platform's `JSON.parse` (much faster than any JS
 * tokenizer); only a line `JSON.parse` rejects is re-scanned by the tokenizer, to locate the
 * error. The `concatenated` and `array` modes run on the tokenizer (`createTokenizer`'s
 * `multiple` mode), which finds where each record starts and ends, locates errors, and skips a bad
 * record to the next one; a record that closes within one `write` goes to `JSON.parse` whole. Only
 * the record in progress is held, so memory is bounded by the longest record, not the stream (and
 * by `maxLineLength` when set). Byte input is UTF-8 (a leading byte order mark is skipped, in
 * text or bytes); a record that is not valid UTF-8 is that record's error.
 *
 * @example
 * ```ts
 * const parser = createJsonlParser({
 *   onValue: (value, { line }) => console.log(line, value),
 *   onError: (error, { line, text }) => console.warn(`line ${line} skipped: ${error.message}`, text),
 * });
 * for await (const chunk of response.body) parser.write(chunk);
 * parser.end();
 * ```
 * @example
 * ```ts
 * // Gemini streamGenerateContent without alt=sse: one JSON array, one response per element.
 * const parser = createJsonlParser({ mode: 'array', onValue: (response) => handle(response) });
 * ```
 * @example
 * ```ts
 * // Values only: no info object per record (`recordInfo: false`).
 * const parser = createJsonlParser({ recordInfo: false, onValue: (value) => rows.push(value) });
 * ```
 * @throws `TypeError` for an unknown `mode`, a `recordInfo` that is not a boolean, or a `schema`
 *   (JSON Lines validates nothing: check each record in `onValue`); `RangeError` for a
 *   `maxLineLength` that is not a positive integer or `Infinity`.
 * @see https://jsonlines.org/
 * @see https://github.com/ndjson/ndjson-spec
 * @public
 */
export function createJsonlParser<T = unknown, I extends boolean = true>(options: JsonlParserOptions<T, I> = {}): JsonlParser {
  const mode = options.mode ?? 'lines';
  if (!MODES.includes(mode)) {
    throw new TypeError(`createJsonlParser: unknown mode ${JSON.stringify(mode)}; use 'lines', 'concatenated' or 'array'`);
  }
  const maxLineLength = options.maxLineLength ?? Infinity;
  if (!(maxLineLength === Infinity || (Number.isInteger(maxLineLength) && maxLineLength > 0))) {
    throw new RangeError(`createJsonlParser: maxLineLength must be a positive integer or Infinity, got ${String(maxLineLength)}`);
  }
  const { onError, onPartial, onWarning } = options;
  // Plain JavaScript may pass a schema as to the other parsers: it would validate nothing.
  if ((options as { schema?: unknown }).schema !== undefined) {
    throw new TypeError('JSON Lines takes no schema option: validate each record yourself (schema.parse(value)), where you read it');
  }
  // Checked now, not at the first line JSON.parse rejects (`true`, the old option, throws here).
  const lenient = lenientPlugin(options.lenient) === undefined ? undefined : (options.lenient as Lenient);
  if (lenient !== undefined && mode !== 'lines') {
    throw new TypeError(`createJsonlParser: lenient is supported in 'lines' mode only, not in ${JSON.stringify(mode)} mode`);
  }
  const onValue = options.onValue as ((value: T, info?: JsonlRecordInfo) => void) | undefined;
  if (options.recordInfo !== undefined && typeof options.recordInfo !== 'boolean') {
    throw new TypeError(`createJsonlParser: recordInfo must be a boolean, got ${String(options.recordInfo)}`);
  }
  // Without the info object: one allocation less per record is 10-40% of the time with short
  // records, mostly through fewer young-generation collections (bench/jsonl).
  const lean = options.recordInfo === false;

  let records = 0;
  let errors = 0;
  const sink: RecordSink = {
    value_(value, line, position, byteOffset) {
      const index = records++;
      if (onValue !== undefined) {
        if (lean) onValue(value as T);
        else onValue(value as T, { index, line, position, byteOffset });
      }
    },
    error_(error, line, position, byteOffset, text) {
      const index = records++;
      errors++;
      if (onError === undefined) throw error;
      onError(error, { index, line, position, byteOffset, text, errorOffset: error.position - position });
    },
    partial_(value, line, position, byteOffset) {
      onPartial!(value as DeepPartial<T>, { index: records, line, position, byteOffset });
    },
    ...(onWarning === undefined
      ? {}
      : {
          warning_(warning: ParseWarning, line: number, position: number, byteOffset: number | undefined) {
            onWarning(warning, { index: records, line, position, byteOffset });
          },
        }),
  };

  let core: SplitterCore | undefined;
  let head: Uint8Array | undefined; // the first bytes, while they may be a byte order mark
  let ended = false;
  let failure: unknown;
  let failed = false;

  function begin(units: number, bytes: number): SplitterCore {
    core = createLinesSplitter(sink, { maxLineLength, partials: onPartial !== undefined, valueOffsets: onValue !== undefined && !lean, lenient }, units, bytes);
    return core;
  }
  if (mode !== 'lines') {
    // The tokenizer reads these modes, and skips a byte order mark itself.
    core = createValuesSplitter(sink, { array: mode === 'array', maxLength: maxLineLength, partials: onPartial !== undefined });
  }

  /** `lines` mode: skips a byte order mark at the very start, in text or bytes (possibly split between chunks). */
  function first(chunk: string | Uint8Array): void {
    if (typeof chunk === 'string') {
      if (chunk.length === 0) return;
      if (head !== undefined) {
        begin(0, 0).write_(head); // they were not a whole BOM
        head = undefined;
        core!.write_(chunk);
      } else if (chunk.charCodeAt(0) === BOM) begin(1, 0).write_(chunk.slice(1));
      else begin(0, 0).write_(chunk);
      return;
    }
    let bytes = chunk;
    if (head !== undefined) {
      bytes = new Uint8Array(head.length + chunk.length);
      bytes.set(head);
      bytes.set(chunk, head.length);
      head = undefined;
    }
    if (bytes.length < 3 && isBomPrefix(bytes)) {
      if (bytes.length > 0) head = bytes.slice();
      return;
    }
    if (isBomPrefix(bytes)) begin(1, 3).write_(bytes.subarray(3));
    else begin(0, 0).write_(bytes);
  }

  function guard(method: string): void {
    if (failed) {
      throw new TypeError(`${method} called after the parser threw; create a new parser`, { cause: failure });
    }
    if (ended) throw new TypeError(`${method} called after end(); create a new parser for the next stream`);
  }

  return {
    write(chunk) {
      guard('write()');
      if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
        throw chunkTypeError(chunk);
      }
      try {
        if (core !== undefined) core.write_(chunk);
        else first(chunk);
      } catch (error) {
        failed = true;
        failure = error;
        throw error;
      }
    },
    end() {
      guard('end()');
      ended = true;
      try {
        if (core === undefined) {
          begin(0, 0);
          if (head !== undefined) core!.write_(head);
        }
        core!.end_();
      } catch (error) {
        failed = true;
        failure = error;
        throw error;
      }
    },
    get records() {
      return records;
    },
    get errors() {
      return errors;
    },
  };
}
