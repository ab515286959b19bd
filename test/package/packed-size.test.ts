/**
 * Tree-shaking on the package a user installs (issue 13 item 4): the packed tarball in a scratch
 * app, one import at a time, bundled by esbuild and by rollup (+ node-resolve, minified by
 * esbuild), measured after minify + gzip -9 against `size-budget.json`'s `packed` section.
 * Peers (zod) stay external: the app pays for them whether or not it uses streamshape.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { build, transform } from 'esbuild';
import { rollup } from 'rollup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, type PackedApp } from './packed.js';
import budgets from '../../size-budget.json' with { type: 'json' };

const budget = (budgets as unknown as { packed: Record<string, number> }).packed;
const peers = ['zod', /^zod\//, 'fast-check', 'eventsource-parser'];

/** Each measured app: one import as a user writes it (the package dir decides the subpath). */
const apps: Record<string, () => string> = {
  tokenizer: () => `export { createTokenizer } from 'streamshape';`,
  'partial-parser': () => `export { createPartialParser } from 'streamshape';`,
  // A zod schema followed while it streams: the parser and the zod guide (zod itself is a peer).
  'partial-parser+zod': () =>
    `import { createPartialParser, zodGuide } from 'streamshape';\nimport { z } from 'zod';\n` +
    `export const parser = createPartialParser({ schema: z.object({ name: z.string(), tags: z.array(z.string()) }), guide: zodGuide });`,
  jsonl: () => `export { createJsonlParser } from 'streamshape';`,
  'tool-calls': () => `export { assembleToolCalls, fromOpenAIChatCompletions } from 'streamshape/tool-calls';`,
};

const gzipped = (code: string) => gzipSync(code, { level: 9 }).length;

async function withEsbuild(dir: string, source: string): Promise<number> {
  const result = await build({
    stdin: { contents: source, resolveDir: dir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    external: ['zod', 'zod/*', 'fast-check', 'eventsource-parser'],
    logLevel: 'silent',
  });
  return gzipped(result.outputFiles[0]!.text);
}

async function withRollup(dir: string, name: string, source: string): Promise<number> {
  const input = join(dir, `${name}.mjs`);
  writeFileSync(input, source);
  const bundle = await rollup({ input, external: peers, plugins: [nodeResolve()], onwarn: () => {} });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const { code } = await transform(output[0].code, { minify: true, format: 'esm', loader: 'js' });
  return gzipped(code);
}

describe('packed package: single imports tree-shake (size-budget.json "packed")', () => {
  let app: PackedApp;
  beforeAll(async () => {
    app = await installPacked();
    if ('skipped' in app) console.warn(`[streamshape tests] packed-size test skipped: ${app.skipped}`);
  }, 900_000);
  afterAll(() => {
    if (app && 'dir' in app) rmSync(app.dir, { recursive: true, force: true });
  });

  for (const [name, source] of Object.entries(apps)) {
    it(`${name} stays within ${budget[name]} bytes (min+gzip) with esbuild and with rollup`, async (ctx) => {
      if ('skipped' in app) return ctx.skip(app.skipped);
      const code = source();
      const esbuilt = await withEsbuild(app.dir, code);
      const rolled = await withRollup(app.dir, name, code);
      console.info(`[size] packed ${name}: esbuild ${esbuilt} B, rollup ${rolled} B (budget ${budget[name]})`);
      expect(esbuilt).toBeLessThanOrEqual(budget[name]!);
      expect(rolled).toBeLessThanOrEqual(budget[name]!);
    });
  }

  it('a provider adapter alone carries the tokenizer, not the partial parser', async (ctx) => {
    if ('skipped' in app) return ctx.skip(app.skipped);
    const adapter = await withEsbuild(app.dir, `export { fromOpenAIChatCompletions } from 'streamshape/tool-calls';`);
    const parser = await withEsbuild(app.dir, apps['partial-parser']!());
    console.info(`[size] packed fromOpenAIChatCompletions alone: esbuild ${adapter} B (partial parser alone ${parser} B)`);
    expect(adapter).toBeLessThan(parser);
  });

  it('the whole main entry is larger than any single import (the build is not one monolith)', async (ctx) => {
    if ('skipped' in app) return ctx.skip(app.skipped);
    const all = await withEsbuild(app.dir, `export * from 'streamshape';`);
    const tokenizer = await withEsbuild(app.dir, apps['tokenizer']!());
    console.info(`[size] packed main entry (everything): esbuild ${all} B`);
    expect(tokenizer * 2).toBeLessThan(all);
  });
});
