import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/run.js';
import type { CliIo } from '../../src/cli/replay.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const mainTs = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A writable that collects text, with TTY traits when asked. */
export function sink(tty = false): { write(text: string): boolean; text: string; isTTY: boolean; columns: number; rows: number } {
  return {
    text: '',
    isTTY: tty,
    columns: 100,
    rows: 40,
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

/** Runs the command in-process. */
export async function runCli(
  argv: string[],
  options: { stdin?: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>; tty?: boolean; cwd?: string } = {},
): Promise<RunResult> {
  const stdout = sink(options.tty ?? false);
  const stderr = sink(false);
  const io: CliIo = { stdout, stderr, stdin: options.stdin ?? [], env: {}, cwd: options.cwd ?? repoRoot };
  const code = await run(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs the command as a child process through tsx (no dist/ needed). */
export function spawnCli(argv: string[], input?: string | Uint8Array): RunResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', mainTs, ...argv], {
    cwd: repoRoot,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 30_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The NDJSON lines of a `--json` run. */
export function ndjson(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
