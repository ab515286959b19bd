/**
 * The README's Size table says what test/package/packed-size.test.ts measures: each row's numbers
 * (KB = 1000 bytes, one decimal) lie between its `size-budget.json` "packed" budget and that
 * budget less 700 B (a budget is the measurement rounded up to 100 B, the README's figure is
 * rounded to 100 B). A budget changed without the README, or the reverse, fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import budgets from '../../size-budget.json' with { type: 'json' };

const packed = (budgets as unknown as { packed: Record<string, number> }).packed;
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('\n## Size\n'), readme.indexOf('\n## ', readme.indexOf('\n## Size\n') + 1));

/** README row (its first cell starts with this) → budget key. */
const rows: Record<string, string> = {
  '`createTokenizer`': 'tokenizer',
  '`createPartialParser` (no schema': 'partial-parser',
  '`createPartialParser` + `zodGuide`': 'partial-parser+zod',
  '`createJsonlParser`': 'jsonl',
  '`assembleToolCalls` + `fromOpenAIChatCompletions`': 'tool-calls',
};

describe("README's Size section matches size-budget.json", () => {
  for (const [start, key] of Object.entries(rows)) {
    it(`${key}`, () => {
      const line = section.split('\n').find((l) => l.startsWith(`| ${start}`));
      expect(line, `a Size row starting with ${start}`).toBeDefined();
      const numbers = [...line!.matchAll(/\| ([\d.]+) KB/g)].map((m) => Math.round(Number(m[1]) * 1000));
      expect(numbers.length).toBeGreaterThan(0);
      for (const bytes of numbers) {
        expect(bytes).toBeLessThanOrEqual(packed[key]!);
        expect(bytes).toBeGreaterThanOrEqual(packed[key]! - 700);
      }
    });
  }
});
