/**
 * Shared benchmark machinery: timing with warm-up and garbage collection between runs, result
 * checking against `JSON.parse`, Markdown tables with ratios, targets, and machine info.
 *
 * Benchmarks are not tests: nothing here asserts a time. What is asserted, before any timing, is
 * that every case computes the right value (a bench that measures a wrong result is worthless).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Streamshape } from './streamshape.js';

/** What a group gets from the runner. */
export interface BenchContext {
  /** The parser under test, or why it could not be loaded (its cases are then skipped). */
  readonly streamshape: Streamshape;
  /** Progress output (stderr), so a long run shows where it is. */
  readonly log: (line: string) => void;
}

/**
 * One benchmark group: one file in `bench/`, one section of `BENCH.md`.
 *
 * @see ./run.ts for how to add one.
 */
export interface BenchGroup {
  /** Short id: the filter argument (`npm run bench -- <name>`) and the BENCH.md section marker. */
  readonly name: string;
  /** Section heading. */
  readonly title: string;
  /** Runs the group; returns the section's Markdown body (workload, tables, targets). */
  run(context: BenchContext): Promise<string>;
}

/** A timed case. Times are in milliseconds. */
export interface Timing {
  readonly kind: 'timing';
  readonly name: string;
  readonly median: number;
  readonly min: number;
  readonly runs: number;
  readonly note?: string | undefined;
  /** Every timed run, in order (from {@link measureInTurns}: run k of each case shares round k). */
  readonly samples?: readonly number[] | undefined;
}

/** A case that could not run, with the reason shown in the table. */
export interface Skipped {
  readonly kind: 'skipped';
  readonly name: string;
  readonly reason: string;
}

export type CaseResult = Timing | Skipped;

export interface MeasureOptions {
  /** Untimed runs first, to let the JIT settle. @defaultValue 1 */
  readonly warmup?: number | undefined;
  /** Timed runs at most. @defaultValue 7 */
  readonly runs?: number | undefined;
  /** Timed runs at least, whatever the budget. @defaultValue 3 (or `runs` if smaller) */
  readonly minRuns?: number | undefined;
  /** Stop adding timed runs once they have taken this long in total, in ms. @defaultValue 8000 */
  readonly budgetMs?: number | undefined;
  /** Shown beside the case in the table. */
  readonly note?: string | undefined;
}

/** Runs a full garbage collection when node was started with `--expose-gc`; otherwise nothing. */
export function collectGarbage(): void {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

/** True when `collectGarbage` really collects. */
export const canCollectGarbage = typeof globalThis.gc === 'function';

let sink: unknown;
/** Keeps a value alive so the JIT cannot drop the work that produced it. */
export function blackhole(value: unknown): void {
  sink = value;
}
/** The last value given to {@link blackhole} (read it once so the sink is observable). */
export function drainBlackhole(): unknown {
  const value = sink;
  sink = undefined;
  return value;
}

/**
 * Times `fn`: a full GC, `warmup` untimed calls, then timed calls until `runs` or the time
 * budget is reached. `fn` may return a promise; it is awaited inside the timing.
 *
 * No GC is forced between timed calls: V8 holds hidden classes weakly, so a forced full GC
 * between two runs kills the classes of every object the last run left behind, and with them
 * the optimized code of any library that keeps no instance alive (each peer here, and
 * streamshape before its parsers kept one). The next run then measures the JIT recompiling, not
 * the steady state: on Node 20 the 100 KB deltas cases ran 5-10x slower, peers included. The
 * GCs a case's own garbage causes happen inside its runs, as they do in an app.
 *
 * @returns median and minimum wall time in ms.
 */
export async function measure(
  name: string,
  fn: () => unknown,
  options: MeasureOptions = {},
): Promise<Timing> {
  const warmup = options.warmup ?? 1;
  const maxRuns = options.runs ?? 7;
  const minRuns = Math.min(options.minRuns ?? 3, maxRuns);
  const budget = options.budgetMs ?? 8000;
  collectGarbage();
  for (let i = 0; i < warmup; i++) blackhole(await fn());
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < maxRuns && (samples.length < minRuns || spent < budget)) {
    const start = performance.now();
    const result = fn();
    const value = result instanceof Promise ? await result : result;
    const elapsed = performance.now() - start;
    blackhole(value);
    samples.push(elapsed);
    spent += elapsed;
  }
  return { kind: 'timing', name, median: median(samples), min: Math.min(...samples), runs: samples.length, note: options.note };
}

/**
 * Times synchronous cases whose ratio is a target, taking turns: a full GC, each case's warm-up
 * calls, then one timed call of each case per round until every case has `runs` samples (or the
 * rounds have used the time budget, after `minRuns`). Timed one after the other, the second case
 * of a pair meets a different machine than the first (another process waking up, the heap the
 * first one grew): timed that way, the ui group's select/JSON Lines ratio ranged from 0.68x to 1.02x
 * over eight runs of the same code. In turns, both meet the same conditions. Options as in
 * {@link measure}.
 *
 * @returns one timing per case, in the order given.
 */
export function measureInTurns(cases: ReadonlyArray<{ readonly name: string; readonly run: () => unknown }>, options: MeasureOptions = {}): Timing[] {
  const warmup = options.warmup ?? 1;
  const maxRuns = options.runs ?? 7;
  const minRuns = Math.min(options.minRuns ?? 3, maxRuns);
  const budget = options.budgetMs ?? 8000;
  collectGarbage();
  for (const c of cases) for (let i = 0; i < warmup; i++) blackhole(c.run());
  const samples = cases.map((): number[] => []);
  let spent = 0;
  for (let round = 0; round < maxRuns && (round < minRuns || spent < budget * cases.length); round++) {
    cases.forEach((c, k) => {
      const start = performance.now();
      const value = c.run();
      const elapsed = performance.now() - start;
      blackhole(value);
      samples[k]!.push(elapsed);
      spent += elapsed;
    });
  }
  return cases.map((c, k) => ({ kind: 'timing', name: c.name, median: median(samples[k]!), min: Math.min(...samples[k]!), runs: samples[k]!.length, note: options.note, samples: samples[k] }));
}

/**
 * The median over rounds of `numerator`'s time ÷ `denominator`'s, for two cases timed by
 * {@link measureInTurns}: each round's pair met the same machine, so a disturbed round moves one
 * ratio, not a whole case's median. `undefined` when either case has no samples.
 */
export function pairedRatio(results: readonly CaseResult[], numerator: string, denominator: string): number | undefined {
  const a = timingOf(results, numerator)?.samples;
  const b = timingOf(results, denominator)?.samples;
  if (a === undefined || b === undefined || a.length === 0 || a.length !== b.length) return undefined;
  return median(a.map((time, k) => time / b[k]!));
}

/** Times `fn` exactly once with no warm-up: for the cases that take tens of seconds. */
export function measureOnce(name: string, fn: () => unknown, note?: string): Promise<Timing> {
  return measure(name, fn, { warmup: 0, runs: 1, minRuns: 1, note });
}

/** A skipped case. */
export function skipped(name: string, reason: string): Skipped {
  return { kind: 'skipped', name, reason };
}

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

// ---------------------------------------------------------------------------------------------
// Checking results.

/**
 * The first place where `actual` differs from `expected` (a `JSON.parse` result), as a path and
 * both values, or `undefined` when they are the same JSON value: same types, numbers equal by
 * `Object.is` (so `-0` is not `0`), same array lengths, same keys in the same order. Iterative,
 * so deep documents cannot overflow the stack.
 */
export function firstDifference(actual: unknown, expected: unknown): string | undefined {
  const stack: Array<[unknown, unknown, string]> = [[actual, expected, '$']];
  while (stack.length > 0) {
    const [a, e, path] = stack.pop() as [unknown, unknown, string];
    if (Object.is(a, e)) continue;
    if (typeof a !== typeof e || a === null || e === null || typeof e !== 'object') {
      return `${path}: expected ${preview(e)}, got ${preview(a)}`;
    }
    if (Array.isArray(e)) {
      if (!Array.isArray(a)) return `${path}: expected an array, got ${preview(a)}`;
      if (a.length !== e.length) return `${path}: expected ${e.length} elements, got ${a.length}`;
      for (let i = e.length - 1; i >= 0; i--) stack.push([a[i], e[i], `${path}[${i}]`]);
      continue;
    }
    if (Array.isArray(a)) return `${path}: expected an object, got an array`;
    const eo = e as Record<string, unknown>;
    const ao = a as Record<string, unknown>;
    const ek = Object.keys(eo);
    const ak = Object.keys(ao);
    if (ek.join('\u0000') !== ak.join('\u0000')) {
      return `${path}: expected keys ${preview(ek)}, got ${preview(ak)}`;
    }
    for (let i = ek.length - 1; i >= 0; i--) {
      const key = ek[i] as string;
      stack.push([ao[key], eo[key], `${path}.${key}`]);
    }
  }
  return undefined;
}

function preview(value: unknown): string {
  if (Object.is(value, -0)) return '-0';
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}

/**
 * Throws when `actual` is not the JSON value `expected`.
 *
 * @throws {Error} naming the case and the first difference.
 */
export function verify(caseName: string, actual: unknown, expected: unknown): void {
  const difference = firstDifference(actual, expected);
  if (difference !== undefined) throw new Error(`${caseName} computed a wrong value: ${difference}`);
}

// ---------------------------------------------------------------------------------------------
// Reporting.

/** Milliseconds in a readable unit: `0.512 ms`, `19.4 ms`, `28.6 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 0.1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(1)} µs`;
}

/** Nanoseconds in a readable unit: `85 ns`, `1.2 µs`, `3.4 ms`. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} µs`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

/** A ratio: `1.6x`, `0.52x`, `31000x`. */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—';
  if (ratio >= 100) return `${Math.round(ratio)}x`;
  if (ratio >= 10) return `${ratio.toFixed(1)}x`;
  return `${ratio.toFixed(2)}x`;
}

/** A Markdown table; cells are escaped for `|`. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const rule = headers.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [headers, rule, ...rows].map((row, i) => `| ${(i === 1 ? row : row.map(cell)).join(' | ')} |`).join('\n');
}

/** Finds a measured case by name. */
export function timingOf(results: readonly CaseResult[], name: string): Timing | undefined {
  const result = results.find((r) => r.name === name);
  return result?.kind === 'timing' ? result : undefined;
}

/** `time(numerator) / time(denominator)` by median, when both were measured. */
export function ratioOf(results: readonly CaseResult[], numerator: string, denominator: string): number | undefined {
  const a = timingOf(results, numerator);
  const b = timingOf(results, denominator);
  return a && b ? a.median / b.median : undefined;
}

/**
 * A table of timed cases: median, min, runs, and one ratio column per baseline
 * (`case median / baseline median`).
 */
export function timingTable(results: readonly CaseResult[], baselines: readonly string[]): string {
  const headers = ['case', 'median', 'min', 'runs', ...baselines.map((b) => `÷ ${b}`)];
  const rows = results.map((r) => {
    if (r.kind === 'skipped') return [r.name, `skipped: ${r.reason}`, '—', '—', ...baselines.map(() => '—')];
    const name = r.note === undefined ? r.name : `${r.name} (${r.note})`;
    return [name, formatMs(r.median), formatMs(r.min), String(r.runs), ...baselines.map((b) => formatRatio(ratioOf(results, r.name, b)))];
  });
  return markdownTable(headers, rows);
}

/** The state of one target of DESIGN.md / the brief. */
export interface TargetResult {
  readonly text: string;
  readonly status: 'met' | 'missed' | 'not measured';
  readonly measured: string;
}

/**
 * Checks `value <op> limit`; `value` undefined means a case it needs was not measured.
 *
 * @param text - the target in words, e.g. `streamshape ≤ 2.0x JSON.parse`.
 * @param format - how to print the measured value.
 */
export function target(
  text: string,
  value: number | undefined,
  op: '<=' | '>=',
  limit: number,
  format: (value: number) => string = formatRatio,
): TargetResult {
  if (value === undefined || !Number.isFinite(value)) return { text, status: 'not measured', measured: '—' };
  const met = op === '<=' ? value <= limit : value >= limit;
  return { text, status: met ? 'met' : 'missed', measured: format(value) };
}

/** A Markdown list of targets with their state. */
export function targetList(targets: readonly TargetResult[]): string {
  return targets.map((t) => `- **${t.status}**: ${t.text} (measured: ${t.measured})`).join('\n');
}

/** The note under a table when streamshape's cases were skipped. */
export function streamshapeNote(streamshape: Streamshape): string {
  return streamshape.ok ? '' : `\n\n> streamshape cases skipped: ${streamshape.reason}`;
}

// ---------------------------------------------------------------------------------------------
// Environment.

/** CPU model and count, memory, OS, Node version: what the numbers depend on. */
export function machineInfo(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memory = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${model}, ${cpus.length} cores, ${memory} GB RAM, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`;
}

/** The installed version of a dependency, read from its package.json. */
export function packageVersion(name: string): string {
  try {
    const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** `1 MB`, `64 KB`, `512 B` (binary units, as the fixtures are sized). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
