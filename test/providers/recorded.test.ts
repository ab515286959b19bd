/**
 * Every recorded real stream replayed through its adapter, checked against what the stream
 * itself says its final content is (computed here straight from the raw chunks, or read from
 * the provider's own `done` / `completed` events).
 */
import { describe, expect, it } from 'vitest';
import {
  loadRecorded,
  loadRecordedFixture,
  recordedAvailable,
  recordedSkipMessage,
  type RecordedFixture,
} from '../fixtures/recorded.js';
import { adapterFor, collect, orderViolations, summarize } from './helpers.js';

if (!recordedAvailable) console.warn(recordedSkipMessage);

/** What the raw chunks say: final text per choice, and final arguments per call (in order). */
interface Expected {
  text: Map<number, string>;
  /** Calls the stream completed, with their final arguments object. */
  calls: Array<{ name: string; args: unknown }>;
  /** Names of calls the stream left incomplete. */
  open: string[];
}

type Json = Record<string, unknown>;

function expectedOf(fixture: RecordedFixture, chunks: unknown[]): Expected {
  switch (fixture.provider) {
    case 'openai-chat':
      return expectedOpenAIChat(chunks as Json[]);
    case 'openai-responses':
      return expectedResponses(chunks as Json[]);
    case 'anthropic':
      return expectedAnthropic(chunks as Json[]);
    case 'gemini':
      return expectedGemini(chunks as Json[]);
  }
}

function appendTo(map: Map<number, string>, key: number, text: string): void {
  if (text === '') return;
  map.set(key, (map.get(key) ?? '') + text);
}

function expectedOpenAIChat(chunks: Json[]): Expected {
  const text = new Map<number, string>();
  const calls = new Map<string, { name: string; args: string }>();
  const finish = new Map<number, string>();
  for (const chunk of chunks) {
    for (const choice of (chunk['choices'] as Json[] | undefined) ?? []) {
      const index = choice['index'] as number;
      const delta = (choice['delta'] ?? {}) as Json;
      if (typeof delta['content'] === 'string') appendTo(text, index, delta['content']);
      for (const call of (delta['tool_calls'] as Json[] | undefined) ?? []) {
        const key = `${index}/${String(call['index'])}`;
        const fn = (call['function'] ?? {}) as Json;
        const entry = calls.get(key) ?? { name: fn['name'] as string, args: '' };
        entry.args += (fn['arguments'] as string | undefined) ?? '';
        calls.set(key, entry);
      }
      if (typeof choice['finish_reason'] === 'string') finish.set(index, choice['finish_reason']);
    }
  }
  const complete = [...finish.values()].every((reason) => reason === 'tool_calls' || reason === 'stop');
  return {
    text,
    calls: complete ? [...calls.values()].map((c) => ({ name: c.name, args: JSON.parse(c.args) })) : [],
    open: complete ? [] : [...calls.values()].map((c) => c.name),
  };
}

function expectedResponses(chunks: Json[]): Expected {
  const text = new Map<number, string>();
  const calls: Expected['calls'] = [];
  const doneArgs = new Map<string, string>();
  for (const chunk of chunks) {
    if (chunk['type'] === 'response.output_text.done') appendTo(text, 0, chunk['text'] as string);
    if (chunk['type'] === 'response.function_call_arguments.done') {
      doneArgs.set(chunk['item_id'] as string, chunk['arguments'] as string);
    }
    if (chunk['type'] === 'response.output_item.done') {
      const item = chunk['item'] as Json;
      if (item['type'] === 'function_call') {
        // Both end events must agree; the item's arguments are the final ones.
        expect(doneArgs.get(item['id'] as string)).toBe(item['arguments']);
        calls.push({ name: item['name'] as string, args: JSON.parse(item['arguments'] as string) });
      }
    }
  }
  return { text, calls, open: [] };
}

function expectedAnthropic(chunks: Json[]): Expected {
  const text = new Map<number, string>();
  const blocks = new Map<number, { name: string; json: string; stopped: boolean; tool: boolean }>();
  for (const chunk of chunks) {
    const index = chunk['index'] as number;
    if (chunk['type'] === 'content_block_start') {
      const block = chunk['content_block'] as Json;
      const tool = typeof block['type'] === 'string' && block['type'].endsWith('tool_use');
      blocks.set(index, { name: String(block['name']), json: '', stopped: false, tool });
    } else if (chunk['type'] === 'content_block_delta') {
      const delta = chunk['delta'] as Json;
      if (delta['type'] === 'text_delta') appendTo(text, 0, delta['text'] as string);
      if (delta['type'] === 'input_json_delta') {
        const block = blocks.get(index);
        if (block) block.json += delta['partial_json'] as string;
      }
    } else if (chunk['type'] === 'content_block_stop') {
      const block = blocks.get(index);
      if (block) block.stopped = true;
    }
  }
  const tools = [...blocks.values()].filter((b) => b.tool);
  return {
    text,
    calls: tools.filter((b) => b.stopped).map((b) => ({ name: b.name, args: JSON.parse(b.json || '{}') })),
    open: tools.filter((b) => !b.stopped).map((b) => b.name),
  };
}

/** Set `value` at an RFC 9535 path like `$.a.b[2].c` (the subset Vertex sends). */
function setPath(target: Json, path: string, value: unknown): void {
  const segments = [...path.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((m) =>
    m[1] !== undefined ? m[1] : Number(m[2]),
  );
  let node: Record<string | number, unknown> = target;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      node[segment] = value;
      return;
    }
    node[segment] ??= typeof segments[i + 1] === 'number' ? [] : {};
    node = node[segment] as Record<string | number, unknown>;
  });
}

function expectedGemini(chunks: Json[]): Expected {
  const text = new Map<number, string>();
  const calls: Expected['calls'] = [];
  let streaming: { name: string; args: Json; strings: Map<string, string> } | undefined;
  for (const chunk of chunks) {
    for (const candidate of (chunk['candidates'] as Json[] | undefined) ?? []) {
      const parts = ((candidate['content'] as Json | undefined)?.['parts'] as Json[] | undefined) ?? [];
      for (const part of parts) {
        if (typeof part['text'] === 'string' && part['thought'] !== true) appendTo(text, 0, part['text']);
        const fc = part['functionCall'] as Json | undefined;
        if (fc === undefined) continue;
        if (typeof fc['name'] === 'string' && fc['willContinue'] !== true) {
          calls.push({ name: fc['name'], args: fc['args'] ?? {} });
        } else if (typeof fc['name'] === 'string') {
          streaming = { name: fc['name'], args: {}, strings: new Map() };
        }
        for (const arg of (fc['partialArgs'] as Json[] | undefined) ?? []) {
          const path = arg['jsonPath'] as string;
          if (streaming === undefined) throw new Error('partialArgs outside a streamed call');
          if ('stringValue' in arg) {
            const sofar = (streaming.strings.get(path) ?? '') + (arg['stringValue'] as string);
            streaming.strings.set(path, sofar);
            setPath(streaming.args, path, sofar);
          } else if ('numberValue' in arg) setPath(streaming.args, path, arg['numberValue']);
          else if ('boolValue' in arg) setPath(streaming.args, path, arg['boolValue']);
          else setPath(streaming.args, path, null);
        }
        if (fc['name'] === undefined && fc['willContinue'] !== true && streaming !== undefined) {
          calls.push({ name: streaming.name, args: streaming.args });
          streaming = undefined;
        }
      }
    }
  }
  return { text, calls, open: streaming ? [streaming.name] : [] };
}

describe.skipIf(!recordedAvailable)('recorded provider streams', () => {
  const fixtures = recordedAvailable ? loadRecorded() : [];

  it('finds every recorded file', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
    for (const fixture of fixtures) {
      expect(fixture.streams.length, fixture.name).toBeGreaterThan(0);
      for (const stream of fixture.streams) expect(stream.chunks.length, fixture.name).toBeGreaterThan(0);
    }
  });

  for (const fixture of fixtures) {
    describe(fixture.name, () => {
      fixture.streams.forEach((stream, n) => {
        it(`stream ${n}: text, arguments and event order match the stream`, async () => {
          const events = await collect(adapterFor(fixture.provider)(stream.chunks));
          expect(orderViolations(events)).toEqual([]);
          const summary = summarize(events);
          const expected = expectedOf(fixture, stream.chunks);

          expect(Object.fromEntries(summary.text)).toEqual(Object.fromEntries(expected.text));
          const ended = summary.calls.filter((call) => call.ended);
          expect(ended.map((call) => ({ name: call.name, args: JSON.parse(call.args) }))).toEqual(expected.calls);
          expect(summary.calls.filter((call) => !call.ended).map((call) => call.name)).toEqual(expected.open);
          expect(summary.errors).toEqual([]);
          expect(summary.finishes.length).toBe(Math.max(1, expected.text.size));
        });
      });
    });
  }

  it('the truncated Anthropic stream leaves its tool call open and finishes with length', async () => {
    const fixture = loadRecordedFixture('anthropic/incomplete_partial_json_response.txt');
    const events = await collect(adapterFor('anthropic')(fixture.chunks));
    const summary = summarize(events);
    expect(summary.calls).toHaveLength(1);
    const [call] = summary.calls;
    expect(call?.name).toBe('make_file');
    expect(events.some((e) => e.type === 'tool-call-end')).toBe(false);
    expect(() => JSON.parse(call?.args ?? '')).toThrow(SyntaxError);
    expect(call?.args.startsWith('{"filename": "taxes.txt", "lines_of_text": [')).toBe(true);
    expect(summary.finishes).toEqual([
      { type: 'finish', reason: 'length', rawReason: 'max_tokens', usage: { inputTokens: 450, outputTokens: 124 } },
    ]);
  });

  it('the n=3 stream keeps its three choices apart', async () => {
    const fixture = loadRecordedFixture('a491adda08c3d4fde95f5b2ee3f60f7f745f1a56d82e62f58031cc2add502380.bin');
    const events = await collect(adapterFor('openai-chat')(fixture.chunks));
    const summary = summarize(events);
    expect([...summary.text.keys()].sort()).toEqual([0, 1, 2]);
    const temperatures = [0, 1, 2].map((choice) => (JSON.parse(summary.text.get(choice) ?? '') as { temperature: number }).temperature);
    expect(temperatures).toEqual([65, 61, 59]);
    expect(summary.finishes.map((f) => f.choice ?? 0)).toEqual([0, 1, 2]);
    expect(events.filter((e) => e.choice === 0)).toEqual([]);
  });

  it('max_tokens:1 gives the text `{"` and finish length', async () => {
    const fixture = loadRecordedFixture('4cc50a6135d254573a502310e6af1246f55edb6ad95fa24059f160996b68866d.bin');
    const events = await collect(adapterFor('openai-chat')(fixture.chunks));
    expect(events).toEqual([
      { type: 'text-delta', delta: '{"' },
      { type: 'finish', reason: 'length', rawReason: 'length', usage: { inputTokens: 79, outputTokens: 1 } },
    ]);
  });

  it('the refusal arrives as refusal-delta, not text', async () => {
    const fixture = loadRecordedFixture('173417d553406f034f643e5db3f8d591fb691ebac56f5ae39a22cc7d455c5353.bin');
    const summary = summarize(await collect(adapterFor('openai-chat')(fixture.chunks)));
    expect(summary.text.size).toBe(0);
    expect(summary.refusal.get(0)).toMatch(/^I'm sorry, I can(no|')t assist with that/);
  });

  it('json_object output with non-ASCII text parses', async () => {
    const fixture = loadRecordedFixture('d615580118391ee13492193e3a8bb74642d23ac1ca13fe37cb6e889b66f759f6.bin');
    const summary = summarize(await collect(adapterFor('openai-chat')(fixture.chunks)));
    const text = summary.text.get(0) ?? '';
    expect(text.startsWith('\n')).toBe(true);
    expect(text).toContain('°');
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it('thinking stays apart from the answer (Anthropic and Gemini)', async () => {
    const anthropic = loadRecordedFixture('anthropic/anthropic-clear-thinking.1.chunks.txt');
    const a = summarize(await collect(adapterFor('anthropic')(anthropic.chunks)));
    expect(a.text.get(0)).toBe('925 ÷ 5 = 185');
    expect(a.reasoning.get(0)).toContain('I need to divide that by 5.');

    const gemini = loadRecordedFixture('google/test_prompt_with_pydantic_schema.yaml');
    const g = summarize(await collect(adapterFor('gemini')(gemini.chunks)));
    expect(g.reasoning.get(0)).toMatch(/^\*\*Defining the Core Dog\*\*/);
    expect(JSON.parse(g.text.get(0) ?? '')).toMatchObject({ name: 'Zephyr The Rocket Barkington', age: 4 });
  });

  it('Vertex partialArgs become JSON text that parses to the nested arguments', async () => {
    const fixture = loadRecordedFixture('google/google-vertex-stream-tool-call-arguments-nested.1.chunks.txt');
    const events = await collect(adapterFor('gemini')(fixture.chunks));
    const summary = summarize(events);
    expect(summary.calls).toHaveLength(1);
    const args = JSON.parse(summary.calls[0]?.args ?? '') as {
      recipe: { name: string; ingredients: Array<{ name: string; amount: string }>; steps: string[] };
    };
    expect(args.recipe.name).toBe('Lasagna');
    expect(args.recipe.ingredients).toHaveLength(10);
    expect(args.recipe.ingredients[3]).toEqual({ amount: '3 cups', name: 'Mozzarella cheese' });
    expect(args.recipe.steps[1]).toBe('Cook lasagna noodles according to package directions, drain and set aside.');
    expect(args.recipe.steps[0]).toBe('Preheat oven to 375°F (190°C).');
    // The deltas stream: far more than one per call.
    expect(events.filter((e) => e.type === 'tool-call-delta').length).toBeGreaterThan(50);
  });

  it('Gemini no-argument calls get {} and generated ids', async () => {
    const fixture = loadRecordedFixture('google/google-stream-no-args-tool-call.chunks.txt');
    const summary = summarize(await collect(adapterFor('gemini')(fixture.chunks)));
    expect(summary.calls.map((c) => [c.id, c.name, c.args, c.ended])).toEqual([
      ['gemini-call-0-0', 'read_theme', '{}', true],
      ['gemini-call-0-1', 'read_screen', '{"id":"A"}', true],
      ['gemini-call-0-2', 'read_screen', '{"id":"B"}', true],
      ['gemini-call-0-3', 'read_screen', '{"id":"C"}', true],
    ]);
    expect(summary.finishes).toMatchObject([{ reason: 'tool-calls', rawReason: 'STOP' }]);
  });

  it('Responses API calls use call_id and keep the item id', async () => {
    const fixture = loadRecordedFixture('openai/stream-multi-tool-conversation-responses-1.json');
    const events = await collect(adapterFor('openai-responses')(fixture.chunks));
    const starts = events.filter((e) => e.type === 'tool-call-start');
    expect(starts).toEqual([
      {
        type: 'tool-call-start',
        id: 'call_SJiaC1TXbxeEz3E9NqIitlNw',
        name: 'search',
        index: 0,
        providerMetadata: { itemId: 'fc_6859a4b76190819b9a58d48fd01dde650b58dbf6cd1e2457', outputIndex: 0 },
      },
      {
        type: 'tool-call-start',
        id: 'call_m6EXLHUhaq7ofMlz1ktzS8R8',
        name: 'weather',
        index: 1,
        providerMetadata: { itemId: 'fc_6859a4b7bc80819b97c90b9e033116780b58dbf6cd1e2457', outputIndex: 1 },
      },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'finish',
      reason: 'tool-calls',
      rawReason: 'completed',
      usage: { inputTokens: 76, outputTokens: 52 },
    });
  });
});
