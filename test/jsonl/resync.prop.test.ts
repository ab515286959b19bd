/**
 * Bad records in every mode, against an oracle built with the stream: each bad record comes out
 * as one error at the exact character, with its text, and parsing resumes with the next record;
 * the same for every chunking of the text and of its UTF-8 bytes (one unit or byte at a time
 * included). The tokenizer reads `concatenated` and `array` modes (issue 13 item 1), so these
 * pin its record starts and its recovery after an error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartialParser, ParseError } from '../../src/index.js';
import { chunked, jsonText, jsonTextWithValue, mutatedJson, utf8Chunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';
import { parsesAsJson } from '../support/viable.js';
import { pieces, run, summary, type Event } from './helpers.js';

const encoder = new TextEncoder();

/** What a record must come out as, where it starts, and (for a bad one) its text and error offset. */
type Want =
  | { ok: true; value: unknown; position: number }
  | { ok: false; position: number; text: string | undefined; errorOffset: number };

/** A JSON text without its surrounding whitespace. */
const record = jsonTextWithValue().map(({ text, value }) => ({ text: text.trim(), value }));
const container = record.filter(({ text }) => text.startsWith('{') || text.startsWith('['));

/**
 * A container made bad by a stray character right after its bracket (`[x…`, `{:…`): the error is
 * at offset 1 and brackets and strings still balance, so the record ends where it did.
 */
const badContainer = fc
  .tuple(container, fc.constantFrom('x', ':', ',', '@'))
  .map(([{ text }, stray]) => ({ text: text[0] + stray + text.slice(1), errorOffset: 1 }));

/** A bad string: its error inside it; it ends at its closing quote. */
const badString = fc.constantFrom(
  { text: '"a\\x"', errorOffset: 3 },
  { text: '"\\u12g4"', errorOffset: 5 },
  { text: '"\\"\\q"', errorOffset: 4 },
);

/** Bad scalars and stray characters, each followed by what ends it (whitespace, or `,`/`]` in the array). */
const badScalar = fc.constantFrom(
  { text: 'tru', errorOffset: 3 },
  { text: 'nul', errorOffset: 3 },
  { text: '1.', errorOffset: 2 },
  { text: '-', errorOffset: 1 },
  { text: '1e+', errorOffset: 3 },
  { text: '01', errorOffset: 1 },
  { text: '-x', errorOffset: 1 },
  { text: 'x', errorOffset: 0 },
  { text: 'nan', errorOffset: 1 },
  { text: 'NaN', errorOffset: 0 },
  { text: '\u00e9t\u00e9', errorOffset: 0 },
);

const bad = fc.oneof(badContainer, badString, badScalar);
const whitespace = fc.constantFrom(' ', '\n', '\r\n', '\t', ' \n  ');
const gap = fc.constantFrom('', ' ', '\n', '\r\n ');

/** Concatenated values, good and bad, each followed by whitespace (which ends a bad scalar). */
function concatenatedWithBad(): fc.Arbitrary<{ text: string; wants: Want[] }> {
  const item = fc.oneof(
    { arbitrary: record.map((r) => ({ ok: true as const, ...r })), weight: 3 },
    { arbitrary: bad.map((b) => ({ ok: false as const, ...b })), weight: 2 },
    { arbitrary: fc.constantFrom(']', '}', ',', ':').map((text) => ({ ok: false as const, text, errorOffset: 0 })), weight: 1 },
  );
  return fc.tuple(gap, fc.array(fc.tuple(item, whitespace), { maxLength: 8 })).map(([lead, items]) => {
    let text = lead;
    const wants: Want[] = [];
    for (const [entry, after] of items) {
      const position = text.length;
      wants.push(entry.ok ? { ok: true, value: entry.value, position } : { ok: false, position, text: entry.text, errorOffset: entry.errorOffset });
      text += entry.text + after;
    }
    return { text, wants };
  });
}

/** One array whose elements may be bad or missing (`[1,,2]`); every element is followed by `,` or `]`. */
function arrayWithBad(): fc.Arbitrary<{ text: string; wants: Want[] }> {
  type Element = { ok: true; text: string; value: unknown } | { ok: false; text: string; errorOffset: number } | { missing: true };
  const element: fc.Arbitrary<Element> = fc.oneof(
    { arbitrary: record.map((r): Element => ({ ok: true, ...r })), weight: 3 },
    { arbitrary: bad.map((b): Element => ({ ok: false, ...b })), weight: 2 },
    { arbitrary: fc.constant<Element>({ missing: true }), weight: 1 },
  );
  return fc
    .tuple(gap, fc.array(fc.tuple(gap, element), { minLength: 1, maxLength: 8 }), gap)
    .filter(([, items]) => !(items.length === 1 && 'missing' in items[0]![1])) // `[]` is a good empty array
    .map(([before, items, after]) => {
      let text = `${before}[`;
      const wants: Want[] = [];
      items.forEach(([space, entry], k) => {
        if (k > 0) text += ',';
        text += space;
        const position = text.length;
        if ('missing' in entry) wants.push({ ok: false, position, text: undefined, errorOffset: 0 });
        else {
          wants.push(entry.ok ? { ok: true, value: entry.value, position } : { ok: false, position, text: entry.text, errorOffset: entry.errorOffset });
          text += entry.text;
        }
      });
      text += `]${after}`;
      return { text, wants };
    });
}

/** Lines, good, bad (any text JSON.parse rejects) and blank, split and parsed one by one: the oracle of `lines` mode. */
function linesOracle(text: string): Want[] {
  const wants: Want[] = [];
  let position = 0;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (parsesAsJson(raw)) wants.push({ ok: true, value: JSON.parse(raw), position });
    else if (!/^[ \t\r]*$/.test(raw)) wants.push({ ok: false, position, text: line, errorOffset: errorOffsetAlone(line) });
    position += raw.length + 1;
  }
  return wants;
}

/** Where the tokenizer alone puts the error of one record's text. */
function errorOffsetAlone(text: string): number {
  const parser = createPartialParser();
  try {
    parser.write(' '); // so a U+FEFF at the start is not skipped as a byte order mark
    parser.write(text);
    parser.end();
  } catch (error) {
    if (error instanceof ParseError) return error.position - 1;
    throw error;
  }
  throw new Error(`the tokenizer accepted ${JSON.stringify(text)}`);
}

/** Line and column (1-based) of `position` in `text`. */
function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: position - lastBreak };
}

function check(text: string, wants: readonly Want[], events: readonly Event[], bytes: boolean): void {
  const records = events.filter((e) => e.type !== 'partial');
  expect(records.map((e) => (e.type === 'value' ? ['value', e.info.position] : ['error', e.info.position]))).toEqual(
    wants.map((w) => [w.ok ? 'value' : 'error', w.position]),
  );
  records.forEach((event, index) => {
    const want = wants[index]!;
    const where = lineColumn(text, want.position);
    expect(event.info.index).toBe(index);
    expect(event.info.line).toBe(where.line);
    expect(event.info.byteOffset).toBe(bytes ? encoder.encode(text.slice(0, want.position)).length : undefined);
    if (want.ok) {
      if (event.type === 'value') expect(event.value).toStrictEqual(want.value);
      return;
    }
    if (event.type !== 'error') return;
    expect(event.info.text).toBe(want.text);
    expect(event.info.errorOffset).toBe(want.errorOffset);
    const at = want.position + want.errorOffset;
    expect(event.error.position).toBe(at);
    expect([event.error.line, event.error.column]).toEqual(Object.values(lineColumn(text, at)));
  });
}

/** Every way the property cuts a text: one chunk, one unit at a time, arbitrary, and the same over its UTF-8 bytes. */
function chunkings(text: string): fc.Arbitrary<readonly (string | Uint8Array)[]> {
  const bytes = encoder.encode(text);
  return fc.oneof<fc.Arbitrary<readonly (string | Uint8Array)[]>[]>(
    fc.constant([text]),
    fc.constant(pieces(text, 1)),
    chunked(text, { emptyChunks: true }),
    fc.constant(pieces(bytes, 1)),
    utf8Chunks(text),
  );
}

const modes = [
  { mode: 'concatenated' as const, stream: concatenatedWithBad() },
  { mode: 'array' as const, stream: arrayWithBad() },
];

describe('createJsonlParser: bad records, resynchronisation and chunking', () => {
  for (const { mode, stream } of modes) {
    it(`${mode}: each bad record is one error at its exact character, with its text, and the next record is read; any chunking`, () => {
      fc.assert(
        fc.property(
          stream.chain((s) => fc.tuple(fc.constant(s), chunkings(s.text))),
          fc.boolean(),
          ([{ text, wants }, chunks], partials) => {
            check(text, wants, run(chunks, { mode, partials }), chunks.length > 0 && typeof chunks[0] !== 'string');
          },
        ),
        { numRuns: runs() },
      );
    });
  }

  it('lines: the records equal each line of the whole text parsed alone, bad lines included; any chunking', () => {
    const line = fc.oneof(
      record.map((r) => r.text.replace(/\n/g, ' ')),
      bad.map((b) => b.text.replace(/\n/g, ' ')),
      fc.constantFrom('', ' ', '\t\r', '{"a":', '[1,2', '"open'),
    );
    fc.assert(
      fc.property(
        fc
          .tuple(fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { maxLength: 10 }), fc.boolean())
          .map(([items, last]) => items.map(([l, end], k) => l + (k === items.length - 1 && !last ? '' : end)).join(''))
          .chain((text) => fc.tuple(fc.constant(text), chunkings(text))),
        ([text, chunks]) => {
          check(text, linesOracle(text), run(chunks), chunks.length > 0 && typeof chunks[0] !== 'string');
        },
      ),
      { numRuns: runs() },
    );
  });

  it('concatenated and array: the values of a stream without bad records equal JSON.parse of each (and of the array)', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 8 }), whitespace, (records, space) => {
        const values = records.map((r) => r.value);
        const joined = records.map((r) => r.text).join(space);
        const array = `[${records.map((r) => r.text).join(`,${space}`)}]`;
        expect(JSON.parse(array)).toStrictEqual(values);
        for (const chunks of [[joined], pieces(joined, 1), pieces(encoder.encode(joined), 1)]) {
          expect(run(chunks, { mode: 'concatenated' }).map((e) => e.type === 'value' && e.value)).toStrictEqual(values);
        }
        for (const chunks of [[array], pieces(array, 1), pieces(encoder.encode(array), 3)]) {
          expect(run(chunks, { mode: 'array' }).map((e) => e.type === 'value' && e.value)).toStrictEqual(values);
        }
      }),
      { numRuns: runs(0.5) },
    );
  });
});

type Report = { info: Event['info']; value?: unknown; error?: object };

/**
 * What a run reported, good and bad records (no partial values), the error as plain fields. Not
 * its message: the tokenizer quotes a surrogate pair cut between two text writes as its high half.
 */
function reports(events: readonly Event[]): Report[] {
  return events.flatMap((e): Report[] => {
    if (e.type === 'partial') return [];
    if (e.type === 'value') return [{ value: e.value, info: e.info }];
    const { code, position, line, column } = e.error;
    return [{ error: { code, position, line, column }, info: e.info }];
  });
}

/** No lone surrogate (UTF-8 cannot encode one). */
const wellFormed = (text: string): boolean => new TextDecoder().decode(encoder.encode(text)) === text;

describe('createJsonlParser: what is reported does not depend on the chunking', () => {
  /** A JSON text or a mutation of one: bad records of every kind, strings and containers cut short among them. */
  const maybeBad = jsonText({ maxDepth: 2 }).chain((text) => fc.oneof(fc.constant(text), mutatedJson(text)));
  const items = fc.array(maybeBad, { maxLength: 6 });
  /** Streams for each mode, often ending inside a bad record (its skip then runs to the end of the stream). */
  const streams = {
    lines: fc.tuple(items, fc.constantFrom('\n', '\r\n')).map(([texts, end]) => texts.join(end)),
    concatenated: fc.tuple(items, gap).map(([texts, sep]) => texts.join(sep)),
    array: fc.tuple(items, gap, fc.boolean()).map(([texts, sep, close]) => `[${texts.join(`,${sep}`)}${close ? ']' : ''}`),
  };

  for (const mode of ['lines', 'concatenated', 'array'] as const) {
    it(`${mode}: the same values and errors, with the same info (text included), for every chunking of the text and of its UTF-8 bytes`, () => {
      fc.assert(
        fc.property(
          streams[mode].chain((text) =>
            fc.tuple(
              fc.constant(text),
              chunked(text, { emptyChunks: true }),
              wellFormed(text) ? utf8Chunks(text, { emptyChunks: true }) : fc.constant(undefined),
            ),
          ),
          ([text, cuts, byteCuts]) => {
            const whole = reports(run([text], { mode }));
            for (const chunks of [pieces(text, 1), cuts]) expect(reports(run(chunks, { mode }))).toStrictEqual(whole);
            if (byteCuts === undefined) return;
            const bytes = encoder.encode(text);
            const wholeBytes = reports(run([bytes], { mode }));
            // The same as the text, byte offsets apart.
            expect(wholeBytes.map((r) => ({ ...r, info: { ...r.info, byteOffset: undefined } }))).toStrictEqual(whole);
            for (const chunks of [pieces(bytes, 1), byteCuts]) expect(reports(run(chunks, { mode }))).toStrictEqual(wholeBytes);
          },
        ),
        { numRuns: runs() },
      );
    });
  }

  it('a bad record whose skip runs to the end of the stream: its text is the record, once, at every chunking', () => {
    const cases = [
      { mode: 'concatenated' as const, text: '["x""]', want: ['#0 line 1 @0: unexpected-character at 4 (1:5) +4 ["x""]'] },
      { mode: 'array' as const, text: '[["x""]], 1]', want: ['#0 line 1 @1: unexpected-character at 5 (1:6) +4 ["x""]], 1]'] },
      { mode: 'concatenated' as const, text: '1 trux', want: ['#0 line 1 @0: 1', '#1 line 1 @2: unexpected-character at 5 (1:6) +3 trux'] },
      { mode: 'lines' as const, text: '["x""]', want: ['#0 line 1 @0: unexpected-character at 4 (1:5) +4 ["x""]'] },
    ];
    for (const { mode, text, want } of cases) {
      for (const chunks of [[text], pieces(text, 1), [encoder.encode(text)], pieces(encoder.encode(text), 1)]) {
        const events = run(chunks, { mode });
        const texts = events.map((e) => (e.type === 'error' ? ` ${e.info.text}` : ''));
        expect(summary(events).map((line, k) => line.replace(/\/\d+b/, '') + texts[k]), `${mode} ${JSON.stringify(chunks)}`).toEqual(want);
      }
    }
  });
});
