import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPartialParser, type PartialParserOptions, pointers } from '../../src/index.js';
import { toJsonPointer } from '../../src/json/json-pointer.js';
import { chunked, jsonTextWithValue, utf8Chunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

/**
 * Issue 16 item 1: `text` / `onText`. For every chunking, the deltas of each matching string
 * concatenate to the final string, and each string ends with exactly one `done` call.
 */

interface TextRun {
  /** Per string, in the order they closed: pointer and concatenated text. */
  strings: [string, string][];
  /** Pieces of a string still open (none at the end). */
  open: Map<string, string>;
  calls: number;
}

function textRun(chunks: readonly (string | Uint8Array)[], options: PartialParserOptions): TextRun {
  const run: TextRun = { strings: [], open: new Map(), calls: 0 };
  const parser = createPartialParser({
    ...options,
    onText: (delta, pointer, done) => {
      run.calls++;
      expect(typeof delta).toBe('string');
      const text = (run.open.get(pointer) ?? '') + delta;
      if (done) {
        run.open.delete(pointer);
        run.strings.push([pointer, text]);
      } else {
        expect(delta).not.toBe('');
        run.open.set(pointer, text);
      }
    },
  });
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
  return run;
}

/** The strings a `text` pattern set must deliver, from `onComplete` (their completion order). */
function expectedStrings(text: string, patterns: readonly string[], options: PartialParserOptions = {}): [string, string][] {
  const out: [string, string][] = [];
  const parser = createPartialParser({
    ...options,
    onComplete: (value, path) => {
      if (typeof value !== 'string') return;
      const ok = patterns.some((pattern) => {
        const segs = pattern === '' ? [] : pattern.slice(1).split('/');
        return segs.length === path.length && segs.every((s, i) => s === '*' || s === String(path[i]));
      });
      if (ok) out.push([toJsonPointer(path), value]);
    },
  });
  parser.write(text);
  parser.end();
  return out;
}

const patternSets: readonly (readonly string[])[] = [[''], ['/*'], ['/*/*'], ['', '/*', '/*/*'], ['/0', '/a/*']];

const textAndChunks = jsonTextWithValue({ maxDepth: 3, maxStringLength: 40, loneSurrogates: true }).chain(({ text }) =>
  fc.tuple(fc.constant(text), fc.oneof(chunked(text), chunked(text, { modes: ['units'] }))),
);
const textAndBytes = jsonTextWithValue({ maxDepth: 3, maxStringLength: 40 }).chain(({ text }) => fc.tuple(fc.constant(text), utf8Chunks(text)));

describe('text / onText', () => {
  it('the deltas of each matching string concatenate to the final string, one done call each (text chunks)', () => {
    fc.assert(
      fc.property(textAndChunks, fc.constantFrom(...patternSets), ([text, chunks], patterns) => {
        const run = textRun(chunks, { text: pointers(...patterns) });
        expect(run.open.size).toBe(0);
        expect(run.strings).toEqual(expectedStrings(text, patterns));
      }),
      { numRuns: runs() },
    );
  });

  it('the same for UTF-8 byte chunks', () => {
    fc.assert(
      fc.property(textAndBytes, fc.constantFrom(...patternSets), ([text, chunks], patterns) => {
        expect(textRun(chunks, { text: pointers(...patterns) }).strings).toEqual(expectedStrings(text, patterns));
      }),
      { numRuns: runs() },
    );
  });

  it('with a schema (free text grows, enum strings arrive whole), every chunking', () => {
    const schema = z.object({ answer: z.string(), mood: z.enum(['calm', 'curious', 'cautious']), files: z.array(z.object({ path: z.string(), content: z.string() })) });
    const doc = fc
      .record({
        answer: fc.string({ unit: 'binary', maxLength: 30 }),
        mood: fc.constantFrom('calm', 'curious', 'cautious'),
        files: fc.array(fc.record({ path: fc.string(), content: fc.string({ unit: 'grapheme', maxLength: 30 }) }), { maxLength: 3 }),
      })
      .map((d) => JSON.stringify(d))
      .chain((text) => fc.tuple(fc.constant(text), fc.oneof(chunked(text), chunked(text, { modes: ['units'] }), utf8Chunks(text))));
    const patterns = ['/answer', '/mood', '/files/*/content'];
    fc.assert(
      fc.property(doc, ([text, chunks]) => {
        const run = textRun(chunks, { schema, text: pointers(...patterns) });
        expect(run.strings).toEqual(expectedStrings(text, patterns));
      }),
      { numRuns: runs(0.5) },
    );
  });

  it('streams a field piece by piece, before the snapshot is read, with unescaped text', () => {
    const calls: [string, string, boolean][] = [];
    const parser = createPartialParser({ text: pointers('/answer'), onText: (d, p, done) => void calls.push([d, p, done]) });
    for (const chunk of ['{"answer": "Hel', 'lo\\n', 'wor\\u00', 'e9ld", "other": "x"}']) parser.write(chunk);
    expect(calls).toEqual([
      ['Hel', '/answer', false],
      ['lo\n', '/answer', false],
      ['wor', '/answer', false],
      ['éld', '/answer', false],
      ['', '/answer', true],
    ]);
  });

  it('a string inside a container parsed whole within one write arrives as one done call', () => {
    const calls: [string, string, boolean][] = [];
    const parser = createPartialParser({ text: pointers('/files/*/content'), onText: (d, p, done) => void calls.push([d, p, done]) });
    parser.write('{"files": [{"content": "a"}, {"content": "b');
    parser.write('c"}]}');
    expect(calls).toEqual([
      ['a', '/files/0/content', true],
      ['b', '/files/1/content', false],
      ['c', '/files/1/content', false],
      ['', '/files/1/content', true],
    ]);
  });
});

describe('partialNumbers', () => {
  const numberText = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
    fc.integer().map(String),
    fc
      .tuple(fc.integer({ min: -999, max: 999 }), fc.nat(9999), fc.integer({ min: -30, max: 30 }))
      .map(([i, f, e]) => `${i}.${f}e${e >= 0 ? '+' : ''}${e}`),
  );
  const doc = fc
    .oneof(
      numberText,
      fc.array(numberText, { maxLength: 4 }).map((ns) => `[${ns.join(', ')}]`),
      fc.dictionary(fc.string({ maxLength: 4 }), numberText, { maxKeys: 3 }).map((d) => `{${Object.entries(d).map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`),
      jsonTextWithValue({ maxDepth: 2 }).map((t) => t.text),
    )
    .chain((text) => fc.tuple(fc.constant(text), fc.oneof(chunked(text), chunked(text, { modes: ['units'] }), utf8Chunks(text))));

  /** Removes the entry at `pointer` (the last one of its container) from a copy of `value`. */
  function without(value: unknown, pointer: string): unknown {
    if (pointer === '') return undefined;
    const steps = pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const copy = structuredClone(value) as Record<string, unknown>;
    let parent: Record<string, unknown> = copy;
    for (const step of steps.slice(0, -1)) parent = parent[step] as Record<string, unknown>;
    if (Array.isArray(parent)) parent.pop();
    else delete parent[steps[steps.length - 1]!];
    return copy;
  }

  function at(value: unknown, pointer: string): unknown {
    if (pointer === '') return value;
    let v = value as Record<string, unknown>;
    for (const s of pointer.slice(1).split('/')) v = v[s.replace(/~1/g, '/').replace(/~0/g, '~')] as Record<string, unknown>;
    return v;
  }

  it('a growing number is a number, listed in pending, and the rest is the default snapshot; ends at JSON.parse', () => {
    fc.assert(
      fc.property(doc, ([text, chunks]) => {
        const growing = createPartialParser({ partialNumbers: true });
        const atomic = createPartialParser();
        const shown = new Map<string, number>();
        for (const chunk of chunks) {
          growing.write(chunk);
          atomic.write(chunk);
          const pending = growing.pending;
          expect(pending.length).toBeLessThanOrEqual(1);
          const value = growing.value;
          if (pending.length === 1 && typeof at(value, pending[0]!) === 'number') {
            const p = pending[0]!;
            const n = at(value, p) as number;
            // Never a type change at that path: it stays a number until complete.
            if (shown.has(p)) expect(typeof shown.get(p)).toBe('number');
            shown.set(p, n);
            expect(without(value, p)).toStrictEqual(atomic.value);
          } else {
            expect(value).toStrictEqual(atomic.value);
          }
        }
        const final = growing.end();
        expect(final).toStrictEqual(JSON.parse(text));
        expect(growing.pending).toEqual([]);
        // Every number shown ends at JSON.parse's number for that path.
        for (const [p, n] of shown) expect(typeof at(final, p)).toBe(typeof n);
      }),
      { numRuns: runs() },
    );
  });

  it('shows the longest valid prefix: 1, 12, 12 for "12.", 12.5, then the complete value', () => {
    const seen: unknown[] = [];
    const pending: (readonly string[])[] = [];
    const parser = createPartialParser({ partialNumbers: true });
    for (const chunk of ['{"price": -', '1', '2', '.', '5', 'e', '1', '}']) {
      parser.write(chunk);
      seen.push((parser.value as { price?: number }).price);
      pending.push(parser.pending);
    }
    expect(seen).toEqual([undefined, -1, -12, -12, -12.5, -12.5, -125, -125]);
    expect(pending).toEqual([[], ['/price'], ['/price'], ['/price'], ['/price'], ['/price'], ['/price'], []]);
    expect(parser.end()).toEqual({ price: -125 });
  });

  it('deltas: add then replace, and they replay to every snapshot', async () => {
    const { applyDelta } = await import('../../src/index.js');
    let replay: unknown;
    const parser = createPartialParser({
      partialNumbers: true,
      onDelta: (d) => {
        replay = applyDelta(replay, d);
      },
    });
    for (const chunk of ['[1', '2, 3', '4', ']']) {
      parser.write(chunk);
      expect(replay).toEqual(parser.value);
    }
    expect(parser.end()).toEqual([12, 34]);
  });

  it('with a schema, a growing number the schema rejects once complete leaves the value again, as if never shown', async () => {
    const { applyDelta, SchemaValidationError } = await import('../../src/index.js');
    const { zodGuide } = await import('../../src/schema/index.js');
    const cases: [z.ZodType, string[], unknown][] = [
      [z.array(z.number().max(5)), ['[1', '23]'], []],
      [z.array(z.number().int()), ['[4,', '1', '.5]'], [4]],
      [z.object({ a: z.number().max(5) }), ['{"a":1,"a":9', '9}'], { a: 1 }],
      [z.object({ a: z.number().max(5), b: z.number() }), ['{"b":2,"a":', '77}'], { b: 2 }],
      // At the top level a number is shown only once complete: the root cannot leave by a delta.
      [z.array(z.number()), ['9', ' '], undefined],
      [z.string(), ['12', '3 '], undefined],
    ];
    for (const [schema, chunks, left] of cases) {
      for (const cut of [chunks, [chunks.join('')]]) {
        let replay: unknown;
        const parser = createPartialParser({ schema, guide: zodGuide, partialNumbers: true, onDelta: (d) => void (replay = applyDelta(replay, d)) });
        expect(() => cut.forEach((c) => parser.write(c))).toThrow(SchemaValidationError);
        expect(parser.value).toEqual(left);
        expect(replay).toEqual(left);
      }
    }
  });

  it('off by default: numbers stay atomic, and pending lists only the open string', () => {
    const parser = createPartialParser();
    parser.write('{"a": 12');
    expect(parser.value).toEqual({});
    expect(parser.pending).toEqual([]);
    parser.write(', "b": "x');
    expect(parser.pending).toEqual(['/b']);
    expect(parser.pending).toBe(parser.pending);
  });
});

describe('text, select and partialNumbers on broken input', () => {
  it('up to the error, each string text delta sum is the string the value shows, and delivered elements are in it', async () => {
    const { mutatedJson } = await import('../../src/testing/index.js');
    const broken = jsonTextWithValue({ maxDepth: 3, maxStringLength: 20 })
      .chain(({ text }) => mutatedJson(text))
      .chain((text) => fc.tuple(fc.constant(text), chunked(text, { modes: ['units', 'tokens', 'sizes'] })));
    fc.assert(
      fc.property(broken, fc.boolean(), ([, chunks], numbers) => {
        const texts = new Map<string, string>();
        const elements: [string, unknown][] = [];
        const replaced = new Set<string>();
        const parser = createPartialParser({
          partialNumbers: numbers,
          text: pointers('/*', '/*/*'),
          onText: (delta, pointer) => void texts.set(pointer, (texts.get(pointer) ?? '') + delta),
          select: pointers('/*/*'),
          onElement: (value, pointer) => void elements.push([pointer, value]),
          // A repeated key replaces a delivered element (`{"a":{"b":1,"b":"x"}}`), as JSON.parse
          // keeps the later value: such pointers are left out of the element check below. (A
          // growing number's replace in the write that completes it is left out too: rare.)
          onDelta: (deltas) => {
            for (const d of deltas) if (d.op === 'replace') replaced.add(toJsonPointer(d.path));
          },
        });
        try {
          for (const chunk of chunks) parser.write(chunk);
          parser.end();
        } catch {
          // what was delivered before the error is checked below
        }
        let value: unknown;
        try {
          value = parser.value;
        } catch {
          return;
        }
        const at = (pointer: string): unknown => {
          let v = value as Record<string, unknown> | undefined;
          for (const s of pointer.slice(1).split('/')) v = v === undefined || v === null ? undefined : (v[s.replace(/~1/g, '/').replace(/~0/g, '~')] as Record<string, unknown>);
          return v;
        };
        for (const [pointer, text] of texts) {
          const shown = at(pointer);
          // Repeated keys may replace a string; otherwise the value shows exactly the text.
          if (typeof shown === 'string') expect(shown.startsWith(text) || text.startsWith(shown)).toBe(true);
        }
        for (const [pointer, element] of elements) {
          if (replaced.has(pointer)) continue;
          const shown = at(pointer);
          if (shown !== undefined && typeof element !== 'object') expect(shown).toStrictEqual(element);
        }
      }),
      { numRuns: runs() },
    );
  });
});
