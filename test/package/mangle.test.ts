/**
 * Property mangling of the published build (mangle.config.ts, issue 13 item 4): internal names
 * end in `_` and the build renames them. What would break users is a renamed name they can see or
 * send: one in a public type, one that a quoted key or serialization reaches, a short name that is
 * also a real property, or one that maps differently in the ESM and the CommonJS build (their
 * objects meet). packed-entries.test.ts and the packed size tests run the mangled build itself.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { libraryModules, MANGLE_PROPS, mangleCache, propertyNames } from '../../mangle.config.js';
import { installPacked, root, type PackedApp } from './packed.js';

const run = promisify(execFile);
const names = propertyNames();
const cache = mangleCache(names);

/** Every file under `dir` whose name matches `pattern`. */
function filesUnder(dir: string, pattern: RegExp): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((file) => pattern.test(file)).map((file) => join(dir, file));
}

/** The identifiers of `text` (a module, parsed: comments, strings and regular expressions skipped). */
function identifiers(text: string, name = 'module.ts'): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) out.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true));
  return out;
}

describe('property mangling (mangle.config.ts)', () => {
  it('finds the internal names (self-test: the hottest of the tokenizer and the parser are there)', () => {
    for (const name of ['offset_', 'state_', 'strBuf_', 'frames_', 'stringAtomic_', 'repairValue_']) expect(cache).toHaveProperty(name);
    expect(MANGLE_PROPS.test('__proto__')).toBe(false);
  });

  it('gives each internal name its own short name, none of them a property name or string of the library', () => {
    const shorts = Object.values(cache);
    expect(new Set(shorts).size).toBe(shorts.length);
    for (const short of shorts) {
      expect(names.kept.has(short), short).toBe(false);
      expect(names.strings.has(short), short).toBe(false);
      expect(short in Object.prototype || short in Array.prototype || short in Function.prototype, short).toBe(false);
    }
  });

  it('no string of the library names an internal property (esbuild leaves strings alone)', () => {
    expect([...names.strings].filter((text) => Object.hasOwn(cache, text))).toEqual([]);
  });

  it('is deterministic and complete: esbuild, given the cache, adds no name of its own', async () => {
    expect(mangleCache()).toEqual(cache);
    const result = await build({
      absWorkingDir: root,
      entryPoints: libraryModules(),
      bundle: false,
      write: false,
      outdir: 'mangle-check',
      format: 'esm',
      mangleProps: MANGLE_PROPS,
      mangleCache: { ...cache },
      logLevel: 'silent',
    });
    expect(result.mangleCache).toEqual(cache);
  });

  it('the scanner sees identifiers only (self-test)', () => {
    expect(identifiers('/** `offset_` */ const a = { b: "c_" }; a.d_ = /[e_]/;')).toEqual(['a', 'b', 'a', 'd_']);
  });
});

describe('property mangling of the packed package', () => {
  let app: PackedApp;
  beforeAll(async () => {
    app = await installPacked();
    if ('skipped' in app) console.warn(`[streamshape tests] mangle test skipped: ${app.skipped}`);
  }, 900_000);
  afterAll(() => {
    if (app && 'dir' in app) rmSync(app.dir, { recursive: true, force: true });
  });

  it('no declaration file names an internal property (users see only public names)', (ctx) => {
    if ('skipped' in app) return ctx.skip(app.skipped);
    const declarations = filesUnder(join(app.packageDir, 'dist'), /\.d\.c?ts$/);
    expect(declarations.length).toBeGreaterThan(4);
    for (const file of declarations) {
      expect(identifiers(readFileSync(file, 'utf8'), file).filter((name) => MANGLE_PROPS.test(name)), file).toEqual([]);
    }
  });

  it('every internal name is renamed in both builds, ESM and CommonJS', (ctx) => {
    if ('skipped' in app) return ctx.skip(app.skipped);
    const code = filesUnder(join(app.packageDir, 'dist'), /\.c?js$/).filter((file) => !file.includes(`${join('dist', 'cli')}`));
    expect(code.some((file) => file.endsWith('.cjs'))).toBe(true);
    expect(code.some((file) => file.endsWith('.js'))).toBe(true);
    for (const file of code) {
      expect(identifiers(readFileSync(file, 'utf8'), file).filter((name) => MANGLE_PROPS.test(name)), file).toEqual([]);
    }
    // The tokenizer's hottest field has the same short name in both builds.
    const short = cache['offset_']!;
    const esm = readFileSync(join(app.packageDir, 'dist/json/tokenizer.js'), 'utf8');
    const cjs = filesUnder(join(app.packageDir, 'dist'), /\.cjs$/).map((file) => readFileSync(file, 'utf8')).join('\n');
    const use = new RegExp(`this\\.${short.replace('$', '\\$')}\\b`);
    expect(esm).toMatch(use);
    expect(cjs).toMatch(use);
  });

  it('a mangled name reached across builds maps alike: string-as-json, with lenient() from one build in the parser of the other', async (ctx) => {
    if ('skipped' in app) return ctx.skip(app.skipped);
    // The parser asks its (lenient) tokenizer for the string-as-json repair by an internal method
    // name: with lenient() from the other build, a name mapped differently would find nothing, and
    // the string would stay a string.
    const file = join(app.dir, 'mangled-across.mjs');
    writeFileSync(
      file,
      `import { createRequire } from 'node:module';
import * as esm from 'streamshape';
import { z } from 'zod';
const cjs = createRequire(import.meta.url)('streamshape');
const schema = z.object({ args: z.object({ a: z.number() }) });
const out = [];
for (const [make, use] of [[esm, cjs], [cjs, esm]]) {
  const parser = use.createPartialParser({ schema, guide: use.zodGuide, lenient: make.lenient() });
  parser.write('{"args": "{\\\\"a\\\\": 1}"}');
  out.push([parser.end(), parser.warnings.map((w) => w.code)]);
}
console.log(JSON.stringify(out));
`,
    );
    const { stdout } = await run(process.execPath, [file], { cwd: app.dir });
    const parsed = [{ args: { a: 1 } }, ['string-as-json']];
    expect(JSON.parse(stdout)).toEqual([parsed, parsed]);
  });
});
