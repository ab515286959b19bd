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
  blackhole,
  measure,
  measureInTurns,
  pairedRatio,
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

const JSONL = 'streamshape createJsonlParser, NDJSON (string chunks; records read and dropped)';
const SELECT = "streamshape createPartialParser select: pointers('/items/*'), keep: false (string chunks; records read and dropped)";
const JSONL_KEPT = 'streamshape createJsonlParser, NDJSON (string chunks; every record kept)';
const SELECT_KEPT = "streamshape createPartialParser select: pointers('/items/*'), keep: false (string chunks; every record kept)";
const SELECT_KEEP = "streamshape createPartialParser select: pointers('/items/*'), keep: true (string chunks; every record kept)";
const SPJ = `@streamparser/json ${packageVersion('@streamparser/json')} paths ['$.items.*'] (string chunks; records read and dropped)`;
/** Rounds of the list pairs (each ~0.1 s a case): more than the other cases', as their ratio is a target. */
const LIST_RUNS = 15;
/** Untimed runs of each list case whose scavenges are counted (after the timing). */
const SCAVENGE_RUNS = 3;
const DELTAS = 'streamshape createPartialParser onDelta (deltas mode)';
const TEXT = "streamshape createPartialParser text: pointers('/answer'), onText";
const TEXT_AND_DELTAS = 'streamshape createPartialParser onText + onDelta';

/**
 * Where select + keep: false's time goes beside the JSON Lines parser's, from profiles taken when
 * the select run path was last changed: what it pays that JSON Lines does not, whether or not a
 * loaded run's medians happen to meet the target.
 */
const SELECT_GAP = [
  "What select + keep: false pays that the JSON Lines parser does not, records dropped (2026-12-02: `node --cpu-prof` with `JSON.parse` wrapped so its own time shows, and A/B runs of modified builds in one process, paired by round like the table above):",
  '',
  "- `JSON.parse` itself: ~10-15% longer inside select's run than inside the JSON Lines parser for the same records (~126 vs ~109 ms a run in one profile). The slices both hand it parse equally fast on their own (captured from each parser and parsed again: 116.2 vs 115.8 ms), and `perf` shows every one of V8's JSON parser functions higher alike, not one hot spot. Not explained yet; it is most of what is left.",
  "- Pointers (`/items/<n>`, one new string per element): built from digit tables instead of converting the index (~3%), on a 1-byte prefix (keys read from a chunk with characters past U+00FF are 2-byte strings, and so was every pointer built on them: +4.5%). A build that hands out the prefix alone ran ~2-4% faster still: that is the per-element string.",
  "- Searching the separator (`},\\n{`, 4 characters) per element where JSON Lines searches one: searching for the line break and checking the separator around it measured no faster. The tokenizer's second pass over the run for its line count: a build without it measured at most ~2% faster, so it stays.",
  '- Load widens the gap: on an idle machine the A/B runs put select + keep: false at 0.92-0.95x; with another process on the second core, 0.86-0.89x.',
].join('\n');

/** The part of the API the bench calls (restated so bench/ type-checks on its own). */
interface UiApi {
  createPartialParser(options: {
    select?: unknown;
    keep?: boolean;
    onElement?: (value: unknown, pointer: string) => void;
    text?: unknown;
    onText?: (delta: string, pointer: string, done: boolean) => void;
    onDelta?: (deltas: readonly unknown[]) => void;
  }): { write(chunk: string | Uint8Array): void; end(): unknown };
  createJsonlParser(options: { onValue?: (value: unknown) => void }): { write(chunk: string | Uint8Array): void; end(): void };
  /** The `select` / `text` plug-in. */
  pointers(...patterns: string[]): unknown;
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

    // Two consumers of every record. The target's pair reads each record and drops it, as an app
    // streaming a 100 MB list in bounded heap does (the point of keep: false); the second pair keeps
    // every record, as a test or a small list would, and pays V8's scavenges copying them.
    const listCases: Array<{ name: string; run: () => unknown }> = [];
    const keptCases: Array<{ name: string; run: () => unknown }> = [];
    const checks: Array<{ name: string; run: () => unknown }> = [];
    if (built.ok) {
      const api = built.api;
      // Each record to a callback; the parser stays alive until the next run (see `previous`).
      const list =
        (name: string, chunks: readonly string[], make: (onValue: (value: unknown) => void) => Writable, keepRecords: boolean) =>
        (): unknown => {
          const out: unknown[] = [];
          let count = 0;
          const parser = make(keepRecords ? (value) => void out.push(value) : () => void count++);
          previous.set(name, parser);
          for (const chunk of chunks) parser.write(chunk);
          parser.end();
          return keepRecords ? out : count;
        };
      const jsonl = (onValue: (value: unknown) => void) => api.createJsonlParser({ onValue });
      const select = (onElement: (value: unknown) => void) => api.createPartialParser({ select: api.pointers('/items/*'), keep: false, onElement });
      const selectKeep = (onElement: (value: unknown) => void) => api.createPartialParser({ select: api.pointers('/items/*'), onElement });
      listCases.push({ name: JSONL, run: list(JSONL, lineChunks, jsonl, false) }, { name: SELECT, run: list(SELECT, docChunks, select, false) });
      keptCases.push(
        { name: JSONL_KEPT, run: list(JSONL_KEPT, lineChunks, jsonl, true) },
        { name: SELECT_KEPT, run: list(SELECT_KEPT, docChunks, select, true) },
        { name: SELECT_KEEP, run: list(SELECT_KEEP, docChunks, selectKeep, true) },
      );
      checks.push(...keptCases);
    }
    const spjCase = {
      name: SPJ,
      run: () => {
        let count = 0;
        const parser = new JSONParser({ paths: ['$.items.*'], keepStack: false });
        previous.set(SPJ, parser);
        parser.onValue = () => void count++;
        for (const chunk of docChunks) parser.write(chunk);
        return count;
      },
    };
    checks.push({
      name: SPJ,
      run: () => {
        const out: unknown[] = [];
        const parser = new JSONParser({ paths: ['$.items.*'], keepStack: false });
        parser.onValue = ({ value }) => void out.push(value);
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
            text: api.pointers('/answer'),
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

    for (const c of checks) {
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
    if (built.ok) {
      log('ui: timing select + keep: false and JSON Lines in turns (records dropped)');
      listResults.push(...measureInTurns(listCases, { ...options, runs: LIST_RUNS }));
      log('ui: timing in turns (records kept)');
      listResults.push(...measureInTurns(keptCases, { ...options, runs: LIST_RUNS }));
    } else {
      for (const name of [JSONL, SELECT, JSONL_KEPT, SELECT_KEPT, SELECT_KEEP]) listResults.push(skipped(name, built.reason));
    }
    log(`ui: timing ${SPJ}`);
    listResults.push(await measure(SPJ, spjCase.run, { ...options, runs: 3 }));
    for (const c of [...listCases, ...keptCases]) {
      const counted = await withScavenges(async () => {
        for (let i = 0; i < SCAVENGE_RUNS; i++) blackhole(c.run());
      });
      scavenges.set(c.name, `${(counted.count / SCAVENGE_RUNS).toFixed(1)} (${(counted.ms / SCAVENGE_RUNS).toFixed(1)} ms)`);
    }
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
      peak = retainedPeak(docChunks, () => api.createPartialParser({ select: api.pointers('/items/*'), keep: false, onElement: () => void count++ }));
      memory = `\nHeap kept alive by select + keep: false (a full GC and \`heapUsed\` after every chunk, above the heap before the first write, elements counted and dropped): ${formatBytes(peak)} for a ${formatBytes(doc.length)} document whose longest element is ${longest} characters, in chunks of ${formatBytes(CHUNK)}.`;
    }

    // Throughput ratio = inverse time ratio.
    // Throughput ratio = inverse time ratio, paired by round (see pairedRatio); the medians' ratio beside it.
    const selectVsJsonl = ((r) => (r === undefined ? undefined : 1 / r))(pairedRatio(listResults, SELECT, JSONL));
    const selectVsJsonlMedians = ((r) => (r === undefined ? undefined : 1 / r))(ratioOf(listResults, SELECT, JSONL));
    const textVsDeltas = ratioOf(textResults, TEXT, DELTAS);
    const fastest = [timingOf(listResults, JSONL), timingOf(listResults, SELECT)];
    const selectVsJsonlFastest = fastest[0] && fastest[1] ? fastest[0].min / fastest[1].min : undefined;
    const keptVsJsonl = ((r) => (r === undefined ? undefined : 1 / r))(pairedRatio(listResults, SELECT_KEPT, JSONL_KEPT));
    return [
      `Long lists: \`ndjson(${formatBytes(SIZE)}, seed ${SEED})\` from test/fixtures/documents.ts, ${lines.length} records, parsed as JSON Lines (${lineChunks.length} chunks of ${formatBytes(CHUNK)}) and written as one \`{"items": [...]}\` document (records joined by \`,\\n\`; ${docChunks.length} chunks). Every case's records were checked against \`JSON.parse\` of their lines before timing. Timed, the first pair's callback reads each record and drops it, as an app streaming a list too long to hold does (the reason for \`keep: false\`); in the second, the callback keeps every record, as a test or a short list would, so V8's scavenges copy the records kept so far. Each pair is timed in turns (\`measureInTurns\` in bench/harness.ts: one run of each case per round, ${LIST_RUNS} rounds), so both meet the same machine, and the ratios below are the median of the rounds' ratios (\`pairedRatio\`). With \`keep: false\` nothing of a delivered element stays in the parser. Every case keeps the parser of its previous run alive through the next (\`previous\` in bench/ui.ts): after the full GC before the warm-up, a parser built from classes would otherwise restart in unoptimized code.`,
      '',
      timingTable(listResults, [JSONL, JSONL_KEPT]),
      '',
      `Scavenges (V8's minor GCs, \`perf_hooks\` \`gc\` entries) a run, in ${SCAVENGE_RUNS} untimed runs of each case after the timing: ${[...scavenges].map(([name, text]) => `${name.replace('string chunks; ', '')}: ${text}`).join('; ')}.`,
      memory,
      '',
      `Typewriter field: a ${formatBytes(STRING_SIZE)} string (quotes, backslashes, newlines, non-ASCII and astral characters, so escapes too) as \`answer\` of a small object, in ${deltas.length} deltas of 1-8 characters (\`llmDeltas\`); \`onText\` receives the unescaped text (checked against the string before timing); deltas mode is \`onDelta\` alone. Timed, every consumer counts what it receives (code units or deltas); the text is kept only for the check.`,
      '',
      timingTable(textResults, [DELTAS]),
      '',
      'Targets:',
      '',
      targetList([
        target('select + keep: false ≥ 0.9x the throughput of the JSON Lines parser on the same records, read and dropped (issue 16)', selectVsJsonl, '>=', 0.9),
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
      `Ratios: select + keep: false at ${formatRatio(selectVsJsonl)} of the JSON Lines parser's throughput with records dropped (the median over the ${LIST_RUNS} rounds of each round's ratio: its two runs met the same machine; ${formatRatio(selectVsJsonlMedians)} by the two medians, ${formatRatio(selectVsJsonlFastest)} by the fastest run of each) and ${formatRatio(keptVsJsonl)} with every record kept (per round); onText at ${formatRatio(textVsDeltas)} of deltas mode's time.`,
      '',
      SELECT_GAP,
    ].join('\n');
  },
};
