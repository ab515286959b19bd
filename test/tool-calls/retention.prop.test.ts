// What an assembler keeps once its calls are over (issue 12, item 4: "nothing kept per call after
// it completes except what the caller holds"). Asserted on the assembler's own holdings (parsers
// pending delta lists and raw-text pieces, see `assemblerHeld`), not on heap sizes or timings: a completed,
// failed or cut call keeps only its `calls` record (id, name, status, raw text, arguments).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemblerHeld, createToolCallAssembler } from '../../src/tool-calls/assembler.js';
import type { StreamEvent } from '../../src/providers/events.js';
import { jsonText, textChunks } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

/** One call: its text in chunks (1-character chunks included), and how it ends. */
const callArbitrary = fc.record({
  // Valid JSON arguments, or a text made invalid by a stray character at a random place.
  input: fc.oneof(
    textChunks(jsonText({ maxLength: 200 }), { modes: ['whole', 'units', 'fixed', 'tokens', 'sizes', 'tricky'] }),
    textChunks(
      fc.tuple(jsonText({ maxLength: 60 }), fc.nat(), fc.constantFrom('}', ']', '"', 'x')).map(([text, at, bad]) => {
        const cut = at % (text.length + 1);
        return text.slice(0, cut) + bad + text.slice(cut);
      }),
      { modes: ['units', 'fixed'] },
    ),
  ),
  ending: fc.constantFrom('end-event', 'finish', 'cut'),
});

describe('a tool-call assembler keeps nothing of a call once it is over', () => {
  it('interleaved calls: one parser per open call while they stream, none and no pending deltas or raw-text pieces after they end, whatever the ending; rawArguments exact after every fragment', () => {
    fc.assert(
      fc.property(
        fc.array(callArbitrary, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 400 }),
        fc.boolean(),
        fc.boolean(),
        (calls, schedule, withDeltaCallback, argumentDeltas) => {
          let partials = 0;
          // The raw text sent so far per call: `rawArguments` must be exactly it after every fragment.
          const sent = calls.map(() => '');
          const assembler = createToolCallAssembler({
            ...(withDeltaCallback
              ? {
                  onToolCallDelta: (call) => {
                    partials++;
                    expect(call.rawArguments).toBe(sent[call.index]);
                  },
                }
              : {}),
            argumentDeltas,
            onToolCallError: () => {},
          });
          const push = (event: StreamEvent): void => assembler.push(event);
          calls.forEach((_, i) => push({ type: 'tool-call-start', id: `call_${i}`, name: 'tool', index: i }));
          expect(assemblerHeld(assembler)).toEqual({ calls: calls.length, parsers: calls.length, deltas: 0, ropes: 0 });
          // Interleave the chunks: the schedule picks the next call to advance, then the rest go in order.
          const next = calls.map(() => 0);
          const advance = (i: number): void => {
            const chunks = (calls[i] as (typeof calls)[number]).input.chunks;
            const k = next[i] as number;
            if (k >= chunks.length) return;
            next[i] = k + 1;
            sent[i] += chunks[k] as string;
            push({ type: 'tool-call-delta', id: `call_${i}`, delta: chunks[k] as string });
            // A fragment's deltas are handed out with it: none stays pending between pushes.
            expect(assemblerHeld(assembler).deltas).toBe(0);
          };
          for (const pick of schedule) advance(pick % calls.length);
          calls.forEach((call, i) => {
            while ((next[i] as number) < call.input.chunks.length) advance(i);
          });
          const open = assembler.calls.filter((state) => state.status === 'streaming').length;
          expect(assemblerHeld(assembler).parsers).toBe(open);
          calls.forEach((call, i) => {
            if (call.ending === 'end-event') push({ type: 'tool-call-end', id: `call_${i}` });
          });
          if (calls.some((call) => call.ending === 'finish')) push({ type: 'finish', reason: 'tool-calls' });
          assembler.end();
          expect(assemblerHeld(assembler)).toEqual({ calls: calls.length, parsers: 0, deltas: 0, ropes: 0 });
          // What stays is the record the caller reads: every call ended one way or the other.
          for (const [i, state] of assembler.calls.entries()) {
            const text = (calls[i] as (typeof calls)[number]).input.text;
            expect(state.status).not.toBe('streaming');
            // A call that failed on a fragment ignores the fragments after it.
            if (state.status === 'complete') expect(state.rawArguments).toBe(text);
            else expect(text.startsWith(state.rawArguments)).toBe(true);
          }
          if (!withDeltaCallback) expect(partials).toBe(0);
        },
      ),
      { numRuns: runs() },
    );
  });

  it('a repeated start, a late delta and a second end after a call completed bring nothing back', () => {
    const assembler = createToolCallAssembler({ onToolCallDelta: () => {}, argumentDeltas: true });
    assembler.push({ type: 'tool-call-start', id: 'a', name: 'tool', index: 0 });
    for (const delta of '{"x":[1,2]}') assembler.push({ type: 'tool-call-delta', id: 'a', delta });
    assembler.push({ type: 'tool-call-end', id: 'a' });
    assembler.push({ type: 'tool-call-start', id: 'a', name: 'tool', index: 0 });
    assembler.push({ type: 'tool-call-delta', id: 'a', delta: '}' });
    assembler.push({ type: 'tool-call-end', id: 'a' });
    assembler.end();
    expect(assemblerHeld(assembler)).toEqual({ calls: 1, parsers: 0, deltas: 0, ropes: 0 });
    expect(assembler.calls[0]).toMatchObject({ status: 'complete', arguments: { x: [1, 2] }, rawArguments: '{"x":[1,2]}' });
  });
});
