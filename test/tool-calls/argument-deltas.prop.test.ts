// `argumentDeltas`: replaying the `deltas` of every `onToolCallDelta` a call got gives exactly the
// arguments it was left with (delivered, or left behind by a failure), and what happens to a call
// does not depend on how the provider cut its arguments into fragments. The fragment whose text
// fails, and the end of a call that completes a number or fails at the end, hand out their
// deltas too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyDelta, ParseError, zodGuide } from '../../src/index.js';
import type { StreamEvent } from '../../src/providers/events.js';
import { createToolCallAssembler, type ToolCallState } from '../../src/tool-calls/index.js';
import { chunked, jsonText, mutatedJson, providerStream, type ProviderStreamConstraints, type ProviderStreamKind } from '../../src/testing/index.js';
import { adapterFor } from '../providers/helpers.js';
import { runs } from '../support/shared.js';

// `free` takes any arguments; `counts` fails early (zodGuide) on most of them, as a schema error.
const tools = { free: z.unknown(), counts: z.record(z.string(), z.number()) };

/** Valid JSON, or JSON after a few edits: invalid at some character, cut short, emptied, or still valid. */
const argumentsText = fc.oneof(jsonText({ maxLength: 4 }), jsonText({ maxLength: 4 }).chain((text) => mutatedJson(text)));

/** One call: its tool, its text cut two ways (every chunking mode, empty fragments too), and whether the provider ends it. */
const callArbitrary = fc.record({
  tool: fc.constantFrom('free', 'counts'),
  cut: argumentsText.chain((text) => fc.tuple(chunked(text, { emptyChunks: true }), chunked(text))),
  ended: fc.boolean(),
});
type CallInput = { tool: string; fragments: string[]; ended: boolean };
type Ending = 'stop' | 'length' | 'error' | 'cut';

/** What happened to one call: its events (runs of partials as one), how it was left, and its deltas replayed. */
interface Outcome {
  events: unknown[];
  status: ToolCallState['status'];
  arguments: unknown;
  rawArguments: string;
  replayed: unknown;
}

/** Streams the calls interleaved as `schedule` says, each ended or not, then the stream's ending. */
function assemble(calls: readonly CallInput[], schedule: readonly number[], ending: Ending): Outcome[] {
  const events: unknown[][] = calls.map(() => []);
  const replayed: unknown[] = calls.map(() => undefined);
  const assembler = createToolCallAssembler({
    tools,
    guide: zodGuide,
    argumentDeltas: true,
    onToolCallStart: (call) => events[call.index]!.push(['start']),
    onToolCallDelta: (call) => {
      replayed[call.index] = applyDelta(replayed[call.index], call.deltas);
      // Each partial call's deltas lead exactly to the partial arguments it carries.
      expect(replayed[call.index]).toEqual(call.arguments);
      const own = events[call.index]!;
      if ((own.at(-1) as unknown[])[0] !== 'partial') own.push(['partial']);
    },
    onToolCall: (call) => events[call.index]!.push(['call', call.arguments, call.rawArguments]),
    onToolCallError: ({ id, reason, message, cause }) =>
      // A ParseError by where it is: its message quotes the culprit as far as the failing
      // fragment has it (half a surrogate pair when the cut splits one: src/json's to fix).
      events[Number(id.slice(5))]!.push(['error', reason, cause instanceof ParseError ? [cause.code, cause.position, cause.line, cause.column] : message]),
  });
  const push = (event: StreamEvent): void => assembler.push(event);
  calls.forEach((call, i) => push({ type: 'tool-call-start', id: `call_${i}`, name: call.tool, index: i }));
  const next = calls.map(() => 0);
  const advance = (i: number): void => {
    const { fragments, ended } = calls[i]!;
    const k = next[i]!;
    if (k < fragments.length) push({ type: 'tool-call-delta', id: `call_${i}`, delta: fragments[k]! });
    else if (k === fragments.length && ended) push({ type: 'tool-call-end', id: `call_${i}` });
    next[i] = k + 1;
  };
  for (const pick of schedule) advance(pick % calls.length);
  calls.forEach((call, i) => {
    while (next[i]! <= call.fragments.length) advance(i);
  });
  if (ending === 'stop') push({ type: 'finish', reason: 'tool-calls' });
  else if (ending === 'length') push({ type: 'finish', reason: 'length' });
  else if (ending === 'error') push({ type: 'error', error: new Error('overloaded') });
  assembler.end();
  return assembler.calls.map((state, i) => ({
    events: events[i]!,
    status: state.status,
    arguments: state.arguments,
    rawArguments: state.rawArguments,
    replayed: replayed[i],
  }));
}

describe('argument deltas replay to the arguments a call is left with, however its fragments were cut', () => {
  it('valid and corrupted texts, interleaved calls, every ending: replayed deltas equal the final or left-behind arguments, the same for every chunking', () => {
    fc.assert(
      fc.property(
        fc.array(callArbitrary, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        fc.constantFrom<Ending>('stop', 'length', 'error', 'cut'),
        (calls, scheduleA, scheduleB, ending) => {
          const a = assemble(calls.map(({ tool, cut, ended }) => ({ tool, fragments: cut[0], ended })), scheduleA, ending);
          const b = assemble(calls.map(({ tool, cut, ended }) => ({ tool, fragments: cut[1], ended })), scheduleB, ending);
          for (const outcome of [...a, ...b]) {
            if (outcome.status === 'complete') {
              // The JSON as parsed (a schema's output may be a new object): the text's own value,
              // a leading BOM skipped (RFC 8259 §8.1), no text at all `{}`.
              const text = outcome.rawArguments.trim() === '' ? '{}' : outcome.rawArguments.replace(/^\uFEFF/, '');
              expect(outcome.replayed).toEqual(JSON.parse(text));
            } else {
              expect(outcome.replayed).toEqual(outcome.arguments);
            }
          }
          // Failed calls keep their text up to the failing fragment: the one chunking-dependent field.
          const same = (o: Outcome): unknown => ({ ...o, rawArguments: o.status === 'failed' ? '…' : o.rawArguments });
          expect(b.map(same)).toEqual(a.map(same));
        },
      ),
      { numRuns: runs(2) },
    );
  });

  it('the failing fragment hands out what the text before the bad character says', () => {
    for (const fragments of [['{"a":1x'], ['{"a":', '1x'], ['{"a":1', 'x'], ['{"a":1', 'x', '}']]) {
      let replayed: unknown;
      const assembler = createToolCallAssembler({
        argumentDeltas: true,
        onToolCallDelta: (call) => (replayed = applyDelta(replayed, call.deltas)),
        onToolCallError: () => {},
      });
      assembler.push({ type: 'tool-call-start', id: 'c', name: 't', index: 0 });
      for (const delta of fragments) assembler.push({ type: 'tool-call-delta', id: 'c', delta });
      assembler.push({ type: 'tool-call-end', id: 'c' });
      expect(assembler.calls[0]).toMatchObject({ status: 'failed', arguments: { a: 1 } });
      expect(replayed, fragments.join('|')).toEqual({ a: 1 });
    }
  });
});

// Valid arguments through every provider's wire format and adapter, with its quirks and endings.
const providers: { provider: ProviderStreamKind; constraints: ProviderStreamConstraints }[] = [
  { provider: 'openai-chat', constraints: { choices: 2 } },
  { provider: 'openai-responses', constraints: {} },
  { provider: 'anthropic', constraints: {} },
  { provider: 'gemini', constraints: { geminiMode: 'partial-args' } },
  { provider: 'bedrock', constraints: {} },
  { provider: 'openai-realtime', constraints: {} },
];

describe('argument deltas over generated provider streams', () => {
  for (const { provider, constraints } of providers) {
    it(`${provider}: each call's replayed deltas equal its delivered or left-behind arguments`, async () => {
      await fc.assert(
        fc.asyncProperty(providerStream(provider, { ending: ['finish', 'length', 'error', 'cut'], ...constraints }), async ({ chunks }) => {
          const replayed = new Map<string, unknown>();
          const assembler = createToolCallAssembler({
            argumentDeltas: true,
            onToolCallDelta: (call) => {
              const key = `${call.choice ?? 0}/${call.id}`;
              replayed.set(key, applyDelta(replayed.get(key), call.deltas));
            },
            onToolCallError: () => {},
          });
          for await (const event of adapterFor(provider)(chunks as unknown[])) assembler.push(event);
          assembler.end();
          for (const call of assembler.calls) expect(replayed.get(`${call.choice ?? 0}/${call.id}`), call.rawArguments).toEqual(call.arguments);
        }),
        { numRuns: runs(0.3) },
      );
    });
  }
});
