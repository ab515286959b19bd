import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPartialParser, ParseError } from '../../src/index.js';
import { createRandom } from '../fixtures/documents.js';
import { sharedPath } from '../support/shared.js';

const suite = sharedPath('conformance/JSONTestSuite/test_parsing/');
const files = suite.available ? readdirSync(suite.path).filter((f) => f.endsWith('.json')).sort() : [];

// Rejected only because they end early (SOURCE.md "Truncated-but-valid prefixes"): a streaming
// parser must not fail before end().
const truncatedPrefixes = new Set(
  [
    'n_array_incomplete', 'n_array_newlines_unclosed', 'n_array_unclosed', 'n_array_unclosed_trailing_comma',
    'n_array_unclosed_with_new_lines', 'n_array_unclosed_with_object_inside', 'n_object_missing_value',
    'n_object_no-colon', 'n_object_unterminated-value', 'n_single_space', 'n_string_1_surrogate_then_escape',
    'n_string_escaped_backslash_bad', 'n_string_incomplete_escape', 'n_string_single_doublequote',
    'n_string_start_escape_unclosed', 'n_structure_100000_opening_arrays', 'n_structure_array_with_unclosed_string',
    'n_structure_comma_instead_of_closing_brace', 'n_structure_lone-open-bracket', 'n_structure_no_data',
    'n_structure_object_unclosed_no_value', 'n_structure_open_array_object', 'n_structure_open_array_open_object',
    'n_structure_open_array_open_string', 'n_structure_open_array_string', 'n_structure_open_object',
    'n_structure_open_object_open_string', 'n_structure_unclosed_array', 'n_structure_unclosed_array_partial_null',
    'n_structure_unclosed_array_unfinished_false', 'n_structure_unclosed_array_unfinished_true',
    'n_structure_unclosed_object', 'n_structure_UTF8_BOM_no_data',
  ].map((name) => `${name}.json`),
);

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown; atEnd: boolean };

function seededSizes(length: number, seed: number): number[] {
  const random = createRandom(seed);
  const sizes: number[] = [];
  for (let total = 0; total < length; ) {
    const size = random.int(1, 17);
    sizes.push(size);
    total += size;
  }
  return sizes;
}

function cut<T extends string | Uint8Array>(input: T, sizes: number[] | number): T[] {
  const out: T[] = [];
  let at = 0;
  let k = 0;
  while (at < input.length) {
    const size = typeof sizes === 'number' ? sizes : sizes[k++ % sizes.length]!;
    out.push(input.slice(at, at + size) as T);
    at += size;
  }
  return out;
}

function run(chunks: readonly (string | Uint8Array)[]): Outcome {
  // The grammar against JSON.parse: no depth limit (the default one is pinned in security.test.ts).
  const parser = createPartialParser({ maxDepth: Infinity });
  try {
    for (const chunk of chunks) parser.write(chunk);
  } catch (error) {
    return { ok: false, error, atEnd: false };
  }
  try {
    return { ok: true, value: parser.end() };
  } catch (error) {
    return { ok: false, error, atEnd: true };
  }
}

function oracle(text: string): Outcome {
  try {
    // A leading BOM is skipped (RFC 8259 §8.1): the one documented difference from JSON.parse.
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (error) {
    return { ok: false, error, atEnd: true };
  }
}

const chunkings: [string, (length: number) => number[] | number][] = [
  ['1', () => 1],
  ['2', () => 2],
  ['3', () => 3],
  ['5', () => 5],
  ['7', () => 7],
  ['64', () => 64],
  ['whole', (length) => Math.max(1, length)],
  ['seeded random', (length) => seededSizes(length, length * 31 + 7)],
];

describe.skipIf(!suite.available)('JSONTestSuite: every file, every chunking, as text and as bytes', () => {
  it('has the 318 files', () => {
    expect(files.length).toBe(318);
  });

  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(`${suite.path}${file}`));
    let validUtf8 = true;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      validUtf8 = false;
      text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    }
    const expected = oracle(text);
    const kind = file.slice(0, 2);

    it(file, () => {
      if (kind === 'y_') expect(expected.ok).toBe(true);
      const outcomes: [string, Outcome][] = [];
      for (const [name, sizes] of chunkings) {
        // Text: the decoded string (lossy where the bytes are not UTF-8) must match JSON.parse on it.
        outcomes.push([`text/${name}`, run(cut(text, sizes(text.length)))]);
        // Bytes: decoded by the parser's fatal streaming decoder; invalid UTF-8 is a rejection.
        outcomes.push([`bytes/${name}`, run(cut(bytes, sizes(bytes.length)))]);
      }
      for (const [label, outcome] of outcomes) {
        const bytesMode = label.startsWith('bytes/');
        if (bytesMode && !validUtf8) {
          expect(outcome.ok, label).toBe(false);
          if (!outcome.ok) expect(outcome.error, label).toBeInstanceOf(ParseError);
          continue;
        }
        if (kind === 'n_') expect(outcome.ok, label).toBe(false);
        expect(outcome.ok, label).toBe(expected.ok);
        if (outcome.ok && expected.ok) expect(outcome.value, label).toEqual(expected.value);
        if (!outcome.ok) {
          expect(outcome.error, label).toBeInstanceOf(ParseError);
          // Only input that is merely incomplete may wait for end() to fail.
          if (!(bytesMode && !validUtf8)) expect(outcome.atEnd, label).toBe(truncatedPrefixes.has(file) || text.replace(/^\uFEFF/, '').trim() === '');
        }
      }
      // The error position does not depend on the chunking.
      const positions = new Set(
        outcomes
          .filter(([label]) => label.startsWith('text/'))
          .map(([, o]) => (o.ok ? -1 : (o.error as ParseError).position)),
      );
      expect(positions.size).toBe(1);
    });
  }
});
