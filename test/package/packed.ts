/**
 * The package as a user installs it: `npm pack` of the built package, extracted into
 * `node_modules/streamshape` of a scratch app in a temporary folder (no registry, no network).
 * Peers the scratch app needs (zod, eventsource-parser) are linked from this repository's node_modules, as if the app
 * had installed them itself.
 *
 * Builds first when `dist/` is missing or older than a source file, so a test run right after an
 * edit measures the edit. Test files that call this may run in parallel workers: a lock folder
 * keeps one build and one pack at a time.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (absolute path, trailing separator). */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/** A scratch app with the packed package installed, or why there is none. */
export type PackedApp = { dir: string; packageDir: string; tarball: string } | { skipped: string };

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** True when every built file the exports map names exists and is newer than every input. */
function distIsFresh(): boolean {
  const outputs = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/testing/index.js', 'dist/testing/index.d.ts'];
  if (!outputs.every((file) => existsSync(join(root, file)))) return false;
  const built = Math.min(...outputs.map((file) => statSync(join(root, file)).mtimeMs));
  const inputs = Math.max(...['src', 'tsup.config.ts', 'mangle.config.ts', 'package.json'].map((input) => newestMtime(join(root, input))));
  return built >= inputs;
}

async function withLock<T>(body: () => Promise<T>): Promise<T> {
  const lock = join(root, 'node_modules', '.streamshape-pack.lock');
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a killed run: older than any build takes.
      if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds if needed, packs, and installs the tarball into a new scratch app.
 * Returns `{ skipped }` with the reason when the package cannot be built or packed here.
 */
export async function installPacked(): Promise<PackedApp> {
  return withLock(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamshape-app-'));
    try {
      if (!distIsFresh()) {
        await run(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js'), '--silent'], { cwd: root, timeout: 600_000 });
      }
      const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: root, timeout: 120_000 });
      const [info] = JSON.parse(stdout) as { filename: string }[];
      const tarball = join(dir, info!.filename);
      const packageDir = join(dir, 'node_modules', 'streamshape');
      mkdirSync(packageDir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
      await run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
      for (const peer of ['zod', 'eventsource-parser']) {
        symlinkSync(join(root, 'node_modules', peer), join(dir, 'node_modules', peer), 'dir');
      }
      return { dir, packageDir, tarball };
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      return { skipped: `the package could not be built or packed here (${(error as Error).message.split('\n')[0]})` };
    }
  });
}

