import { describe, expectTypeOf, it } from 'vitest';
import type { ParseError } from '../../src/json/errors.js';
import { createJsonlParser, type JsonlErrorInfo, type JsonlRecordInfo } from '../../src/jsonl/index.js';
import { JsonlStream, parseJsonl, type JsonlRecord, type JsonlValueRecord } from '../../src/streams/index.js';

interface Log {
  level: string;
  tags: string[];
}

describe('JSON Lines types', () => {
  it('types the callbacks of createJsonlParser from T', () => {
    createJsonlParser<Log>({
      onValue(value, info) {
        expectTypeOf(value).toEqualTypeOf<Log>();
        expectTypeOf(info).toEqualTypeOf<JsonlRecordInfo>();
        expectTypeOf(info.byteOffset).toEqualTypeOf<number | undefined>();
      },
      onError(error, info) {
        expectTypeOf(error).toEqualTypeOf<ParseError>();
        expectTypeOf(info.text).toEqualTypeOf<string | undefined>();
        expectTypeOf(info).toExtend<JsonlErrorInfo>();
      },
      onPartial(value) {
        expectTypeOf(value).toExtend<{ level?: string; tags?: string[] }>();
      },
    });
  });

  it('yields only value records by default, and the union when errors or partials are asked for', () => {
    const source = new ReadableStream<Uint8Array>();
    expectTypeOf(parseJsonl<Log>(source)).toEqualTypeOf<AsyncGenerator<JsonlValueRecord<Log>, void, undefined>>();
    expectTypeOf(parseJsonl<Log>(source, { errors: 'emit' })).toEqualTypeOf<AsyncGenerator<JsonlRecord<Log>, void, undefined>>();
    expectTypeOf(parseJsonl<Log>(source, { partials: true })).toEqualTypeOf<AsyncGenerator<JsonlRecord<Log>, void, undefined>>();
    expectTypeOf(new JsonlStream<Log>().readable).toEqualTypeOf<ReadableStream<JsonlRecord<Log>>>();
  });
});
