import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyDelta,
  createPartialParser,
  parsePartial,
  parseStream,
  PartialJsonStream,
  type Delta,
  type JsonPath,
  type Lenient,
  type ParseWarning,
  lenient as lenientMode,
} from '../../src/index.js';
import { assembleToolCalls, type AssembledEvent, type StreamEvent } from '../../src/tool-calls/index.js';
import { chunked, deepEqualJson, deepFreeze, findSnapshotViolation, jsonText, mutatedJson, utf8Chunks } from '../../src/testing/index.js';
import { findLoneSurrogate } from '../../src/testing/chunked.js';
import { containers, damagedValue } from '../support/lenient-damage.js';
import { runs } from '../support/shared.js';

type Trace = {
  snapshots: unknown[];
  deltas: Delta[][];
  completed: [unknown, JsonPath][];
  warnings: ParseWarning[];
  final?: unknown;
  error?: string;
};

function trace(chunks: readonly (string | Uint8Array)[], lenient: Lenient | false = lenientMode(), withComplete = false): Trace {
  const t: Trace = { snapshots: [], deltas: [], completed: [], warnings: [] };
  const parser = createPartialParser({
    lenient,
    maxDepth: Infinity,
    onDelta: (d) => void t.deltas.push(d),
    onWarning: (w) => void t.warnings.push(w),
    ...(withComplete ? { onComplete: (value: unknown, path: JsonPath) => void t.completed.push([value, path]) } : {}),
  });
  try {
    for (const chunk of chunks) {
      parser.write(chunk);
      t.snapshots.push(deepFreeze(parser.value));
    }
    t.final = parser.end();
  } catch (error) {
    t.error = String(error);
  }
  expect(parser.warnings).toEqual(t.warnings);
  return t;
}

describe('createPartialParser({ lenient }) on valid JSON is strict mode', () => {
  it('same snapshots, deltas, onComplete calls and final value, no warning, for any chunking of text', () => {
    fc.assert(
      fc.property(
        jsonText({ nonAscii: true }).chain((text) => fc.tuple(chunked(text), fc.boolean())),
        ([chunks, withComplete]) => {
          const strict = trace(chunks, false, withComplete);
          expect(trace(chunks, lenientMode(), withComplete)).toEqual(strict);
          expect(strict.warnings).toEqual([]);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('the same for any chunking of the UTF-8 bytes', () => {
    fc.assert(
      fc.property(
        jsonText({ nonAscii: true })
          .filter((text) => findLoneSurrogate(text) === -1)
          .chain((text) => utf8Chunks(text)),
        (chunks) => {
          expect(trace(chunks, lenientMode(), true)).toEqual(trace(chunks, false, true));
        },
      ),
      { numRuns: runs() },
    );
  });
});

describe('lenient mode keeps every partial-value invariant', () => {
  it('damaged texts: snapshots obey the invariants, deltas replay to the final value, warnings do not depend on chunking', () => {
    fc.assert(
      fc.property(
        containers
          .chain((value) => damagedValue(value, fc.nat()))
          .chain((d) => fc.tuple(fc.constant(d), chunked(d.text), fc.nat(d.text.length))),
        ([{ text, codes }, chunks, cut]) => {
          // The whole text, and a truncation of it (cut inside, ended).
          for (const input of [chunks, [...text.slice(0, cut)]]) {
            const t = trace(input);
            expect(t.error).toBeUndefined();
            expect(findSnapshotViolation(t.snapshots, t.final, { structuralSharing: true })?.message).toBeUndefined();
            let replayed: unknown;
            for (const batch of t.deltas) replayed = applyDelta(replayed, batch);
            expect(deepEqualJson(replayed, t.final)).toBe(true);
          }
          const whole = trace([text]);
          expect(whole.warnings.map((w) => w.code)).toEqual(codes);
          expect(trace(chunks).warnings).toEqual(whole.warnings);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('a warning is reported before the update it affects, during the write that decides it', () => {
    const events: string[] = [];
    const parser = createPartialParser({
      lenient: lenientMode(),
      onWarning: (w) => events.push(`warning ${w.code}`),
      onPartial: (v) => events.push(`partial ${JSON.stringify(v)}`),
    });
    parser.write('```json\n[Tr');
    expect(events).toEqual(['warning code-fence', 'partial []']);
    parser.write('ue, 1,');
    expect(events.slice(2)).toEqual(['warning python-literal', 'partial [true,1]']);
    parser.write(']');
    expect(events.slice(4)).toEqual(['warning trailing-comma']); // closing shows nothing new
    expect(parser.end()).toEqual([true, 1]);
    expect(parser.warnings.map((w) => w.code)).toEqual(['code-fence', 'python-literal', 'trailing-comma']);
  });

  it('end() on a truncated text: the best value so far, one truncated warning, and the parser is done', () => {
    const parser = createPartialParser({ lenient: lenientMode() });
    parser.write('{"title": "Stream", "tags": ["a", "b');
    expect(parser.end()).toEqual({ title: 'Stream', tags: ['a', 'b'] });
    expect(parser.warnings.map((w) => w.code)).toEqual(['truncated']);
    expect(parser.done).toBe(true);
  });

  it('a throwing onWarning makes the write throw and the parser refuse further input', () => {
    const parser = createPartialParser({
      lenient: lenientMode(),
      onWarning: () => {
        throw new Error('stop');
      },
    });
    expect(() => parser.write('[1,]')).toThrow('stop');
    expect(() => parser.write(']')).toThrow(TypeError);
  });
});

describe('parsePartial(text, { lenient: lenientMode() })', () => {
  it('examples', () => {
    expect(parsePartial('```json\n{"n": 12,', { lenient: lenientMode() })).toEqual({
      value: { n: 12 },
      complete: false,
      warnings: [expect.objectContaining({ code: 'code-fence' }), expect.objectContaining({ code: 'truncated', position: 17, line: 2, column: 10 })],
    });
    expect(parsePartial('{"a": [1, 2]}', { lenient: lenientMode() })).toEqual({ value: { a: [1, 2] }, complete: true, warnings: [] });
    expect(parsePartial('[1, 12', { lenient: lenientMode() }).value).toEqual([1, 12]);
    // Text no repair covers: the value before it, and a truncated warning at the bad character.
    expect(parsePartial('{"a": 1, "b" 2}', { lenient: lenientMode() })).toEqual({
      value: { a: 1 },
      complete: false,
      warnings: [expect.objectContaining({ code: 'truncated', position: 13, line: 1, column: 14 })],
    });
    // Strict results keep their shape.
    expect(parsePartial('[1, 2]')).toEqual({ value: [1, 2], complete: true });
  });

  it('never throws for any text, and reports what onWarning reports', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', "'", ',', ':', '\\', '/', '*', '`', '<', '>', 'T', 'N', 'u', 'a', '1', '-', '.', 'e', ' ', '\n', '\t') }),
      fc.string({ unit: 'binary' }),
      jsonText({ maxLength: 60 }).chain((t) => mutatedJson(t)),
    );
    fc.assert(
      fc.property(text, (t) => {
        const seen: ParseWarning[] = [];
        const result = parsePartial(t, { lenient: lenientMode(), onWarning: (w) => void seen.push(w) });
        expect(result.warnings).toEqual(seen);
        expect(seen.filter((w) => w.code === 'truncated').length).toBeLessThanOrEqual(1);
      }),
      { numRuns: runs(3) },
    );
  });

  it('gives the parser\'s final value for damaged texts', () => {
    fc.assert(
      fc.property(
        containers.chain((value) => damagedValue(value, fc.nat())),
        ({ text }) => {
          const result = parsePartial(text, { lenient: lenientMode() });
          const t = trace([text]);
          expect(result.value).toEqual(t.final);
          expect(result.complete).toBe(true);
          expect(result.warnings).toEqual(t.warnings);
        },
      ),
      { numRuns: runs() },
    );
  });
});

async function* from(chunks: readonly string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

describe('parseStream / PartialJsonStream with lenient', () => {
  it('each update carries the warnings since the last one; all of them are the parser\'s', async () => {
    const text = 'Sure:\n```json\n{"a": [1, 2,], b: True, "c": "tr';
    const got: ParseWarning[] = [];
    let last: unknown;
    for await (const update of parseStream(from([...text]), { lenient: lenientMode() })) {
      got.push(...update.warnings);
      last = update.value;
    }
    expect(last).toEqual({ a: [1, 2], b: true, c: 'tr' });
    expect(got.map((w) => w.code)).toEqual(['leading-text', 'code-fence', 'trailing-comma', 'unquoted-key', 'python-literal', 'truncated']);
    const whole = parsePartial(text, { lenient: lenientMode() });
    expect(got).toEqual(whole.warnings);
  });

  it('strict updates carry no warnings', async () => {
    for await (const update of parseStream(from(['[1,', ' 2]']))) expect(update.warnings).toEqual([]);
  });

  it('PartialJsonStream passes lenient and onWarning through', async () => {
    const seen: string[] = [];
    const stream = new PartialJsonStream({ lenient: lenientMode(), onWarning: (w) => void seen.push(w.code) });
    const source = new ReadableStream<string>({
      start(controller) {
        for (const chunk of ['{a: None', '}']) controller.enqueue(chunk);
        controller.close();
      },
    });
    const updates = source.pipeThrough(stream);
    const all: unknown[] = [];
    for await (const update of updates) all.push(...update.warnings.map((w) => w.code));
    expect(seen).toEqual(['unquoted-key', 'python-literal']);
    expect(all).toEqual(seen);
  });
});

describe('structured output over provider streams with output.lenient', () => {
  it('repairs the output text and reports output-warning events', async () => {
    async function* events(): AsyncGenerator<StreamEvent> {
      for (const delta of ['Here you go:\n```json\n{"city": "Paris", ', 'temp: 21,}\n```']) yield { type: 'text-delta', delta };
      yield { type: 'finish', reason: 'stop' };
    }
    const out: AssembledEvent[] = [];
    for await (const event of assembleToolCalls(events(), { output: { lenient: lenientMode() } })) out.push(event);
    const final = out.find((e) => e.type === 'output');
    expect(final).toEqual({ type: 'output', value: { city: 'Paris', temp: 21 } });
    const codes = out.flatMap((e) => (e.type === 'output-warning' ? [e.warning.code] : []));
    expect(codes).toEqual(['leading-text', 'code-fence', 'unquoted-key', 'trailing-comma', 'code-fence']);
    expect(out.some((e) => e.type === 'output-error')).toBe(false);
  });
});
