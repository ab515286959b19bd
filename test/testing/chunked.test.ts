import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNKING_MODES, chunked, jsonText, textChunks, utf8Chunks, type ChunkingMode } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const numRuns = runs();

const TRICKY = '{"a":"\\u00e9\\ud83d\\ude00x\\n","n":-1.5e+3,"t":true,"f":false,"z":null,"s":"😀é中"}';

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

describe('chunked', () => {
  it('concatenates back to the text, with non-empty chunks, in every mode', () => {
    for (const mode of CHUNKING_MODES) {
      fc.assert(
        fc.property(
          jsonText().chain((text) => chunked(text, { modes: [mode] }).map((chunks) => ({ text, chunks }))),
          ({ text, chunks }) => {
            expect(chunks.join('')).toBe(text);
            for (const chunk of chunks) expect(chunk.length).toBeGreaterThan(0);
          },
        ),
        { numRuns },
      );
    }
  });

  it('works on any text, including invalid JSON and lone surrogates', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).chain((text) => chunked(text).map((chunks) => ({ text, chunks }))),
        ({ text, chunks }) => {
          expect(chunks.join('')).toBe(text);
        },
      ),
      { numRuns },
    );
    expect(fc.sample(chunked(''), 3)).toEqual([[], [], []]);
  });

  it('units mode gives one code unit per chunk; whole mode gives one chunk', () => {
    expect(fc.sample(chunked(TRICKY, { modes: ['units'] }), 1)[0]).toEqual(TRICKY.split(''));
    expect(fc.sample(chunked(TRICKY, { modes: ['whole'] }), 1)[0]).toEqual([TRICKY]);
  });

  it('tokens mode cuts at token boundaries', () => {
    const [chunks] = fc.sample(chunked('{"a" : [1, true]}', { modes: ['tokens'] }), 1);
    expect(chunks).toEqual(['{', '"a"', ' ', ':', ' ', '[', '1', ',', ' ', 'true', ']', '}']);
  });

  it('fixed mode uses one size', () => {
    fc.assert(
      fc.property(chunked(TRICKY, { modes: ['fixed'], maxChunkLength: 7 }), (chunks) => {
        const size = chunks[0]?.length ?? 0;
        expect(size).toBeLessThanOrEqual(7);
        for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBe(size);
      }),
      { numRuns },
    );
  });

  it('tricky mode cuts inside escapes, between surrogate halves, inside numbers and literals', () => {
    const samples = fc.sample(chunked(TRICKY, { modes: ['tricky'] }), { numRuns: 500, seed: 7 });
    const ends = new Set(samples.flatMap((chunks) => chunks.slice(0, -1).map((c) => c.slice(-8))));
    const endsWith = (suffix: string): boolean => [...ends].some((e) => e.endsWith(suffix));
    expect(endsWith('\\u00')).toBe(true); // inside \uXXXX
    expect(endsWith('\\')).toBe(true); // between \ and the escaped character
    expect(endsWith('\\ud83d')).toBe(true); // between escaped surrogate halves
    expect(endsWith('\ud83d')).toBe(true); // between raw surrogate halves
    expect(endsWith('-1.')).toBe(true); // inside a number
    expect(endsWith('tr')).toBe(true); // inside a literal
  });

  it('emptyChunks inserts empty chunks and still concatenates back', () => {
    const samples = fc.sample(chunked(TRICKY, { emptyChunks: true }), { numRuns: 200, seed: 1 });
    for (const chunks of samples) expect(chunks.join('')).toBe(TRICKY);
    expect(samples.some((chunks) => chunks.includes(''))).toBe(true);
  });

  it('rejects an empty mode list and non-strings', () => {
    expect(() => chunked('[1]', { modes: [] as ChunkingMode[] })).toThrow(RangeError);
    expect(() => chunked(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('utf8Chunks', () => {
  it('concatenates to the UTF-8 encoding and decodes back with a streaming decoder', () => {
    fc.assert(
      fc.property(
        jsonText().chain((text) => utf8Chunks(text).map((chunks) => ({ text, chunks }))),
        ({ text, chunks }) => {
          expect(concatBytes(chunks)).toEqual(new TextEncoder().encode(text));
          const decoder = new TextDecoder('utf-8', { fatal: true });
          let decoded = '';
          for (const chunk of chunks) decoded += decoder.decode(chunk, { stream: true });
          decoded += decoder.decode();
          expect(decoded).toBe(text);
        },
      ),
      { numRuns },
    );
  });

  it('cuts inside multi-byte characters', () => {
    const samples = fc.sample(utf8Chunks('["é😀中"]', { modes: ['tricky'] }), { numRuns: 200, seed: 3 });
    const cutsInside = samples.some((chunks) => chunks.slice(1).some((c) => ((c[0] ?? 0) & 0xc0) === 0x80));
    expect(cutsInside).toBe(true);
  });

  it('gives fresh buffers', () => {
    const [chunks] = fc.sample(utf8Chunks('abcdef', { modes: ['units'] }), 1);
    expect(chunks?.map((c) => c.byteOffset)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses texts with lone surrogates', () => {
    expect(() => utf8Chunks('"\ud800"')).toThrow(/lone surrogate at index 1/);
    expect(() => utf8Chunks('"\\ud800"')).not.toThrow();
  });
});

describe('textChunks', () => {
  it('keeps the text and its chunks together', () => {
    fc.assert(
      fc.property(textChunks(jsonText()), ({ text, chunks }) => {
        expect(chunks.join('')).toBe(text);
      }),
      { numRuns },
    );
  });
});
