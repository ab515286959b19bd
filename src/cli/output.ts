/**
 * Terminal-safe output: {@link printable} text (no raw control characters), and writing to
 * stdout without unbounded buffering: when a write reports a full buffer (a slow
 * reader such as `| wc` on a busy machine, or a pager), the command waits for `drain` before
 * writing more, so memory stays bounded and Node never fails a write with `ENOBUFS`. A closed
 * reader (`| head`) is handled by the entry point (main.ts): it ends the process quietly.
 * @module
 */
import type { Output } from './render.js';

/** What {@link drained} needs of a Node writable (process.stdout has it; test sinks need not). */
interface Drainable {
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
  writableNeedDrain?: boolean;
  destroyed?: boolean;
}

function drainable(out: Output): out is Output & Drainable {
  const candidate = out as Partial<Drainable>;
  return typeof candidate.once === 'function' && typeof candidate.removeListener === 'function';
}

/**
 * Resolves once `out` can take more: at once for an output without backpressure (a test's
 * buffer) or one that does not need draining; else at its `drain`, or at its `close` / `error`
 * (a reader that went away: nothing more will drain, and the entry point ends the process).
 */
export function drained(out: Output): Promise<void> {
  if (!drainable(out) || out.writableNeedDrain === false || out.destroyed === true) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      out.removeListener('drain', done);
      out.removeListener('close', done);
      out.removeListener('error', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
    out.once('error', done);
  });
}

/** C0 controls but tab and line feed, DEL, and the C1 controls (U+0080..U+009F, which some terminals read as escape sequences). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * `text` safe to print on a terminal: each control character becomes one visible character (a
 * control picture such as `␀` for C0 and DEL, U+FFFD for C1), so offsets in the text (the caret)
 * stay right and raw bytes never reach the terminal.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\ufffd';
  });
}
