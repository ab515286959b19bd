/**
 * The package as a user installs it, used from several entries at once. An error raised in one
 * entry's code and caught next to another entry's import must still be `instanceof` the class
 * that entry exports: `ToolCallError`'s `cause` is the core's `ParseError` or
 * `SchemaValidationError`, and users test it with the classes from `streamshape`. Each entry is
 * checked from ESM (`import`) and from CommonJS (`require`).
 */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, root, type PackedApp } from './packed.js';

const run = promisify(execFile);

/** A script that prints, as JSON, what a user would check about tool-call errors' causes. */
function script(load: (specifier: string) => string): string {
  return `
const main = ${load('streamshape')};
const tc = ${load('streamshape/tool-calls')};
const { z } = ${load('zod')};
const seen = {};
for (const [label, args] of [['json', '{"q":tx'], ['schema', '{"q":1}']]) {
  const assembler = tc.createToolCallAssembler({ tools: { f: z.object({ q: z.string() }) }, guide: main.zodGuide });
  try {
    assembler.push({ type: 'tool-call-start', id: 'c1', name: 'f', index: 0 });
    assembler.push({ type: 'tool-call-delta', id: 'c1', delta: args });
    assembler.push({ type: 'tool-call-end', id: 'c1' });
    assembler.end();
    seen[label] = 'no error';
  } catch (error) {
    seen[label] = {
      toolCallError: error instanceof tc.ToolCallError,
      parseError: error.cause instanceof main.ParseError,
      schemaError: error.cause instanceof main.SchemaValidationError,
    };
  }
}
console.log(JSON.stringify(seen));
`;
}

const expected = {
  json: { toolCallError: true, parseError: true, schemaError: false },
  schema: { toolCallError: true, parseError: false, schemaError: true },
};

describe('packed package: classes are shared between entries', () => {
  let app: PackedApp;
  beforeAll(async () => {
    app = await installPacked();
    if ('skipped' in app) console.warn(`[streamshape tests] packed-entries test skipped: ${app.skipped}`);
  }, 900_000);
  afterAll(() => {
    if (app && 'dir' in app) rmSync(app.dir, { recursive: true, force: true });
  });

  it('ESM: a tool-call error\'s cause is instanceof the main entry\'s error classes', async (ctx) => {
    if ('skipped' in app) return ctx.skip(app.skipped);
    const file = join(app.dir, 'classes.mjs');
    writeFileSync(file, script((specifier) => `await import('${specifier}')`));
    const { stdout } = await run(process.execPath, [file], { cwd: app.dir });
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it('CommonJS: the same through require (one copy of the core for every entry)', async (ctx) => {
    if ('skipped' in app) return ctx.skip(app.skipped);
    const file = join(app.dir, 'classes.cjs');
    writeFileSync(file, script((specifier) => `require('${specifier}')`));
    const { stdout } = await run(process.execPath, [file], { cwd: app.dir });
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it('plug-ins cross builds: lenient() and pointers() from ESM work in the CommonJS parser and back', async (ctx) => {
    if ('skipped' in app) return ctx.skip(app.skipped);
    const file = join(app.dir, 'plugins.mjs');
    writeFileSync(
      file,
      `import { createRequire } from 'node:module';
import * as esm from 'streamshape';
const cjs = createRequire(import.meta.url)('streamshape');
const out = [];
for (const [make, use] of [[esm, cjs], [cjs, esm]]) {
  const parser = use.createPartialParser({ lenient: make.lenient() });
  parser.write('Sure: {"a": [1, 2,],}');
  out.push(parser.end());
  // select's run fast path (one write) and token path (split), and typewriter text.
  const got = [];
  const list = use.createPartialParser({ select: make.pointers('/items/*'), keep: false, onElement: (v, p) => got.push([p, v]), text: make.pointers('/items/*/t'), onText: (d, p) => got.push([p, d]) });
  for (const chunk of ['{"items": [{"n": 1}, {"n": 2}, {"t": "a', 'b"}, {"n": 3}]}']) list.write(chunk);
  out.push(list.end(), got);
}
console.log(JSON.stringify(out));
`,
    );
    const { stdout } = await run(process.execPath, [file], { cwd: app.dir });
    const elements = [['/items/0', { n: 1 }], ['/items/1', { n: 2 }], ['/items/2/t', 'a'], ['/items/2/t', 'b'], ['/items/2/t', ''], ['/items/2', { t: 'ab' }], ['/items/3', { n: 3 }]];
    const each = [{ a: [1, 2] }, { items: [] }, elements];
    expect(JSON.parse(stdout)).toEqual([...each, ...each]);
  });

  it('plug-ins type-check across entries under every TypeScript moduleResolution (node10 included)', async (ctx) => {
    if ('skipped' in app) return ctx.skip(app.skipped);
    // Under node10 the root resolves through "types" and a subpath through its folder stub: both
    // must land in the same declaration files, or each declares its own plug-in symbol and
    // pointers() / lenient() from 'streamshape' are rejected by 'streamshape/tool-calls'.
    const file = join(app.dir, 'plugins-types.ts');
    writeFileSync(
      file,
      `import { lenient, pointers, type PointerPatterns } from 'streamshape';
import { createToolCallAssembler } from 'streamshape/tool-calls';
const text: PointerPatterns = pointers('/content');
createToolCallAssembler({ text, onText: () => {}, output: { lenient: lenient() } });
// @ts-expect-error the string array of earlier versions
createToolCallAssembler({ text: ['/content'], onText: () => {} });
`,
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const flags of [
      ['--module', 'commonjs', '--moduleResolution', 'node10', '--ignoreDeprecations', '6.0'],
      ['--module', 'nodenext', '--moduleResolution', 'nodenext'],
      ['--module', 'esnext', '--moduleResolution', 'bundler'],
    ]) {
      const result = await run(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', ...flags, file], { cwd: app.dir }).then(
        () => 'ok',
        (error: { stdout?: string }) => error.stdout ?? String(error),
      );
      expect(result, flags.join(' ')).toBe('ok');
    }
  });

  // The scratch app has zod and eventsource-parser but neither react nor fast-check: their
  // entries fail when (and only when) imported, naming the missing peer.
  const probe = (load: (specifier: string) => string) => `
const results = {};
for (const specifier of ['streamshape', 'streamshape/tool-calls', 'streamshape/forward', 'streamshape/react', 'streamshape/testing']) {
  try { const entry = ${load('specifier')}; results[specifier] = Object.keys(entry).length > 0 ? 'ok' : 'empty'; }
  catch (error) { results[specifier] = (/'(react|fast-check)'/.exec(error.message) || ['', 'other: ' + error.message])[1]; }
}
console.log(JSON.stringify(results));
`;
  const peersExpected = {
    streamshape: 'ok',
    'streamshape/tool-calls': 'ok',
    'streamshape/forward': 'ok',
    'streamshape/react': 'react',
    'streamshape/testing': 'fast-check',
  };

  it('optional peers: without react or fast-check, only their entries fail (ESM and CommonJS)', async (ctx) => {
    if ('skipped' in app) return ctx.skip(app.skipped);
    const esm = join(app.dir, 'peers.mjs');
    writeFileSync(esm, probe((name) => `await import(${name})`));
    expect(JSON.parse((await run(process.execPath, [esm], { cwd: app.dir })).stdout)).toEqual(peersExpected);
    const cjs = join(app.dir, 'peers.cjs');
    writeFileSync(cjs, `(async () => {${probe((name) => `require(${name})`)}})();`);
    expect(JSON.parse((await run(process.execPath, [cjs], { cwd: app.dir })).stdout)).toEqual(peersExpected);
  });
});
