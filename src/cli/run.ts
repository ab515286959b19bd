/**
 * The `streamshape` command as a function: `run(argv, io)` returns the exit status, so tests
 * call it in-process. Usage problems become `streamshape: <message>` on stderr and status 2,
 * never a stack trace.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseCommandLine, USAGE, UsageError } from './args.js';
import { runCheck } from './check.js';
import { type CliIo, runReplay } from './replay.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Runs the command line `argv` (without `node` and the script name).
 * @returns the exit status: 0 success, 1 truncated/invalid stream or bad records, 2 bad usage.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCommandLine(argv, io.env);
    switch (args.command) {
      case 'help':
        io.stdout.write(USAGE + '\n');
        return 0;
      case 'version':
        io.stdout.write(version() + '\n');
        return 0;
      case 'replay':
        return await runReplay(args, io);
      case 'check':
        return await runCheck(args, io);
      default: {
        const exhaustive: never = args;
        return exhaustive;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`streamshape: ${error.message}\n`);
      return 2;
    }
    // An unexpected failure is a bug: say so in one line (set STREAMSHAPE_DEBUG=1 for the stack).
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    io.stderr.write(`streamshape: internal error: ${message}\n`);
    if (io.env['STREAMSHAPE_DEBUG'] !== undefined && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`);
    return 2;
  }
}
