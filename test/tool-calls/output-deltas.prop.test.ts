import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelta, lenient as lenientMode } from '../../src/index.js';
import { assembleToolCalls, type AssembledEvent, type StreamEvent } from '../../src/tool-calls/index.js';
import { chunked, jsonText } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

/** The events of one stream: the text in `chunks` as text deltas, then a finish (`length` when cut). */
async function run(chunks: readonly string[], lenient: boolean, cut: boolean): Promise<AssembledEvent[]> {
  async function* events(): AsyncGenerator<StreamEvent> {
    for (const delta of chunks) if (delta.length > 0) yield { type: 'text-delta', delta };
    yield { type: 'finish', reason: cut ? 'length' : 'stop' };
  }
  const out: AssembledEvent[] = [];
  for await (const event of assembleToolCalls(events(), { output: { lenient: lenient && lenientMode() } })) out.push(event);
  return out;
}

/** Replays every `output-partial`'s deltas; returns the replayed value and the last partial shown. */
function replay(events: readonly AssembledEvent[]): { replayed: unknown; last: unknown } {
  let replayed: unknown;
  let last: unknown;
  for (const event of events) {
    if (event.type !== 'output-partial') continue;
    replayed = applyDelta(replayed, event.deltas);
    last = event.value;
  }
  return { replayed, last };
}

describe('structured output: the output-partial deltas always add up to the final value', () => {
  it('the issue example: finish "length" after `{"temp": 2` + `1`', async () => {
    const events = await run(['{"temp": 2', '1'], true, true);
    const final = events.find((e) => e.type === 'output');
    expect(final).toEqual({ type: 'output', value: { temp: 21 } });
    const { replayed, last } = replay(events);
    expect(replayed).toEqual({ temp: 21 });
    expect(last).toEqual({ temp: 21 });
    // The last output-partial comes before the output event.
    const types = events.map((e) => e.type).filter((t) => t === 'output-partial' || t === 'output');
    expect(types.at(-1)).toBe('output');
  });

  it('a complete top-level number appears only at the finish, and is replayable (strict)', async () => {
    const events = await run(['4', '2'], false, false);
    expect(events.find((e) => e.type === 'output')).toEqual({ type: 'output', value: 42 });
    expect(replay(events).replayed).toBe(42);
  });

  it('property: any JSON text, cut anywhere or not, every chunking, strict and lenient', async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonText({ maxDepth: 3 }).chain((text) =>
          fc.record({
            text: fc.constant(text),
            cutAt: fc.option(fc.integer({ min: 1, max: Math.max(1, text.length) }), { nil: undefined }),
            lenient: fc.boolean(),
          }).chain(({ text: t, cutAt, lenient }) => {
            const shown = cutAt === undefined ? t : t.slice(0, cutAt);
            return fc.record({ chunks: chunked(shown), lenient: fc.constant(lenient), cut: fc.constant(cutAt !== undefined && cutAt < t.length) });
          }),
        ),
        async ({ chunks, lenient, cut }) => {
          if (chunks.join('').length === 0) return;
          const events = await run(chunks, lenient, cut);
          const final = events.find((e) => e.type === 'output');
          const { replayed, last } = replay(events);
          // Whatever happened (output or output-error), the deltas give the last partial value.
          expect(replayed).toEqual(last);
          if (final !== undefined && final.type === 'output') {
            if (final.value !== undefined) expect(replayed).toEqual(final.value);
          }
          // No output-partial after the output / output-error event.
          const ends = events.findIndex((e) => e.type === 'output' || e.type === 'output-error');
          if (ends >= 0) expect(events.slice(ends + 1).some((e) => e.type === 'output-partial')).toBe(false);
          // Lenient mode always gives an output for text that starts a value.
          if (lenient && cut) expect(events.some((e) => e.type === 'output-error')).toBe(false);
        },
      ),
      { numRuns: runs() },
    );
  });
});
