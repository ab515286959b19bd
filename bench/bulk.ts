/**
 * bulk: a 10 MB document in 64 KB chunks, final value only. How close a streaming parser gets to
 * the platform's `JSON.parse` when nobody looks at partial values.
 *
 * @module
 */
import { bulkDocument, fixedChunks } from '../test/fixtures/documents.js';
import {
  type BenchGroup,
  type CaseResult,
  formatBytes,
  measure,
  packageVersion,
  ratioOf,
  skipped,
  streamshapeNote,
  target,
  targetList,
  timingTable,
  verify,
} from './harness.js';
import { jsonriverLast, streamparserFinal } from './peers.js';

const SIZE = 10 * 1024 * 1024;
const CHUNK = 64 * 1024;
const SEED = 1;

const JSON_PARSE = 'JSON.parse';
const SS_TEXT = 'streamshape (string chunks)';
const SS_BYTES = 'streamshape (Uint8Array chunks)';

/** From `node --cpu-prof` of this workload (built package, 25 passes, 2026-12-02); a profile is not a benchmark number, so it is kept as text. */
const WHERE_THE_TIME_GOES = [
  'Where the time goes (`node --cpu-prof`, 25 passes over this workload, shares of the parsing time):',
  "`JSON.parse` of each record 53%, the bracket scan that finds where a record closes (so that",
  "`JSON.parse` can take it whole) 24%, GC 19%, the tokenizer and the builder for the rest 4%. `JSON.parse`",
  'alone is therefore about the floor, and the scan is what stands between 1.7x and 1.4x: a JavaScript',
  'loop over every character outside strings (strings are skipped with `indexOf`) costs about half of',
  "what `JSON.parse` spends on the same record, and 1.4x would need it three times cheaper. The",
  "alternative, guessing a record's end and letting `JSON.parse` fail when the guess is wrong, is what",
  '`select` does for runs of array elements with a known separator; a whole document has no separator',
  'to guess from.',
].join('\n');

export const group: BenchGroup = {
  name: 'bulk',
  title: 'bulk: 10 MB document, final value only',
  async run({ streamshape, log }) {
    const text = bulkDocument(SIZE, SEED);
    const bytes = new TextEncoder().encode(text);
    const textChunks = fixedChunks(text, CHUNK);
    const byteChunks = fixedChunks(bytes, CHUNK);
    const expected: unknown = JSON.parse(text);
    const spj = `@streamparser/json ${packageVersion('@streamparser/json')}`;
    const river = `jsonriver ${packageVersion('jsonriver')}`;
    const options = { warmup: 1, runs: 7, budgetMs: 6000 };

    const cases: Array<{ name: string; run: () => unknown; check: () => unknown | Promise<unknown> }> = [
      { name: JSON_PARSE, run: () => JSON.parse(text), check: () => JSON.parse(text) },
      {
        name: 'TextDecoder + JSON.parse (whole bytes)',
        run: () => JSON.parse(new TextDecoder().decode(bytes)),
        check: () => JSON.parse(new TextDecoder().decode(bytes)),
      },
    ];
    const results: CaseResult[] = [];
    if (streamshape.ok) {
      const { createPartialParser } = streamshape.api;
      const parseChunks = (chunks: readonly (string | Uint8Array)[]): unknown => {
        const parser = createPartialParser();
        for (const chunk of chunks) parser.write(chunk);
        return parser.end();
      };
      cases.push(
        { name: SS_TEXT, run: () => parseChunks(textChunks), check: () => parseChunks(textChunks) },
        { name: SS_BYTES, run: () => parseChunks(byteChunks), check: () => parseChunks(byteChunks) },
      );
    }
    cases.push(
      { name: `${spj} (string chunks)`, run: () => streamparserFinal(textChunks), check: () => streamparserFinal(textChunks) },
      { name: `${spj} (Uint8Array chunks)`, run: () => streamparserFinal(byteChunks), check: () => streamparserFinal(byteChunks) },
      {
        name: `${river} (string chunks)`,
        run: () => jsonriverLast(textChunks),
        check: async () => (await jsonriverLast(textChunks)).value,
      },
    );

    for (const c of cases) {
      log(`bulk: checking ${c.name}`);
      verify(c.name, await c.check(), expected);
    }
    for (const c of cases) {
      log(`bulk: timing ${c.name}`);
      results.push(await measure(c.name, c.run, options));
    }
    if (!streamshape.ok) results.splice(2, 0, skipped(SS_TEXT, 'not available'), skipped(SS_BYTES, 'not available'));

    const workload = [
      `Workload: \`bulkDocument(${formatBytes(SIZE)}, seed ${SEED})\` from test/fixtures/documents.ts`,
      `(${bytes.length} UTF-8 bytes, ${text.length} UTF-16 code units) in ${textChunks.length} chunks of ${formatBytes(CHUNK)}:`,
      `compact JSON, an object with an array of records that mix every escape, non-ASCII text and emoji, every`,
      `number spelling. Each case produces the final value only (no partial values read); every case's`,
      `value is checked against \`JSON.parse\` before timing. \`JSON.parse\` on the whole text is the floor.`,
    ].join(' ');
    return [
      workload,
      '',
      timingTable(results, [JSON_PARSE]) + streamshapeNote(streamshape),
      '',
      'Targets:',
      '',
      targetList([
        target('streamshape (string chunks) ≤ 1.4x JSON.parse (issue 12; was 2.0x)', ratioOf(results, SS_TEXT, JSON_PARSE), '<=', 1.4),
      ]),
      '',
      WHERE_THE_TIME_GOES,
    ].join('\n');
  },
};
