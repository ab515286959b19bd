import { describe, expectTypeOf, it } from 'vitest';
import { createJsonlParser, type JsonlRecordInfo } from '../../src/jsonl/index.js';

describe('createJsonlParser recordInfo (no dependence on Function.length)', () => {
  it('gives onValue the info by default, and undefined with recordInfo: false', () => {
    createJsonlParser<{ a: number }>({
      onValue(value, info) {
        expectTypeOf(value).toEqualTypeOf<{ a: number }>();
        expectTypeOf(info).toEqualTypeOf<JsonlRecordInfo>();
      },
    });
    // One parameter is fine either way; the option, not the arity, decides.
    createJsonlParser({ onValue: (value) => expectTypeOf(value).toEqualTypeOf<unknown>() });
    createJsonlParser({
      recordInfo: false,
      onValue(value, info) {
        expectTypeOf(value).toEqualTypeOf<unknown>();
        expectTypeOf(info).toEqualTypeOf<undefined>();
      },
    });
    createJsonlParser<number, false>({ recordInfo: false, onValue: (value) => expectTypeOf(value).toEqualTypeOf<number>() });
  });
});
