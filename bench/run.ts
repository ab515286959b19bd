/**
 * Benchmark runner: `npm run bench` runs every group and rewrites BENCH.md;
 * `npm run bench -- llm scaling` runs those groups and replaces only their sections.
 *
 * Adding a group (JSONL, schema, tool calls, CLI…):
 *   1. write `bench/<name>.ts` exporting `group: BenchGroup` (see harness.ts): `run` builds its
 *      workload from the seeded fixtures in test/fixtures/, checks every case's value against
 *      `JSON.parse` (or the group's oracle) before timing, times with `measure`, and returns the
 *      section's Markdown (workload, `timingTable`, `targetList`);
 *   2. add one line to GROUPS below.
 * Keep a group under a minute; the whole run should stay under about five.
 *
 * Needs `node --expose-gc` (the npm script passes it): the harness collects garbage between runs.
 * streamshape is imported from the built package (dist/; the npm script builds it first); when that fails, or with
 * `STREAMSHAPE_BENCH_PEERS_ONLY=1`, its cases are skipped with the reason and the peers still run.
 *
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { type BenchGroup, canCollectGarbage, machineInfo, packageVersion } from './harness.js';
import { loadStreamshape } from './streamshape.js';

/** Every group, in BENCH.md order: name → loader. */
const GROUPS: Record<string, () => Promise<{ group: BenchGroup }>> = {
  bulk: () => import('./bulk.js'),
  llm: () => import('./llm.js'),
  scaling: () => import('./scaling.js'),
  growth: () => import('./growth.js'),
  memory: () => import('./memory.js'),
  concurrency: () => import('./concurrency.js'),
  jsonl: () => import('./jsonl.js'),
  cli: () => import('./cli.js'),
  'tool-calls': () => import('./tool-calls.js'),
  schema: () => import('./schema.js'),
  lenient: () => import('./lenient.js'),
  ui: () => import('./ui.js'),
};

const BENCH_MD = new URL('../BENCH.md', import.meta.url);
const PEERS = ['@streamparser/json', 'jsonriver', 'ai', 'partial-json'];

const startMarker = (name: string): string => `<!-- bench:${name}:start -->`;
const endMarker = (name: string): string => `<!-- bench:${name}:end -->`;

function header(): string {
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. `npm run bench -- <group>` reruns one',
    `group (${Object.keys(GROUPS).join(', ')}) and replaces its section only, so each section names the run`,
    'and machine its numbers come from.',
    '',
    "Times are medians of several runs after warm-up, a full GC before each case's warm-up (none between",
    'runs: see `measure` in bench/harness.ts); `÷ X` divides a',
    "case's median by X's (2.00x: takes twice as long as X). `JSON.parse` on the whole text is the floor",
    'no streaming parser can beat; @streamparser/json and jsonriver are the O(n) peers; `ai`',
    "`parsePartialJson` and partial-json re-parse the whole text per delta (O(n^2)). Every case's value",
    'is checked against `JSON.parse` before it is timed. Inputs come from the seeded generators in',
    'test/fixtures/documents.ts, so every run sees the same bytes.',
    '',
    `Peers: ${PEERS.map((p) => `${p} ${packageVersion(p)}`).join(', ')}.`,
  ].join('\n');
}

/** Replaces (or appends) the sections of `fresh`, keeping the other sections of `previous`. */
function merge(previous: string, fresh: ReadonlyMap<string, string>): string {
  const sections = new Map<string, string>();
  for (const name of Object.keys(GROUPS)) {
    const start = previous.indexOf(startMarker(name));
    const end = previous.indexOf(endMarker(name));
    if (start !== -1 && end > start) sections.set(name, previous.slice(start, end + endMarker(name).length));
  }
  for (const [name, body] of fresh) sections.set(name, `${startMarker(name)}\n${body}\n${endMarker(name)}`);
  const ordered = Object.keys(GROUPS).flatMap((name) => sections.get(name) ?? []);
  return `${header()}\n\n${ordered.join('\n\n')}\n`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = filters.filter((name) => !(name in GROUPS));
  if (unknown.length > 0) {
    console.error(`unknown group ${unknown.join(', ')}; groups: ${Object.keys(GROUPS).join(', ')}`);
    return 2;
  }
  if (!canCollectGarbage) console.error('warning: run with node --expose-gc (npm run bench does) so runs start from a collected heap');
  const names = filters.length > 0 ? filters : Object.keys(GROUPS);
  const streamshape = await loadStreamshape();
  if (!streamshape.ok) console.error(`streamshape cases will be skipped: ${streamshape.reason}`);
  const log = (line: string): void => console.error(`  ${line}`);
  const machine = machineInfo();
  const fresh = new Map<string, string>();
  let failures = 0;
  const total = performance.now();
  for (const name of names) {
    const loader = GROUPS[name];
    if (loader === undefined) continue;
    const { group } = await loader();
    console.error(`${group.name}: running`);
    const loadBefore = os.loadavg()[0] ?? 0;
    const started = performance.now();
    let body: string;
    try {
      body = await group.run({ streamshape, log });
    } catch (error) {
      failures++;
      body = `**Failed**: ${error instanceof Error ? error.message : String(error)}`;
      console.error(error);
    }
    // A group that could not load the API it measures wrote "Not run" or "not measured" targets: say
    // so on the console and in the exit code, or a full run quietly keeps an empty section (the
    // concurrency and tool-calls groups ran nothing after the assembler moved to its own entry).
    if (streamshape.ok && (body.startsWith('Not run') || body.includes('**not measured**'))) {
      failures++;
      console.error(`${group.name}: some streamshape cases were not measured (see its section)`);
    }
    const took = performance.now() - started;
    const load = os.loadavg()[0] ?? 0;
    const section = [
      `## ${group.title}`,
      '',
      `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}; the group took ${formatSeconds(took)}; load average ${loadBefore.toFixed(2)} before, ${load.toFixed(2)} after (other processes compete for the cores when above 0).`,
      '',
      body,
    ].join('\n');
    fresh.set(name, section);
    console.log(`\n${section}\n`);
  }
  const previous = existsSync(BENCH_MD) ? readFileSync(BENCH_MD, 'utf8') : '';
  writeFileSync(BENCH_MD, merge(previous, fresh));
  console.error(`\nwrote BENCH.md (${names.join(', ')}) in ${formatSeconds(performance.now() - total)}`);
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main();
