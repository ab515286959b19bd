/**
 * The official `openai` and `@anthropic-ai/sdk` clients, pointed at a loopback HTTP server that
 * replays recorded (and generated) SSE bodies: their stream iterables go straight into the
 * adapters, which must give the same events as the chunks fed directly. This pins that the
 * adapters' chunk types accept the SDKs' own types and that SSE framing round-trips.
 */
import Anthropic from '@anthropic-ai/sdk';
import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fromAnthropicMessages,
  fromOpenAIChatCompletions,
  fromOpenAIResponses,
  readServerSentEventsJson,
  type StreamEvent,
} from '../../src/providers/index.js';
import { providerStream, toServerSentEvents } from '../../src/testing/provider-stream.js';
import { loadRecorded, recordedAvailable, recordedSkipMessage, type RecordedStream } from '../fixtures/recorded.js';
import { adapterFor, collect } from './helpers.js';

const numRuns = Math.max(1, Math.floor(Number(process.env['STREAMSHAPE_FC_RUNS'] ?? 100) / 10));

let server: Server;
let origin = '';
/** What the next request gets. */
let reply: { status: number; body: string; contentType: string } = { status: 200, body: '', contentType: 'text/event-stream' };
const requests: Array<{ method: string | undefined; url: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ method: request.method, url: request.url });
    request.resume();
    request.on('end', () => {
      response.writeHead(reply.status, { 'content-type': reply.contentType });
      // Write in small pieces so that events and UTF-8 sequences arrive split.
      const bytes = Buffer.from(reply.body, 'utf8');
      for (let i = 0; i < bytes.length; i += 97) response.write(bytes.subarray(i, i + 97));
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function serve(body: string, status = 200, contentType = 'text/event-stream'): void {
  reply = { status, body, contentType };
}

function openai(): OpenAI {
  return new OpenAI({ apiKey: 'sk-test', baseURL: `${origin}/v1`, maxRetries: 0 });
}

function anthropic(): Anthropic {
  return new Anthropic({ apiKey: 'sk-ant-test', baseURL: origin, maxRetries: 0 });
}

async function direct(provider: Parameters<typeof adapterFor>[0], chunks: unknown[]): Promise<StreamEvent[]> {
  return collect(adapterFor(provider)(chunks));
}

/** SSE text for a recorded stream: its own body when it is SSE, else rebuilt from its chunks. */
function sseOf(provider: 'openai-chat' | 'openai-responses' | 'anthropic', stream: RecordedStream): string {
  return stream.bodyFormat === 'sse' ? stream.body : toServerSentEvents(provider, stream.chunks as never);
}

if (!recordedAvailable) console.warn(recordedSkipMessage);

describe.skipIf(!recordedAvailable)('official SDKs over a loopback server replaying recorded streams', () => {
  const fixtures = recordedAvailable ? loadRecorded() : [];

  for (const fixture of fixtures.filter((f) => f.provider === 'openai-chat')) {
    it(`openai chat.completions: ${fixture.name}`, async () => {
      for (const stream of fixture.streams) {
        serve(sseOf('openai-chat', stream));
        const sdkStream = await openai().chat.completions.create({
          model: 'gpt-4o',
          messages: [{ role: 'user', content: 'hi' }],
          stream: true,
          stream_options: { include_usage: true },
        });
        const events = await collect(fromOpenAIChatCompletions(sdkStream));
        expect(events).toEqual(await direct('openai-chat', stream.chunks));
        expect(events.length).toBeGreaterThan(0);
      }
    });
  }

  for (const fixture of fixtures.filter((f) => f.provider === 'openai-responses')) {
    it(`openai responses: ${fixture.name}`, async () => {
      for (const stream of fixture.streams) {
        serve(sseOf('openai-responses', stream));
        const sdkStream = await openai().responses.create({ model: 'gpt-4o', input: 'hi', stream: true });
        const events = await collect(fromOpenAIResponses(sdkStream));
        expect(events).toEqual(await direct('openai-responses', stream.chunks));
        expect(events.filter((e) => e.type === 'tool-call-end')).toHaveLength(2);
      }
    });
  }

  for (const fixture of fixtures.filter((f) => f.provider === 'anthropic')) {
    it(`anthropic messages: ${fixture.name}`, async () => {
      for (const stream of fixture.streams) {
        serve(sseOf('anthropic', stream));
        const sdkStream = await anthropic().messages.create({
          model: 'claude-sonnet-4-5',
          max_tokens: 1024,
          messages: [{ role: 'user', content: 'hi' }],
          stream: true,
        });
        const events = await collect(fromAnthropicMessages(sdkStream));
        expect(events).toEqual(await direct('anthropic', stream.chunks));
      }
    });
  }

  it('fetch + readServerSentEventsJson gives the same events as the SDK', async () => {
    const fixture = fixtures.find((f) => f.name.startsWith('openai/f82268f2'));
    const stream = fixture?.streams[0];
    if (stream === undefined) throw new Error('fixture openai/f82268f2… missing');
    serve(stream.body);
    const response = await fetch(`${origin}/v1/chat/completions`, { method: 'POST', body: '{}' });
    const events = await collect(fromOpenAIChatCompletions(readServerSentEventsJson(response)));
    expect(events).toEqual(await direct('openai-chat', stream.chunks));
  });
});

describe('official SDKs over a loopback server: errors and generated streams', () => {
  it('an Anthropic error event after HTTP 200: the SDK throws, the adapter passes it on, the call stays open', async () => {
    serve(
      toServerSentEvents('anthropic', [
        { type: 'message_start', message: { id: 'msg_1', usage: { input_tokens: 1, output_tokens: 1 } } },
        { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":' } },
        { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      ]),
    );
    const sdkStream = await anthropic().messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], stream: true });
    const seen: StreamEvent[] = [];
    await expect(
      (async () => {
        for await (const event of fromAnthropicMessages(sdkStream)) seen.push(event);
      })(),
    ).rejects.toThrow(/Overloaded/);
    expect(seen.map((e) => e.type)).toEqual(['tool-call-start', 'tool-call-delta']);

    // Read with fetch instead, the same error is an event.
    const response = await fetch(`${origin}/v1/messages`, { method: 'POST', body: '{}' });
    const events = await collect(fromAnthropicMessages(readServerSentEventsJson(response)));
    expect(events.at(-1)).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('a non-2xx answer: readServerSentEvents throws with the status', async () => {
    serve('{"error":{"message":"Incorrect API key provided"}}', 401, 'application/json');
    const response = await fetch(`${origin}/v1/chat/completions`, { method: 'POST', body: '{}' });
    await expect(collect(readServerSentEventsJson(response))).rejects.toThrow(/^HTTP 401/);
  });

  it('generated OpenAI chat streams through the openai SDK give the same events as direct', async () => {
    await fc.assert(
      fc.asyncProperty(providerStream('openai-chat', { ending: ['finish', 'length', 'cut'], maxToolCalls: 2 }), async (value) => {
        serve(toServerSentEvents('openai-chat', value.chunks, { done: value.expected.ending !== 'cut' }));
        const sdkStream = await openai().chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
        expect(await collect(fromOpenAIChatCompletions(sdkStream))).toEqual(await direct('openai-chat', value.chunks));
      }),
      { numRuns },
    );
  });

  it('generated Anthropic streams through the Anthropic SDK give the same events as direct', async () => {
    await fc.assert(
      fc.asyncProperty(providerStream('anthropic', { ending: ['finish', 'length', 'cut'], maxToolCalls: 2 }), async (value) => {
        serve(toServerSentEvents('anthropic', value.chunks));
        const sdkStream = await anthropic().messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], stream: true });
        expect(await collect(fromAnthropicMessages(sdkStream))).toEqual(await direct('anthropic', value.chunks));
      }),
      { numRuns },
    );
  });

  it('generated Responses streams through the openai SDK give the same events as direct', async () => {
    await fc.assert(
      fc.asyncProperty(providerStream('openai-responses', { ending: ['finish', 'length', 'cut'], maxToolCalls: 2 }), async (value) => {
        serve(toServerSentEvents('openai-responses', value.chunks));
        const sdkStream = await openai().responses.create({ model: 'm', input: 'hi', stream: true });
        expect(await collect(fromOpenAIResponses(sdkStream))).toEqual(await direct('openai-responses', value.chunks));
      }),
      { numRuns },
    );
  });
});
