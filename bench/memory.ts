/**
 * memory: peak heap while parsing the 10 MB bulk document in 64 KB chunks, against the heap the
 * value `JSON.parse` returns takes. Each case runs in a fresh node process (this file with
 * `--memory-child`), so one case's garbage and JIT state cannot inflate another's numbers.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { JSONParser } from '@streamparser/json';
import { parse as jsonriverParse } from 'jsonriver';
import { bulkDocument, fixedChunks } from '../test/fixtures/documents.js';
import {
  type BenchGroup,
  blackhole,
  collectGarbage,
  formatBytes,
  formatRatio,
  markdownTable,
  packageVersion,
  streamshapeNote,
  target,
  targetList,
  verify,
} from './harness.js';
import { loadStreamshape } from './streamshape.js';

const SIZE = 10 * 1024 * 1024;
const CHUNK = 64 * 1024;
const SEED = 1;
const CHILD_FLAG = '--memory-child';

/** How heap is sampled after every write. */
type Mode = 'live' | 'raw';

const JSON_PARSE = 'JSON.parse';
const SS_SNAPSHOTS = 'streamshape (snapshot every 64 KB)';
const SS_WRITES = 'streamshape (no snapshot read)';
const SPJ = `@streamparser/json ${packageVersion('@streamparser/json')}`;
const RIVER = `jsonriver ${packageVersion('jsonriver')}`;

/** Case name → what it keeps alive. */
const CASES: ReadonlyMap<string, string> = new Map([
  [JSON_PARSE, 'the value `JSON.parse` returns for the whole text'],
  [SS_SNAPSHOTS, '`parser.value` read after every write; the last snapshot kept'],
  [SS_WRITES, 'writes only; the value taken from `end()`'],
  [SPJ, "`paths: ['$']`, final value only"],
  [RIVER, 'every yielded value read (one object, mutated in place)'],
]);

/** What a child prints as its last line. */
type ChildReport =
  | { ok: true; base: number; peak: number; samples: number }
  | { ok: false; reason: string; /** A wrong value or a crash, not a missing prerequisite. */ failed: boolean };

// ---------------------------------------------------------------------------------------------
// Child side: one case, one mode, one process.

async function child(name: string, mode: Mode): Promise<ChildReport> {
  if (typeof globalThis.gc !== 'function') return { ok: false, reason: 'run with node --expose-gc', failed: false };
  const text = bulkDocument(SIZE, SEED);
  const chunks = fixedChunks(text, CHUNK);
  const streamshape = name.startsWith('streamshape') ? await loadStreamshape() : undefined;
  if (streamshape !== undefined && !streamshape.ok) return { ok: false, reason: 'not available', failed: false };
  collectGarbage();
  collectGarbage();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  let samples = 0;
  const sample = (): void => {
    if (mode === 'live') collectGarbage();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    samples++;
  };

  let result: unknown;
  if (name === JSON_PARSE) {
    result = JSON.parse(text);
    sample();
  } else if (streamshape?.ok) {
    const parser = streamshape.api.createPartialParser();
    const read = name === SS_SNAPSHOTS;
    let snapshot: unknown;
    for (const chunk of chunks) {
      parser.write(chunk);
      if (read) snapshot = parser.value;
      sample();
    }
    blackhole(snapshot);
    result = parser.end();
    sample();
  } else if (name === SPJ) {
    const parser = new JSONParser({ paths: ['$'] });
    parser.onValue = ({ value }) => {
      result = value;
    };
    for (const chunk of chunks) {
      parser.write(chunk);
      sample();
    }
  } else if (name === RIVER) {
    const source = (async function* () {
      for (const chunk of chunks) yield chunk;
    })();
    for await (const value of jsonriverParse(source)) {
      result = value;
      sample();
    }
  } else {
    throw new Error(`unknown case ${name}`);
  }
  // Checked after measuring, so the expected value does not count.
  verify(name, result, JSON.parse(text));
  return { ok: true, base, peak, samples };
}

// ---------------------------------------------------------------------------------------------
// Parent side.

function runChild(name: string, mode: Mode): ChildReport {
  const file = fileURLToPath(import.meta.url);
  const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', file, CHILD_FLAG, name, mode], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = output.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as ChildReport;
}

export const group: BenchGroup = {
  name: 'memory',
  title: 'memory: peak heap while parsing the 10 MB document',
  async run({ streamshape, log }) {
    const reports = new Map<string, ChildReport>();
    for (const name of CASES.keys()) {
      for (const mode of ['live', 'raw'] as const) {
        log(`memory: ${name}, ${mode} (fresh process)`);
        const report = runChild(name, mode);
        if (!report.ok && report.failed) throw new Error(`memory: ${name} (${mode}): ${report.reason}`);
        reports.set(`${name}|${mode}`, report);
      }
    }
    const extra = (name: string, mode: Mode): number | undefined => {
      const report = reports.get(`${name}|${mode}`);
      return report?.ok === true ? report.peak - report.base : undefined;
    };
    const cell = (bytes: number | undefined): string => (bytes === undefined ? '—' : formatBytes(bytes));
    const rows = [...CASES].map(([name, kept]) => {
      const live = reports.get(`${name}|live`);
      const skippedReason = live?.ok === false ? ` (skipped: ${live.reason})` : '';
      const liveRatio = extra(name, 'live');
      const rawRatio = extra(name, 'raw');
      const liveBase = extra(JSON_PARSE, 'live');
      const rawBase = extra(JSON_PARSE, 'raw');
      return [
        `${name}${skippedReason}`,
        kept,
        cell(liveRatio),
        formatRatio(liveRatio !== undefined && liveBase ? liveRatio / liveBase : undefined),
        cell(rawRatio),
        formatRatio(rawRatio !== undefined && rawBase ? rawRatio / rawBase : undefined),
      ];
    });
    const base = reports.get(`${JSON_PARSE}|live`);
    const ss = extra(SS_SNAPSHOTS, 'live');
    const floor = extra(JSON_PARSE, 'live');
    const workload = [
      `Workload: \`bulkDocument(${formatBytes(SIZE)}, seed ${SEED})\` in 64 KB string chunks, each case in a fresh`,
      '`node --expose-gc` process. After the text and its chunks exist, two full GCs, then the baseline',
      '`heapUsed`' + (base?.ok === true ? ` (${formatBytes(base.base)}: the text, its chunks, the loaded code)` : '') + '.',
      'The table gives the peak of `process.memoryUsage().heapUsed` above that baseline, sampled after every',
      'write (and after `end()`). **live**: `global.gc()` before each sample, so the peak is what the parser',
      'and the values it hands out keep alive. **no forced GC**: sampled as is, garbage included, so it',
      "depends on when V8 collects. For `JSON.parse` the sample is taken once, after it returns (its",
      'transient peak inside the call cannot be sampled). Every final value is checked against `JSON.parse`',
      'after measuring.',
    ].join(' ');
    return [
      workload,
      '',
      markdownTable(['case', 'what is kept', 'peak, live', '÷ JSON.parse', 'peak, no forced GC', '÷ JSON.parse'], rows, ['l', 'l', 'r', 'r', 'r', 'r']) + streamshapeNote(streamshape),
      '',
      'Targets:',
      '',
      targetList([
        target(
          'streamshape peak live heap (snapshot every 64 KB) within 3x of the value JSON.parse returns',
          ss !== undefined && floor !== undefined ? ss / floor : undefined,
          '<=',
          3,
        ),
      ]),
    ].join('\n');
  },
};

if (process.argv[2] === CHILD_FLAG) {
  const [name, mode] = process.argv.slice(3) as [string, Mode];
  let report: ChildReport;
  try {
    report = await child(name, mode);
  } catch (error) {
    report = { ok: false, reason: error instanceof Error ? error.message : String(error), failed: true };
  }
  process.stdout.write(`\n${JSON.stringify(report)}\n`);
}
