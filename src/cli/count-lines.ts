/**
 * The rest of a JSON Lines file once `check` has listed all the bad records it will show
 * (`--max-errors`): every later record still has to be parsed and counted, but no longer
 * positioned. Positioning a bad record (the JSONL parser re-runs the tokenizer over it to find
 * the exact column) costs several times its `JSON.parse`; counting costs just the
 * `JSON.parse`, so a file of bad records checks at about the speed of split + `JSON.parse`.
 *
 * Records are what `createJsonlParser` in `lines` mode takes them to be: lines ending at `\n`
 * (a `\r` before it is JSON whitespace), blank lines skipped, a line that is not UTF-8 bad.
 * @module
 */
import { fatalDecoder } from '../json/utf8.js';

/** Receives each record: its value, or `bad`. */
export interface LineSink {
  value(value: unknown): void;
  bad(): void;
}

/** A line counter made by {@link createLineCounter}: bytes in, records out. */
export interface LineCounter {
  write(chunk: Uint8Array): void;
  end(): void;
  /** Records seen (blank lines not counted). */
  readonly records: number;
}

const BLANK = /^[ \t\r]*$/;
const NEWLINE = 0x0a;

/** Counts JSON Lines records from bytes that start at the beginning of a line. */
export function createLineCounter(sink: LineSink): LineCounter {
  const decoder = fatalDecoder();
  let held: Uint8Array | undefined; // bytes of a line not yet ended
  let records = 0;

  const line = (text: string): void => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (BLANK.test(text)) return;
      records++;
      sink.bad();
      return;
    }
    records++;
    sink.value(value);
  };

  /** Complete lines (each ending at a `\n`, the last one at the end of `bytes` when `last`). */
  const region = (bytes: Uint8Array, last: boolean): void => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      // Some line is not UTF-8: decode line by line so only that line is bad.
      let start = 0;
      while (start < bytes.length) {
        let end = bytes.indexOf(NEWLINE, start);
        if (end === -1) end = bytes.length;
        let lineText: string | undefined;
        try {
          lineText = decoder.decode(bytes.subarray(start, end));
        } catch {
          lineText = undefined;
        }
        if (lineText === undefined) {
          records++;
          sink.bad();
        } else line(lineText);
        start = end + 1;
        if (end === bytes.length) break;
      }
      return;
    }
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end === -1) {
        if (last && start < text.length) line(text.slice(start));
        return;
      }
      line(text.slice(start, end));
      start = end + 1;
    }
  };

  return {
    write(chunk) {
      const cut = chunk.lastIndexOf(NEWLINE);
      if (cut === -1) {
        held = held === undefined ? chunk.slice() : concat(held, chunk);
        return;
      }
      const head = chunk.subarray(0, cut + 1);
      region(held === undefined ? head : concat(held, head), false);
      held = cut + 1 < chunk.length ? chunk.slice(cut + 1) : undefined;
    },
    end() {
      if (held !== undefined) region(held, true);
      held = undefined;
    },
    get records() {
      return records;
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
