/**
 * Entry point of the `streamshape` bin (built to dist/cli/main.js with a shebang):
 *
 * ```sh
 * streamshape replay recorded.sse            # replay a recorded stream at a realistic pace
 * curl -N … | streamshape replay -           # watch a live stream
 * streamshape replay --demo                  # the built-in demo
 * streamshape check results.jsonl --schema ./schema.ts#Recipe
 * ```
 *
 * See {@link run} for the exit statuses.
 * @module
 */
import { SHOW_CURSOR } from './render.js';
import { run } from './run.js';

process.on('SIGINT', () => {
  if (process.stdout.isTTY) process.stdout.write(SHOW_CURSOR + '\n');
  process.exit(130);
});
// A closed pipe (`streamshape replay x --json | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
