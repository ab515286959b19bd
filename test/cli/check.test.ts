/**
 * `streamshape check`: planted bad lines are reported exactly (file:line:column, the line, a
 * caret), schema failures too, and usage errors exit 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFile, sourceLine } from '../../src/cli/check.js';
import { runCli } from './helpers.js';

const temp = mkdtempSync(join(tmpdir(), 'streamshape-check-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function good(i: number): string {
  return JSON.stringify({ custom_id: `request-${i}`, response: { status_code: 200, body: { title: `Dish ${i}`, servings: (i % 6) + 1 } } });
}

/** Planted bad lines: line number → text, and where JSON.parse fails in it (1-based column). */
const PLANTED: Record<number, { text: string; column: number }> = {
  7: { text: '{"custom_id": "request-7", "response": {"status_code": 200,}}', column: 60 },
  19: { text: '{"custom_id": "request-19", "response": {"body": "cut', column: 54 },
  20: { text: 'not json at all', column: 2 }, // `n` may start `null`
  33: { text: '{"a": [1, 2 3]}', column: 13 },
  34: { text: '{"emoji": "🍕", "n": 01}', column: 23 },
};

function plantedFile(lines: number): string {
  const out: string[] = [];
  for (let line = 1; line <= lines; line++) out.push(PLANTED[line]?.text ?? good(line));
  return out.join('\n') + '\n';
}

describe('check', () => {
  it('reports exactly the planted bad lines, with line, column, the line and a caret', async () => {
    const path = join(temp, 'batch.jsonl');
    writeFileSync(path, plantedFile(40));
    const result = await runCli(['check', path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`streamshape: ${path}: 5 of 40 records are bad\n`);
    const reports = result.stdout.split('\n').filter((line) => /^.+:\d+:\d+: /.test(line) && line.startsWith(`${path}:`));
    expect(reports.map((line) => line.slice(path.length + 1).split(':').slice(0, 2).map(Number))).toEqual(
      Object.entries(PLANTED).map(([line, { column }]) => [Number(line), column]),
    );
    // Each report: the header, the offending line, and a caret under the column.
    const lines = result.stdout.split('\n');
    for (const [line, { text, column }] of Object.entries(PLANTED)) {
      const at = lines.findIndex((l) => l.startsWith(`${path}:${line}:`));
      expect(lines[at + 1]).toBe(`  ${text}`);
      expect(lines[at + 2]).toBe(`  ${' '.repeat(column - 1)}^`);
    }
    expect(lines.find((l) => l.startsWith(`${path}:20:`))).toBe(`${path}:20:2: Unexpected "o" in JSON`);
  });

  it('exit 0 and a count for a good file', async () => {
    const path = join(temp, 'good.jsonl');
    writeFileSync(path, [1, 2, 3].map(good).join('\r\n'));
    const result = await runCli(['check', path]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/: 3 records, 0 bad/);
    expect(result.stderr).toBe('');
  });

  it('validates every record against a zod schema from a .ts or .mjs module', async () => {
    const path = join(temp, 'recipes.jsonl');
    writeFileSync(
      path,
      [
        '{"title": "Shakshuka", "servings": 2}',
        '{"title": "Dal", "servings": -1}',
        '{"title": "Pho", "servings": 4, "tags": ["soup"]}',
        '{"servings": 3}',
        '{"title": "Ramen" "servings": 1}',
      ].join('\n'),
    );
    for (const module of ['test/cli/fixtures/recipe-schema.ts', 'test/cli/fixtures/recipe-schema.mjs']) {
      const result = await runCli(['check', path, '--schema', `${module}#Recipe`]);
      expect(result.code, module).toBe(1);
      const reports = result.stdout.split('\n').filter((line) => /^.+:\d+:\d+: /.test(line) && line.startsWith(`${path}:`));
      expect(reports.map((line) => line.slice(path.length + 1).replace(/: .*/, ''))).toEqual(['2:18', '4:1', '5:19']);
      expect(reports[0]).toContain('schema: servings:');
      expect(reports[1]).toContain('schema: title:');
    }
  });

  it('--schema errors are usage errors', async () => {
    const path = join(temp, 'one.jsonl');
    writeFileSync(path, '{}\n');
    const cases: Array<[string, RegExp]> = [
      ['test/cli/fixtures/recipe-schema.mjs#Nope', /has no export "Nope"; schemas it exports: Recipe/],
      ['test/cli/fixtures/recipe-schema.mjs#notASchema', /export "notASchema" of .* is not a zod schema/],
      ['test/cli/fixtures/missing.ts#X', /--schema: no such file/],
    ];
    for (const [spec, message] of cases) {
      const result = await runCli(['check', path, '--schema', spec]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it('reports an error inside a multi-line JSON record on its own line', async () => {
    const path = join(temp, 'pretty.json');
    writeFileSync(path, '{\n  "a": 1,\n  "b": [1, 2,, 3]\n}\n');
    const result = await checkFile(path);
    expect(result.bad).toBe(1);
    expect(result.reported[0]).toMatchObject({ line: 3, column: 14, source: '  "b": [1, 2,, 3]', caret: 13 });
  });

  it('cuts long lines around the caret', () => {
    const text = 'x'.repeat(500) + '!' + 'y'.repeat(500);
    const { source, caret } = sourceLine(text, 500);
    expect(source.length).toBeLessThanOrEqual(122);
    expect(source[caret]).toBe('!');
  });

  it('bad usage exits 2', async () => {
    expect(await runCli(['check'])).toMatchObject({ code: 2, stderr: 'streamshape: check needs a file\n' });
    expect(await runCli(['check', 'nope.jsonl'])).toMatchObject({ code: 2, stderr: 'streamshape: no such file: nope.jsonl\n' });
    expect(await runCli(['check', temp])).toMatchObject({ code: 2 });
    expect((await runCli(['check', 'x', '--format', 'csv'])).stderr).toMatch(/unknown format "csv"; use jsonl, json, json-array/);
  });
});
