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
/**
 * Output that cannot be written is not a crash: a reader that went away (`… | head`: `EPIPE`), a
 * pipe the system will not buffer more for (`ENOBUFS`), or any other write failure ends the
 * process quietly with the status it had so far (0 when nothing failed yet). The replay and
 * check loops wait for `drain` (output.ts), so a slow reader (`| wc`) never fills memory.
 */
function quietExit(): void {
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
}
process.stdout.on('error', quietExit);
// stderr too (`2>&1 | head`): a failed diagnostic must not become an uncaught exception.
process.stderr.on('error', quietExit);

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
