/**
 * scaling: the cost of one 4-character write near the end of a 1 MB document against the same
 * write near the end of a 10 KB document. DESIGN.md promises a per-write cost independent of how
 * much was parsed before; an O(n)-per-write parser shows the document-size ratio here (100x).
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { fixedChunks, llmDocument } from '../test/fixtures/documents.js';
import {
  type BenchGroup,
  blackhole,
  collectGarbage,
  formatBytes,
  formatNs,
  formatRatio,
  markdownTable,
  median,
  packageVersion,
  streamshapeNote,
  target,
  targetList,
  verify,
} from './harness.js';
import { JSONParser } from '@streamparser/json';
import { parse as partialJsonParse } from 'partial-json';

const SMALL = 10 * 1024;
const LARGE = 1024 * 1024;
const SEED = 1;
const WRITE = 4; // characters per write
const WARM = 512; // untimed writes just before the timed ones, with the same consumption
const TIMED = 512; // timed writes, the last ones before the end of the last section
const BATCH = 32; // writes per timer reading: one write is too short to time alone
const REPS = 7; // fresh parsers per case on the 1 MB document
const SMALL_REPS = 5; // fresh parsers on the 10 KB document per 1 MB one
const READ_EVERY = 256; // snapshot reads during the untimed prefix

/** The document cut in 4-character writes, and where the timed writes start. */
interface Workload {
  readonly text: string;
  readonly writes: readonly string[];
  /** Index of the first timed write; the timed writes end where `"closingRemarks"` begins. */
  readonly timedStart: number;
  readonly timedEnd: number;
  readonly expected: unknown;
}

function workload(size: number): Workload {
  const text = llmDocument(size, SEED);
  // Time writes inside the last element of the long "sections" array (the path through the big
  // array is what an O(n) snapshot would copy), not in the ASCII pad that closes the document.
  const cut = text.lastIndexOf(',\n  "closingRemarks"');
  const head = fixedChunks(text.slice(0, cut), WRITE);
  const tail = fixedChunks(text.slice(cut), WRITE);
  return { text, writes: [...head, ...tail], timedStart: head.length - TIMED, timedEnd: head.length, expected: JSON.parse(text) };
}

/**
 * One push parser as the bench drives it: `write` one chunk (and consume it as the mode says),
 * `finish` returns the final value.
 */
interface Driver {
  write(chunk: string, index: number): void;
  finish(): unknown;
}

/**
 * Per-write cost samples in ns from one fresh driver: the writes before the timed range untimed,
 * a full GC, the `timed` writes in batches of `batch` (one timer reading per batch), the rest
 * untimed; then the final value is checked, so a wrong parser is never reported.
 */
function perWrite(w: Workload, make: () => Driver, caseName: string, timed: number, batch: number): number[] {
  const samples: number[] = [];
  const start = w.timedEnd - timed;
  const driver = make();
  for (let i = 0; i < start; i++) driver.write(w.writes[i] as string, i);
  collectGarbage();
  for (let i = start; i < w.timedEnd; i += batch) {
    const t0 = performance.now();
    for (let j = i; j < i + batch; j++) driver.write(w.writes[j] as string, j);
    samples.push(((performance.now() - t0) * 1e6) / batch);
  }
  for (let i = w.timedEnd; i < w.writes.length; i++) driver.write(w.writes[i] as string, i);
  verify(caseName, driver.finish(), w.expected);
  return samples;
}

interface Row {
  readonly name: string;
  readonly small?: number | undefined;
  readonly large?: number | undefined;
  readonly note?: string | undefined;
}

export const group: BenchGroup = {
  name: 'scaling',
  title: 'scaling: cost of one write near the end of 1 MB vs 10 KB',
  async run({ streamshape, log }) {
    const small = workload(SMALL);
    const large = workload(LARGE);
    const rows: Row[] = [];
    const measureBoth = (name: string, make: (w: Workload) => () => Driver, note?: string, timed = TIMED, batch = BATCH, reps = REPS): Row => {
      log(`scaling: ${name}`);
      // Warm the JIT on one whole untimed pass first, or whichever size goes first pays for the
      // compilation. Then interleave the sizes, SMALL_REPS small parsers per large one, so that
      // both sizes' samples spread over the same stretch of time: a 10 KB run alone lasts about a
      // millisecond, and one burst of another process on the cores would skew all of it.
      perWrite(large, make(large), `${name} (warm-up)`, timed, batch);
      const smallSamples: number[] = [];
      const largeSamples: number[] = [];
      for (let rep = 0; rep < reps; rep++) {
        largeSamples.push(...perWrite(large, make(large), `${name} (1 MB)`, timed, batch));
        for (let i = 0; i < SMALL_REPS; i++) {
          smallSamples.push(...perWrite(small, make(small), `${name} (10 KB)`, timed, batch));
        }
      }
      const row = { name, small: median(smallSamples), large: median(largeSamples), note };
      rows.push(row);
      return row;
    };

    let deltas: Row | undefined;
    let snapshots: Row | undefined;
    if (streamshape.ok) {
      const { createPartialParser } = streamshape.api;
      deltas = measureBoth('streamshape (deltas)', () => () => {
        const parser = createPartialParser({ onDelta: (ops) => blackhole(ops) });
        return { write: (chunk) => parser.write(chunk), finish: () => parser.end() };
      });
      snapshots = measureBoth('streamshape (snapshots)', (w) => () => {
        const parser = createPartialParser();
        const readFrom = w.timedStart - WARM;
        return {
          write: (chunk, index) => {
            parser.write(chunk);
            if (index >= readFrom || index % READ_EVERY === 0) blackhole(parser.value);
          },
          finish: () => parser.end(),
        };
      });
    } else {
      rows.push({ name: 'streamshape (deltas)', note: 'skipped: not available' }, { name: 'streamshape (snapshots)', note: 'skipped: not available' });
    }

    measureBoth(`@streamparser/json ${packageVersion('@streamparser/json')} (partial values)`, () => () => {
      let root: unknown;
      const parser = new JSONParser({ emitPartialTokens: true, emitPartialValues: true });
      parser.onValue = (info) => {
        blackhole(info);
        if (info.stack.length === 0 && info.partial !== true) root = info.value;
      };
      return { write: (chunk) => parser.write(chunk), finish: () => root };
    });

    // Re-parses the accumulated text per write, so only the timed writes parse (the prefix would
    // take hours at 1 MB): 16 single writes, timed once (0.3 s at 1 MB).
    const incumbentWrites = 16;
    measureBoth(
      `partial-json ${packageVersion('partial-json')} (re-parse)`,
      (w) => () => {
        let text = '';
        let value: unknown;
        const parse = (): void => {
          try {
            value = partialJsonParse(text);
          } catch {
            // a rejected prefix: keep the last value, as an app would
          }
        };
        return {
          write: (chunk, index) => {
            text += chunk;
            if (index >= w.timedEnd - incumbentWrites && index < w.timedEnd) parse();
          },
          finish: () => {
            parse();
            return value;
          },
        };
      },
      `${incumbentWrites} writes, one parser at 1 MB, ${SMALL_REPS} at 10 KB`,
      incumbentWrites,
      1,
      1,
    );

    const table = markdownTable(
      ['case', `per write, ${formatBytes(SMALL)}`, `per write, ${formatBytes(LARGE)}`, '1 MB ÷ 10 KB'],
      rows.map((r) => [
        r.note === undefined ? r.name : `${r.name} (${r.note})`,
        r.small === undefined ? '—' : formatNs(r.small),
        r.large === undefined ? '—' : formatNs(r.large),
        r.small === undefined || r.large === undefined ? '—' : formatRatio(r.large / r.small),
      ]),
    );
    const ratio = (row: Row | undefined): number | undefined =>
      row?.small === undefined || row.large === undefined ? undefined : row.large / row.small;
    const workloadText = [
      `Workload: \`llmDocument(size, seed ${SEED})\` at ${formatBytes(SMALL)} and ${formatBytes(LARGE)}, cut by`,
      `\`fixedChunks(text, ${WRITE})\` into ${WRITE}-character writes. Timed: the last ${TIMED} writes before`,
      '`"closingRemarks"` (inside the last element of the long `sections` array), in batches of',
      `${BATCH} writes per timer reading, on ${REPS} fresh parsers at 1 MB interleaved with ${REPS * SMALL_REPS} at 10 KB;`,
      'the table gives the median cost of one write.',
      `**deltas**: \`onDelta\` on, no snapshot read. **snapshots**: \`parser.value\` read after each of the`,
      `${WARM + TIMED} writes before the end of the timed range (and every ${READ_EVERY}th write before that).`,
      'One untimed pass over the 1 MB document warms the JIT first; a full GC runs before the timed writes. The final value of the first parser of each case is checked',
      'against `JSON.parse`. @streamparser/json (O(n) total) and partial-json (re-parses the whole',
      'text per write) are shown for scale.',
    ].join(' ');
    return [
      workloadText,
      '',
      table + streamshapeNote(streamshape),
      '',
      'Targets:',
      '',
      targetList([
        target('streamshape deltas: 1 MB per-write cost within 2x of 10 KB', ratio(deltas), '<=', 2),
        target('streamshape snapshots: 1 MB per-write cost within 2x of 10 KB', ratio(snapshots), '<=', 2),
      ]),
    ].join('\n');
  },
};
