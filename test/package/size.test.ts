import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { MANGLE_PROPS, mangleCache } from '../../mangle.config.js';

const budget = JSON.parse(readFileSync(new URL('../../size-budget.json', import.meta.url), 'utf8')) as Record<string, number>;
const root = new URL('../../', import.meta.url).pathname;
// The published build renames internal properties (mangle.config.ts); measure the same names.
const cache = mangleCache();

/**
 * Minified, gzipped size of a bundle of `source` (peers external), and its text, with internal
 * property names shortened as in the published build.
 */
async function measure(source: string): Promise<{ bytes: number; code: string }> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    external: ['zod', 'zod/*', 'fast-check', 'eventsource-parser'],
    mangleProps: MANGLE_PROPS,
    mangleCache: { ...cache },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return { bytes: gzipSync(code, { level: 9 }).length, code };
}

const bundles: Record<string, string> = {
  main: `export * from './src/index.ts';`,
  'partial-parser': `export { createPartialParser, parsePartial, applyDelta, ParseError } from './src/index.ts';`,
  'partial-parser+zod': `export { createPartialParser, zodGuide } from './src/index.ts';`,
  'tool-calls': `export { createToolCallAssembler, fromOpenAIChatCompletions, fromAnthropicMessages } from './src/tool-calls/index.ts';`,
  forward: `export * from './src/forward/index.ts';`,
  testing: `export * from './src/testing/index.ts';`,
};

describe('bundle size budgets (size-budget.json)', () => {
  for (const [name, source] of Object.entries(bundles)) {
    it(`${name} stays within ${budget[name]} bytes minified + gzipped`, async () => {
      const { bytes } = await measure(source);
      console.info(`[size] ${name}: ${bytes} bytes (budget ${budget[name]})`);
      expect(bytes).toBeLessThanOrEqual(budget[name]!);
    });
  }

  it('the core parser carries no schema layer: the zod guide comes only with zodGuide', async () => {
    const { code } = await measure(`export { createPartialParser } from './src/index.ts';`);
    expect(code).not.toMatch(/MAX_PAIRS|candidates|string_format/);
  });

  it('strict apps carry no lenient repairs: they come only with lenient() (issue 13 item 4)', async () => {
    // A repair message and a lenient-only state's code stand for the whole of src/json/lenient.ts.
    const repairs = /markdown code fence|block before the JSON value|Trailing comma before/;
    for (const source of [
      `export { createTokenizer } from './src/index.ts';`,
      `export { createPartialParser, parsePartial } from './src/index.ts';`,
      `export { createJsonlParser, parseStream } from './src/index.ts';`,
      `export { assembleToolCalls, fromOpenAIChatCompletions } from './src/tool-calls/index.ts';`,
    ]) {
      expect((await measure(source)).code).not.toMatch(repairs);
    }
    expect((await measure(`export { createTokenizer, lenient } from './src/index.ts';`)).code).toMatch(repairs);
  });

  it('parsers that do not select carry no pattern matching: it comes only with pointers() (issue 13 item 4)', async () => {
    // PatternSet's limit message stands for src/partial/select.ts (the watch, runs, delivery).
    const matching = /pointer patterns \(select and text together\)/;
    for (const source of [
      `export { createPartialParser, parsePartial, lenient, zodGuide } from './src/index.ts';`,
      `export { createJsonlParser } from './src/index.ts';`,
      `export { assembleToolCalls, fromOpenAIChatCompletions } from './src/tool-calls/index.ts';`,
    ]) {
      expect((await measure(source)).code).not.toMatch(matching);
    }
    expect((await measure(`export { createPartialParser, pointers } from './src/index.ts';`)).code).toMatch(matching);
  });

  it("createTokenizer carries no JSON.parse fast path: only the library's own tokenizers take containers whole (issue 13 item 4)", async () => {
    // The fast path's step reads the handler's SKIPPED / SKIPPED_RUN symbols: their descriptions stand for it.
    const fastPath = /streamshape\.skipped/;
    expect((await measure(`export { createTokenizer } from './src/index.ts';`)).code).not.toMatch(fastPath);
    expect((await measure(`export { createTokenizer, lenient } from './src/index.ts';`)).code).not.toMatch(fastPath);
    expect((await measure(`export { createPartialParser } from './src/index.ts';`)).code).toMatch(fastPath);
  });

  it('the main entry contains nothing of streamshape/testing and needs no peer at load time', async () => {
    const { code } = await measure(`export * from './src/index.ts';`);
    expect(code).not.toMatch(/from\s*["']fast-check["']/);
    expect(code).not.toMatch(/from\s*["']zod(\/[^"']*)?["']/);
    expect(code).not.toMatch(/from\s*["']eventsource-parser["']/);
  });
});
