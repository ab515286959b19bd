import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartialParser, parsePartial } from '../../src/index.js';
import { deepEqualJson, jsonText } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

describe('parsePartial keeps the invariants of the streaming parser', () => {
  it('a bare number is not yet a value: the prefix may go on', () => {
    expect(parsePartial('12')).toEqual({ value: undefined, complete: false });
    expect(parsePartial('-0.5e1')).toEqual({ value: undefined, complete: false });
    expect(parsePartial('12 ')).toEqual({ value: 12, complete: true });
    expect(parsePartial('[1, 12')).toEqual({ value: [1], complete: false });
    expect(parsePartial('')).toEqual({ value: undefined, complete: false });
    expect(parsePartial('"ab')).toEqual({ value: 'ab', complete: false });
  });

  it('for every prefix of a JSON text: the parser snapshot; complete only when no continuation can change it', () => {
    fc.assert(
      fc.property(
        jsonText().chain((text) => fc.tuple(fc.constant(text), fc.nat(text.length))),
        ([text, cut]) => {
          const prefix = text.slice(0, cut);
          const result = parsePartial(prefix);
          const parser = createPartialParser();
          parser.write(prefix);
          expect(result.complete).toBe(parser.complete);
          expect(deepEqualJson(result.value, parser.value)).toBe(true);
          // Invariant 3: a complete answer is final, whatever follows (here, the rest of the text).
          if (result.complete) expect(deepEqualJson(result.value, JSON.parse(text))).toBe(true);
          // A number is never shown at the root before the prefix proves it complete.
          if (typeof result.value === 'number') expect(result.complete).toBe(true);
        },
      ),
      { numRuns: runs(2) },
    );
  });
});
