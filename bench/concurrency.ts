/**
 * concurrency: 10,000 streams in one process, as an agent server has them (issue 12, item 4).
 * 10,000 parsers, and separately 10,000 tool-call assemblers with `onToolCallDelta`, fed
 * interleaved 1-character deltas of 2 KB tool-call argument texts: the cost of a delta when every
 * write goes to a different parser than the last (cold caches) against one stream at a time, the
 * heap an idle parser keeps, and the assemblers' peak heap against the argument text.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { toolCallArguments, utf8Length } from '../test/fixtures/documents.js';
import {
  type BenchGroup,
  canCollectGarbage,
  collectGarbage,
  formatBytes,
  formatMs,
  formatNs,
  formatRatio,
  markdownTable,
  type TargetResult,
  target,
  targetList,
  verify,
} from './harness.js';
import { loadBuilt, type PartialParser } from './streamshape.js';

const STREAMS = 10_000;
const TEXT_BYTES = 2 * 1024;
/** Distinct argument texts (seeds 1..TEXTS), shared round-robin by the streams. */
const TEXTS = 16;
/** Characters written to each idle parser before its heap is measured. */
const IDLE_CHARS = 5;
/** The interleaved runs stop after this long; the per-delta cost is then from the rounds done. */
const PARSER_LIMIT_MS = 20_000;
const ASSEMBLER_LIMIT_MS = 30_000;
/** Rounds between two samples of live heap (after a forced GC) in the assembler run. */
const LIVE_EVERY = 128;

/** The part of the API the group calls (restated so bench/ type-checks on its own). */
interface ConcurrencyApi {
  createPartialParser(options?: { onDelta?: ((deltas: readonly unknown[]) => void) | undefined }): PartialParser;
  createToolCallAssembler(options: {
    onToolCallDelta?: ((call: { arguments: unknown }) => void) | undefined;
    onToolCall?: ((call: { arguments: unknown }) => void) | undefined;
  }): { push(event: ToolCallEvent): void; end(): void };
}
type ToolCallEvent =
  | { type: 'tool-call-start'; id: string; name: string; index: number }
  | { type: 'tool-call-delta'; id: string; delta: string }
  | { type: 'tool-call-end'; id: string };

interface Input {
  readonly text: string;
  /** One delta per code point (an emoji stays whole, as a provider's decoded delta keeps it). */
  readonly deltas: readonly string[];
  readonly expected: unknown;
}

const heapUsed = (): number => process.memoryUsage().heapUsed;

function settledHeap(): number {
  collectGarbage();
  collectGarbage();
  return heapUsed();
}

/** Deltas written per parser in the sequential run, to match what the interleaved run wrote. */
function perParserLimit(rounds: number, input: Input): number {
  return Math.min(rounds, input.deltas.length);
}

export const group: BenchGroup = {
  name: 'concurrency',
  title: 'concurrency: 10,000 streams in one process, interleaved 1-character deltas',
  async run({ log }) {
    const loaded = await loadBuilt<ConcurrencyApi>('createToolCallAssembler');
    if (!loaded.ok) return `Not run: ${loaded.reason}.`;
    if (!canCollectGarbage) return 'Not run: needs node --expose-gc (heap measurements).';
    const api = loaded.api;
    const inputs: Input[] = Array.from({ length: TEXTS }, (_, k) => {
      const text = toolCallArguments(TEXT_BYTES, k + 1);
      return { text, deltas: Array.from(text), expected: JSON.parse(text) as unknown };
    });
    const inputOf = (p: number): Input => inputs[p % TEXTS] as Input;
    const longest = Math.max(...inputs.map((i) => i.deltas.length));
    let textBytes = 0;
    for (let p = 0; p < STREAMS; p++) textBytes += utf8Length(inputOf(p).text);

    // --- Parsers: per-delta cost, interleaved against one stream at a time. ------------------
    let operations = 0;
    const onDelta = (ops: readonly unknown[]): void => {
      operations += ops.length;
    };
    // Warm the JIT on a few whole streams first.
    for (let p = 0; p < 200; p++) {
      const parser = api.createPartialParser({ onDelta });
      for (const d of inputOf(p).deltas) parser.write(d);
      verify(`parser ${p} (warm-up)`, parser.end(), inputOf(p).expected);
    }

    log('concurrency: 10,000 parsers, interleaved');
    collectGarbage();
    let parsers: PartialParser[] = [];
    let interleavedDeltas = 0;
    let rounds = 0;
    const interleavedStart = performance.now();
    for (let p = 0; p < STREAMS; p++) parsers.push(api.createPartialParser({ onDelta }));
    for (; rounds < longest; rounds++) {
      for (let p = 0; p < STREAMS; p++) {
        const delta = inputOf(p).deltas[rounds];
        if (delta === undefined) continue;
        (parsers[p] as PartialParser).write(delta);
        interleavedDeltas++;
      }
      if (performance.now() - interleavedStart > PARSER_LIMIT_MS) {
        rounds++;
        break;
      }
    }
    const complete = rounds >= longest;
    if (complete) {
      for (let p = 0; p < STREAMS; p++) {
        const value = (parsers[p] as PartialParser).end();
        if (p % 97 === 0) verify(`interleaved parser ${p}`, value, inputOf(p).expected);
      }
    }
    const interleavedMs = performance.now() - interleavedStart;
    parsers = [];

    log('concurrency: 10,000 parsers, one at a time');
    collectGarbage();
    let sequentialDeltas = 0;
    const sequentialStart = performance.now();
    for (let p = 0; p < STREAMS; p++) {
      const input = inputOf(p);
      const parser = api.createPartialParser({ onDelta });
      const limit = perParserLimit(rounds, input);
      for (let i = 0; i < limit; i++) parser.write(input.deltas[i] as string);
      sequentialDeltas += limit;
      if (complete) {
        const value = parser.end();
        if (p % 97 === 0) verify(`sequential parser ${p}`, value, input.expected);
      }
    }
    const sequentialMs = performance.now() - sequentialStart;
    if (operations === 0) throw new Error('onDelta never fired');
    if (sequentialDeltas !== interleavedDeltas) throw new Error(`the runs wrote ${sequentialDeltas} and ${interleavedDeltas} deltas`);
    const interleavedNs = (interleavedMs * 1e6) / interleavedDeltas;
    const sequentialNs = (sequentialMs * 1e6) / sequentialDeltas;

    // --- Heap of an idle parser after 5 characters. ------------------------------------------
    log('concurrency: heap of 10,000 idle parsers');
    const idleBase = settledHeap();
    const idle: PartialParser[] = new Array<PartialParser>(STREAMS);
    for (let p = 0; p < STREAMS; p++) {
      const parser = api.createPartialParser({ onDelta });
      const deltas = inputOf(p).deltas;
      for (let i = 0; i < IDLE_CHARS; i++) parser.write(deltas[i] as string);
      idle[p] = parser;
    }
    const idleBytes = (settledHeap() - idleBase) / STREAMS;
    if (idle.length !== STREAMS) throw new Error('idle parsers lost');
    idle.length = 0;

    // --- Assemblers: peak heap against the argument text. ------------------------------------
    log('concurrency: 10,000 tool-call assemblers with onToolCallDelta, interleaved');
    const ids = Array.from({ length: STREAMS }, (_, p) => `call_${p}`);
    let partials = 0;
    let finals = 0;
    const finalValues = new Map<number, unknown>();
    const assemblerBase = settledHeap();
    let peakRaw = 0;
    let peakLive = 0;
    const sample = (live: boolean): void => {
      if (live) collectGarbage();
      const used = heapUsed() - assemblerBase;
      if (live) peakLive = Math.max(peakLive, used);
      peakRaw = Math.max(peakRaw, used);
    };
    const assemblersStart = performance.now();
    let assemblers: Array<{ push(event: ToolCallEvent): void; end(): void }> = [];
    for (let p = 0; p < STREAMS; p++) {
      const assembler = api.createToolCallAssembler({
        onToolCallDelta: (call) => {
          partials++;
          if (call.arguments === undefined) throw new Error('no partial arguments');
        },
        onToolCall: (call) => {
          finals++;
          if (p % 97 === 0) finalValues.set(p, call.arguments);
        },
      });
      assembler.push({ type: 'tool-call-start', id: ids[p] as string, name: 'write_files', index: 0 });
      assemblers.push(assembler);
    }
    let assemblerRounds = 0;
    let assemblerDeltas = 0;
    let assemblerTimedOut = false;
    for (; assemblerRounds < longest; assemblerRounds++) {
      for (let p = 0; p < STREAMS; p++) {
        const delta = inputOf(p).deltas[assemblerRounds];
        if (delta === undefined) continue;
        (assemblers[p] as { push(event: ToolCallEvent): void }).push({ type: 'tool-call-delta', id: ids[p] as string, delta });
        assemblerDeltas++;
      }
      sample(assemblerRounds % LIVE_EVERY === LIVE_EVERY - 1);
      if (performance.now() - assemblersStart > ASSEMBLER_LIMIT_MS) {
        assemblerRounds++;
        assemblerTimedOut = true;
        break;
      }
    }
    const assemblersMs = performance.now() - assemblersStart;
    let keptAfter: number | undefined;
    if (!assemblerTimedOut) {
      for (let p = 0; p < STREAMS; p++) {
        const assembler = assemblers[p] as { push(event: ToolCallEvent): void; end(): void };
        assembler.push({ type: 'tool-call-end', id: ids[p] as string });
        assembler.end();
      }
      sample(true);
      if (finals !== STREAMS) throw new Error(`${finals} of ${STREAMS} tool calls completed`);
      for (const [p, value] of finalValues) verify(`assembler ${p}`, value, inputOf(p).expected);
      finalValues.clear();
      // The assemblers are still held (the caller's); their completed calls should not be.
      keptAfter = settledHeap() - assemblerBase;
    }
    if (partials === 0) throw new Error('onToolCallDelta never fired');
    const assemblerCount = assemblers.length;
    // The argument text delivered before the run ended (all of it unless it was stopped).
    let writtenBytes = 0;
    for (let p = 0; p < STREAMS; p++) writtenBytes += utf8Length(inputOf(p).deltas.slice(0, assemblerRounds).join(''));
    assemblers = [];

    // --- Report. ------------------------------------------------------------------------------
    const cut = (done: number, limit: number): string =>
      done >= longest ? `all ${longest} characters` : `stopped after ${formatMs(limit)}: the first ${done} of ${longest} characters of every stream`;
    const costTable = markdownTable(
      ['case', 'deltas written', 'time', 'per delta', '÷ one stream at a time'],
      [
        ['10,000 parsers, one stream at a time', String(sequentialDeltas), formatMs(sequentialMs), formatNs(sequentialNs), '1.00x'],
        ['10,000 parsers, interleaved (one delta to each in turn)', String(interleavedDeltas), formatMs(interleavedMs), formatNs(interleavedNs), formatRatio(interleavedNs / sequentialNs)],
        [
          '10,000 assemblers + onToolCallDelta, interleaved',
          String(assemblerDeltas),
          formatMs(assemblersMs),
          formatNs((assemblersMs * 1e6) / Math.max(1, assemblerDeltas)),
          '—',
        ],
      ],
    );
    const heapTable = markdownTable(
      ['measure', 'value'],
      [
        [`heap per idle parser after ${IDLE_CHARS} characters (10,000 parsers, forced GC)`, formatBytes(idleBytes)],
        ['argument text of the 10,000 calls (UTF-8)', formatBytes(textBytes)],
        ['assemblers: peak heap, sampled after every round (no forced GC)', formatBytes(peakRaw)],
        [`assemblers: peak live heap (forced GC every ${LIVE_EVERY} rounds and at the end)`, formatBytes(peakLive)],
        [`assemblers: peak heap ÷ argument text delivered (${formatBytes(writtenBytes)})`, formatRatio(peakRaw / writtenBytes)],
        [
          'heap kept after every call completed (the 10,000 assemblers still held)',
          keptAfter === undefined ? 'not measured (the run was stopped)' : `${formatBytes(Math.max(0, keptAfter))} (${formatBytes(Math.max(0, keptAfter) / assemblerCount)} per assembler)`,
        ],
      ],
    );
    const workload = [
      `Workload: ${STREAMS.toLocaleString('en-US')} streams, each the arguments of one tool call:`,
      `\`toolCallArguments(${formatBytes(TEXT_BYTES)}, seed)\` for seeds 1-${TEXTS}, round-robin (${longest} code points at most),`,
      'cut into 1-character deltas (one per code point). **Parsers**: `createPartialParser` with `onDelta` (a',
      'shared callback counting operations), no snapshot read. Interleaved: all parsers created, then one delta',
      'to each parser in turn, round after round, as a server multiplexes its streams; one stream at a time:',
      'the same deltas, each parser fed from its first to its last before the next is created. The ratio of the',
      'per-delta costs is what the interleaving costs (caches, allocation spread over 10,000 live parsers).',
      `Interleaved parsers: ${cut(rounds, PARSER_LIMIT_MS)} (the one-at-a-time run writes the same characters).`,
      `**Idle heap**: 10,000 parsers given the first ${IDLE_CHARS} characters of their text and kept; two forced GCs before`,
      'and after; the difference per parser. **Assemblers**: 10,000 `createToolCallAssembler` with',
      '`onToolCallDelta` (which gets the partial arguments after every delta) and `onToolCall`, a',
      '`tool-call-start` each, then interleaved `tool-call-delta` events, then `tool-call-end` and `end()`;',
      `heap sampled after every round above the heap before the first assembler; ${cut(assemblerRounds, ASSEMBLER_LIMIT_MS)}.`,
      'Every 97th final value is checked against `JSON.parse` (when the runs were not stopped).',
    ].join(' ');
    const targets: TargetResult[] = [
      target('parsers: per-delta cost interleaved within 2x of one stream at a time', interleavedNs / sequentialNs, '<=', 2),
      target(`parsers: heap per idle parser after ${IDLE_CHARS} characters ≤ 2 KB`, idleBytes, '<=', 2048, formatBytes),
      target(
        `assemblers: peak heap ≤ 4x the argument text${assemblerTimedOut ? ' (run stopped early: against the text delivered by then)' : ''}`,
        peakRaw / writtenBytes,
        '<=',
        4,
      ),
    ];
    return [workload, '', costTable, '', heapTable, '', 'Targets (issue 12, item 4):', '', targetList(targets)].join('\n');
  },
};
