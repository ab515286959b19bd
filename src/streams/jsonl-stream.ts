import type { ParseError } from '../json/errors.js';
import { lenientPlugin, type Lenient, type ParseWarning } from '../json/warnings.js';
import { createJsonlParser, type JsonlErrorInfo, type JsonlMode, type JsonlRecordInfo } from '../jsonl/parser.js';
import type { DeepPartial } from '../partial/schema-types.js';
import {
  checkChunk,
  checkSource,
  pullStream,
  pushedItems,
  writableChannel,
  type SourceOptions,
  type StreamSource,
} from './source.js';

/** A good record: its value and where it was. @public */
export interface JsonlValueRecord<T = unknown> extends JsonlRecordInfo {
  /** A good record. */
  readonly type: 'value';
  /** `JSON.parse`'s value of the record (not validated against `T`). */
  readonly value: T;
}

/** A bad record, emitted only with `errors: 'emit'`. @public */
export interface JsonlErrorRecord extends JsonlErrorInfo {
  /** A bad record; see `error`. */
  readonly type: 'error';
  /** Why the record was rejected, positioned in the stream. */
  readonly error: ParseError;
}

/**
 * The partial value of the record in progress at the end of a chunk, emitted only with
 * `partials: true`; the record's final value follows as a {@link JsonlValueRecord} with the same
 * `index` (or a {@link JsonlErrorRecord} if it turns out bad).
 * @public
 */
export interface JsonlPartialRecord<T = unknown> extends JsonlRecordInfo {
  /** The record in progress; see `value`. */
  readonly type: 'partial';
  /** Immutable snapshot with the semantics of `createPartialParser`. */
  readonly value: DeepPartial<T>;
}

/**
 * What {@link JsonlStream} and {@link parseJsonl} emit, discriminated by `type`.
 * @public
 */
export type JsonlRecord<T = unknown> = JsonlValueRecord<T> | JsonlErrorRecord | JsonlPartialRecord<T>;

/** Options of {@link JsonlStream} and {@link parseJsonl}. @public */
export interface JsonlStreamOptions {
  /**
   * How the stream is cut into records (see `JsonlMode`).
   * @defaultValue `'lines'`
   */
  mode?: JsonlMode | undefined;
  /**
   * What a bad record does: `'throw'` errors the stream with its `ParseError` (after the good
   * records before it); `'emit'` emits it as a {@link JsonlErrorRecord} and goes on with the
   * next record.
   * @defaultValue `'throw'`
   */
  errors?: 'throw' | 'emit' | undefined;
  /**
   * Also emit {@link JsonlPartialRecord}s: the partial value of the record in progress at the
   * end of each chunk that changed it.
   * @defaultValue `false`
   */
  partials?: boolean | undefined;
  /**
   * Longest record (see `JsonlParserOptions.maxLineLength`): UTF-16 code units for text, bytes
   * for byte input in `lines` mode.
   * @defaultValue `Infinity`
   */
  maxLineLength?: number | undefined;
  /**
   * Lenient mode per record, `lines` mode only (see `JsonlParserOptions.lenient`): a line
   * `JSON.parse` rejects is repaired when lenient mode can give it a value. Pass `lenient()`.
   * @defaultValue `undefined` (strict)
   */
  lenient?: Lenient | false | undefined;
  /** With `lenient`: each repair of a record, before that record is emitted (see `JsonlParserOptions.onWarning`). */
  onWarning?: ((warning: ParseWarning, info: JsonlRecordInfo) => void) | undefined;
}

/** Options that keep the output to good records only. @public */
export interface JsonlValueStreamOptions extends JsonlStreamOptions {
  errors?: 'throw' | undefined;
  partials?: false | undefined;
}

/** A parser whose records go to `emit`, in order. */
function recordParser<T>(options: JsonlStreamOptions, emit: (record: JsonlRecord<T>) => void) {
  const errors = options.errors ?? 'throw';
  if (errors !== 'throw' && errors !== 'emit') {
    throw new TypeError(`errors must be 'throw' or 'emit', got ${JSON.stringify(errors)}`);
  }
  return createJsonlParser<T>({
    mode: options.mode,
    maxLineLength: options.maxLineLength,
    ...(options.lenient === undefined ? {} : { lenient: options.lenient }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    // Refused there (JSON Lines validates nothing), not dropped here.
    ...({ schema: (options as { schema?: unknown }).schema } as object),
    onValue: (value, info) => emit({ type: 'value', value, ...info }),
    onError: errors === 'emit' ? (error, info) => emit({ type: 'error', error, ...info }) : undefined,
    onPartial: options.partials === true ? (value, info) => emit({ type: 'partial', value, ...info }) : undefined,
  });
}

/**
 * The records of `source`, one per pull, in stream order: reads a chunk only when the records of
 * the previous one have all been taken (backpressure), delivers the records a chunk completed
 * before its failure, then throws. Errors are caught into the state and thrown from `next()`.
 */
function records<T>(
  source: StreamSource,
  caller: string,
  options: JsonlStreamOptions & SourceOptions,
): AsyncGenerator<JsonlRecord<T>, void, undefined> {
  return pushedItems<unknown, JsonlRecord<T>>(source, options.signal, (emit) => {
    const parser = recordParser<T>(options, emit);
    let index = 0;
    return {
      write(chunk) {
        checkChunk(chunk, caller, index++);
        parser.write(chunk);
      },
      end: () => parser.end(),
    };
  });
}

/**
 * A Web `TransformStream` from text or UTF-8 byte chunks to JSON records: JSON Lines / NDJSON,
 * concatenated JSON values, or the elements of one top-level array (option `mode`). A thin
 * wrapper over `createJsonlParser`; bad records error the stream, or with `errors: 'emit'`
 * arrive as records of `type: 'error'` while parsing goes on.
 *
 * One record per read of the readable side; a chunk is taken from the writable side only when
 * the records of the previous one have been read (backpressure: a slow reader holds at most one
 * chunk's records). When things go wrong: a bad record (with `errors: 'throw'`), a chunk that is
 * neither text nor bytes, or the input aborted errors the readable side after the good records
 * before it have been read, and errors the writable side (a `pipeThrough` then cancels its
 * source); cancelling the readable side errors the writable side. No timer is used, nothing is
 * thrown outside the stream.
 *
 * `readable` and `writable` are own properties of the instance; the `TransformStream` base is
 * kept for `instanceof` and typing only.
 *
 * @example
 * ```ts
 * const records = response.body!.pipeThrough(new JsonlStream({ errors: 'emit' }));
 * for await (const record of records) {
 *   if (record.type === 'value') handle(record.value);
 *   else console.warn(`line ${record.line}: ${record.error.message}`);
 * }
 * ```
 * @see https://jsonlines.org/
 * @public
 */
export class JsonlStream<T = unknown> extends TransformStream<string | Uint8Array, JsonlRecord<T>> {
  /**
   * @throws `TypeError` / `RangeError` for invalid options (see `createJsonlParser`).
   */
  constructor(options: JsonlStreamOptions = {}) {
    super();
    const channel = writableChannel();
    const iterator = records<T>(channel.chunks as AsyncIterable<string | Uint8Array>, 'JsonlStream', options);
    const readable = pullStream(iterator, (reason) => channel.stop(reason));
    Object.defineProperties(this, {
      readable: { value: readable, enumerable: true },
      writable: { value: channel.writable, enumerable: true },
    });
  }
}

/**
 * Reads JSON records from a stream of text or UTF-8 bytes (`response.body`, a Node stream, an
 * SDK's iterable): JSON Lines / NDJSON by default, or concatenated values or the elements of one
 * top-level array (option `mode`). Yields records in stream order, each with its 1-based `line`,
 * its `position` (UTF-16 code units) and, for byte input, `byteOffset`.
 *
 * The source is read one chunk at a time, when the records of the previous chunk have been
 * taken (backpressure). Stopping the iteration early (`break`, `return()`, also while a pull is
 * pending), or aborting `signal` (also while the source is silent), cancels the source at once;
 * an abort makes the iteration throw the signal's reason. No timer is used; nothing is thrown
 * outside the consumer's calls.
 *
 * @example
 * ```ts
 * for await (const { value, line } of parseJsonl<LogEntry>(response.body!)) {
 *   console.log(line, value.level);
 * }
 * ```
 * @throws `TypeError` at once when `source` is not a stream (a whole string, a `Response`
 *   rather than its body, `null`) or for invalid options. From the iteration: {@link ParseError}
 *   at the first bad record unless `errors: 'emit'` (the good records before it have been
 *   yielded); a `TypeError` for a chunk that is neither text nor bytes; the source's errors; the
 *   abort reason when `signal` aborts.
 * @see https://jsonlines.org/
 * @public
 */
export function parseJsonl<T = unknown>(
  source: StreamSource,
  options?: JsonlValueStreamOptions & SourceOptions,
): AsyncGenerator<JsonlValueRecord<T>, void, undefined>;
export function parseJsonl<T = unknown>(
  source: StreamSource,
  options: JsonlStreamOptions & SourceOptions,
): AsyncGenerator<JsonlRecord<T>, void, undefined>;
export function parseJsonl<T = unknown>(
  source: StreamSource,
  options: JsonlStreamOptions & SourceOptions = {},
): AsyncGenerator<JsonlRecord<T>, void, undefined> {
  checkSource(
    source,
    'parseJsonl()',
    'for a whole text use createJsonlParser({ onValue }) and call write(text) then end(), or pass it as a stream: ReadableStream.from([text])',
  );
  lenientPlugin(options.lenient); // the parser is made at the first read: check `lenient` now
  return records<T>(source, 'parseJsonl()', options);
}
