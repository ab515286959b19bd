import type { ParseError } from '../json/errors.js';
import { createJsonlParser, type JsonlErrorInfo, type JsonlMode, type JsonlRecordInfo } from '../jsonl/parser.js';
import type { DeepPartial } from '../schema/types.js';
import { readSource, type SourceOptions, type StreamSource } from './source.js';

/** A good record: its value and where it was. @public */
export interface JsonlValueRecord<T = unknown> extends JsonlRecordInfo {
  readonly type: 'value';
  /** `JSON.parse`'s value of the record (not validated against `T`). */
  readonly value: T;
}

/** A bad record, emitted only with `errors: 'emit'`. @public */
export interface JsonlErrorRecord extends JsonlErrorInfo {
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
    onValue: (value, info) => emit({ type: 'value', value, ...info }),
    onError: errors === 'emit' ? (error, info) => emit({ type: 'error', error, ...info }) : undefined,
    onPartial: options.partials === true ? (value, info) => emit({ type: 'partial', value, ...info }) : undefined,
  });
}

/**
 * A Web `TransformStream` from text or UTF-8 byte chunks to JSON records: JSON Lines / NDJSON,
 * concatenated JSON values, or the elements of one top-level array (option `mode`). A thin
 * wrapper over `createJsonlParser`; bad records error the stream, or with `errors: 'emit'`
 * arrive as records of `type: 'error'` while parsing goes on.
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
    let controller: TransformStreamDefaultController<JsonlRecord<T>> | undefined;
    const parser = recordParser<T>(options, (record) => controller!.enqueue(record));
    super({
      start(c) {
        controller = c;
      },
      transform(chunk, c) {
        try {
          parser.write(chunk);
        } catch (error) {
          return errorWhenDrained(c, error);
        }
        return undefined;
      },
      flush(c) {
        try {
          parser.end();
        } catch (error) {
          return errorWhenDrained(c, error);
        }
        return undefined;
      },
    });
  }
}

/**
 * Errors the stream once the records already enqueued have been read: erroring a readable
 * stream discards its queue, and the good records before a bad one must not be lost. Polls with
 * a timer (no read notification exists for a transform); runs only once, on the failing chunk.
 */
function errorWhenDrained<R>(controller: TransformStreamDefaultController<R>, error: unknown): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      const size = controller.desiredSize;
      if (size === null || size >= 0) {
        controller.error(error);
        resolve();
      } else setTimeout(check, 0);
    };
    check();
  });
}

/**
 * Reads JSON records from a stream of text or UTF-8 bytes (`response.body`, a Node stream, an
 * SDK's iterable): JSON Lines / NDJSON by default, or concatenated values or the elements of one
 * top-level array (option `mode`). Yields records in stream order, each with its 1-based `line`,
 * its `position` (UTF-16 code units) and, for byte input, `byteOffset`.
 *
 * Stopping the iteration early, or aborting `signal`, cancels the source.
 *
 * @example
 * ```ts
 * for await (const { value, line } of parseJsonl<LogEntry>(response.body!)) {
 *   console.log(line, value.level);
 * }
 * ```
 * @throws {@link ParseError} at the first bad record unless `errors: 'emit'` (the good records
 *   before it have been yielded); the abort reason when `signal` aborts.
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
export async function* parseJsonl<T = unknown>(
  source: StreamSource,
  options: JsonlStreamOptions & SourceOptions = {},
): AsyncGenerator<JsonlRecord<T>, void, undefined> {
  let queue: JsonlRecord<T>[] = [];
  const parser = recordParser<T>(options, (record) => queue.push(record));
  for await (const chunk of readSource(source, options.signal)) {
    let thrown: unknown;
    let failed = false;
    try {
      parser.write(chunk);
    } catch (error) {
      failed = true;
      thrown = error;
    }
    // Yield what the chunk completed before its failure, then fail.
    const ready = queue;
    queue = [];
    yield* ready;
    if (failed) throw thrown;
  }
  let thrown: unknown;
  let failed = false;
  try {
    parser.end();
  } catch (error) {
    failed = true;
    thrown = error;
  }
  yield* queue;
  queue = [];
  if (failed) throw thrown;
}
