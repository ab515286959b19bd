import {
  createJsonlParser,
  type JsonlErrorInfo,
  type JsonlParserOptions,
  type JsonlRecordInfo,
} from '../../src/jsonl/index.js';
import type { ParseError } from '../../src/json/errors.js';

export type Event =
  /** In a `lean` run, `info` holds only the index (line and position 0, no byte offset). */
  | { type: 'value'; value: unknown; info: JsonlRecordInfo }
  | { type: 'error'; error: ParseError; info: JsonlErrorInfo }
  | { type: 'partial'; value: unknown; info: JsonlRecordInfo; write: number };

/**
 * Runs a parser over `chunks` (ended) and returns everything it reported, in order. With `lean`,
 * the parser runs with `recordInfo: false` (it then builds no info object, and in `lines` mode
 * counts byte offsets only for what it reports with one): value events carry the info of the
 * record as the counters say, without `byteOffset`.
 */
export function run(
  chunks: readonly (string | Uint8Array)[],
  options: Omit<JsonlParserOptions, 'onValue' | 'onError' | 'onPartial'> & { partials?: boolean; lean?: boolean } = {},
): Event[] {
  const events: Event[] = [];
  let write = 0;
  const { partials, lean, ...rest } = options;
  // The parser counts the record before calling back: its index is `records - 1`.
  const leanValue = (value: unknown): void => {
    events.push({ type: 'value', value, info: { index: parser.records - 1, line: 0, position: 0, byteOffset: undefined } });
  };
  const common = {
    ...rest,
    onError: (error: ParseError, info: JsonlErrorInfo) => events.push({ type: 'error', error, info }),
    onPartial: partials === true ? (value: unknown, info: JsonlRecordInfo) => events.push({ type: 'partial', value, info, write }) : undefined,
  };
  const parser =
    lean === true
      ? createJsonlParser({ ...common, recordInfo: false, onValue: leanValue })
      : createJsonlParser({ ...common, onValue: (value, info) => events.push({ type: 'value', value, info }) });
  for (const chunk of chunks) {
    parser.write(chunk);
    write++;
  }
  parser.end();
  return events;
}

/** The values reported, in order. */
export function values(events: readonly Event[]): unknown[] {
  return events.flatMap((e) => (e.type === 'value' ? [e.value] : []));
}

/** A compact view of each record: value or error code, line, position (and byte offset). */
export function summary(events: readonly Event[]): string[] {
  return events.flatMap((e) => {
    if (e.type === 'partial') return [];
    const where = `line ${e.info.line} @${e.info.position}${e.info.byteOffset === undefined ? '' : `/${e.info.byteOffset}b`}`;
    return e.type === 'value'
      ? [`#${e.info.index} ${where}: ${JSON.stringify(e.value)}`]
      : [`#${e.info.index} ${where}: ${e.error.code} at ${e.error.position} (${e.error.line}:${e.error.column}) +${e.info.errorOffset}`];
  });
}

/** Cuts a text or bytes into pieces of `size`. */
export function pieces<T extends string | Uint8Array>(input: T, size: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < input.length; i += size) out.push(input.slice(i, i + size) as T);
  return out;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
