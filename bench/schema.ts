/**
 * schema: the llm workload (a model's structured output in 1-8 character deltas) with a zod schema
 * describing the document. What following the schema while parsing costs (each subtree validated
 * once, when it closes: the cost should grow with the document, not with the number of deltas),
 * against what users do today: re-validate the whole partial object with `safeParse` after every
 * delta (zod-stream's approach), whose cost grows with the square of the document.
 *
 * @module
 */
import { z } from 'zod';
import { llmDeltas, llmDocument } from '../test/fixtures/documents.js';
import { loadNote } from './tool-calls.js';
import {
  type BenchGroup,
  type CaseResult,
  type Timing,
  blackhole,
  formatBytes,
  formatMs,
  formatRatio,
  markdownTable,
  measure,
  measureOnce,
  median,
  skipped,
  target,
  targetList,
  timingOf,
  timingTable,
  verify,
} from './harness.js';
import { loadBuilt } from './streamshape.js';

const SIZES = [10 * 1024, 100 * 1024, 200 * 1024];
/** Where the safeParse-per-delta baseline runs (it is quadratic). */
const BASELINE_SIZES = new Set([10 * 1024, 100 * 1024]);
const SEED = 1;

const JSON_PARSE = 'JSON.parse (whole text, once)';
const DELTAS = 'streamshape deltas, no schema';
const DELTAS_SCHEMA = 'streamshape deltas + zod schema';
const SNAPSHOTS_SCHEMA = 'streamshape + zod schema, snapshot after every delta';
const SNAPSHOTS = 'streamshape snapshot after every delta, no schema';
const SAFE_PARSE = 'streamshape snapshot + deep-partial safeParse after every delta';

/**
 * The shape of `llmDocument` (test/fixtures/documents.ts), keys in the document's order so that
 * the parsed value keeps `JSON.parse`'s key order. A factory, so that the validation count below
 * can instrument a copy without touching the timed schema.
 */
export function makeLlmDocumentSchema() {
  const Section = z.object({
    heading: z.string().min(1),
    body: z.string(),
    bullets: z.array(z.string()).max(5),
    confidence: z.number().min(0).max(1),
    needsReview: z.boolean(),
    sources: z
      .array(
        z.object({
          title: z.string().max(60),
          url: z.url(),
          page: z.number().int().positive().nullable(),
        }),
      )
      .min(1)
      .optional(),
    data: z
      .object({
        values: z.array(z.number()).min(1),
        unit: z.enum(['ms', 'tokens', '%', '€', '°C']),
        table: z.array(z.tuple([z.string(), z.number().int()])),
      })
      .optional(),
  });

  return z.object({
    title: z.string(),
    language: z.enum(['en', 'fr', 'de', 'ja', 'pt-BR', 'el', 'ar']),
    summary: z.string(),
    entities: z.array(
      z.object({
        name: z.string(),
        type: z.enum(['person', 'place', 'organization', 'product']),
        salience: z.number().min(0).max(1),
      }),
    ),
    keywords: z.array(z.string()),
    followUpQuestions: z.array(z.string()),
    metadata: z.object({
      model: z.string(),
      tokens: z.number().int().nonnegative(),
      refusal: z.string().nullable(),
      cached: z.boolean(),
    }),
    sections: z.array(Section),
    closingRemarks: z.string(),
  });
}

export const LlmDocument = makeLlmDocumentSchema();

/**
 * What users write to validate a partial object (zod v4 has no `deepPartial`): every object key
 * optional, recursively, through arrays, tuples, optional and nullable wrappers.
 */
function deepPartial(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, value] of Object.entries(schema.shape as Record<string, z.ZodType>)) shape[key] = deepPartial(value).optional();
    return z.object(shape);
  }
  if (schema instanceof z.ZodArray) return z.array(deepPartial(schema.element as z.ZodType));
  if (schema instanceof z.ZodTuple) return z.tuple((schema.def.items as z.ZodType[]).map((item) => deepPartial(item).optional()) as unknown as [z.ZodType]);
  if (schema instanceof z.ZodOptional) return deepPartial(schema.unwrap() as z.ZodType).optional();
  if (schema instanceof z.ZodNullable) return deepPartial(schema.unwrap() as z.ZodType).nullable();
  return schema;
}

const PartialLlmDocument = deepPartial(LlmDocument);

/**
 * Validation work, counted rather than timed (the count does not depend on the machine's load):
 * a fresh copy of the schema whose every node's `_zod.run` counts its calls, nested runs
 * included, while one parser streams `deltas` and at its `end()` (the schema's full parse).
 */
function countValidation(api: SchemaParserApi, deltas: readonly string[]): { streaming: number; end: number } {
  const schema = makeLlmDocumentSchema();
  let calls = 0;
  const seen = new Set<unknown>();
  const instrument = (node: unknown): void => {
    if (node === undefined || seen.has(node)) return;
    seen.add(node);
    const internals = (node as { _zod: { run: (...args: unknown[]) => unknown; def: Record<string, unknown> } })._zod;
    const run = internals.run;
    internals.run = (...args: unknown[]) => {
      calls++;
      return run.apply(internals, args);
    };
    const def = internals.def;
    if (def['shape'] !== undefined) for (const child of Object.values(def['shape'] as Record<string, unknown>)) instrument(child);
    for (const key of ['element', 'innerType']) instrument(def[key]);
    for (const key of ['items', 'options']) for (const child of (def[key] as unknown[] | undefined) ?? []) instrument(child);
  };
  instrument(schema);
  const parser = api.createPartialParser({ schema, onDelta: () => {} });
  for (const delta of deltas) parser.write(delta);
  const streaming = calls;
  parser.end();
  return { streaming, end: calls - streaming };
}

/** The part of the parser API the bench calls (restated so bench/ type-checks on its own). */
interface SchemaParserApi {
  createPartialParser(options: {
    schema?: z.ZodType | undefined;
    onDelta?: ((deltas: readonly unknown[]) => void) | undefined;
    maxDepth?: number | undefined;
  }): { write(chunk: string): void; readonly value: unknown; end(): unknown };
}

function loadParser(): Promise<{ ok: true; api: SchemaParserApi } | { ok: false; reason: string }> {
  return loadBuilt<SchemaParserApi>('createPartialParser');
}

interface Run {
  readonly value: unknown;
  readonly operations: number;
  readonly last?: unknown;
  readonly valid?: number;
  readonly invalid?: number;
}

function deltasMode(api: SchemaParserApi, deltas: readonly string[], schema: z.ZodType | undefined): Run {
  let operations = 0;
  const parser = api.createPartialParser({
    ...(schema === undefined ? {} : { schema }),
    onDelta: (ops) => {
      operations += ops.length;
      blackhole(ops);
    },
  });
  for (const delta of deltas) parser.write(delta);
  return { value: parser.end(), operations };
}

function snapshotMode(api: SchemaParserApi, deltas: readonly string[], schema: z.ZodType | undefined): Run {
  const parser = api.createPartialParser(schema === undefined ? {} : { schema });
  let last: unknown;
  for (const delta of deltas) {
    parser.write(delta);
    last = parser.value;
  }
  return { value: parser.end(), operations: 0, last };
}

/** zod-stream's approach: the partial object after every delta, `safeParse`d whole. */
function safeParseMode(api: SchemaParserApi, deltas: readonly string[]): Run {
  const parser = api.createPartialParser({});
  let last: unknown;
  let valid = 0;
  let invalid = 0;
  for (const delta of deltas) {
    parser.write(delta);
    const result = PartialLlmDocument.safeParse(parser.value);
    if (result.success) {
      valid++;
      last = result.data;
    } else invalid++;
  }
  return { value: parser.end(), operations: 0, last, valid, invalid };
}

/** Depths of the recursive-union case (issue 11: 3^14 candidates took 12.6 s and 3 GB before). */
const RECURSION_DEPTHS = [10, 100, 1000];
/** Characters of each recursive-union document (copies of one nested value in an array). */
const RECURSION_SIZE = 64 * 1024;

/**
 * A recursive union whose options share the key `a`: a guide that keeps one candidate per
 * (parent, option) pair holds branches^depth of them; with shared children it holds 9.
 */
export function makeRecursiveUnion(): z.ZodType {
  const U: z.ZodType = z.lazy(() =>
    z.union([
      z.object({ a: U.optional(), x: z.number().optional() }),
      z.object({ a: U.optional(), y: z.string().optional() }),
      z.object({ a: U.optional(), w: z.boolean().optional() }),
    ]),
  );
  return U;
}

/** `[` + copies of `{"a":{"a":…{"x":1,"y":"s"}…}}` nested `depth` deep + `]`, about `size` characters. */
function recursiveDocument(depth: number, size: number): string {
  const one = `${'{"a":'.repeat(depth)}{"x":1,"y":"s"}${'}'.repeat(depth)}`;
  const copies = Math.max(1, Math.floor(size / (one.length + 1)));
  return `[${Array.from({ length: copies }, () => one).join(',')}]`;
}

/** Streams `deltas` into a parser (with `schema` or none); returns the parser for the final check. */
function streamOnly(api: SchemaParserApi, deltas: readonly string[], schema: z.ZodType | undefined): { value: unknown; end(): unknown } {
  // The documents nest up to 1000 deep: past createPartialParser's default maxDepth (128).
  const parser = api.createPartialParser(schema === undefined ? { maxDepth: Infinity } : { schema, maxDepth: Infinity });
  for (const delta of deltas) parser.write(delta);
  return parser;
}

const RECURSIVE_NONE = 'streamshape deltas, no schema';
const RECURSIVE_SCHEMA = 'streamshape deltas + recursive union schema';

/** Times streaming (the writes; `end()`'s zod parse is zod's own, recursive, cost) with and without the schema. */
async function recursiveUnionSection(loaded: Awaited<ReturnType<typeof loadParser>>, log: (line: string) => void): Promise<string> {
  const U = makeRecursiveUnion();
  const Documents = z.array(U);
  const rows: string[][] = [];
  const ratios: number[] = [];
  for (const depth of RECURSION_DEPTHS) {
    const text = recursiveDocument(depth, RECURSION_SIZE);
    const deltas = llmDeltas(text, SEED);
    if (!loaded.ok) {
      rows.push([String(depth), String(text.length), '—', '—', '—']);
      continue;
    }
    const { api } = loaded;
    log(`schema recursive union depth ${depth}: checking`);
    verify(`${RECURSIVE_NONE} (depth ${depth})`, streamOnly(api, deltas, undefined).end(), JSON.parse(text));
    const streamed = streamOnly(api, deltas, Documents);
    verify(`${RECURSIVE_SCHEMA} (depth ${depth}) last snapshot`, streamed.value, JSON.parse(text));
    // zod's own parse recurses once per level: at depth 1000 it overflows the stack, so the
    // final value is checked where zod can compute it.
    if (depth <= 100) verify(`${RECURSIVE_SCHEMA} (depth ${depth}) final`, streamed.end(), Documents.parse(JSON.parse(text)));
    log(`schema recursive union depth ${depth}: timing`);
    const [none, withSchema] = await interleaved(
      [RECURSIVE_NONE, () => streamOnly(api, deltas, undefined).value],
      [RECURSIVE_SCHEMA, () => streamOnly(api, deltas, Documents).value],
      15,
    );
    const r = (withSchema as Timing).median / (none as Timing).median;
    ratios.push(r);
    rows.push([String(depth), String(text.length), formatMs((none as Timing).median), formatMs((withSchema as Timing).median), formatRatio(r)]);
  }
  return [
    '### Recursive unions: the guide stays O(n) at any depth',
    '',
    `Workload: about ${formatBytes(RECURSION_SIZE)} of \`[{"a":{"a":…{"x":1,"y":"s"}…}}, …]\` nested 10, 100 and 1000 deep,`,
    'cut by `llmDeltas`, against `z.array(U)` where `U` is a recursive union of three objects sharing the key `a`',
    '(before the fix the guide kept 3^depth candidates: 86 bytes nested 14 deep took 12.6 s and 3 GB). Writes only,',
    "run alternately with and without the schema; `end()`'s final parse is zod's (recursive: at depth 1000 it",
    'overflows the stack, so the final value is checked at 10 and 100 only; the last snapshot at every depth).',
    '',
    markdownTable(['depth', 'characters', 'no schema', 'schema', 'schema ÷ none'], rows),
    '',
    targetList([
      target(
        'recursive union: schema ÷ none at depth 1000 within 2x of the same ratio at depth 10 (O(n) whatever the depth)',
        ratios.length === RECURSION_DEPTHS.length ? (ratios[2] as number) / (ratios[0] as number) : undefined,
        '<=',
        2,
      ),
    ]),
  ].join('\n');
}

export const group: BenchGroup = {
  name: 'schema',
  title: 'schema: the llm workload with a zod schema, against safeParse after every delta',
  async run({ log }) {
    const loaded = await loadParser();
    const all = new Map<number, CaseResult[]>();
    const counts = new Map<number, { valid: number; invalid: number; deltas: number }>();
    const texts = new Map<number, string>();
    const validation = new Map<number, { streaming: number; end: number }>();
    for (const size of SIZES) {
      const text = llmDocument(size, SEED);
      texts.set(size, text);
      const deltas = llmDeltas(text, SEED);
      const expected: unknown = JSON.parse(text);
      const label = formatBytes(size);
      const results: CaseResult[] = [];
      all.set(size, results);
      const full = LlmDocument.safeParse(expected);
      if (!full.success) throw new Error(`the schema rejects llmDocument(${size}): ${full.error.message.slice(0, 300)}`);
      verify('schema parse of JSON.parse', full.data, expected);
      results.push(await measure(JSON_PARSE, () => JSON.parse(text), { warmup: 3, runs: 15, budgetMs: 1000 }));
      if (!loaded.ok) {
        for (const name of [DELTAS, DELTAS_SCHEMA, SNAPSHOTS_SCHEMA, SNAPSHOTS, SAFE_PARSE]) results.push(skipped(name, loaded.reason));
        continue;
      }
      const { api } = loaded;
      validation.set(size, countValidation(api, deltas));
      const check = (name: string, run: Run, needsOperations: boolean): void => {
        verify(name, run.value, expected);
        if (needsOperations && run.operations === 0) throw new Error(`${name}: onDelta never fired`);
        if ('last' in run && !('valid' in run)) verify(`${name} last snapshot`, run.last, expected);
      };
      // With and without the schema, interleaved run by run so that load changes hit both alike.
      log(`schema ${label}: checking deltas modes`);
      check(DELTAS, deltasMode(api, deltas, undefined), true);
      check(DELTAS_SCHEMA, deltasMode(api, deltas, LlmDocument), true);
      log(`schema ${label}: timing deltas modes`);
      const pair = await interleaved(
        [DELTAS, () => deltasMode(api, deltas, undefined).value],
        [DELTAS_SCHEMA, () => deltasMode(api, deltas, LlmDocument).value],
        size > 50 * 1024 ? 25 : 41,
      );
      results.push(...pair);

      if (BASELINE_SIZES.has(size)) {
        for (const [name, fn] of [
          [SNAPSHOTS, () => snapshotMode(api, deltas, undefined)],
          [SNAPSHOTS_SCHEMA, () => snapshotMode(api, deltas, LlmDocument)],
        ] as const) {
          log(`schema ${label}: checking and timing ${name}`);
          check(name, fn(), false);
          results.push(await measure(name, () => fn().value, { warmup: 2, runs: 9, budgetMs: 3000 }));
        }
        log(`schema ${label}: timing ${SAFE_PARSE}`);
        let run: Run | undefined;
        const once = size > 50 * 1024;
        const timing = once
          ? await measureOnce(SAFE_PARSE, () => (run = safeParseMode(api, deltas)).value, 'one run')
          : await measure(SAFE_PARSE, () => (run = safeParseMode(api, deltas)).value, { warmup: 1, runs: 5, budgetMs: 3000 });
        const result = run as Run;
        verify(SAFE_PARSE, result.value, expected);
        verify(`${SAFE_PARSE} last valid partial`, result.last, expected);
        results.push(timing);
        counts.set(size, { valid: result.valid ?? 0, invalid: result.invalid ?? 0, deltas: deltas.length });
      }
    }

    const tables = SIZES.map((size) => {
      const text = texts.get(size) as string;
      const count = counts.get(size);
      const note =
        count === undefined
          ? ''
          : `\n\nsafeParse after every delta: ${count.valid} of ${count.deltas} partial objects valid, ${count.invalid} rejected (a partial enum, URL or number bound in progress, an unfinished tuple).`;
      return `### ${formatBytes(size)}: ${text.length} characters, ${llmDeltas(text, SEED).length} deltas\n\n${timingTable(all.get(size) ?? [], [JSON_PARSE, DELTAS])}${note}`;
    });

    // Validation work = with schema - without, per size.
    const overhead = (size: number, pick: (t: Timing) => number): number | undefined => {
      const a = timingOf(all.get(size) ?? [], DELTAS_SCHEMA);
      const b = timingOf(all.get(size) ?? [], DELTAS);
      return a && b ? pick(a) - pick(b) : undefined;
    };
    const medianOf = (t: Timing): number => t.median;
    const minOf = (t: Timing): number => t.min;
    const overheadRows = SIZES.map((size) => {
      const a = timingOf(all.get(size) ?? [], DELTAS_SCHEMA);
      const b = timingOf(all.get(size) ?? [], DELTAS);
      return [
        formatBytes(size),
        b ? formatMs(b.median) : '—',
        a ? formatMs(a.median) : '—',
        formatRatio(a && b ? a.median / b.median : undefined),
        formatMs(overhead(size, medianOf) ?? Number.NaN),
        formatMs(overhead(size, minOf) ?? Number.NaN),
        formatMs(((overhead(size, medianOf) ?? Number.NaN) / size) * 1024 * 100),
      ];
    });
    const ratioMedian = ratio(overhead(200 * 1024, medianOf), overhead(100 * 1024, medianOf));
    const ratioMin = ratio(overhead(200 * 1024, minOf), overhead(100 * 1024, minOf));
    const big = all.get(100 * 1024) ?? [];
    const small = all.get(10 * 1024) ?? [];
    const schemaRatio = ratioOfMedians(big, DELTAS_SCHEMA, DELTAS);

    const workload = [
      `Workload: the llm group's \`llmDocument(size, seed ${SEED})\` cut by \`llmDeltas(text, seed ${SEED})\` into 1-8 character`,
      'deltas, with a zod schema describing the document (enums for the language, entity types and units,',
      'bounded numbers, `z.url()` sources, optional `sources` and `data`, tuples for table rows).',
      '**deltas**: `createPartialParser` with `onDelta`, no snapshot read, without and with `schema` (run',
      'alternately, so load changes hit both alike); **snapshot after every delta**: `parser.value` read after',
      'every write; **deep-partial safeParse**: what users do today (zod-stream\'s approach): the parser\'s',
      'snapshot after every delta, `safeParse`d whole against the schema with every key optional, recursively',
      '(zod v4 has no `deepPartial`: the usual hand-written helper). Every final value (the schema\'s full parse',
      'with a schema) and the last snapshot are checked against `JSON.parse` before timing.',
    ].join(' ');

    return [
      workload,
      '',
      loadNote([...all.values()].flat()),
      '',
      tables.join('\n\n'),
      '',
      '### Validation work grows with the document',
      '',
      'Validation work = (deltas + schema) − (deltas, no schema). Twice the document should cost twice the',
      'validation (each subtree is validated once, when it closes, whatever the number of deltas). Differences',
      'of two noisy timings: read the min column beside the median one.',
      '',
      markdownTable(['size', 'no schema', 'schema', 'schema ÷ none', 'validation (medians)', 'validation (mins)', 'per 100 KB'], overheadRows),
      '',
      `200 KB ÷ 100 KB validation time: ${formatRatio(ratioMedian)} by medians, ${formatRatio(ratioMin)} by minimums (2.00x = linear).`,
      '',
      'The same work counted instead of timed (independent of the load): calls of `_zod.run` on the schema\'s',
      'nodes (nested runs included) while the document streams and in `end()`\'s full parse.',
      '',
      markdownTable(
        ['size', 'while streaming', 'at end()', 'total', 'per KB', 'total ÷ previous size\'s'],
        SIZES.map((size, i) => {
          const count = validation.get(size);
          const previous = i > 0 ? validation.get(SIZES[i - 1] as number) : undefined;
          if (count === undefined) return [formatBytes(size), '—', '—', '—', '—', '—'];
          const total = count.streaming + count.end;
          return [
            formatBytes(size),
            String(count.streaming),
            String(count.end),
            String(total),
            (total / (size / 1024)).toFixed(1),
            previous === undefined ? '—' : formatRatio(total / (previous.streaming + previous.end)),
          ];
        }),
      ),
      '',
      'Targets:',
      '',
      targetList([
        target(
          `100 KB: deltas + schema ≤ 1.5x deltas without schema (medians; by minimums ${formatRatio(ratio(timingOf(big, DELTAS_SCHEMA)?.min, timingOf(big, DELTAS)?.min))})`,
          schemaRatio,
          '<=',
          1.5,
        ),
        target(`validation time at 200 KB ÷ at 100 KB ≤ 2.5x (linear: 2x; medians; by minimums ${formatRatio(ratioMin)})`, ratioMedian, '<=', 2.5),
        target(
          'validation calls at 200 KB ÷ at 100 KB ≤ 2.2x (linear: 2x; counted)',
          ratio(sumOf(validation.get(200 * 1024)), sumOf(validation.get(100 * 1024))),
          '<=',
          2.2,
        ),
        target(
          '100 KB: validated snapshots (schema + snapshot per delta) faster than snapshot + deep-partial safeParse per delta (÷ shown)',
          ratioOfMedians(big, SAFE_PARSE, SNAPSHOTS_SCHEMA),
          '>=',
          1,
        ),
        target(
          '10 KB: validated snapshots faster than snapshot + deep-partial safeParse per delta (÷ shown)',
          ratioOfMedians(small, SAFE_PARSE, SNAPSHOTS_SCHEMA),
          '>=',
          1,
        ),
      ]),
      '',
      await recursiveUnionSection(loaded, log),
    ].join('\n');
  },
};

function sumOf(count: { streaming: number; end: number } | undefined): number | undefined {
  return count === undefined ? undefined : count.streaming + count.end;
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
}

function ratioOfMedians(results: readonly CaseResult[], numerator: string, denominator: string): number | undefined {
  return ratio(timingOf(results, numerator)?.median, timingOf(results, denominator)?.median);
}

/**
 * Times two cases alternately (a, b, a, b…), `runs` times each after two warm-ups each, so that
 * a change in the machine's load affects both: their ratio is what this group is about.
 */
async function interleaved(a: readonly [string, () => unknown], b: readonly [string, () => unknown], runs: number): Promise<Timing[]> {
  const samples: [number[], number[]] = [[], []];
  const cases = [a, b] as const;
  for (let warm = 0; warm < 2; warm++) for (const [, fn] of cases) blackhole(fn());
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < 2; k++) {
      const [name, fn] = cases[k] as readonly [string, () => unknown];
      const timing = await measure(name, fn, { warmup: 0, runs: 1, minRuns: 1 });
      (samples[k] as number[]).push(timing.median);
    }
  }
  return cases.map(([name], k) => {
    const list = samples[k] as number[];
    return { kind: 'timing', name, median: median(list), min: Math.min(...list), runs: list.length } satisfies Timing;
  });
}
