/**
 * src/json/utf8.ts finds invalid UTF-8 by asking the platform's fatal decoder (no validator of
 * its own): the sequences it reports must be exactly those a replacing `TextDecoder` turns into
 * one U+FFFD each, for any bytes and any chunking.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUtf8Reader, findInvalidUtf8, invalidUtf8, utf8PrefixLength } from '../../src/json/utf8.js';
import { runs } from '../support/shared.js';

/** Bytes that are mostly UTF-8 with damage: valid text, cut characters, stray and overlong bytes. */
const damagedBytes = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }).map((s) => [...new TextEncoder().encode(s)]),
      fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 3 }),
      fc.constantFrom([0xc0, 0x80], [0xe0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90], [0xf0, 0x9f, 0x98], [0xef, 0xbb, 0xbf]),
    ),
    { maxLength: 8 },
  )
  .map((parts) => new Uint8Array(parts.flat()));

const replacing = (bytes: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

describe('UTF-8 error search on the fatal decoder', () => {
  it('the reader gives the text of a replacing decoder, one U+FFFD per invalid sequence, for any chunking', () => {
    fc.assert(
      fc.property(damagedBytes, fc.integer({ min: 1, max: 9 }), (bytes, size) => {
        let out = '';
        let counted = 0;
        const reader = createUtf8Reader(
          (text, length) => {
            out += text;
            counted += length;
          },
          (length) => {
            out += '\ufffd';
            counted += length;
          },
        );
        for (let i = 0; i < bytes.length; i += size) reader.write(bytes.slice(i, i + size));
        reader.flush();
        expect(out).toBe(replacing(bytes));
        expect(counted).toBe(bytes.length);
      }),
      { numRuns: runs() },
    );
  });

  it('invalidUtf8 finds the first sequence a replacing decoder replaces; the prefix before it is valid', () => {
    fc.assert(
      fc.property(damagedBytes, (bytes) => {
        const bad = invalidUtf8(bytes);
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        expect(bad === undefined).toBe(valid);
        if (bad === undefined) return;
        const before = replacing(bytes.subarray(0, bad.start));
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, bad.start))).not.toThrow();
        // Decoding the bytes before it, then one U+FFFD, then the rest, is the replacing decode.
        expect(before + '\ufffd' + replacing(bytes.subarray(bad.end))).toBe(replacing(bytes));
        expect(findInvalidUtf8(bytes)).toEqual({ text: before, ...bad });
        expect(utf8PrefixLength(bytes)).toBeGreaterThanOrEqual(bad.start);
      }),
      { numRuns: runs() },
    );
  });
});
