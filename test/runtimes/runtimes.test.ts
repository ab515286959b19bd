/**
 * Runs where users run it (issue 13 item 8): `smoke.mjs` (README examples and a recorded-style
 * OpenAI chat stream through the tool-call assembler) against the packed package in a scratch
 * app, on Node, Bun and Deno. Bun and Deno come from the npm packages `bun` and `deno` (dev
 * dependencies; their binaries ship in platform packages, no install script needed). A runtime
 * whose binary is absent or does not start here is skipped with a visible message.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, root, type PackedApp } from '../package/packed.js';

const run = promisify(execFile);

/** The first candidate binary that starts (`--version`), or undefined. */
function findBinary(candidates: string[]): string | undefined {
  for (const candidate of candidates) {
    if (candidate.includes('/') && !existsSync(candidate)) continue;
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore', timeout: 30_000 });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

const modules = join(root, 'node_modules');
const runtimes: { name: string; binary: string | undefined; args: string[] }[] = [
  { name: 'node', binary: process.execPath, args: ['smoke.mjs'] },
  {
    name: 'bun',
    binary: findBinary([join(modules, '.bin/bun'), join(modules, 'bun/bin/bun.exe'), join(modules, '@oven/bun-linux-x64/bin/bun'), 'bun']),
    args: ['smoke.mjs'],
  },
  {
    name: 'deno',
    binary: findBinary([join(modules, '.bin/deno'), join(modules, '@deno/linux-x64-glibc/deno'), 'deno']),
    // The scratch app's node_modules as it is: no download, no lockfile.
    args: ['run', '--node-modules-dir=manual', '--cached-only', '--no-lock', '-A', 'smoke.mjs'],
  },
];

describe('smoke suite on Node, Bun and Deno (packed package)', () => {
  let app: PackedApp;
  beforeAll(async () => {
    app = await installPacked();
    if ('skipped' in app) console.warn(`[streamshape tests] runtime smoke suites skipped: ${app.skipped}`);
    else copyFileSync(join(root, 'test/runtimes/smoke.mjs'), join(app.dir, 'smoke.mjs'));
  }, 900_000);
  afterAll(() => {
    if (app && 'dir' in app) rmSync(app.dir, { recursive: true, force: true });
  });

  for (const { name, binary, args } of runtimes) {
    if (binary === undefined) {
      console.warn(`[streamshape tests] no working ${name} binary (npm package "${name}"): its smoke suite is skipped`);
    }
    it.skipIf(binary === undefined)(`${name}: README examples and an OpenAI chat tool-call replay`, async (ctx) => {
      if ('skipped' in app) return ctx.skip(app.skipped);
      const { stdout } = await run(binary!, args, {
        cwd: app.dir,
        timeout: 120_000,
        env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
      });
      console.info(stdout.trim().split('\n').at(-1));
      expect(stdout).toMatch(/^smoke \(.+\): \d+ passed, 0 failed$/m);
    });
  }
});
