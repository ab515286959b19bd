import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyDelta } from '../../src/index.js';
import { assembleToolCalls, createToolCallAssembler, fromOpenAIChatCompletions, type StreamEvent, ToolCallError, type CompletedToolCall } from '../../src/tool-calls/index.js';
import { zodGuide } from '../../src/schema/index.js';

function run(events: StreamEvent[], tools?: Record<string, z.ZodType>) {
  const calls: CompletedToolCall[] = [];
  const errors: ToolCallError[] = [];
  const partials: unknown[] = [];
  const assembler = createToolCallAssembler({
    ...(tools === undefined ? {} : { tools, guide: zodGuide }),
    onToolCall: (c) => calls.push(c),
    onToolCallError: (e) => errors.push(e),
    onToolCallDelta: (c) => partials.push(c.arguments),
  });
  for (const e of events) assembler.push(e);
  assembler.end();
  return { calls, errors, partials, states: assembler.calls };
}

const start = (id: string, name: string, index = 0, choice?: number): StreamEvent => ({
  type: 'tool-call-start',
  id,
  name,
  index,
  ...(choice === undefined ? {} : { choice }),
});
const delta = (id: string, d: string, choice?: number): StreamEvent => ({
  type: 'tool-call-delta',
  id,
  delta: d,
  ...(choice === undefined ? {} : { choice }),
});
const end = (id: string): StreamEvent => ({ type: 'tool-call-end', id });

describe('createToolCallAssembler', () => {
  it('keeps interleaved parallel calls apart and completes each on its own end signal', () => {
    const { calls, errors } = run([
      start('a', 'search'),
      start('b', 'lookup', 1),
      delta('a', '{"q":'),
      delta('b', '{"id":'),
      delta('a', '"x"}'),
      delta('b', '7}'),
      end('b'),
      end('a'),
    ]);
    expect(errors).toEqual([]);
    expect(calls.map((c) => [c.id, c.arguments])).toEqual([
      ['b', { id: 7 }],
      ['a', { q: 'x' }],
    ]);
  });

  it('never completes a call because its text happens to parse: {"q":"x"} may continue', () => {
    const assembler = createToolCallAssembler({ onToolCall: () => expect.unreachable() });
    assembler.push(start('a', 'search'));
    assembler.push(delta('a', '{"q":"x"}'));
    expect(assembler.calls[0]?.status).toBe('streaming');
    expect(assembler.calls[0]?.arguments).toEqual({ q: 'x' });
  });

  it('a finish with length truncates open calls; calls already complete stay delivered', () => {
    const { calls, errors } = run([
      start('a', 'search'),
      delta('a', '{"q":"done"}'),
      end('a'),
      start('b', 'search', 1),
      delta('b', '{"q":"cut of'),
      { type: 'finish', reason: 'length' },
    ]);
    expect(calls.map((c) => c.id)).toEqual(['a']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reason: 'truncated', id: 'b', toolName: 'search', rawArguments: '{"q":"cut of' });
    expect(errors[0]?.message).toMatchInlineSnapshot(
      `"Tool call "search" (b) was cut off before its arguments were complete (12 characters received); it must not be executed"`,
    );
  });

  it('push() after end() is a TypeError, not a new call delivered as complete; a second end() does nothing', () => {
    const completed: string[] = [];
    const truncated: string[] = [];
    const { push, end } = createToolCallAssembler({
      onToolCall: (call) => completed.push(call.id),
      onToolCallError: (error) => truncated.push(`${error.id} ${error.reason}`),
    });
    push({ type: 'tool-call-start', id: 'a', name: 'f', index: 0 });
    push({ type: 'tool-call-delta', id: 'a', delta: '{"x":' });
    end();
    expect(() => push({ type: 'tool-call-start', id: 'b', name: 'f', index: 1 })).toThrow(/push\(\) called after end\(\)/);
    expect(() => end()).not.toThrow();
    expect(completed).toEqual([]);
    expect(truncated).toEqual(['a truncated']);
  });

  it('an error event or the end of the stream truncates open calls', () => {
    expect(run([start('a', 't'), delta('a', '{'), { type: 'error', error: { type: 'overloaded_error' } }]).errors[0]?.reason).toBe(
      'truncated',
    );
    expect(run([start('a', 't'), delta('a', '{"x": 1}')]).errors[0]?.reason).toBe('truncated');
  });

  it('a stop or tool-calls finish ends calls the provider left open; a duplicated finish changes nothing', () => {
    const { calls, errors } = run([
      start('a', 't'),
      delta('a', '{"x": 1}'),
      { type: 'finish', reason: 'tool-calls' },
      { type: 'finish', reason: 'length' },
    ]);
    expect(errors).toEqual([]);
    expect(calls).toMatchObject([{ id: 'a', arguments: { x: 1 } }]);
  });

  it('only a stop or tool-calls finish ends open calls: every other reason, other included, truncates them', () => {
    for (const reason of ['length', 'content-filter', 'error', 'other'] as const) {
      // The cut text parses: it must still not be delivered (e.g. Mistral's model_length maps to other).
      const { calls, errors } = run([start('a', 't'), delta('a', '{"x": 1}'), { type: 'finish', reason }]);
      expect(calls).toEqual([]);
      expect(errors.map((e) => [e.id, e.reason])).toEqual([['a', 'truncated']]);
    }
  });

  it('a raw provider chunk instead of a stream event is a TypeError that names the adapter step', async () => {
    for (const chunk of [{ choices: [{ index: 0, delta: { content: 'hi' } }] }, { candidates: [] }, null, 'text', [1]]) {
      expect(() => createToolCallAssembler().push(chunk as never)).toThrow(/takes normalized stream events .*assembleToolCalls\(fromOpenAIChatCompletions\(stream\)\)/);
    }
    async function* raw() {
      yield { choices: [{ index: 0, delta: { content: 'hi' } }] };
    }
    await expect((async () => {
      for await (const _ of assembleToolCalls(raw() as never)) void _;
    })()).rejects.toThrow(/takes normalized stream events/);
  });

  it('validates arguments with the tool schema: early, at the end, and unknown tools', () => {
    const tools = { search: z.strictObject({ q: z.string(), limit: z.number().max(10).optional() }) };
    const early = run([start('a', 'search'), delta('a', '{"q": 5'), delta('a', '}'), end('a')], tools);
    expect(early.calls).toEqual([]);
    expect(early.errors[0]).toMatchObject({ reason: 'schema' });
    const strict = run([start('a', 'search'), delta('a', '{"q": "x", "other"'), end('a')], tools);
    expect(strict.errors[0]).toMatchObject({ reason: 'schema' });
    const final = run([start('a', 'search'), delta('a', '{"limit": 3}'), end('a')], tools);
    expect(final.errors[0]).toMatchObject({ reason: 'schema' });
    const unknown = run([start('a', 'delete_everything'), delta('a', '{}'), end('a')], tools);
    expect(unknown.errors[0]).toMatchObject({ reason: 'unknown-tool', toolName: 'delete_everything' });
    const ok = run([start('a', 'search'), delta('a', '{"q": "x", "limit": 3}'), end('a')], tools);
    expect(ok.calls[0]?.arguments).toEqual({ q: 'x', limit: 3 });
  });

  it('invalid JSON is reported at once with the ParseError as cause', () => {
    const { errors, calls } = run([start('a', 't'), delta('a', '{"a" 1'), delta('a', '}'), end('a')]);
    expect(calls).toEqual([]);
    expect(errors[0]?.reason).toBe('invalid-json');
    expect((errors[0]?.cause as Error).name).toBe('ParseError');
  });

  it('an empty first fragment, whole arguments in one fragment, and no arguments at all', () => {
    expect(run([start('a', 't'), delta('a', ''), delta('a', '{"k":[1,2]}'), end('a')]).calls[0]?.arguments).toEqual({ k: [1, 2] });
    expect(run([start('a', 't'), end('a')]).calls[0]?.arguments).toEqual({});
  });

  it("each partial call carries its fragment's argument deltas; replayed they give the arguments", () => {
    let replayed: unknown;
    const seen: number[] = [];
    const assembler = createToolCallAssembler({
      argumentDeltas: true,
      onToolCallDelta: (call) => {
        seen.push(call.deltas.length);
        replayed = applyDelta(replayed, call.deltas);
        expect(replayed).toEqual(call.arguments);
      },
    });
    for (const e of [start('a', 't'), delta('a', '{"city": "Paris"'), delta('a', ' '), delta('a', ', "days": [3'), delta('a', ']}'), end('a')]) {
      assembler.push(e);
    }
    assembler.end();
    expect(seen).toEqual([1, 0, 1, 1]); // a new object is one delta; whitespace changes nothing; 3 shows once complete
    expect(replayed).toEqual({ city: 'Paris', days: [3] });
  });

  it('without onToolCallError the error is thrown from push or end', () => {
    const assembler = createToolCallAssembler();
    assembler.push(start('a', 't'));
    assembler.push(delta('a', '{'));
    expect(() => assembler.end()).toThrow(ToolCallError);
  });

  it('partial arguments grow as fragments arrive', () => {
    const { partials } = run([start('a', 't'), delta('a', '{"city": "Par'), delta('a', 'is", "days": 3'), delta('a', '}'), end('a')]);
    expect(partials).toEqual([{ city: 'Par' }, { city: 'Paris' }, { city: 'Paris', days: 3 }]);
  });

  it('OpenAI chat: every call on index 0 with new ids, and a server starting at index 1', async () => {
    const chunk = (tool_calls: unknown[], finish_reason: string | null = null) => ({
      id: 'x',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [{ index: 0, delta: { tool_calls }, finish_reason }],
    });
    for (const first of [0, 1]) {
      const chunks = [
        chunk([{ index: first, id: 'call_1', type: 'function', function: { name: 'a', arguments: '' } }]),
        chunk([{ index: first, function: { arguments: '{"n":1}' } }]),
        chunk([{ index: first, id: 'call_2', type: 'function', function: { name: 'b', arguments: '{"n"' } }]),
        chunk([{ index: first, function: { arguments: ':2}' } }]),
        chunk([], 'tool_calls'),
      ];
      const events: StreamEvent[] = [];
      for await (const e of fromOpenAIChatCompletions(chunks as never)) events.push(e);
      const { calls, errors } = run(events);
      expect(errors).toEqual([]);
      expect(calls.map((c) => [c.id, c.name, c.arguments])).toEqual([
        ['call_1', 'a', { n: 1 }],
        ['call_2', 'b', { n: 2 }],
      ]);
    }
  });
});

describe('createToolCallAssembler: cut calls, text calls, release', () => {
  it('a call ended while its JSON is still open is truncated, not invalid-json', () => {
    const { calls, errors } = run([start('a', 'f'), delta('a', '{"q":"par'), end('a')]);
    expect(calls).toEqual([]);
    expect(errors.map((e) => e.reason)).toEqual(['truncated']);
  });

  it('an error event truncates every open call, even one whose text parses; calls already delivered stay delivered', () => {
    const { calls, errors } = run([
      start('a', 'f'),
      delta('a', '{}'),
      end('a'),
      start('b', 'f', 1),
      delta('b', '{"value":"Spark"}'),
      { type: 'error', error: new Error('cut') },
      { type: 'finish', reason: 'tool-calls' },
    ]);
    expect(calls.map((c) => c.id)).toEqual(['a']);
    expect(errors.map((e) => [e.id, e.reason])).toEqual([['b', 'truncated']]);
  });

  it('free-form (format text) calls are delivered as their text, never parsed', () => {
    const partials: unknown[] = [];
    const delivered: unknown[] = [];
    const assembler = createToolCallAssembler({
      tools: { shell: z.string() },
      guide: zodGuide,
      onToolCallDelta: (c) => partials.push(c.arguments),
      onToolCall: (c) => delivered.push(c.arguments),
    });
    assembler.push({ type: 'tool-call-start', id: 't', name: 'shell', index: 0, format: 'text' });
    assembler.push(delta('t', 'ls {'));
    assembler.push(delta('t', ' -la'));
    assembler.push(end('t'));
    assembler.end();
    expect(partials).toEqual(['ls {', 'ls { -la']);
    expect(delivered).toEqual(['ls { -la']);
  });

  it('a later finish of another response in the same stream still completes or truncates its calls', () => {
    const { calls, errors } = run([
      start('a', 'f'),
      delta('a', '{}'),
      { type: 'finish', reason: 'tool-calls' },
      start('b', 'f', 1),
      delta('b', '{"x":1}'),
      { type: 'finish', reason: 'tool-calls' },
      start('c', 'f', 2),
      delta('c', '{"x":'),
      { type: 'finish', reason: 'length' },
    ]);
    expect(calls.map((c) => c.id)).toEqual(['a', 'b']);
    expect(errors.map((e) => [e.id, e.reason])).toEqual([['c', 'truncated']]);
  });

  it('output: each response of a stream holding several is its own output (text after a finish never throws)', async () => {
    const results: unknown[] = [];
    const assembler = createToolCallAssembler({
      output: true,
      onOutputComplete: (value) => results.push(value),
      onOutputError: (error) => results.push('code' in error ? error.code : error.name),
    });
    const events: StreamEvent[] = [
      { type: 'text-delta', delta: '{"a":1}' },
      { type: 'finish', reason: 'stop' },
      { type: 'text-delta', delta: '{"b":' },
      { type: 'text-delta', delta: '2}' },
      { type: 'finish', reason: 'stop' },
      { type: 'text-delta', delta: '[1,' },
      { type: 'finish', reason: 'stop' },
      { type: 'text-delta', delta: '"x"' },
    ];
    for (const event of events) assembler.push(event);
    assembler.end();
    expect(results).toEqual([{ a: 1 }, { b: 2 }, 'unexpected-end', 'x']);
    // The Anthropic adapter on two messages in one stream, through assembleToolCalls.
    const { fromAnthropicMessages, assembleToolCalls } = await import('../../src/tool-calls/index.js');
    const message = (text: string) => [
      { type: 'message_start', message: { id: 'm', content: [] } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' } },
      { type: 'message_stop' },
    ];
    async function* chunks() {
      yield* [...message('{"a":1}'), ...message('{"b":2}')];
    }
    const outputs: unknown[] = [];
    for await (const event of assembleToolCalls(fromAnthropicMessages(chunks() as never), { output: true })) {
      if (event.type === 'output') outputs.push(event.value);
    }
    expect(outputs).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('keeps nothing of a completed call but what it handed out: the same raw text and arguments', () => {
    const handed: CompletedToolCall[] = [];
    const assembler = createToolCallAssembler({ onToolCall: (c) => handed.push(c), onToolCallDelta: () => undefined });
    assembler.push(start('a', 'f'));
    const text = JSON.stringify({ path: 'a/b.ts', content: 'x'.repeat(500) });
    for (const ch of text) assembler.push(delta('a', ch));
    assembler.push(delta('a', ''));
    assembler.push(end('a'));
    const [state] = assembler.calls;
    expect(state?.status).toBe('complete');
    expect(state?.rawArguments).toBe(text);
    // The state shares the delivered values (identity), so the assembler holds no copy.
    expect(state?.arguments).toBe(handed[0]?.arguments);
    expect(state?.rawArguments).toBe(handed[0]?.rawArguments);
    // Fragments after the end (a misbehaving server) do not grow anything.
    assembler.push(delta('a', 'more'));
    expect(assembler.calls[0]?.rawArguments).toBe(text);
  });
});
