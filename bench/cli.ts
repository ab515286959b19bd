/**
 * cli: `streamshape check` on a 100 MB JSON Lines file, against the JSONL parser alone; and on a
 * file of bad records only, against `split` + `JSON.parse` (the error path: every record is
 * positioned and counted).
 *
 * `check` runs in-process (`checkFile` from src/cli/check.ts, the function the command calls,
 * with and without the progress-bar callback), so the numbers show what the command adds to the
 * parser (file reading, the per-record callbacks, error bookkeeping, progress) without Node's
 * start-up; one child-process run of the real command is shown for reference. The parser alone
 * is timed twice: on the file's bytes already in memory (the strict baseline: no I/O at all), and
 * reading the file the same way `check` does.
 *
 * @module
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedChunks, ndjson } from '../test/fixtures/documents.js';
import { type BenchGroup, type CaseResult, formatBytes, formatRatio, markdownTable, measure, measureOnce, ratioOf, skipped, target, targetList, timingOf, timingTable } from './harness.js';

const SIZE = 100 * 1024 * 1024;
const SEED = 7;
const CHUNK = 256 * 1024; // check's read size

const ALONE_MEMORY = 'createJsonlParser alone (bytes in memory, 256 KB chunks)';
const ALONE_FILE = 'createJsonlParser alone, reading the file (fs stream, 256 KB chunks)';
const CHECK = 'streamshape check (checkFile, in-process)';
const CHECK_PROGRESS = 'streamshape check + progress bar callback (checkFile, in-process)';
const CHECK_PROCESS = 'streamshape check (child process: node --import tsx src/cli/main.ts check)';

const BAD_LINES = 200_000;
const BAD_SPLIT = 'bad records: split + JSON.parse (text in memory, each failure caught)';
const BAD_CHECK = 'bad records: streamshape check (checkFile, in-process)';

/** A bad JSON Lines record of three kinds: a broken literal, a missing comma, a string cut off. */
function badLine(i: number): string {
  switch (i % 3) {
    case 0:
      return `{"id": ${i}, "name": "item ${i}", "ok": tru}`;
    case 1:
      return `{"id": ${i}, "name": "item ${i}" "x": 1}`;
    default:
      return `{"id": ${i}, "name": "cut ${i}`;
  }
}

interface CliApi {
  createJsonlParser(options: { onValue?: ((value: unknown) => void) | undefined }): { write(chunk: Uint8Array): void; end(): void; readonly records: number };
  checkFile(
    path: string,
    options?: { onProgress?: ((bytes: number) => void) | undefined; maxErrors?: number | undefined },
  ): Promise<{ records: number; bad: number }>;
}

async function loadApi(): Promise<{ ok: true; api: CliApi } | { ok: false; reason: string }> {
  try {
    const jsonl = (await import('../src/jsonl/index.js')) as unknown as Pick<CliApi, 'createJsonlParser'>;
    const check = (await import('../src/cli/check.js')) as unknown as Pick<CliApi, 'checkFile'>;
    return { ok: true, api: { createJsonlParser: jsonl.createJsonlParser, checkFile: check.checkFile } };
  } catch (error) {
    return { ok: false, reason: `importing src/ failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

export const group: BenchGroup = {
  name: 'cli',
  title: 'cli: streamshape check on a 100 MB JSON Lines file',
  async run({ log }) {
    const loaded = await loadApi();
    if (!loaded.ok) return `> skipped: ${loaded.reason}`;
    const { api } = loaded;
    const dir = mkdtempSync(join(tmpdir(), 'streamshape-bench-cli-'));
    try {
      log('cli: generating the file');
      const path = join(dir, 'records.jsonl');
      let text: string | undefined = ndjson(SIZE, SEED);
      writeFileSync(path, text);
      const expected = text.split('\n').filter((line) => line.trim() !== '').length;
      text = undefined; // do not keep 200 MB of string alive while timing
      const file = readFileSync(path);
      const bytes = { length: file.byteLength };
      // Own copies, not views of one 100 MB Buffer, as a read stream would deliver them.
      const chunks = fixedChunks(new Uint8Array(file.buffer, file.byteOffset, file.byteLength), CHUNK).map((chunk) => chunk.slice());

      const alone = (): number => {
        let count = 0;
        const parser = api.createJsonlParser({ onValue: () => void count++ });
        for (const chunk of chunks) parser.write(chunk);
        parser.end();
        return count;
      };
      const aloneFile = async (): Promise<number> => {
        let count = 0;
        const parser = api.createJsonlParser({ onValue: () => void count++ });
        for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Uint8Array>) parser.write(chunk);
        parser.end();
        return count;
      };
      const check = async (): Promise<number> => {
        const result = await api.checkFile(path);
        if (result.bad !== 0) throw new Error(`check found ${result.bad} bad records in a good file`);
        return result.records;
      };
      let progressCalls = 0;
      const checkProgress = async (): Promise<number> => {
        const result = await api.checkFile(path, { onProgress: () => void progressCalls++ });
        return result.records;
      };

      for (const [name, fn] of [
        [ALONE_MEMORY, alone],
        [ALONE_FILE, aloneFile],
        [CHECK, check],
        [CHECK_PROGRESS, checkProgress],
      ] as const) {
        log(`cli: checking ${name}`);
        const count = await fn();
        if (count !== expected) throw new Error(`${name}: ${count} records, expected ${expected}`);
      }
      const options = { warmup: 1, runs: 7, budgetMs: 8000 };
      const results: CaseResult[] = [];
      for (const [name, fn] of [
        [ALONE_MEMORY, alone],
        [ALONE_FILE, aloneFile],
        [CHECK, check],
        [CHECK_PROGRESS, checkProgress],
      ] as const) {
        log(`cli: timing ${name}`);
        results.push(await measure(name, fn, options));
      }
      log(`cli: timing ${CHECK_PROCESS}`);
      const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
      let processFailure: string | undefined;
      const processTiming = await measureOnce(CHECK_PROCESS, () => {
        const child = spawnSync(process.execPath, ['--import', 'tsx', main, 'check', path, '--no-progress'], { encoding: 'utf8' });
        if (child.status !== 0) processFailure = `exit ${child.status}: ${child.stderr.split('\n')[0]}`;
      }, 'one run, Node and tsx start-up included');
      results.push(processFailure === undefined ? processTiming : skipped(CHECK_PROCESS, processFailure));

      // The error path: a file where every record is bad.
      log('cli: generating the bad-records file');
      const badPath = join(dir, 'bad.jsonl');
      const badText = Array.from({ length: BAD_LINES }, (_, i) => badLine(i)).join('\n') + '\n';
      writeFileSync(badPath, badText);
      const badBytes = Buffer.byteLength(badText);
      const split = (): number => {
        let bad = 0;
        for (const line of badText.split('\n')) {
          if (line === '') continue;
          try {
            JSON.parse(line);
          } catch {
            bad++;
          }
        }
        return bad;
      };
      const checkBad = async (): Promise<number> => (await api.checkFile(badPath)).bad;
      for (const [name, fn] of [
        [BAD_SPLIT, split],
        [BAD_CHECK, checkBad],
      ] as const) {
        const count = await fn();
        if (count !== BAD_LINES) throw new Error(`${name}: ${count} bad records, expected ${BAD_LINES}`);
      }
      const badResults: CaseResult[] = [];
      for (const [name, fn] of [
        [BAD_SPLIT, split],
        [BAD_CHECK, checkBad],
      ] as const) {
        log(`cli: timing ${name}`);
        badResults.push(await measure(name, fn, { warmup: 1, runs: 5, budgetMs: 8000 }));
      }
      const badSpeed = ((r) => (r === undefined ? undefined : 1 / r))(ratioOf(badResults, BAD_CHECK, BAD_SPLIT));

      const mbps = (name: string): string => {
        const timing = timingOf(results, name);
        return timing === undefined ? '—' : `${(bytes.length / 1024 / 1024 / (timing.median / 1000)).toFixed(0)} MB/s`;
      };
      const speed = (a: string, b: string): number | undefined => ((r) => (r === undefined ? undefined : 1 / r))(ratioOf(results, a, b));
      const vsMemory = speed(CHECK, ALONE_MEMORY);
      const vsFile = speed(CHECK, ALONE_FILE);
      const progressVsMemory = speed(CHECK_PROGRESS, ALONE_MEMORY);
      return [
        `Workload: \`ndjson(${formatBytes(SIZE)}, seed ${SEED})\` from test/fixtures/documents.ts written to a temp file (${bytes.length} bytes, ${expected} records of about 200 bytes), every record parsed and counted; the record counts are checked before timing. \`check\` is timed in-process (\`checkFile\`, the function the command runs: fs read stream of ${formatBytes(CHUNK)} chunks into \`createJsonlParser\`, error bookkeeping, no schema); the progress case adds the progress callback (about every 64 KB; the bar itself redraws at most every 100 ms). The strict baseline is the parser alone on the same bytes already in memory, in the same chunks.`,
        '',
        timingTable(results, [ALONE_MEMORY]),
        '',
        markdownTable(['case', 'throughput (median)'], results.map((r) => [r.name, mbps(r.name)])),
        '',
        'Targets (throughput = inverse of median time):',
        '',
        targetList([
          target('check ≥ 0.8x the throughput of createJsonlParser alone (bytes in memory)', vsMemory, '>=', 0.8),
          target('check with its progress callback ≥ 0.8x the throughput of createJsonlParser alone (bytes in memory)', progressVsMemory, '>=', 0.8),
          target('check ≥ 0.8x the throughput of createJsonlParser alone reading the same file', vsFile, '>=', 0.8),
        ]),
        '',
        `Ratios: check runs at ${formatRatio(vsMemory)} of the in-memory parser's throughput, ${formatRatio(vsFile)} of the parser reading the file; with progress ${formatRatio(progressVsMemory)}.`,
        '',
        `Bad records: ${BAD_LINES} lines (${formatBytes(badBytes)}), every one bad (a broken literal, a missing comma, a string cut off, in turn); \`check\` positions each (line, column) and reports the first 100, as the command does; the baseline splits the text in memory and catches each \`JSON.parse\` failure.`,
        '',
        timingTable(badResults, [BAD_SPLIT]),
        '',
        targetList([target('check on bad records ≥ 0.5x the throughput of split + JSON.parse', badSpeed, '>=', 0.5)]),
      ].join('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
