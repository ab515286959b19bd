/**
 * ui: what UIs stream (issue 16). `select` + `keep: false` on the 10 MB JSON Lines records
 * written as one `{"items": [...]}` document, against the JSON Lines parser on the same records
 * (target: at least 0.9x its throughput, heap bounded by the largest element); and `onText` on a
 * 1 MB string in 1-8 character deltas, against deltas mode (target: within 1.5x).
 *
 * @module
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { JSONParser } from '@streamparser/json';
import { fixedChunks, llmDeltas, ndjson } from '../test/fixtures/documents.js';
import {
  type BenchGroup,
  type CaseResult,
  canCollectGarbage,
  collectGarbage,
  formatBytes,
  formatRatio,
  measure,
  packageVersion,
  ratioOf,
  skipped,
  target,
  targetList,
  timingOf,
  timingTable,
  verify,
} from './harness.js';
import { loadBuilt } from './streamshape.js';

const SIZE = 10 * 1024 * 1024;
const CHUNK = 64 * 1024;
const SEED = 1;
const STRING_SIZE = 1024 * 1024;

const JSONL = 'streamshape createJsonlParser, NDJSON (string chunks)';
const SELECT = "streamshape createPartialParser select ['/items/*'] keep: false (string chunks)";
const SELECT_KEEP = "streamshape createPartialParser select ['/items/*'] (keep: true; string chunks)";
const SPJ = `@streamparser/json ${packageVersion('@streamparser/json')} paths ['$.items.*'] (string chunks)`;
const DELTAS = 'streamshape createPartialParser onDelta (deltas mode)';
const TEXT = "streamshape createPartialParser text ['/answer'] onText";
const TEXT_AND_DELTAS = 'streamshape createPartialParser onText + onDelta';

/**
 * Where select + keep: false's time goes beside the JSON Lines parser's, from profiles taken when
 * the select run path was last changed: what it pays that JSON Lines does not, whether or not a
 * loaded run's medians happen to meet the target.
 */
const SELECT_GAP = [
  'What select + keep: false pays that the JSON Lines parser does not (profiled 2026-12-02 with `perf record -e cpu-clock -F 4000` and `node --cpu-prof`, 10 runs of each case in its own process, the previous parser kept alive as here; the machine was loaded, so counts, not times, are compared):',
  '',
  "- Not in `JSON.parse`: both parse the same records from slices of their chunk, and V8's JSON parser samples are no higher in the select runs (`ScanJsonString` 522 vs 589, `BuildJsonObject` 427 vs 596, string table 584 vs 594).",
  "- One scavenge a run (line above): the pointers handed to `onElement` (`/items/<n>`, 3.5 MB of strings a run) take the run's allocation from 15.8 MB (JSON Lines) to 19.5 MB (measured with `--max-semi-space-size=512`), past the 16 MB young generation, and the scavenge copies every record the callback has kept so far: 371 scavenger samples vs 146 in the profile, the scavenge times a run in the line above. A consumer that keeps no record does not pay it.",
  "- Each separator is scanned twice: select's `indexOf` of the separator finds the records, then the tokenizer counts the line breaks over the run it took (for later error positions): 238 string-search samples vs 121, ~3 ms.",
  '- Delivery (pointer strings, `onElement` through its guard, the watch bookkeeping): ~3-5 ms.',
].join('\n');

/** The part of the API the bench calls (restated so bench/ type-checks on its own). */
interface UiApi {
  createPartialParser(options: {
    select?: readonly string[];
    keep?: boolean;
    onElement?: (value: unknown, pointer: string) => void;
    text?: readonly string[];
    onText?: (delta: string, pointer: string, done: boolean) => void;
    onDelta?: (deltas: readonly unknown[]) => void;
  }): { write(chunk: string | Uint8Array): void; end(): unknown };
  createJsonlParser(options: { onValue?: (value: unknown) => void }): { write(chunk: string | Uint8Array): void; end(): void };
}

/**
 * The parser each case made last, kept alive until the case makes its next one. With nothing of a
 * parser left alive, a major GC (the ones a run's own garbage causes; `measure` forces one only
 * before the warm-up) frees its objects' hidden classes (map transitions are weak) and the
 * optimized code depending on them, and call sites that saw only the dead run's callback lose it:
 * the next run starts in unoptimized code and recompiles. streamshape's parsers keep an idle
 * instance for that (`shapeKeeper` in src/partial/parser.ts); @streamparser/json does not, and
 * before the library did, select + keep: false on the 10 MB document took ~300 ms a run instead of
 * ~170 ms (loaded machine). A process that parses keeps parsers alive; every case here keeps its
 * previous one, the same way, so all are warmed alike.
 */
const previous = new Map<string, unknown>();

/** What the cases write to: a JSON Lines parser or a partial parser. */
type Writable = { write(chunk: string | Uint8Array): void; end(): unknown };

/** Awaits `fn`, counting the scavenges (minor GCs) V8 reports meanwhile and their total time in ms. */
async function withScavenges<T>(fn: () => Promise<T>): Promise<{ result: T; count: number; ms: number }> {
  let count = 0;
  let ms = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MINOR) continue;
      count++;
      ms += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const result = await fn();
  await new Promise((resolve) => setTimeout(resolve, 50)); // the entries are delivered asynchronously, after a tick or two
  observer.disconnect();
  return { result, count, ms };
}

/** Peak heap kept alive while `run` writes `chunks` (a full GC and `heapUsed` after every chunk). */
function retainedPeak(chunks: readonly string[], make: () => { write(chunk: string): void; end(): unknown }): number {
  const parser = make();
  collectGarbage();
  collectGarbage();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  for (const chunk of chunks) {
    parser.write(chunk);
    collectGarbage();
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  }
  parser.end();
  return peak;
}

export const group: BenchGroup = {
  name: 'ui',
  title: 'ui: long lists (select + keep: false) and typewriter fields (onText)',
  async run({ log }) {
    const ndjsonText = ndjson(SIZE, SEED);
    const lines = ndjsonText.split('\n').filter((line) => line.trim() !== '');
    const expected = lines.map((line) => JSON.parse(line) as unknown);
    const longest = lines.reduce((max, line) => Math.max(max, line.length), 0);
    const doc = `{"items": [${lines.join(',\n')}]}`;
    const lineChunks = fixedChunks(ndjsonText, CHUNK);
    const docChunks = fixedChunks(doc, CHUNK);
    const built = await loadBuilt<UiApi>('createPartialParser');
    const options = { warmup: 1, runs: 7, budgetMs: 5000 };

    const listCases: Array<{ name: string; run: () => unknown[]; runs?: number }> = [];
    if (built.ok) {
      const api = built.api;
      // Every record to a callback that keeps it; the parser stays alive until the next run (see `previous`).
      const collect =
        (name: string, chunks: readonly string[], make: (onValue: (value: unknown) => void) => Writable) =>
        (): unknown[] => {
          const out: unknown[] = [];
          const parser = make((value) => out.push(value));
          previous.set(name, parser);
          for (const chunk of chunks) parser.write(chunk);
          parser.end();
          return out;
        };
      listCases.push(
        { name: JSONL, run: collect(JSONL, lineChunks, (onValue) => api.createJsonlParser({ onValue })) },
        {
          name: SELECT,
          run: collect(SELECT, docChunks, (onElement) => api.createPartialParser({ select: ['/items/*'], keep: false, onElement })),
        },
        { name: SELECT_KEEP, run: collect(SELECT_KEEP, docChunks, (onElement) => api.createPartialParser({ select: ['/items/*'], onElement })) },
      );
    }
    listCases.push({
      name: SPJ,
      runs: 3,
      run: () => {
        const out: unknown[] = [];
        const parser = new JSONParser({ paths: ['$.items.*'], keepStack: false });
        previous.set(SPJ, parser);
        parser.onValue = ({ value }) => {
          out.push(value);
        };
        for (const chunk of docChunks) parser.write(chunk);
        return out;
      },
    });

    // 1 MB of prose (escapes and non-ASCII included) as one field, in model-sized deltas.
    const prose = 'Streaming text "quoted", a backslash \\ and a line\nbreak, non-ASCII é — ✓ 😀. '.repeat(Math.ceil(STRING_SIZE / 70)).slice(0, STRING_SIZE);
    const textDoc = JSON.stringify({ title: 'T', answer: prose, done: true });
    const deltas = llmDeltas(textDoc, SEED);
    const textCases: Array<{ name: string; run: (collect?: boolean) => unknown }> = [];
    if (built.ok) {
      const api = built.api;
      // Timed, each consumer counts what it gets (code units or deltas); checked (`collect`), onText's
      // keeps the text. Concatenating 245,000 deltas would build a 1 MB rope the timing charges to onText.
      const typewriter =
        (name: string, withDeltas: boolean) =>
        (collect = false): unknown => {
          let text = '';
          let count = 0;
          const parser = api.createPartialParser({
            text: ['/answer'],
            onText: collect ? (delta) => void (text += delta) : (delta) => void (count += delta.length),
            ...(withDeltas ? { onDelta: (d: readonly unknown[]) => void (count += d.length) } : {}),
          });
          previous.set(name, parser);
          for (const delta of deltas) parser.write(delta);
          parser.end();
          return collect ? text : count;
        };
      textCases.push(
        {
          name: DELTAS,
          run: () => {
            let count = 0;
            const parser = api.createPartialParser({ onDelta: (d) => void (count += d.length) });
            previous.set(DELTAS, parser);
            for (const delta of deltas) parser.write(delta);
            parser.end();
            return count;
          },
        },
        { name: TEXT, run: typewriter(TEXT, false) },
        { name: TEXT_AND_DELTAS, run: typewriter(TEXT_AND_DELTAS, true) },
      );
    }

    for (const c of listCases) {
      log(`ui: checking ${c.name}`);
      verify(c.name, c.run(), expected);
    }
    for (const c of textCases) {
      if (c.name === DELTAS) continue;
      log(`ui: checking ${c.name}`);
      verify(c.name, c.run(true), prose);
    }

    const listResults: CaseResult[] = [];
    const scavenges = new Map<string, string>();
    for (const c of listCases) {
      log(`ui: timing ${c.name}`);
      const timed = await withScavenges(() => measure(c.name, c.run, { ...options, runs: c.runs ?? options.runs }));
      listResults.push(timed.result);
      const calls = timed.result.runs + options.warmup;
      scavenges.set(c.name, `${(timed.count / calls).toFixed(1)} (${(timed.ms / calls).toFixed(1)} ms)`);
    }
    if (!built.ok) listResults.unshift(skipped(JSONL, built.reason), skipped(SELECT, built.reason), skipped(SELECT_KEEP, built.reason));
    const textResults: CaseResult[] = [];
    for (const c of textCases) {
      log(`ui: timing ${c.name}`);
      textResults.push(await measure(c.name, () => c.run(), options));
    }
    if (!built.ok) textResults.push(skipped(DELTAS, built.reason), skipped(TEXT, built.reason), skipped(TEXT_AND_DELTAS, built.reason));

    let peak: number | undefined;
    let memory = '\nHeap kept alive: not measured (run with node --expose-gc).';
    if (built.ok && canCollectGarbage) {
      log('ui: retained heap');
      previous.clear();
      const api = built.api;
      let count = 0;
      peak = retainedPeak(docChunks, () => api.createPartialParser({ select: ['/items/*'], keep: false, onElement: () => void count++ }));
      memory = `\nHeap kept alive by select + keep: false (a full GC and \`heapUsed\` after every chunk, above the heap before the first write, elements counted and dropped): ${formatBytes(peak)} for a ${formatBytes(doc.length)} document whose longest element is ${longest} characters, in chunks of ${formatBytes(CHUNK)}.`;
    }

    // Throughput ratio = inverse time ratio.
    const selectVsJsonl = ((r) => (r === undefined ? undefined : 1 / r))(ratioOf(listResults, SELECT, JSONL));
    const textVsDeltas = ratioOf(textResults, TEXT, DELTAS);
    const fastest = [timingOf(listResults, JSONL), timingOf(listResults, SELECT)];
    const selectVsJsonlFastest = fastest[0] && fastest[1] ? fastest[0].min / fastest[1].min : undefined;
    return [
      `Long lists: \`ndjson(${formatBytes(SIZE)}, seed ${SEED})\` from test/fixtures/documents.ts, ${lines.length} records, parsed as JSON Lines (${lineChunks.length} chunks of ${formatBytes(CHUNK)}) and written as one \`{"items": [...]}\` document (records joined by \`,\\n\`; ${docChunks.length} chunks), every record delivered to a callback and checked against \`JSON.parse\` of its line before timing. With \`keep: false\` nothing of a delivered element stays in the parser. Every case keeps the parser of its previous run alive through the next (\`previous\` in bench/ui.ts): after the full GC before each run, a parser built from classes would otherwise restart in unoptimized code every run.`,
      '',
      timingTable(listResults, [JSONL]),
      '',
      `Scavenges (V8's minor GCs, \`perf_hooks\` \`gc\` entries) a run, warm-up included: ${[...scavenges].map(([name, text]) => `${name.replace(/ \(.*$/, '')}: ${text}`).join('; ')}.`,
      memory,
      '',
      `Typewriter field: a ${formatBytes(STRING_SIZE)} string (quotes, backslashes, newlines, non-ASCII and astral characters, so escapes too) as \`answer\` of a small object, in ${deltas.length} deltas of 1-8 characters (\`llmDeltas\`); \`onText\` receives the unescaped text (checked against the string before timing); deltas mode is \`onDelta\` alone. Timed, every consumer counts what it receives (code units or deltas); the text is kept only for the check.`,
      '',
      timingTable(textResults, [DELTAS]),
      '',
      'Targets:',
      '',
      targetList([
        target('select + keep: false ≥ 0.9x the throughput of the JSON Lines parser on the same records (issue 16)', selectVsJsonl, '>=', 0.9),
        target(
          'heap kept by select + keep: false ≤ 1 MB (bounded by the element in progress and the chunk, not the 10 MB document)',
          peak,
          '<=',
          1024 * 1024,
          formatBytes,
        ),
        target('onText on a 1 MB string in 1-8 character deltas ≤ 1.5x the time of deltas mode (issue 16)', textVsDeltas, '<=', 1.5),
      ]),
      '',
      `Ratios: select + keep: false at ${formatRatio(selectVsJsonl)} of the JSON Lines parser's throughput (${formatRatio(selectVsJsonlFastest)} by the fastest run of each, which other processes disturb least); onText at ${formatRatio(textVsDeltas)} of deltas mode's time.`,
      '',
      SELECT_GAP,
    ].join('\n');
  },
};
