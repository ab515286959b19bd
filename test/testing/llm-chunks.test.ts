import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText, llmChunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const numRuns = runs();

const PROSE =
  'Large language models generate text one token at a time. Each token is usually a short word, a piece of a ' +
  'longer word, or a punctuation mark; whitespace is typically attached to the beginning of the following word.';

const DOCUMENT = JSON.stringify({
  title: 'The quick brown fox jumps over the lazy dog',
  description: PROSE,
  items: [
    { id: 1, name: 'first item', tags: ['alpha', 'beta'], price: 12.5 },
    { id: 2, name: 'second item', tags: [], price: 1999 },
  ],
  ok: true,
});

function mean(chunks: readonly string[]): number {
  return chunks.reduce((n, c) => n + c.length, 0) / chunks.length;
}

describe('llmChunks', () => {
  it('concatenates back; chunks are 1 to 8 code units; surrogate pairs stay whole', () => {
    fc.assert(
      fc.property(
        jsonText({ maxStringLength: 40 }).chain((text) => llmChunks(text).map((chunks) => ({ text, chunks }))),
        ({ text, chunks }) => {
          expect(chunks.join('')).toBe(text);
          for (const chunk of chunks) {
            expect(chunk.length).toBeGreaterThanOrEqual(1);
            expect(chunk.length).toBeLessThanOrEqual(8);
            expect(chunk).not.toMatch(/^[\udc00-\udfff]/);
          }
        },
      ),
      { numRuns },
    );
  });

  it('has token-like sizes: about 4 code units on prose, 3 on compact JSON', () => {
    const prose = fc.sample(llmChunks(PROSE), { numRuns: 50, seed: 11 }).flat();
    const json = fc.sample(llmChunks(DOCUMENT), { numRuns: 50, seed: 11 }).flat();
    expect(mean(prose)).toBeGreaterThan(3.5);
    expect(mean(prose)).toBeLessThan(5.5);
    expect(mean(json)).toBeGreaterThan(2.5);
    expect(mean(json)).toBeLessThan(5);
  });

  it('attaches a space to the start of the next word', () => {
    for (const chunks of fc.sample(llmChunks(PROSE), { numRuns: 20, seed: 5 })) {
      for (let i = 0; i + 1 < chunks.length; i++) {
        const here = chunks[i] as string;
        const next = chunks[i + 1] as string;
        if (/\p{L}/u.test(next.charAt(0))) expect(here.endsWith(' ')).toBe(false);
      }
      expect(chunks.filter((c) => /^ \p{L}/u.test(c)).length).toBeGreaterThan(10);
    }
  });

  it('often puts punctuation alone', () => {
    const chunks = fc.sample(llmChunks(DOCUMENT), { numRuns: 20, seed: 9 }).flat();
    const alone = chunks.filter((c) => /^[{}[\]:,"]$/.test(c)).length;
    expect(alone / chunks.length).toBeGreaterThan(0.05);
  });

  it('honours maxLength and rejects one below 2', () => {
    fc.assert(
      fc.property(llmChunks(DOCUMENT, { maxLength: 3 }), (chunks) => {
        expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(3);
      }),
      { numRuns },
    );
    expect(() => llmChunks('x', { maxLength: 1 })).toThrow(RangeError);
    expect(fc.sample(llmChunks(''), 1)).toEqual([[]]);
  });
});
