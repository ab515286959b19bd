import { describe, expect, it } from 'vitest';
import { assembleToolCalls, type AssembledEvent, type StreamEvent, ToolCallError } from '../../src/tool-calls/index.js';
import { loadRecorded, recordedAvailable, recordedSkipMessage } from '../fixtures/recorded.js';
import { adapterFor, collect, summarize } from '../providers/helpers.js';
import { parsesAsJson } from '../support/viable.js';

if (!recordedAvailable) console.warn(recordedSkipMessage);


describe.skipIf(!recordedAvailable)('recorded provider streams through adapter + assembler', () => {
  const fixtures = recordedAvailable ? loadRecorded() : [];
  for (const fixture of fixtures) {
    fixture.streams.forEach((stream, n) => {
      it(`${fixture.name} #${n}: calls and structured output equal the stream's own aggregate`, async () => {
        const events: StreamEvent[] = await collect(adapterFor(fixture.provider)(stream.chunks));
        const summary = summarize(events);
        const out: AssembledEvent[] = await collect(assembleToolCalls(events, { output: true }));

        const completed = out.filter((e) => e.type === 'tool-call');
        const failed = out.filter((e) => e.type === 'tool-call-error');
        // Every call the provider ended is delivered once, with the arguments the stream carries.
        for (const call of summary.calls) {
          const delivered = completed.filter((e) => e.id === call.id && (e.choice ?? 0) === call.choice);
          const errors = failed.filter((e) => e.error.id === call.id);
          if (call.ended && (call.args.trim() === '' || parsesAsJson(call.args))) {
            expect(delivered, call.id).toHaveLength(1);
            expect(delivered[0]?.arguments).toEqual(call.args.trim() === '' ? {} : JSON.parse(call.args));
            expect(delivered[0]?.rawArguments).toBe(call.args);
            expect(errors).toHaveLength(0);
          } else {
            // Not ended by the provider: never complete, always a truncated (or invalid) error.
            expect(delivered, call.id).toHaveLength(0);
            expect(errors, call.id).toHaveLength(1);
            expect(errors[0]?.error).toBeInstanceOf(ToolCallError);
            if (!call.ended) expect(errors[0]?.error.reason).toBe('truncated');
          }
        }
        // Structured output: each choice whose text is JSON gives that value once.
        for (const [choice, text] of summary.text) {
          if (!parsesAsJson(text)) continue;
          const outputs = out.filter((e) => e.type === 'output' && (e.choice ?? 0) === choice);
          expect(outputs, `choice ${choice}`).toHaveLength(1);
          expect(outputs[0]).toMatchObject({ value: JSON.parse(text) });
        }
        // Partial arguments only ever grow towards the final arguments.
        const partials = out.filter((e) => e.type === 'tool-call-partial');
        for (const p of partials) expect(summary.calls.some((c) => c.id === p.id)).toBe(true);
      });
    });
  }

  it('the cut Anthropic tool call is a truncated error, never a call', async () => {
    const fixture = fixtures.find((f) => f.name.endsWith('incomplete_partial_json_response.txt'))!;
    const out = await collect(assembleToolCalls(adapterFor(fixture.provider)(fixture.chunks)));
    expect(out.filter((e) => e.type === 'tool-call')).toHaveLength(0);
    const errors = out.flatMap((e) => (e.type === 'tool-call-error' ? [e.error] : []));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reason: 'truncated', toolName: 'make_file' });
    expect(errors[0]?.rawArguments.length).toBeGreaterThan(0);
  });

  it('the n=3 structured output stream keeps its three choices apart', async () => {
    const fixture = fixtures.find((f) => f.name.startsWith('openai/a491adda'))!;
    const events = await collect(adapterFor(fixture.provider)(fixture.chunks));
    const outputs = (await collect(assembleToolCalls(events, { output: true }))).filter((e) => e.type === 'output');
    expect(outputs.map((e) => e.choice ?? 0).sort()).toEqual([0, 1, 2]);
    const texts = summarize(events).text;
    for (const o of outputs) expect(o).toMatchObject({ value: JSON.parse(texts.get(o.choice ?? 0)!) });
  });

  it('max_tokens on structured output is an output error, not a value', async () => {
    const fixture = fixtures.find((f) => f.name.startsWith('openai/4cc50a61'))!;
    const out = await collect(assembleToolCalls(adapterFor(fixture.provider)(fixture.chunks), { output: true }));
    expect(out.filter((e) => e.type === 'output')).toHaveLength(0);
    expect(out.filter((e) => e.type === 'output-error')).toHaveLength(1);
  });
});
