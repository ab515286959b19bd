/**
 * Ollama `/api/chat`: the official `ollama` client, pointed at a loopback HTTP server that
 * replays an NDJSON body as Ollama sends it, feeds `fromOllamaChat`; the result must give the
 * aggregate Ollama itself returns without streaming (`stream: false`): the content, thinking,
 * the tool calls with their arguments, `done_reason` and the token counts.
 */
import fc from 'fast-check';
import { Ollama } from 'ollama';
import { describe, expect, it } from 'vitest';
import { createOllamaChatNormalizer, fromOllamaChat, type OllamaChatResponse, type StreamEvent } from '../../src/providers/index.js';
import { providerStream } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';
import { assemble, collect, loopbackServer } from './helpers.js';

let body = '';
const paths: string[] = [];
const server = loopbackServer(
  { 'content-type': 'application/x-ndjson' },
  23,
  () => Buffer.from(body, 'utf8'),
  (request) => paths.push(request.url ?? ''),
);

const at = '2026-11-30T10:00:00.000000Z';
/** A qwen3 tool-calling turn as Ollama 0.12 streams it: thinking, then one message carrying two whole calls, then done. */
const weatherTurn: OllamaChatResponse[] = [
  { model: 'qwen3', created_at: at, message: { role: 'assistant', content: '', thinking: 'Two cities' }, done: false } as OllamaChatResponse,
  { model: 'qwen3', created_at: at, message: { role: 'assistant', content: '', thinking: ', two calls.' }, done: false } as OllamaChatResponse,
  {
    model: 'qwen3',
    created_at: at,
    message: {
      role: 'assistant',
      content: '',
      tool_calls: [
        { id: 'call_x1', function: { index: 0, name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } } },
        { id: 'call_x2', function: { index: 1, name: 'get_weather', arguments: { city: 'Oslo' } } },
      ],
    },
    done: false,
  } as OllamaChatResponse,
  { model: 'qwen3', created_at: at, message: { role: 'assistant', content: 'Checking — ☀️' }, done: false } as OllamaChatResponse,
  {
    model: 'qwen3',
    created_at: at,
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    total_duration: 1,
    load_duration: 1,
    prompt_eval_count: 180,
    prompt_eval_duration: 1,
    eval_count: 42,
    eval_duration: 1,
  } as OllamaChatResponse,
];

function ndjson(chunks: readonly unknown[]): string {
  return chunks.map((chunk) => JSON.stringify(chunk) + '\n').join('');
}

describe('fromOllamaChat over the official client and a loopback NDJSON server', () => {
  it('gives the aggregate of a non-streamed response', async () => {
    body = ndjson(weatherTurn);
    const client = new Ollama({ host: server.origin });
    const stream = await client.chat({
      model: 'qwen3',
      messages: [{ role: 'user', content: 'Weather in Paris and Oslo?' }],
      stream: true,
    });
    const events = await collect(fromOllamaChat(stream));
    expect(paths.at(-1)).toBe('/api/chat');
    expect(events).toEqual(await collect(fromOllamaChat(weatherTurn)));
    expect(events.flatMap((e) => (e.type === 'text-delta' ? [e.delta] : [])).join('')).toBe('Checking — ☀️');
    expect(events.flatMap((e) => (e.type === 'reasoning-delta' ? [e.delta] : [])).join('')).toBe('Two cities, two calls.');
    const { calls, errors } = assemble(events);
    expect(errors).toEqual([]);
    expect(calls.map(({ id, name, index, arguments: args }) => ({ id, name, index, args }))).toEqual([
      { id: 'call_x1', name: 'get_weather', index: 0, args: { city: 'Paris', unit: 'celsius' } },
      { id: 'call_x2', name: 'get_weather', index: 1, args: { city: 'Oslo' } },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'finish',
      reason: 'tool-calls',
      rawReason: 'stop',
      usage: { inputTokens: 180, outputTokens: 42 },
    });
  });

  it('a body cut before done: the client throws, calls already whole stay delivered', async () => {
    body = ndjson(weatherTurn.slice(0, 3));
    const client = new Ollama({ host: server.origin });
    const stream = await client.chat({ model: 'qwen3', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const seen: StreamEvent[] = [];
    await expect(async () => {
      for await (const event of fromOllamaChat(stream)) seen.push(event);
    }).rejects.toThrow(/done/);
    expect(seen.some((e) => e.type === 'finish')).toBe(false);
    expect(assemble(seen).calls).toHaveLength(2);
  });
});

describe('fromOllamaChat on a raw fetch body', () => {
  it('a fetch Response, its body, or byte chunks split anywhere: the same events as the client gives', async () => {
    body = ndjson(weatherTurn);
    const expected = await collect(fromOllamaChat(weatherTurn));
    const response = await fetch(`${server.origin}/api/chat`, { method: 'POST', body: '{}' });
    expect(await collect(fromOllamaChat(response))).toEqual(expected);
    const again = await fetch(`${server.origin}/api/chat`, { method: 'POST', body: '{}' });
    expect(await collect(fromOllamaChat(again.body!))).toEqual(expected);
    const bytes = new TextEncoder().encode(ndjson(weatherTurn));
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 3) pieces.push(bytes.subarray(i, i + 3));
    expect(await collect(fromOllamaChat(pieces))).toEqual(expected);
    expect(await collect(fromOllamaChat([ndjson(weatherTurn).trimEnd()]))).toEqual(expected);
    expect(await collect(fromOllamaChat(ndjson(weatherTurn)))).toEqual(expected);
  });

  it('a line that is not JSON, or a source that is not one, is a clear error', async () => {
    await expect(collect(fromOllamaChat(['{"done":false}\n{oops}\n']))).rejects.toThrow(/line 2 of the NDJSON body is not JSON/);
    await expect(collect(fromOllamaChat(null as never))).rejects.toThrow(TypeError);
  });
});

describe('generated Ollama streams through the ollama client', () => {
  it('the client yields the replayed NDJSON objects: same events, same calls', async () => {
    await fc.assert(
      fc.asyncProperty(providerStream('ollama', { ending: ['finish', 'length'] }), async ({ chunks, expected }) => {
        body = ndjson(chunks);
        const stream = await new Ollama({ host: server.origin }).chat({ model: 'qwen3', messages: [], stream: true });
        const events = await collect(fromOllamaChat(stream));
        expect(events).toEqual(await collect(fromOllamaChat(chunks)));
        expect(assemble(events).calls.map((c) => c.arguments)).toEqual(expected.toolCalls.map((c) => c.arguments));
      }),
      { numRuns: Math.max(5, runs(0.2)) },
    );
  });
});

describe('createOllamaChatNormalizer', () => {
  const run = (chunks: readonly OllamaChatResponse[]): StreamEvent[] => {
    const normalizer = createOllamaChatNormalizer();
    return [...chunks.flatMap((c) => normalizer.push(c)), ...normalizer.end()];
  };

  it('older servers: no ids (generated), arguments as a string (OpenAI-style proxies), length', () => {
    const events = run([
      { message: { role: 'assistant', tool_calls: [{ function: { name: 'f', arguments: '{"a":1}' } }] } },
      { message: { role: 'assistant', tool_calls: [{ function: { name: 'g' } }] } },
      { message: { content: '' }, done: true, done_reason: 'length' },
    ]);
    expect(events).toEqual([
      { type: 'tool-call-start', id: 'ollama-call-0-0', name: 'f', index: 0 },
      { type: 'tool-call-delta', id: 'ollama-call-0-0', delta: '{"a":1}' },
      { type: 'tool-call-end', id: 'ollama-call-0-0' },
      { type: 'tool-call-start', id: 'ollama-call-0-1', name: 'g', index: 1 },
      { type: 'tool-call-delta', id: 'ollama-call-0-1', delta: '{}' },
      { type: 'tool-call-end', id: 'ollama-call-0-1' },
      { type: 'finish', reason: 'length', rawReason: 'length' },
    ]);
  });

  it('an {error} object becomes an error event; load/unload finish as other', () => {
    expect(run([{ error: 'model not found' }, { done: true, done_reason: 'load' }])).toEqual([
      { type: 'error', error: 'model not found' },
      { type: 'finish', reason: 'other', rawReason: 'load' },
    ]);
  });
});
