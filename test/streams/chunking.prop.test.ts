/**
 * The stream helpers read the same for every chunking: the warnings their updates carry (all of
 * them, also those of writes that changed nothing visible and of a failing `end()`), and what a
 * store shows at its end (value, error, `pending`, warnings) are the parser's fed the same chunks,
 * and the same as for the whole text (see `sameAsWhole`), whether the source is one chunk, one
 * character per chunk or cut anywhere, strict or lenient, with or without `partialNumbers` and a
 * schema.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createPartialParser,
  createPartialStore,
  lenient,
  PartialJsonStream,
  parseStream,
  type ParseStreamOptions,
  type PartialUpdate,
} from '../../src/index.js';
import { zodGuide } from '../../src/schema/index.js';
import { chunked, jsonText, modelDamage, mutatedJson, type DamageKind } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

/** What a consumer sees at the end: every warning, the last value and `pending`, the error. */
interface Seen {
  warnings: unknown[];
  value: unknown;
  pending: readonly string[];
  error: unknown;
}

/** A warning as compared: what the README promises the same for every chunking (the message may quote a split character differently). */
const warning = ({ code, position, line, column }: { code: string; position: number; line: number; column: number }) => ({ code, position, line, column });
/** An error as compared: its class, `code` and `position` (the message may quote a split character differently). */
const failure = (error: unknown) => {
  if (error === undefined) return undefined;
  const { name, code, position } = error as { name: string; code?: string; position?: number };
  return { name, code, position };
};

/** The reference: the parser fed the same chunks. */
function byParser(chunks: readonly string[], options: ParseStreamOptions): Seen {
  const parser = createPartialParser(options);
  try {
    for (const chunk of chunks) parser.write(chunk);
    const before = parser.pending;
    const value = parser.end();
    // A lenient end that closed a truncated text keeps the value it cut off (see PartialUpdate).
    const pending = parser.warnings.some((w) => w.code === 'truncated') ? before : [];
    return { warnings: parser.warnings.map(warning), value, pending: [...pending], error: undefined };
  } catch (error) {
    return { warnings: parser.warnings.map(warning), value: parser.value, pending: [...parser.pending], error: failure(error) };
  }
}

async function* source(chunks: readonly string[]): AsyncGenerator<string> {
  yield* chunks;
}

/** The chunks as a Web stream, for `pipeThrough`. */
function webStream(chunks: readonly string[]): ReadableStream<string> {
  return new ReadableStream<string>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** Updates as `parseStream` or `PartialJsonStream` hand them out; `busy` lets them coalesce. */
async function byUpdates(updates: AsyncIterable<PartialUpdate>, busy: boolean): Promise<Seen> {
  const seen: Seen = { warnings: [], value: undefined, pending: [], error: undefined };
  try {
    for await (const update of updates) {
      seen.warnings.push(...update.warnings.map(warning));
      seen.value = update.value;
      seen.pending = [...update.pending];
      if (busy) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } catch (error) {
    seen.error = failure(error);
  }
  return seen;
}

async function byStore(chunks: readonly string[], options: ParseStreamOptions): Promise<Seen> {
  const store = createPartialStore(source(chunks), options);
  store.start();
  for (let i = 0; i < 10_000; i++) {
    const { status, value, pending, warnings, error } = store.getSnapshot();
    if (status === 'done' || status === 'error') return { warnings: warnings.map(warning), value, pending: [...pending], error: failure(error) };
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error('the store did not end');
}

/** Characters no repair covers in most places: an error after the repairs before it. */
const BAD = ['x', ':', ',,', '}}', ']]', '"\\q', '\u0001', '01'];
/** Damages inside the value (and fences), so that a bad character lands among them, not in prose. */
const INNER: DamageKind[] = ['comment', 'trailing-comma', 'unquoted-key', 'python-literal', 'code-fence', 'invalid-escape'];

/**
 * Valid JSON, mutated JSON (errors), damaged model output (repairs), damaged then mutated or
 * broken by a bad character (repairs, then an error, often after writes that changed nothing
 * visible: a comment, a fence).
 */
const texts = fc.oneof(
  jsonText({ maxLength: 8 }).chain((text) => fc.oneof(fc.constant(text), mutatedJson(text))),
  modelDamage(jsonText({ maxLength: 8 })).chain(({ text }) => fc.oneof(fc.constant(text), mutatedJson(text))),
  {
    weight: 2,
    arbitrary: fc
      .tuple(modelDamage(jsonText({ maxLength: 8 }), { kinds: INNER }), fc.nat(), fc.constantFrom(...BAD))
      .map(([{ text }, at, bad]) => text.slice(0, at % (text.length + 1)) + bad + text.slice(at % (text.length + 1))),
  },
);

const SCHEMAS = [z.array(z.number()), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), z.unknown()];

/** Strict or lenient, with or without `partialNumbers`, without a schema or with one (guided: early failures). */
const streamOptions = fc
  .record({ lenient: fc.boolean(), partialNumbers: fc.boolean(), schema: fc.option(fc.constantFrom(...SCHEMAS), { nil: undefined, freq: 2 }) })
  .map(({ lenient: repair, partialNumbers, schema }): ParseStreamOptions => ({
    partialNumbers,
    ...(repair ? { lenient: lenient() } : {}),
    ...(schema === undefined ? {} : { schema, guide: zodGuide }),
  }));

/** A text, its options and pacing, and a random chunking of it (see {@link chunkings}). */
const cases = texts.chain((text) =>
  fc.record({ text: fc.constant(text), random: chunked(text), options: streamOptions, busy: fc.boolean() }),
);

/** What the parser leaves is the same for every chunking (lenient mode and a guided schema included). */
function sameAsWhole(seen: Seen, whole: Seen): void {
  expect(seen).toEqual(whole);
}

/** The text as one chunk, one UTF-16 code unit per chunk, and a random chunking. */
function chunkings(text: string, random: string[]): string[][] {
  return [[text], [...text.split('')], random];
}

describe('the stream helpers read the same for every chunking (warnings, error, pending)', () => {
  it('the reported cases', async () => {
    const opts = (o: ParseStreamOptions) => o;
    for (const [chunks, options] of [
      [['[1,', '//c\n', 'x'], opts({ lenient: lenient() })],
      [['"'], opts({ lenient: lenient(), schema: z.number(), guide: zodGuide })],
      [['{"a":12', 'x'], opts({ partialNumbers: true })],
      [['-2', ','], opts({ partialNumbers: true })],
    ] as const) {
      const expected = byParser([chunks.join('')], options);
      expect(byParser(chunks, options)).toEqual(expected);
      expect(await byUpdates(parseStream(source(chunks), options), false)).toEqual(expected);
      expect(await byStore(chunks, options)).toEqual(expected);
    }
  });

  it('property: parseStream and PartialJsonStream: the warnings of all updates, the last value and pending, the error are the parser\'s', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ({ text, options, busy, random }) => {
        const whole = byParser([text], options);
        for (const chunks of chunkings(text, random)) {
          const expected = byParser(chunks, options);
          expect(await byUpdates(parseStream(source(chunks), options), busy)).toEqual(expected);
          const piped = webStream(chunks).pipeThrough(new PartialJsonStream(options));
          expect(await byUpdates(piped, busy)).toEqual(expected);
          sameAsWhole(expected, whole);
        }
      }),
      { numRuns: runs(0.5) },
    );
  });

  it('property: createPartialStore: the final snapshot (value, error, pending, warnings) is the parser\'s', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ({ text, options, random }) => {
        const whole = byParser([text], options);
        for (const chunks of chunkings(text, random)) {
          const expected = byParser(chunks, options);
          expect(await byStore(chunks, options)).toEqual(expected);
          sameAsWhole(expected, whole);
        }
      }),
      { numRuns: runs(0.5) },
    );
  });
});
