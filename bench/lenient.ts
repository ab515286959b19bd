/**
 * lenient: what repairing model output costs (issue 14, "Speed"). Three questions:
 *
 * 1. On valid input, does lenient mode cost anything? Lenient vs strict on the same 100 KB
 *    structured output, written whole and in 1-8 character deltas with the value read after every
 *    delta. Target: within 1.3x. Every lenient branch of the tokenizer sits behind a point where
 *    strict mode would fail, so valid text should take the strict path throughout.
 * 2. On a damaged answer, how does it compare with what users do today: `jsonrepair` + `JSON.parse`
 *    on the accumulated text after every delta (the AI SDK's re-parse, with a repairer in front)?
 *    That is O(n^2); target: at least 500x faster.
 * 3. How much do the repairs themselves cost? Lenient on the damaged text vs strict on the
 *    undamaged one, both in the same deltas with the value read after every delta. Target: within 2x.
 *
 * The damaged text is the 100 KB document with seeded `modelDamage` applied (the arbitrary of
 * `streamshape/testing`): a code fence around it and about 300 damages inside, of the kinds
 * jsonrepair also repairs (trailing commas, comments, single-quoted strings, unquoted keys,
 * Python and JavaScript literals), so both give the same final value and it can be checked.
 *
 * jsonrepair per delta is capped by sampling: a full run is about 23,000 calls on prefixes of up
 * to 100 KB (minutes). It runs on the prefix at every 100th delta (evenly spaced, so the prefix
 * sizes are a uniform sample) and the time is multiplied by 100: since one call costs in
 * proportion to its prefix, that estimates the full run's sum; the table marks it as estimated.
 *
 * @module
 */
import fc from 'fast-check';
import { jsonrepair } from 'jsonrepair';
import { performance } from 'node:perf_hooks';
import { modelDamage } from '../src/testing/index.js';
import { llmDeltas, llmDocument } from '../test/fixtures/documents.js';
import {
  type BenchGroup,
  type CaseResult,
  type Timing,
  blackhole,
  collectGarbage,
  formatMs,
  measure,
  packageVersion,
  ratioOf,
  skipped,
  target,
  targetList,
  timingTable,
  verify,
} from './harness.js';
import { loadBuilt } from './streamshape.js';

const SEED = 1;
const SIZE = 100 * 1024;
/** jsonrepair runs on the prefix at every SAMPLE_EVERY-th delta; its time is scaled by this. */
const SAMPLE_EVERY = 100;
const DAMAGES = 300;

/** The part of the built package this group calls (restated, as bench/streamshape.ts does). */
interface LenientParser {
  write(chunk: string): void;
  readonly value: unknown;
  end(): unknown;
  readonly warnings: readonly unknown[];
}
interface LenientApi {
  /** The lenient plug-in (opaque here). */
  lenient(): object;
  createPartialParser(options?: { lenient?: object; onWarning?: (warning: unknown) => void }): LenientParser;
}

/** Writes every delta, reading the value after each; returns the final value and the warning count. */
function streamed(api: LenientApi, deltas: readonly string[], lenient: boolean): { value: unknown; warnings: number } {
  const parser = api.createPartialParser(lenient ? { lenient: api.lenient() } : {});
  for (const delta of deltas) {
    parser.write(delta);
    blackhole(parser.value);
  }
  const value = parser.end();
  return { value, warnings: parser.warnings.length };
}

/** One write of the whole text. */
function whole(api: LenientApi, text: string, lenient: boolean): unknown {
  const parser = api.createPartialParser(lenient ? { lenient: api.lenient() } : {});
  parser.write(text);
  return parser.end();
}

/**
 * `jsonrepair` + `JSON.parse` on the accumulated text at every `every`-th delta (and the last);
 * a prefix jsonrepair rejects counts as a failure and the stream goes on, as an app would.
 */
function jsonrepairEach(deltas: readonly string[], every: number): { value: unknown; failures: number; calls: number } {
  let text = '';
  let value: unknown;
  let failures = 0;
  let calls = 0;
  deltas.forEach((delta, i) => {
    text += delta;
    if (i % every !== every - 1 && i !== deltas.length - 1) return;
    calls++;
    try {
      value = JSON.parse(jsonrepair(text));
    } catch {
      failures++;
    }
  });
  return { value, failures, calls };
}

/** The damaged document: seeded, so every run sees the same bytes. */
function damagedDocument(text: string): { text: string; expected: unknown; warnings: number } {
  const [sample] = fc.sample(
    modelDamage(fc.constant(text), {
      kinds: ['code-fence', 'trailing-comma', 'comment', 'single-quoted-string', 'unquoted-key', 'python-literal', 'javascript-literal'],
      minDamages: DAMAGES,
      maxDamages: DAMAGES,
    }),
    { numRuns: 1, seed: SEED },
  );
  if (sample === undefined) throw new Error('modelDamage gave no sample');
  return { text: sample.text, expected: sample.expected, warnings: sample.warnings.length };
}

const STRICT = 'strict';
const LENIENT = 'lenient';
const STRICT_CLEAN = 'strict, undamaged text';
const LENIENT_DAMAGED = 'lenient, damaged text';
const JSONREPAIR = `jsonrepair ${packageVersion('jsonrepair')} + JSON.parse per delta`;

export const group: BenchGroup = {
  name: 'lenient',
  title: 'lenient: repairing model output (valid input, damaged answer vs jsonrepair per delta)',
  async run({ log }) {
    const built = await loadBuilt<LenientApi>('createPartialParser');
    const text = llmDocument(SIZE, SEED);
    const expected: unknown = JSON.parse(text);
    const deltas = llmDeltas(text, SEED);
    const damaged = damagedDocument(text);
    const damagedDeltas = llmDeltas(damaged.text, SEED);
    const options = { warmup: 3, runs: 15, budgetMs: 4000 };

    // 1. Valid input.
    const valid: CaseResult[] = [];
    const validWhole: CaseResult[] = [];
    // 2-3. The damaged answer.
    const repair: CaseResult[] = [];
    if (!built.ok) {
      for (const list of [valid, validWhole]) list.push(skipped(STRICT, built.reason), skipped(LENIENT, built.reason));
      repair.push(skipped(STRICT_CLEAN, built.reason), skipped(LENIENT_DAMAGED, built.reason));
    } else {
      const api = built.api;
      // The lenient option must exist: on a damaged text, strict would throw.
      const probe = streamed(api, damagedDeltas, true);
      verify(LENIENT_DAMAGED, probe.value, damaged.expected);
      if (probe.warnings !== damaged.warnings) throw new Error(`${LENIENT_DAMAGED}: ${probe.warnings} warnings, ${damaged.warnings} expected`);
      for (const lenient of [false, true]) {
        const name = lenient ? LENIENT : STRICT;
        log(`lenient: valid input, ${name}, deltas`);
        verify(name, streamed(api, deltas, lenient).value, expected);
        valid.push(await measure(name, () => streamed(api, deltas, lenient), options));
        log(`lenient: valid input, ${name}, one write`);
        verify(name, whole(api, text, lenient), expected);
        validWhole.push(await measure(name, () => whole(api, text, lenient), options));
      }
      log('lenient: damaged answer, lenient and strict on the undamaged text');
      repair.push(await measure(STRICT_CLEAN, () => streamed(api, deltas, false), options));
      repair.push(await measure(LENIENT_DAMAGED, () => streamed(api, damagedDeltas, true), options));
    }

    log(`lenient: checking jsonrepair on the whole damaged text`);
    const final = jsonrepairEach([damaged.text], 1);
    let jsonrepairNote = '';
    try {
      verify(JSONREPAIR, final.value, damaged.expected);
    } catch (error) {
      // Timed all the same: the point is its cost per delta; the table says it differs.
      jsonrepairNote = `; its final value differs: ${error instanceof Error ? error.message : String(error)}`;
    }
    log(`lenient: timing jsonrepair on every ${SAMPLE_EVERY}th prefix (${Math.ceil(damagedDeltas.length / SAMPLE_EVERY)} calls)`);
    collectGarbage();
    const started = performance.now();
    const sampled = jsonrepairEach(damagedDeltas, SAMPLE_EVERY);
    const took = performance.now() - started;
    blackhole(sampled);
    const estimate: Timing = {
      kind: 'timing',
      name: JSONREPAIR,
      median: took * SAMPLE_EVERY,
      min: took * SAMPLE_EVERY,
      runs: 1,
      note: `estimated: ${sampled.calls} calls on every ${SAMPLE_EVERY}th prefix took ${formatMs(took)}, x${SAMPLE_EVERY}; ${sampled.failures} prefixes rejected${jsonrepairNote}`,
    };
    repair.push(estimate);

    const workload = [
      `Workload: \`llmDocument(${SIZE / 1024} KB, seed ${SEED})\` (${text.length} characters), cut by \`llmDeltas\` into`,
      `${deltas.length} deltas of 1 to 8 characters, the value read after every delta (\`parser.value\`). The damaged`,
      `answer is the same document with seeded \`modelDamage\` (${DAMAGES} damages attempted: a code fence, trailing`,
      'commas, comments, single quotes, unquoted keys, Python and JavaScript literals; the kinds jsonrepair',
      `also repairs), ${damaged.text.length} characters in ${damagedDeltas.length} deltas, ${damaged.warnings} warnings.`,
      'Every final value is checked first: lenient against the undamaged value and its exact number of warnings.',
    ].join(' ');
    return [
      workload,
      '',
      '### Valid input, 1-8 character deltas, value after every delta',
      '',
      timingTable(valid, [STRICT]),
      '',
      '### Valid input, one write of the whole text',
      '',
      timingTable(validWhole, [STRICT]),
      '',
      '### Damaged answer, 1-8 character deltas, value after every delta',
      '',
      timingTable(repair, [STRICT_CLEAN, LENIENT_DAMAGED]),
      '',
      'Targets (issue 14):',
      '',
      targetList([
        target('valid input, deltas: lenient within 1.3x of strict', ratioOf(valid, LENIENT, STRICT), '<=', 1.3),
        target('valid input, one write: lenient within 1.3x of strict', ratioOf(validWhole, LENIENT, STRICT), '<=', 1.3),
        target('damaged answer: lenient ≥ 500x faster than jsonrepair + JSON.parse per delta', ratioOf(repair, JSONREPAIR, LENIENT_DAMAGED), '>=', 500),
        target('damaged answer: lenient within 2x of strict on the undamaged text', ratioOf(repair, LENIENT_DAMAGED, STRICT_CLEAN), '<=', 2),
      ]),
    ].join('\n');
  },
};
