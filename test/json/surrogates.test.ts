import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHighSurrogate, isLowSurrogate, isSurrogate, isSurrogatePairAt } from '../../src/json/surrogates.js';
import { runs } from '../support/shared.js';

describe('surrogates: the one check every layer shares', () => {
  it('classifies every UTF-16 code unit as the Unicode ranges do', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const ch = String.fromCharCode(code);
      expect(isHighSurrogate(code)).toBe(/^[\uD800-\uDBFF]$/.test(ch));
      expect(isLowSurrogate(code)).toBe(/^[\uDC00-\uDFFF]$/.test(ch));
      expect(isSurrogate(code)).toBe(isHighSurrogate(code) || isLowSurrogate(code));
    }
    // Past the end of a string, charCodeAt gives NaN: never a surrogate.
    expect(isHighSurrogate(''.charCodeAt(0))).toBe(false);
    expect(isLowSurrogate(''.charCodeAt(0))).toBe(false);
  });

  it('a pair starts at i exactly when the code point there is astral', () => {
    // Any code points, astral ones included, mixed with lone halves.
    const unit = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), fc.nat(13), (text, i) => {
        const point = text.codePointAt(i);
        expect(isSurrogatePairAt(text, i)).toBe(point !== undefined && point > 0xffff);
      }),
      { numRuns: runs(2) },
    );
  });
});
