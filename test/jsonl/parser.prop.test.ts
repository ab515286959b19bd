import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartialParser, ParseError } from '../../src/index.js';
import { checkSnapshotSequence, chunked, deepFreeze, jsonText, jsonTextWithValue, mutatedJson, utf8Chunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';
import { run, type Event } from './helpers.js';
import { parsesAsJson } from '../support/viable.js';
import { ndjson } from '../fixtures/documents.js';

const encoder = new TextEncoder();
const utf8Length = (text: string): number => encoder.encode(text).length;

/** What a record should come out as: its value, or that it is bad; and where it starts. */
type Expected = { ok: true; value: unknown; line: number; position: number; byteOffset: number } | {
  ok: false;
  line: number;
  position: number;
  byteOffset: number;
  text: string;
};

/** A one-line JSON text with its value (a raw newline can only be whitespace, so it becomes a space). */
const oneLineRecord = jsonTextWithValue().map(({ text, value }) => ({ text: text.replace(/\n/g, ' '), value }));

/** No lone surrogate (UTF-8 cannot encode one). */
const wellFormed = (text: string): boolean => new TextDecoder().decode(encoder.encode(text)) === text;

const isBlank = (text: string): boolean => /^[ \t\r]*$/.test(text);

/** A line `JSON.parse` rejects (mutations of JSON texts), not blank. */
const badLine = jsonText()
  .chain((text) => mutatedJson(text))
  .map((text) => text.replace(/\n/g, ' '))
  .filter((text) => !isBlank(text) && !parsesAsJson(text));


type Item = { kind: 'record'; text: string; value: unknown } | { kind: 'blank'; text: string } | { kind: 'bad'; text: string };

const blankLine = fc.constantFrom('', ' ', '\t', '\r', ' \t ').map((text): Item => ({ kind: 'blank', text }));

/** A JSON Lines stream: records, blank lines and (optionally) bad lines, any line endings. */
function jsonlStream(withBad: boolean): fc.Arbitrary<{ text: string; expected: Expected[] }> {
  const item = fc.oneof(
    { arbitrary: oneLineRecord.map((r): Item => ({ kind: 'record', ...r })), weight: 5 },
    { arbitrary: blankLine, weight: 1 },
    ...(withBad ? [{ arbitrary: badLine.map((text): Item => ({ kind: 'bad', text })), weight: 2 }] : []),
  );
  return fc
    .tuple(fc.array(fc.tuple(item, fc.constantFrom('\n', '\r\n')), { maxLength: 12 }), fc.boolean())
    .map(([items, finalNewline]) => {
      let text = '';
      let bytes = 0;
      const expected: Expected[] = [];
      items.forEach(([entry, ending], k) => {
        const line = k + 1;
        const position = text.length;
        // A last line without its ending (a bare `\r` there would be part of the line).
        const last = k === items.length - 1 && !finalNewline && !entry.text.endsWith('\r');
        const chunk = entry.text + (last ? '' : ending);
        if (entry.kind === 'record') expected.push({ ok: true, value: entry.value, line, position, byteOffset: bytes });
        else if (entry.kind === 'bad') {
          // The line's text: a `\r` before the `\n` belongs to the line ending.
          expected.push({ ok: false, line, position, byteOffset: bytes, text: chunk.replace(/\r?\n$/, '') });
        }
        text += chunk;
        bytes += utf8Length(chunk);
      });
      return { text, expected };
    })
    .filter(({ text }) => !text.startsWith('\ufeff')); // a BOM at the start is skipped: tested apart
}

/** Where the tokenizer alone puts the error of a line (an independent oracle for the offset). */
function errorOffsetAlone(line: string): number {
  const parser = createPartialParser();
  try {
    parser.write(' '); // so a U+FEFF at the line start is not skipped as a BOM
    parser.write(line);
    parser.end();
  } catch (error) {
    if (error instanceof ParseError) return error.position - 1;
    throw error;
  }
  throw new Error(`the tokenizer accepted ${JSON.stringify(line)}`);
}

function checkRecords(events: readonly Event[], expected: readonly Expected[], bytes: boolean): void {
  const records = events.filter((e) => e.type !== 'partial');
  expect(records.length).toBe(expected.length);
  records.forEach((event, index) => {
    const want = expected[index]!;
    expect(event.info.index).toBe(index);
    expect(event.info.line).toBe(want.line);
    expect(event.info.position).toBe(want.position);
    expect(event.info.byteOffset).toBe(bytes ? want.byteOffset : undefined);
    if (want.ok) {
      expect(event.type).toBe('value');
      if (event.type === 'value') expect(event.value).toStrictEqual(want.value);
      return;
    }
    expect(event.type).toBe('error');
    if (event.type !== 'error') return;
    expect(event.info.text).toBe(want.text);
    expect(event.info.errorOffset).toBe(errorOffsetAlone(want.text));
    expect(event.error.position).toBe(want.position + event.info.errorOffset);
    expect(event.error.line).toBe(want.line);
    expect(event.error.column).toBe(event.info.errorOffset + 1);
  });
}

describe('createJsonlParser properties', () => {
  it('lines: the records out equal the values in, for any line endings, blank lines and chunking', () => {
    fc.assert(
      fc.property(
        jsonlStream(false).chain((stream) => fc.tuple(fc.constant(stream), chunked(stream.text, { emptyChunks: true }))),
        ([{ expected }, chunks]) => {
          checkRecords(run(chunks), expected, false);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('lines: the same for any chunking of the UTF-8 bytes, with byte offsets', () => {
    fc.assert(
      fc.property(
        jsonlStream(false)
          .filter(({ text }) => wellFormed(text))
          .chain((stream) => fc.tuple(fc.constant(stream), utf8Chunks(stream.text, { emptyChunks: true }))),
        ([{ expected }, chunks]) => {
          checkRecords(run(chunks), expected, true);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('lines: with bad lines inserted, every good record comes out once, in order, and every bad line is reported once, in place', () => {
    fc.assert(
      fc.property(
        jsonlStream(true).chain((stream) => fc.tuple(fc.constant(stream), chunked(stream.text))),
        ([{ expected }, chunks]) => {
          checkRecords(run(chunks), expected, false);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('lines: bad lines in bytes too', () => {
    fc.assert(
      fc.property(
        jsonlStream(true)
          .filter(({ text }) => wellFormed(text))
          .chain((stream) => fc.tuple(fc.constant(stream), utf8Chunks(stream.text))),
        ([{ expected }, chunks]) => {
          checkRecords(run(chunks), expected, true);
        },
      ),
      { numRuns: runs(0.5) },
    );
  });

  it('lines: with maxLineLength, exactly the long lines are reported, and the others come out', () => {
    fc.assert(
      fc.property(
        jsonlStream(false).chain((stream) =>
          fc.tuple(fc.constant(stream), chunked(stream.text), fc.integer({ min: 1, max: 40 })),
        ),
        ([{ text, expected }, chunks, max]) => {
          const lines = text.split('\n');
          const long = (want: Expected): boolean => {
            const line = lines[want.line - 1]!;
            return (line.endsWith('\r') ? line.length - 1 : line.length) > max;
          };
          const events = run(chunks, { maxLineLength: max }).filter((e) => e.type !== 'partial');
          // Blank lines longer than the limit are errors too: count them in.
          const blankLong = lines.filter((line, k) => isBlank(line) && (line.endsWith('\r') ? line.length - 1 : line.length) > max && !expected.some((e) => e.line === k + 1)).length;
          expect(events.length).toBe(expected.length + blankLong);
          const byLine = new Map(events.map((e) => [e.info.line, e]));
          for (const want of expected) {
            const event = byLine.get(want.line)!;
            if (long(want)) {
              expect(event.type === 'error' && event.error.code).toBe('max-line-length-exceeded');
              if (event.type === 'error') expect(event.error.position).toBe(want.position + max);
            } else {
              expect(event.type === 'value' && event.value).toStrictEqual(want.ok && want.value);
            }
          }
        },
      ),
      { numRuns: runs(0.5) },
    );
  });

  it('lines: invalid UTF-8 bytes only fail their own line; positions count them as a replacing decoder does', () => {
    const garbage = fc.uint8Array({ minLength: 1, maxLength: 6 }).map((bytes) => bytes.map((b) => (b === 0x0a ? 0xff : b)));
    fc.assert(
      fc.property(
        jsonlStream(false).filter(({ text }) => wellFormed(text)),
        fc.array(fc.tuple(fc.nat(), garbage), { maxLength: 3 }),
        fc.integer({ min: 1, max: 9 }),
        ({ text }, insertions, size) => {
          let bytes = encoder.encode(text);
          for (const [at, junk] of insertions) {
            const cut = bytes.length === 0 ? 0 : at % (bytes.length + 1);
            bytes = new Uint8Array([...bytes.subarray(0, cut), ...junk, ...bytes.subarray(cut)]);
          }
          const chunks: Uint8Array[] = [];
          for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
          const events = run(chunks).filter((e) => e.type !== 'partial');
          // Oracle: a replacing decoder (keeping a BOM we then skip), split at \n.
          const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
          const lines = lenient.split('\n');
          let position = 0;
          let byteOffset = 0;
          let k = 0;
          let from = 0;
          const expected: { line: number; position: number; byteOffset: number; value?: unknown }[] = [];
          lines.forEach((line, index) => {
            let start = position;
            let shown = line;
            if (index === 0 && line.startsWith('\ufeff') && bytes[0] === 0xef) {
              start += 1;
              shown = line.slice(1);
            }
            const to = bytes.indexOf(0x0a, from);
            const lineBytes = bytes.subarray(from, to < 0 ? bytes.length : to);
            let valid = true;
            try {
              new TextDecoder('utf-8', { fatal: true }).decode(lineBytes);
            } catch {
              valid = false;
            }
            if (!isBlank(shown) || !valid) {
              const entry: { line: number; position: number; byteOffset: number; value?: unknown } = {
                line: index + 1,
                position: start,
                byteOffset: byteOffset + (start - position) * 3,
              };
              if (valid && parsesAsJson(shown)) entry.value = JSON.parse(shown);
              expected.push(entry);
            }
            position += line.length + 1;
            byteOffset += lineBytes.length + 1;
            from = (to < 0 ? bytes.length : to) + 1;
            k++;
          });
          expect(events.map((e) => [e.info.line, e.info.position, e.info.byteOffset])).toEqual(
            expected.map((e) => [e.line, e.position, e.byteOffset]),
          );
          events.forEach((event, index) => {
            const want = expected[index]!;
            if ('value' in want) expect(event.type === 'value' && event.value).toStrictEqual(want.value);
            else expect(event.type).toBe('error');
          });
        },
      ),
      { numRuns: runs(0.5) },
    );
  });

  it('lines: partial values of a record in progress obey the snapshot semantics, and end as its value', () => {
    fc.assert(
      fc.property(
        jsonlStream(true).chain((stream) => fc.tuple(fc.constant(stream), chunked(stream.text))),
        ([{ expected }, chunks]) => {
          const events = run(chunks, { partials: true });
          checkRecords(events, expected, false);
          checkPartials(events);
        },
      ),
      { numRuns: runs(0.5) },
    );
  });

  it('concatenated: the records out equal the values in, separated by whitespace or nothing, any chunking', () => {
    fc.assert(
      fc.property(
        concatenatedStream().chain((stream) => fc.tuple(fc.constant(stream), chunked(stream.text, { emptyChunks: true }))),
        ([{ expected }, chunks]) => {
          checkRecords(run(chunks, { mode: 'concatenated' }), expected, false);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('concatenated: the same from UTF-8 bytes, with partial values', () => {
    fc.assert(
      fc.property(
        concatenatedStream()
          .filter(({ text }) => wellFormed(text))
          .chain((stream) => fc.tuple(fc.constant(stream), utf8Chunks(stream.text))),
        ([{ expected }, chunks]) => {
          const events = run(chunks, { mode: 'concatenated', partials: true });
          checkRecords(events, expected, true);
          checkPartials(events);
        },
      ),
      { numRuns: runs(0.5) },
    );
  });

  it('array: the elements out equal JSON.parse of the array, any whitespace and chunking, text or bytes', () => {
    fc.assert(
      fc.property(
        arrayStream().chain((stream) =>
          fc.tuple(fc.constant(stream), wellFormed(stream.text) ? fc.oneof(chunked(stream.text), utf8Chunks(stream.text)) : chunked(stream.text)),
        ),
        ([{ text, expected }, chunks]) => {
          expect(expected.map((e) => e.ok && e.value)).toStrictEqual(JSON.parse(text));
          const events = run(chunks, { mode: 'array', partials: true });
          checkRecords(events, expected, typeof chunks[0] !== 'string' && chunks.length > 0);
          checkPartials(events);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('array mode: a stream that does not start with [ is one error at its first character, at every chunking, text and bytes', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.constantFrom('', ' ', '\n', ' \r\n\t'), jsonText({ maxDepth: 2 }), fc.constantFrom('', ' [1]', '\n')).filter(
          ([, value]) => !value.trimStart().startsWith('['),
        ),
        fc.integer({ min: 1, max: 7 }),
        ([space, value, after], size) => {
          const text = space + value + after;
          const expected = [`unexpected-character@${text.length - text.trimStart().length}`];
          const pieces: string[] = [];
          for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
          const bytes = encoder.encode(text);
          const byteChunks: Uint8Array[] = [];
          for (let i = 0; i < bytes.length; i += size) byteChunks.push(bytes.slice(i, i + size));
          for (const chunks of [pieces, byteChunks]) {
            const events = run(chunks, { mode: 'array' });
            expect(events.filter((e) => e.type === 'value')).toEqual([]);
            expect(events.flatMap((e) => (e.type === 'error' ? [`${e.error.code}@${e.error.position}`] : []))).toEqual(expected);
          }
        },
      ),
      { numRuns: runs(0.5) },
    );
  });

  it('concatenated and array: byte input with invalid UTF-8 is cut into records as its replaced text is', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('concatenated' as const, 'array' as const),
        fc.oneof(concatenatedStream(), arrayStream()).filter(({ text }) => wellFormed(text)),
        fc.array(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 9 }),
        (mode, { text }, insertions, size) => {
          let bytes = encoder.encode(text);
          for (const [at, junk] of insertions) {
            const cut = at % (bytes.length + 1);
            bytes = new Uint8Array([...bytes.subarray(0, cut), ...junk, ...bytes.subarray(cut)]);
          }
          const chunks: Uint8Array[] = [];
          for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
          const fromBytes = run(chunks, { mode }).filter((e) => e.type !== 'partial');
          const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
          const fromText = run([lenient], { mode }).filter((e) => e.type !== 'partial');
          expect(fromBytes.map((e) => [e.info.index, e.info.line, e.info.position])).toEqual(
            fromText.map((e) => [e.info.index, e.info.line, e.info.position]),
          );
          fromBytes.forEach((event, index) => {
            if (event.type === 'value') expect(fromText[index]).toMatchObject({ type: 'value', value: event.value });
            // The bytes' offsets agree with the replaced text's re-encoding wherever no junk came before.
          });
        },
      ),
      { numRuns: runs(0.5) },
    );
  });
});

/** Every record's partial values obey DESIGN.md's semantics and end in its final value. */
function checkPartials(events: readonly Event[]): void {
  const byIndex = new Map<number, unknown[]>();
  for (const event of events) {
    if (event.type === 'partial') {
      const list = byIndex.get(event.info.index) ?? [];
      list.push(deepFreeze(event.value));
      byIndex.set(event.info.index, list);
      continue;
    }
    const partials = byIndex.get(event.info.index);
    if (partials === undefined) continue;
    byIndex.delete(event.info.index);
    if (event.type === 'value') expect(checkSnapshotSequence(partials, event.value)).toBeUndefined();
  }
  // No partial value for a record that never came.
  expect([...byIndex.keys()]).toEqual([]);
}

const separator = fc.constantFrom('', '', ' ', '\n', '\r\n', '\t', ' \n  ');

/** Values one after another (concatenated JSON); two numbers always get a space between them. */
function concatenatedStream(): fc.Arbitrary<{ text: string; expected: Expected[] }> {
  return fc.array(fc.tuple(jsonTextWithValue(), separator), { maxLength: 10 }).map((items) => {
    let text = '';
    const expected: Expected[] = [];
    for (const [{ text: piece, value }, sep] of items) {
      let glue = sep;
      if (glue === '' && /\d$/.test(text.trimEnd()) && text.trimEnd() === text && /^\d/.test(piece)) glue = ' ';
      text += glue;
      const lead = piece.length - piece.trimStart().length;
      const position = text.length + lead;
      expected.push({ ok: true, value, ...where(text + piece, position) });
      text += piece;
    }
    return { text, expected };
  });
}

/** One top-level array with any whitespace around its elements. */
function arrayStream(): fc.Arbitrary<{ text: string; expected: Expected[] }> {
  const ws = fc.constantFrom('', ' ', '\n', '\r\n', ' \t');
  return fc.tuple(ws, fc.array(fc.tuple(jsonTextWithValue(), ws), { maxLength: 8 }), ws).map(([before, items, after]) => {
    let text = `${before}[`;
    const expected: Expected[] = [];
    items.forEach(([{ text: piece, value }, gap], k) => {
      if (k > 0) text += `,${gap}`;
      const position = text.length + (piece.length - piece.trimStart().length);
      expected.push({ ok: true, value, ...where(text + piece, position) });
      text += piece;
    });
    text += `]${after}`;
    return { text, expected };
  });
}

function where(text: string, position: number): { line: number; position: number; byteOffset: number } {
  let line = 1;
  for (let i = 0; i < position; i++) if (text.charCodeAt(i) === 0x0a) line++;
  return { line, position, byteOffset: utf8Length(text.slice(0, position)) };
}

/**
 * `recordInfo: false` lets the lines splitter skip the byte search per line on non-ASCII
 * input and count a line's byte offset only when an error reports it (src/jsonl/lines.ts, LAZY).
 * What it reports must not change: the same values in the same order, the same errors with the
 * same byte offsets, the same partial values, as with a two-parameter `onValue`.
 */
describe('createJsonlParser: byte offsets counted on demand (recordInfo: false)', () => {
  /** Values and errors of a lean run against a full one (the lean values carry no position). */
  function expectSameReports(chunks: readonly (string | Uint8Array)[], options: { partials?: boolean; maxLineLength?: number } = {}): void {
    const full = run(chunks, options);
    const lean = run(chunks, { ...options, lean: true });
    const view = (events: readonly Event[], keepPositions: boolean): unknown[] =>
      events.map((e) =>
        e.type === 'value'
          ? { type: 'value', value: e.value, index: e.info.index, ...(keepPositions ? { line: e.info.line, position: e.info.position } : {}) }
          : e.type === 'error'
            ? { type: 'error', code: e.error.code, at: [e.error.position, e.error.line, e.error.column], info: e.info }
            : { type: 'partial', value: e.value, info: e.info, write: e.write },
      );
    expect(view(lean, false)).toStrictEqual(view(full, false));
  }

  it('bad lines and invalid UTF-8 among non-ASCII records, any byte chunking (one chunk included)', () => {
    const garbage = fc.uint8Array({ minLength: 1, maxLength: 4 }).map((bytes) => bytes.map((b) => (b === 0x0a ? 0xc3 : b)));
    fc.assert(
      fc.property(
        jsonlStream(true).filter(({ text }) => wellFormed(text)),
        fc.array(fc.tuple(fc.nat(), garbage), { maxLength: 2 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 })),
        fc.boolean(),
        ({ text }, insertions, size, partials) => {
          // Non-ASCII on most lines, so the decoded text is shorter than its bytes.
          let bytes = encoder.encode(text.replace(/\n/g, ' "é\u{1F680}"\n').replace(/^/, 'ü'));
          for (const [at, junk] of insertions) {
            const cut = at % (bytes.length + 1);
            bytes = new Uint8Array([...bytes.subarray(0, cut), ...junk, ...bytes.subarray(cut)]);
          }
          const chunks: Uint8Array[] = [];
          const step = size === 0 ? Math.max(1, bytes.length) : size;
          for (let i = 0; i < bytes.length; i += step) chunks.push(bytes.slice(i, i + step));
          expectSameReports(chunks, { partials });
        },
      ),
      { numRuns: runs() },
    );
  });

  it('the 100 KB fixture with bad lines, in 64 KB and 1000-byte chunks: regions of several 16 KB pieces', () => {
    const lines = ndjson(100 * 1024, 3).split('\n');
    for (let k = 5; k < lines.length; k += 97) lines[k] = `${lines[k]!.slice(0, 40)}é}`; // cut short: bad
    const bytes = encoder.encode(lines.join('\n'));
    for (const size of [64 * 1024, 1000, bytes.length]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expectSameReports(chunks);
      const errors = run(chunks, { lean: true }).filter((e) => e.type === 'error');
      expect(errors.length).toBeGreaterThan(5);
      // Each error's byte offset is where its line starts in the bytes.
      for (const e of errors) {
        const lineStart = e.info.line === 1 ? 0 : indexOfNth(bytes, 0x0a, e.info.line - 1) + 1;
        expect(e.info.byteOffset).toBe(lineStart);
      }
    }
  });
});

function indexOfNth(bytes: Uint8Array, byte: number, n: number): number {
  let at = -1;
  for (let k = 0; k < n; k++) at = bytes.indexOf(byte, at + 1);
  return at;
}
