/**
 * `streamshape replay` detects and replays the formats of the newer adapters: Bedrock
 * ConverseStream events (JSON Lines of what the AWS SDK yields), Ollama `/api/chat` NDJSON, and
 * OpenAI Realtime server events (one per line, as a WebSocket log records them).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, detectProvider } from '../../src/cli/detect.js';
import { ndjson, runCli } from './helpers.js';

const temp = mkdtempSync(join(tmpdir(), 'streamshape-cli-new-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const streams = {
  bedrock: [
    { messageStart: { role: 'assistant' } },
    { contentBlockDelta: { delta: { text: '{"ok":' }, contentBlockIndex: 0 } },
    { contentBlockDelta: { delta: { text: ' true}' }, contentBlockIndex: 0 } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { contentBlockStart: { start: { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather' } }, contentBlockIndex: 1 } },
    { contentBlockDelta: { delta: { toolUse: { input: '{"city":' } }, contentBlockIndex: 1 } },
    { contentBlockDelta: { delta: { toolUse: { input: '"Paris"}' } }, contentBlockIndex: 1 } },
    { contentBlockStop: { contentBlockIndex: 1 } },
    { messageStop: { stopReason: 'tool_use' } },
    { metadata: { usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 }, metrics: { latencyMs: 100 } } },
  ],
  ollama: [
    { model: 'qwen3', created_at: '2026-11-30T10:00:00Z', message: { role: 'assistant', content: '{"ok":' }, done: false },
    { model: 'qwen3', created_at: '2026-11-30T10:00:00Z', message: { role: 'assistant', content: ' true}' }, done: false },
    {
      model: 'qwen3',
      created_at: '2026-11-30T10:00:00Z',
      message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
      done: false,
    },
    { model: 'qwen3', created_at: '2026-11-30T10:00:00Z', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', eval_count: 7 },
  ],
  'openai-realtime': [
    { type: 'session.created', event_id: 'event_0', session: { id: 'sess_1' } },
    { type: 'response.created', event_id: 'event_1', response: { id: 'resp_1', status: 'in_progress' } },
    { type: 'response.output_text.delta', event_id: 'event_2', response_id: 'resp_1', item_id: 'item_t', delta: '{"ok":' },
    { type: 'response.output_text.delta', event_id: 'event_3', response_id: 'resp_1', item_id: 'item_t', delta: ' true}' },
    { type: 'response.output_item.added', event_id: 'event_4', response_id: 'resp_1', output_index: 1, item: { id: 'item_f', type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '' } },
    { type: 'response.function_call_arguments.delta', event_id: 'event_5', response_id: 'resp_1', item_id: 'item_f', delta: '{"city":"Paris"}' },
    { type: 'response.function_call_arguments.done', event_id: 'event_6', response_id: 'resp_1', item_id: 'item_f', call_id: 'call_1', arguments: '{"city":"Paris"}' },
    { type: 'response.done', event_id: 'event_7', response: { id: 'resp_1', status: 'completed' } },
  ],
} as const;

describe('replay of the newer provider formats', () => {
  for (const [provider, chunks] of Object.entries(streams)) {
    it(`${provider}: detected from the first line, replayed to the same text and tool calls`, async () => {
      const text = chunks.map((chunk) => JSON.stringify(chunk)).join('\n') + '\n';
      expect(detectProvider(chunks[0])).toBe(provider);
      expect(chunks.every((chunk) => [provider, undefined].includes(detectProvider(chunk)))).toBe(true);
      expect(detectFormat(text, true)).toBe('jsonl');
      const path = join(temp, `${provider}.jsonl`);
      writeFileSync(path, text);
      for (const extra of [[], ['--format', 'jsonl', '--provider', provider]]) {
        const result = await runCli(['replay', path, '--speed', 'max', '--json', ...extra]);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const events = ndjson(result.stdout);
        expect(events[0]).toMatchObject({ format: 'jsonl', provider });
        const summary = events.at(-1) as { toolCalls: Array<{ name: string; status: string; arguments: unknown }> };
        expect(summary.toolCalls).toMatchObject([{ name: 'get_weather', status: 'complete', arguments: { city: 'Paris' } }]);
        expect(events.find((e) => e['type'] === 'output-complete')?.['value']).toEqual({ ok: true });
      }
    });
  }

  it('tells the Responses API from Realtime, and keeps plain "metadata" objects unclaimed', () => {
    expect(detectProvider({ type: 'response.output_text.delta', sequence_number: 3, delta: 'x' })).toBe('openai-responses');
    expect(detectProvider({ type: 'response.output_text.delta', event_id: 'e', delta: 'x' })).toBe('openai-realtime');
    expect(detectProvider({ metadata: { user: 'x' } })).toBeUndefined();
    expect(detectProvider({ metadata: { usage: { inputTokens: 1 } } })).toBe('bedrock');
  });
});
