import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartialParser, parsePartial, lenient } from '../../src/index.js';
import { chunked } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

// Review of lenient mode (issue 14): the README's "Lenient mode" table, run as tests, so the
// table a newcomer reads is what the library does.

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The code spans of a markdown table cell, with the README's ⏎ / ⇥ / `\n` meaning what they show. */
function spans(cell: string): string[] {
  const out: string[] = [];
  for (const m of cell.matchAll(/(`+)(.+?)\1(?!`)/g)) {
    let code = m[1]!.length > 1 ? m[2]!.trim() : m[2]!;
    code = code.replace(/⏎/g, '\n').replace(/⇥/g, '\t');
    if (m[1]!.length > 1) code = code.replace(/\\n/g, '\n'); // the fence row writes its newlines as \n
    out.push(code);
  }
  return out;
}

function rows(): { repair: string; examples: string[]; becomes: string[]; code: string }[] {
  const section = readme.slice(readme.indexOf('## Lenient mode'), readme.indexOf('Each warning is a `ParseWarning`'));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Repair') && !line.startsWith('| ---'))
    .map((line) => {
      // Cells are split on ` | ` outside code spans: the table has no `|` inside code.
      const cells = line.slice(2, -2).split(' | ');
      return { repair: cells[0]!, examples: spans(cells[1]!), becomes: spans(cells[2]!), code: spans(cells[3]!)[0]! };
    });
}

describe('README "Lenient mode" table, run as tests', () => {
  it('has the rows the contract lists', () => {
    expect(rows().map((r) => r.code)).toEqual([
      'leading-text', 'reasoning-block', 'code-fence', 'trailing-text', 'trailing-comma', 'comment',
      'single-quoted-string', 'unquoted-key', 'python-literal', 'javascript-literal', 'control-character',
      'invalid-escape', 'unterminated-string', 'truncated',
    ]);
  });

  it.each(rows().map((r) => [r.repair, r] as const))('%s: each example becomes what the table says, with its code', (_, row) => {
    // A row pairs examples and results one to one, or shows one result for its first example
    // (the others name variants); "the same characters" compares with the example itself.
    const pairs: [string, unknown][] =
      row.becomes.length === row.examples.length
        ? row.examples.map((e, k) => [e, JSON.parse(row.becomes[k]!) as unknown])
        : row.becomes.length === 0
          ? [[row.examples[0]!, row.examples[0]!.slice(1, -1)]] // a string example: its characters
          : [[row.examples[0]!, JSON.parse(row.becomes[0]!) as unknown]];
    for (const [example, expected] of pairs) {
      const result = parsePartial(example, { lenient: lenient() });
      expect(result.value, example).toEqual(expected);
      expect(new Set(result.warnings!.map((w) => w.code)), example).toEqual(new Set([row.code]));
    }
  });
});

describe('README "Lenient mode" prose examples', () => {
  const codes = (text: string): string[] => parsePartial(text, { lenient: lenient() }).warnings!.map((w) => w.code);
  it('the code block', () => {
    expect(parsePartial('Sure!\n```json\n{"done": True, "items": [1, 2,', { lenient: lenient() })).toMatchObject({
      value: { done: true, items: [1, 2] },
      complete: false,
    });
    expect(codes('Sure!\n```json\n{"done": True, "items": [1, 2,')).toEqual(['leading-text', 'code-fence', 'python-literal', 'truncated']);
  });

  it('the differences from jsonrepair (our side of each)', () => {
    expect(parsePartial('"C:\\Users\\x"', { lenient: lenient() }).value).toBe('C:\\Users\\x');
    expect(parsePartial('"\\u12G4"', { lenient: lenient() }).value).toBe('\\u12G4');
    expect(parsePartial('[1, 1.', { lenient: lenient() }).value).toEqual([1]);
    expect(parsePartial('[Tru', { lenient: lenient() }).value).toEqual([]);
    expect(parsePartial('{"key', { lenient: lenient() }).value).toEqual({});
    expect(parsePartial('Sorry, nothing', { lenient: lenient() })).toMatchObject({ value: undefined, complete: false });
    expect(codes('Sorry, nothing')).toEqual(['leading-text', 'truncated']);
    for (const text of ['{"a" 1}', '[1 2]', '{"a": b}']) {
      expect(codes(text)).toEqual(['truncated']); // an error in createPartialParser, kept as truncation here
    }
    expect(parsePartial('true story', { lenient: lenient() }).value).toBe(true);
    expect(parsePartial('null pointer: {"a": 1}', { lenient: lenient() }).value).toBe(null);
    expect(parsePartial('2024-05-01: {"a": 1}', { lenient: lenient() }).value).toBe(2024);
    expect(parsePartial('1. Here it is:\n{"a": 1}', { lenient: lenient() }).value).toEqual({ a: 1 });
    expect(parsePartial('{"a": "x\n"}', { lenient: lenient() })).toMatchObject({ value: { a: 'x\n' }, complete: true });
  });
});

describe('README: \\\' in strings', () => {
  it('keeps the backslash in a double-quoted string, is the quote in a single-quoted one', () => {
    expect(parsePartial('{"a": "it\\\'s"}', { lenient: lenient() }).value).toEqual({ a: "it\\'s" });
    expect(parsePartial("{'a': 'it\\'s'}", { lenient: lenient() }).value).toEqual({ a: "it's" });
  });
});

describe('never corrupt: string content that looks like damage comes through unchanged (property)', () => {
  // Strings made of the very pieces lenient mode repairs outside strings, in valid JSON wrapped in
  // model damage (prose, a <think> block, a fence, trailing text): every string is JSON.parse's.
  const tricky = fc
    .array(
      fc.constantFrom('```', '```json\n', '<think>', '</think>', '//', '/*', '*/', '\\', '"', "'", 'C:\\Users\\x', '{', '}', '[', ']', ',', ':', '\n', '\t', 'True', 'None', 'NaN', ' ', 'a', 'é', '😀'),
      { maxLength: 8 },
    )
    .map((pieces) => pieces.join(''));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.constantFrom(true, false, null), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(tricky, tie('node'), { maxKeys: 3 })),
  })).node;
  const wrapped = fc
    .tuple(
      fc.oneof(fc.array(value, { maxLength: 3 }), fc.dictionary(tricky, value, { maxKeys: 3 })),
      fc.constantFrom('', 'Sure! Here it is:\n', '<think>the user wants {"x": "```"}</think>\n', 'Okay.\n```json\n', '```\n'),
      fc.constantFrom('', '\n```', '\n```\nHope this helps! {"not": "this"}', ' // done'),
      fc.boolean(),
    )
    .map(([v, head, tail, pretty]) => ({ v, text: head + JSON.stringify(v, null, pretty ? 2 : undefined) + tail }));

  it('whole text (parsePartial) and every chunking (the parser)', () => {
    fc.assert(
      fc.property(wrapped.chain((w) => fc.tuple(fc.constant(w), chunked(w.text))), ([{ v, text }, chunks]) => {
        const expected = JSON.parse(JSON.stringify(v)) as unknown;
        expect(parsePartial(text, { lenient: lenient() })).toMatchObject({ value: expected, complete: true });
        const parser = createPartialParser({ lenient: lenient() });
        for (const chunk of chunks) parser.write(chunk);
        expect(parser.end()).toEqual(expected);
        expect(parser.warnings.map((w) => w.code)).not.toContain('control-character');
        expect(parser.warnings.map((w) => w.code)).not.toContain('invalid-escape');
      }),
      { numRuns: runs() },
    );
  });
});
