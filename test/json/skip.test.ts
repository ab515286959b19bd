import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/json/errors.js';
import { createValueSkipper } from '../../src/json/skip.js';
import { createRecordTokenizer, type TokenHandler } from '../../src/json/tokenizer.js';

const noop = (): void => {};
const tokens = (out: unknown[]): TokenHandler => ({
  startString: () => out.push(''),
  stringPart: (text) => out.push(`${out.pop() as string}${text}`),
  endString: noop,
  startObject: () => out.push('{'),
  endObject: () => out.push('}'),
  startArray: () => out.push('['),
  endArray: () => out.push(']'),
  key: (k) => out.push(`key:${k}`),
  string: (s) => out.push(s),
  number: (n) => out.push(n),
  literal: (v) => out.push(v),
});

/**
 * Writes `text` as a stream of records at `depth`, resynchronising after each error with the
 * skipper and `resume`, as JSON Lines does; returns the tokens, and each error with where its
 * bad value ends.
 */
function readRecords(text: string, depth: 0 | 1, chunk = text.length): { out: unknown[]; errors: [number, number][] } {
  const out: unknown[] = [];
  const errors: [number, number][] = [];
  const tokenizer = createRecordTokenizer(tokens(out), { multiple: depth === 0 });
  let skipper: ReturnType<typeof createValueSkipper> | undefined;
  let lines = 1;
  let lineStart = 0;
  for (let base = 0; base < text.length; base += chunk) {
    const s = text.slice(base, base + chunk);
    for (let from = 0; from < s.length; ) {
      if (skipper !== undefined) {
        const end = skipper.scan(s, from);
        if (end < 0) break;
        skipper = undefined;
        for (let k = text.indexOf('\n', lineStart); k >= 0 && k < base + end; k = text.indexOf('\n', k + 1)) {
          lines++;
          lineStart = k + 1;
        }
        errors[errors.length - 1]![1] = base + end;
        tokenizer.resume(depth, base + end, lines, lineStart);
        from = end;
        continue;
      }
      try {
        tokenizer.write(from === 0 ? s : s.slice(from));
        break;
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        errors.push([error.position, -1]);
        skipper = createValueSkipper(tokenizer, depth, error.code);
        from = error.position - base;
      }
    }
  }
  return { out, errors };
}

describe('createValueSkipper with RecordTokenizer.resume', () => {
  it('skips a bad container or string to where it balances, anything else to the next delimiter', () => {
    const text = '{"a" 1} [1, "x]"] tru {"b":2} "\\q\\"" 3 01 [';
    for (const chunk of [1, 2, 5, text.length]) {
      const { out, errors } = readRecords(text, 0, chunk);
      expect(errors).toEqual([
        [5, 7], // {"a" 1}: from the bad `1` to after its close
        [21, 21], // tru: the space that ends it is the error, and ends the skip at once
        [32, 36], // "\q\"": a bad escape, to after the closing quote (the escaped one does not close)
        [40, 41], // 01: from the bad digit to the space
      ]);
      // (A bad string cut by a chunk boundary has opened: its empty start is left out.)
      expect(out.filter((t) => t !== '')).toEqual(['{', 'key:a', '[', 1, 'x]', ']', '{', 'key:b', 2, '}', 3, '[']);
    }
  });

  it('in the array: a bad element ends at the next , or ] outside its brackets and strings; a missing one is not skipped', () => {
    const text = '[1, x [","], 2,, tru, {"a" 1}]';
    for (const chunk of [1, 3, text.length]) {
      const { out, errors } = readRecords(text, 1, chunk);
      expect(errors).toEqual([
        [4, 11], // x [","]: to the comma after it
        [15, 15], // a missing element: the `,` is read by the array
        [20, 20], // tru: the comma is the error, and is read by the array
        [27, 29], // {"a" 1}: from the bad `1` to after its close
      ]);
      expect(out).toEqual(['[', 1, 2, '{', 'key:a', ']']);
    }
  });

  it('valueStart is the first character of the latest value', () => {
    const starts: number[] = [];
    const tokenizer = createRecordTokenizer({ ...tokens([]), number: () => starts.push(tokenizer.valueStart), literal: () => starts.push(tokenizer.valueStart) }, { multiple: true });
    expect(tokenizer.valueStart).toBe(-1);
    tokenizer.write(' 12 \n-3.5e1');
    tokenizer.write('0 tr');
    tokenizer.write('ue');
    tokenizer.end();
    expect(starts).toEqual([1, 5, 13]);
  });
});
