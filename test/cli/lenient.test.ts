/**
 * `streamshape replay --lenient` (issue 14 items 1-2): the structured output is parsed in lenient
 * mode, and every repair is printed like an error, with its code, line and column.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePartial, lenient } from '../../src/index.js';
import { deepEqualJson, modelDamage } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';
import { ndjson, runCli } from './helpers.js';

const DAMAGED = [
  '<think>',
  'The user wants a recipe.',
  '</think>',
  'Here is the JSON:',
  '```json',
  '{',
  "  title: 'Pancakes',",
  '  "vegan": False,',
  '  "path": "C:\\Recipes\\pancakes.md",',
  '  "steps": ["mix", "fry",]  // two steps',
  '}',
  '```',
  'Enjoy!',
].join('\n');

const VALUE = { title: 'Pancakes', vegan: false, path: 'C:\\Recipes\\pancakes.md', steps: ['mix', 'fry'] };

/** An OpenAI chat stream whose content is `text`, in pieces of `size` characters. */
function openAiStream(text: string, size: number, finish = 'stop'): string {
  const events: string[] = [];
  for (let i = 0; i < text.length; i += size) {
    events.push(JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text.slice(i, i + size) }, finish_reason: null }] }));
  }
  events.push(JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }] }));
  return events.map((data) => `data: ${data}\n\n`).join('') + 'data: [DONE]\n\n';
}

describe('replay --lenient', () => {
  it('repairs a damaged answer and prints each repair like an error, with code, line and column', async () => {
    const result = await runCli(['replay', '-', '--speed', 'max', '--lenient'], { stdin: [DAMAGED] });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const warnings = parsePartial(DAMAGED, { lenient: lenient() }).warnings ?? [];
    expect(warnings.map((w) => w.code)).toStrictEqual([
      'reasoning-block',
      'leading-text',
      'code-fence',
      'unquoted-key',
      'single-quoted-string',
      'python-literal',
      'invalid-escape',
      'invalid-escape',
      'trailing-comma',
      'comment',
      'code-fence',
      'trailing-text',
    ]);
    const printed = result.stdout.split('\n').filter((line) => line.includes('output warning'));
    expect(printed).toHaveLength(warnings.length);
    warnings.forEach((warning, i) => {
      expect(printed[i]).toContain(`${warning.code} at line ${warning.line} column ${warning.column}: `);
    });
    expect(printed[3]).toContain('unquoted-key at line 7 column 3');
    expect(result.stdout).toContain(JSON.stringify(VALUE, null, 2));
    expect(result.stdout).toMatch(/repairs\s+12 \(reasoning-block, leading-text, code-fence, unquoted-key/);
  });

  it('--json: output-warning events, in stream order before the value they affect; the summary lists them', async () => {
    const result = await runCli(['replay', '-', '--speed', 'max', '--lenient', '--json'], { stdin: [...DAMAGED] });
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    const warnings = events.filter((e) => e['type'] === 'output-warning');
    const expected = parsePartial(DAMAGED, { lenient: lenient() }).warnings ?? [];
    expect(warnings.map(({ code, position, line, column, message }) => ({ code, position, line, column, message }))).toStrictEqual(
      expected.map(({ code, position, line, column, message }) => ({ code, position, line, column, message })),
    );
    // The trailing comma is reported before the delta that closes the array.
    const comma = events.findIndex((e) => e['type'] === 'output-warning' && e['code'] === 'trailing-comma');
    const complete = events.findIndex((e) => e['type'] === 'output-complete');
    expect(comma).toBeGreaterThan(0);
    expect(comma).toBeLessThan(complete);
    const summary = events.at(-1) as { status: string; outputs: Array<{ value: unknown; status: string; warnings: Array<{ code: string }> }> };
    expect(summary.status).toBe('complete');
    expect(summary.outputs[0]!.value).toStrictEqual(VALUE);
    expect(summary.outputs[0]!.warnings.map((w) => w.code)).toStrictEqual(expected.map((w) => w.code));
  });

  it('the live terminal view lists the latest repairs and the summary counts them', async () => {
    const result = await runCli(['replay', '-', '--speed', 'max', '--lenient', '--no-color'], { stdin: [DAMAGED], tty: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('── repairs (12)');
    expect(result.stdout).toContain('trailing-text at line 13 column 1: ');
    expect(result.stdout).toMatch(/repairs\s+12 \(/);
  });

  it('without --lenient the same answer is not JSON', async () => {
    const result = await runCli(['replay', '-', '--speed', 'max', '--provider', 'none'], { stdin: [DAMAGED] });
    expect(result.code).not.toBe(0);
  });

  it('a cut answer gives its best value with a truncated warning, and still exits 1', async () => {
    const text = '```json\n{"items": [{"name": "a"}, {"name": "b';
    const result = await runCli(['replay', '-', '--speed', 'max', '--lenient', '--json'], { stdin: [text] });
    expect(result.code).toBe(1);
    const events = ndjson(result.stdout);
    expect(events.filter((e) => e['type'] === 'output-warning').map((e) => e['code'])).toStrictEqual(['code-fence', 'truncated']);
    const summary = events.at(-1) as { status: string; outputs: Array<{ value: unknown; status: string }> };
    expect(summary.status).toBe('truncated');
    expect(summary.outputs[0]).toMatchObject({ status: 'truncated', value: { items: [{ name: 'a' }, { name: 'b' }] } });
    expect(result.stderr).toContain('truncated');
  });

  it('repairs the structured output of a provider stream (OpenAI chat SSE)', async () => {
    const result = await runCli(['replay', '-', '--speed', 'max', '--lenient', '--json'], { stdin: [openAiStream(DAMAGED, 5)] });
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    expect(events.filter((e) => e['type'] === 'output-warning')).toHaveLength(12);
    expect((events.at(-1) as { outputs: Array<{ value: unknown }> }).outputs[0]!.value).toStrictEqual(VALUE);
    // Strict: the same stream's answer is prose (it does not start like JSON).
    const strict = await runCli(['replay', '-', '--speed', 'max', '--json'], { stdin: [openAiStream(DAMAGED, 5)] });
    expect((ndjson(strict.stdout).at(-1) as { outputs: Array<{ kind: string }> }).outputs[0]!.kind).toBe('text');
  });

  it('an answer that is only prose stays prose (a text output, exit 0)', async () => {
    const result = await runCli(['replay', '-', '--speed', 'max', '--lenient', '--json'], { stdin: [openAiStream('Hello! How can I help?', 4)] });
    expect(result.code).toBe(0);
    const summary = ndjson(result.stdout).at(-1) as { status: string; outputs: Array<{ kind: string; text: string }> };
    expect(summary.status).toBe('complete');
    expect(summary.outputs[0]).toMatchObject({ kind: 'text', text: 'Hello! How can I help?' });
  });

  it('property: for random model damage and random chunks, the replayed value and warnings are those of parsePartial', async () => {
    await fc.assert(
      fc.asyncProperty(
        modelDamage().chain((sample) => fc.tuple(fc.constant(sample), fc.integer({ min: 1, max: 9 }))),
        async ([sample, size]) => {
          const chunks: string[] = [];
          for (let i = 0; i < sample.text.length; i += size) chunks.push(sample.text.slice(i, i + size));
          const result = await runCli(['replay', '-', '--speed', 'max', '--lenient', '--json', '--provider', 'none'], { stdin: chunks });
          const events = ndjson(result.stdout);
          expect(events.filter((e) => e['type'] === 'output-warning').map((e) => e['code'])).toStrictEqual(sample.warnings);
          const summary = events.at(-1) as { status: string; outputs: Array<{ value: unknown }> };
          // NDJSON carries the value as JSON text (-0 prints as 0, overflowed numbers as null).
          expect(deepEqualJson(summary.outputs[0]?.value, JSON.parse(JSON.stringify(sample.expected) ?? 'null'))).toBe(true);
          expect(summary.status).toBe(sample.damages.includes('truncation') ? 'truncated' : 'complete');
          expect(result.code).toBe(sample.damages.includes('truncation') ? 1 : 0);
        },
      ),
      { numRuns: runs(0.3) },
    );
  });

  it('is in the help, for replay and for check', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toContain('--lenient');
    expect(help.stdout.split('check options:')[1]).toContain('--lenient');
  });
});

describe('check --lenient (JSON Lines)', () => {
  it('repairs the records lenient mode can repair, prints each repair like an error, counts the rest as bad', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'streamshape-check-lenient-'));
    try {
      const path = join(dir, 'batch.jsonl');
      writeFileSync(path, '{"a": 1}\n{"a": 2,}\n{b: True}\nnot json at all\n');
      const strict = await runCli(['check', path]);
      expect(strict.code).toBe(1);
      expect(strict.stdout).toContain('4 records, 3 bad');
      const result = await runCli(['check', path, '--lenient']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`${path}:2:8: warning[trailing-comma]: `);
      expect(result.stdout).toContain(`${path}:3:2: warning[unquoted-key]: `);
      expect(result.stdout).toContain(`${path}:3:5: warning[python-literal]: `);
      expect(result.stdout).toContain(`${path}:4:2: `); // the line no repair covers: its strict error
      expect(result.stdout).toContain('4 records, 1 bad, 3 repairs');
      writeFileSync(path, '{"a": 1}\n{"a": 2,}\n');
      const repaired = await runCli(['check', path, '--lenient']);
      expect(repaired.code).toBe(0);
      expect(repaired.stdout).toContain('2 records, 0 bad, 1 repair');
      const json = join(dir, 'x.json');
      writeFileSync(json, '{"a": 1}');
      const refused = await runCli(['check', json, '--lenient']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--lenient with check repairs JSON Lines records only');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
