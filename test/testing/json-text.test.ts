import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepEqualJson, jsonText, jsonTextWithValue, type JsonTextConstraints } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

const numRuns = runs();

/** Text outside string literals (a lenient scan, valid JSON only). */
function outsideStrings(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else out += ch;
  }
  return out;
}

describe('jsonTextWithValue', () => {
  const variants: [string, JsonTextConstraints][] = [
    ['defaults', {}],
    ['lone surrogates and repeated keys', { loneSurrogates: true, repeatedKeys: true }],
    ['deep and wide', { maxDepth: 6, maxLength: 8, maxStringLength: 30 }],
    ['plain', { whitespace: false, escapes: false, nonAscii: false, edgeNumbers: false, protoKeys: false }],
    ['containers only', { topLevel: 'container' }],
  ];

  it.each(variants)('JSON.parse accepts every text and gives the generated value (%s)', (_name, constraints) => {
    fc.assert(
      fc.property(jsonTextWithValue(constraints), ({ text, value }) => {
        expect(deepEqualJson(JSON.parse(text), value)).toBe(true);
      }),
      { numRuns: numRuns * 3 },
    );
  });

  it('covers the edge cases it promises', () => {
    const samples = fc.sample(jsonTextWithValue({ loneSurrogates: true, repeatedKeys: true, maxDepth: 4 }), { numRuns: 3000, seed: 42 });
    const texts = samples.map((s) => s.text).join('\n');
    const seen = (re: RegExp): boolean => re.test(texts);
    expect(seen(/[\t\r]/)).toBe(true);
    expect(seen(/\\u[0-9a-fA-F]{4}/)).toBe(true);
    expect(seen(/\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}/)).toBe(true); // escaped pair
    expect(seen(/[\u{10000}-\u{10ffff}]/u)).toBe(true); // raw astral
    expect(seen(/\\[\\/"bfnrt]/)).toBe(true);
    expect(seen(/__proto__|__proto\\u005f_/)).toBe(true);
    const values = samples.map((s) => s.value);
    const all: unknown[] = [];
    const stack = [...values];
    while (stack.length > 0) {
      const v = stack.pop();
      all.push(v);
      if (v !== null && typeof v === 'object') stack.push(...Object.values(v));
    }
    expect(all.some((v) => Object.is(v, -0))).toBe(true);
    expect(all.some((v) => v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)).toBe(true);
    expect(all.some((v) => typeof v === 'number' && !Number.isSafeInteger(v) && Number.isInteger(v))).toBe(true);
    expect(all.some((v) => typeof v === 'string' && /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(v))).toBe(true);
    expect(all.some((v) => v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, '__proto__'))).toBe(true);
    // a repeated key: more members in the text than keys in the value
    expect(samples.some(({ text }) => /"a"\s*:[^{}[\]]*,\s*"a"\s*:/.test(text))).toBe(true);
  });

  it('honours whitespace: false and escapes: false', () => {
    fc.assert(
      fc.property(jsonText({ whitespace: false, escapes: false }), (text) => {
        expect(outsideStrings(text)).not.toMatch(/[ \t\r\n]/);
        expect(text).not.toContain('\\');
      }),
      { numRuns },
    );
  });

  it('honours maxDepth and topLevel', () => {
    const depth = (v: unknown): number => {
      if (v === null || typeof v !== 'object') return 0;
      return 1 + Math.max(0, ...Object.values(v).map(depth));
    };
    fc.assert(
      fc.property(jsonTextWithValue({ maxDepth: 2 }), ({ value }) => {
        expect(depth(value)).toBeLessThanOrEqual(2);
      }),
      { numRuns },
    );
    fc.assert(
      fc.property(jsonTextWithValue({ topLevel: 'object' }), ({ value }) => {
        expect(value !== null && typeof value === 'object' && !Array.isArray(value)).toBe(true);
      }),
      { numRuns },
    );
    fc.assert(
      fc.property(jsonTextWithValue({ topLevel: 'array' }), ({ value }) => {
        expect(Array.isArray(value)).toBe(true);
      }),
      { numRuns },
    );
  });

  it('without repeatedKeys, no object repeats a key', () => {
    fc.assert(
      fc.property(jsonText({ whitespace: false, maxDepth: 1, topLevel: 'object' }), (text) => {
        // count members at the top level: JSON.parse's key count must match when keys are unique
        const value = JSON.parse(text) as Record<string, unknown>;
        const members = text === '{}' ? 0 : topLevelMembers(text);
        expect(Object.keys(value).length).toBe(members);
      }),
      { numRuns },
    );
  });
});

/** Number of top-level members of a compact object text (depth-1 commas + 1). */
function topLevelMembers(text: string): number {
  let depth = 0;
  let commas = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (ch === ',' && depth === 1) commas++;
  }
  return commas + 1;
}
