import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyDelta, createPartialParser, type Delta, parsePartial, ParseError, toJsonPatch } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The rows of the README's "What you get, step by step" table: [write, value column, delta column]. */
function stepTable(): [string, string, string][] {
  const section = readme.slice(readme.indexOf('## What you get, step by step'), readme.indexOf('## The invariants'));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.slice(1, -1).split(' | ').map((c) => c.trim());
      return [cells[0]!.slice(1, -1), cells[1]!, cells[2]!];
    });
}

describe('README examples, run as tests', () => {
  it('"What you get, step by step": each row is what the parser does', () => {
    const rows = stepTable();
    expect(rows).toHaveLength(8);
    let deltas: Delta[] = [];
    let replayed: unknown;
    const parser = createPartialParser({ onDelta: (d) => (deltas = d) });
    for (const [write, valueCell, deltaCell] of rows) {
      deltas = [];
      const before = parser.value;
      parser.write(write);
      replayed = applyDelta(replayed, deltas);
      const shown = JSON.stringify(parser.value);
      if (valueCell.startsWith('unchanged')) {
        expect(parser.value).toBe(before);
        expect(deltaCell).toContain('no call');
        expect(deltas).toEqual([]);
      } else {
        // The cell shows the snapshot, eliding earlier properties as `…`.
        const cell = valueCell.slice(1, -1);
        const [head, tail] = cell.split('…');
        expect(shown.startsWith(head!)).toBe(true);
        if (tail !== undefined) expect(shown.endsWith(tail)).toBe(true);
        for (const d of deltas) expect(deltaCell).toContain(`${d.op} ${JSON.stringify(d.path)}`);
      }
    }
    const final = parser.end();
    expect(final).toEqual(JSON.parse(rows.map((r) => r[0]).join('')));
    expect(replayed).toEqual(final);
  });

  it('parsePartial: the documented differences from partial-json and parsePartialJson', () => {
    expect(parsePartial('[12')).toEqual({ value: [], complete: false });
    expect(parsePartial('[tr')).toEqual({ value: [], complete: false });
    expect(parsePartial('{"title": "Stream')).toEqual({ value: { title: 'Stream' }, complete: false });
    expect(parsePartial('[1, 2]')).toEqual({ value: [1, 2], complete: true });
    expect(parsePartial('["\\ud83d')).toEqual({ value: [''], complete: false });
    expect(() => parsePartial('[tx')).toThrow(ParseError);
    expect(() => parsePartial('{"a" 1')).toThrow(ParseError);
  });

  it('the error message shape', () => {
    expect(() => parsePartial('[tx')).toThrowErrorMatchingInlineSnapshot(
      `[ParseError: Unexpected "x" in JSON at position 2 (line 1 column 3)]`,
    );
    const parser = createPartialParser();
    parser.write('[1');
    expect(() => parser.end()).toThrowErrorMatchingInlineSnapshot(
      `[ParseError: Unexpected end of JSON input at position 2 (line 1 column 3)]`,
    );
    expect(() => parser.write('2')).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: write() called after the JSON text was rejected (Unexpected end of JSON input at position 2 (line 1 column 3)); create a new parser]`,
    );
  });

  it('"Fuzz your own stream handling" shows exactly the code of test/readme/fuzz-your-own.test.ts', () => {
    const source = readFileSync(new URL('./readme/fuzz-your-own.test.ts', import.meta.url), 'utf8');
    const code = source.slice(source.indexOf('// readme:fuzz:start\n') + '// readme:fuzz:start\n'.length, source.indexOf('// readme:fuzz:end'));
    expect(readme).toContain(`\`\`\`ts\n${code}\`\`\``);
  });

  it('toJsonPatch turns appends into replaces of the whole string', () => {
    expect(toJsonPatch([{ op: 'append', path: ['a'], value: 'lo' }], { a: 'hel' })).toEqual([
      { op: 'replace', path: '/a', value: 'hello' },
    ]);
    // The first delta of a parse adds the root: RFC 6902 "add" at "" sets the whole document.
    expect(
      toJsonPatch([
        { op: 'add', path: [], value: {} },
        { op: 'add', path: ['t'], value: 'P' },
        { op: 'append', path: ['t'], value: 'asta' },
      ]),
    ).toEqual([
      { op: 'add', path: '', value: {} },
      { op: 'add', path: '/t', value: 'P' },
      { op: 'replace', path: '/t', value: 'Pasta' },
    ]);
  });
});
