import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { assembleToolCalls, type StreamEvent } from '../../src/tool-calls/index.js';
import { parseStream, type PartialUpdate } from '../../src/index.js';
import { receiveUpdates, toToolCallEventStream, toUpdateEventStream, type ReceivedUpdate, type StreamView } from '../../src/forward/index.js';
import { chunked, jsonTextWithValue } from '../../src/testing/index.js';
import { runs } from '../support/shared.js';

async function* from<T>(items: readonly T[]): AsyncGenerator<T, void, undefined> {
  for (const item of items) yield item;
}

/** Reads a byte stream to text. */
async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

async function receiveAll<T>(stream: ReadableStream<Uint8Array>): Promise<ReceivedUpdate<T>[]> {
  const out: ReceivedUpdate<T>[] = [];
  for await (const update of receiveUpdates<T>(stream)) out.push(update);
  return out;
}

/** Runs `fn` and returns the error it throws (or fails). */
async function thrown(fn: () => Promise<unknown>): Promise<Error & { cause?: unknown }> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('toUpdateEventStream', () => {
  it('writes delta events, then one done event with the final value', async () => {
    // Chunk i+1 is served only once the client has read event i: one update per chunk.
    const parts = ['{"a":"x', 'y",', '"b":[1]}'];
    let allowed = 1;
    let wake: (() => void) | undefined;
    async function* paced(): AsyncGenerator<string> {
      for (let i = 0; i < parts.length; i++) {
        while (i >= allowed) await new Promise<void>((r) => (wake = r));
        yield parts[i]!;
      }
    }
    const reader = toUpdateEventStream(parseStream(paced())).getReader();
    const decoder = new TextDecoder();
    let body = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      body += decoder.decode(value);
      allowed++;
      wake?.();
    }
    expect(body).toBe(
      'event: delta\ndata: [{"op":"add","path":[],"value":{"a":"x"}}]\n\n' +
        'event: delta\ndata: [{"op":"append","path":["a"],"value":"y"}]\n\n' +
        'event: delta\ndata: [{"op":"add","path":["b"],"value":[1]}]\n\n' +
        'event: done\ndata: {"value":{"a":"xy","b":[1]}}\n\n',
    );
  });

  it('ends with an error event carrying the ParseError details', async () => {
    const body = await text(toUpdateEventStream(parseStream(from(['{"a":', ' tx']))));
    expect(body).toMatch(/^event: delta\n/);
    const last = body.trimEnd().split('\n\n').at(-1)!;
    expect(last.split('\n')[0]).toBe('event: error');
    const info = JSON.parse(last.split('\n')[1]!.slice('data: '.length));
    expect(info).toMatchObject({ name: 'ParseError', code: 'unexpected-character', position: 7, line: 1, column: 8 });
  });

  it('hides the details of errors that are not streamshape’s own', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield '{"a":1';
      throw new Error('connect ECONNREFUSED 10.0.0.7:443 (key sk-secret)');
    }
    const error = await thrown(() => receiveAll(toUpdateEventStream(parseStream(failing()))));
    expect(error.message).toBe('The stream failed');
    expect(error.message).not.toContain('sk-secret');
  });

  it('uses serializeError when given', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield '{';
      throw new Error('upstream 529 overloaded');
    }
    const stream = toUpdateEventStream(parseStream(failing()), {
      serializeError: (e) => ({ name: 'UpstreamError', message: (e as Error).message }),
    });
    const error = await thrown(() => receiveAll(stream));
    expect(error.name).toBe('UpstreamError');
    expect(error.message).toBe('upstream 529 overloaded');
    expect(error.cause).toEqual({ name: 'UpstreamError', message: 'upstream 529 overloaded' });
  });

  it('sends the schema’s final parse (defaults, transforms) in the done event', async () => {
    const schema = z.object({ title: z.string().transform((s) => s.toUpperCase()), tags: z.array(z.string()).default([]) });
    const updates = await receiveAll(toUpdateEventStream(parseStream(from(['{"title":"so', 'up"}']), { schema })));
    expect(updates.at(-2)!.value).toEqual({ title: 'soup' });
    expect(updates.at(-1)).toEqual({ value: { title: 'SOUP', tags: [] }, deltas: [], done: true });
  });

  it('with sendFinalValue: false, ends with the value the deltas rebuilt', async () => {
    const stream = toUpdateEventStream(parseStream(from(['[1,', '2]'])), { sendFinalValue: false });
    const updates = await receiveAll(stream);
    expect(updates.at(-1)).toEqual({ value: [1, 2], deltas: [], done: true });
  });

  it('returns the updates (cancelling the upstream) when the reader cancels', async () => {
    let returned = false;
    async function* upstream(): AsyncGenerator<string> {
      try {
        yield '[';
        for (let i = 0; ; i++) yield `${i},`;
      } finally {
        returned = true;
      }
    }
    const reader = toUpdateEventStream(parseStream(upstream())).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(returned).toBe(true);
  });

  it('pulls lazily: nothing is read before the client reads', async () => {
    let pulled = 0;
    async function* upstream(): AsyncGenerator<string> {
      for (const chunk of ['[1', ',2', ']']) {
        pulled++;
        yield chunk;
      }
    }
    const stream = toUpdateEventStream(parseStream(upstream()));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pulled).toBeLessThanOrEqual(1);
    await receiveAll(stream);
    expect(pulled).toBe(3);
  });
});

describe('receiveUpdates', () => {
  it('rebuilds every server snapshot and the final value, for any JSON text and chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonTextWithValue().chain(({ text, value }) => chunked(text).map((chunks) => ({ chunks, value }))),
        async ({ chunks, value }) => {
          const serverSnapshots: string[] = [];
          async function* tap(): AsyncGenerator<PartialUpdate> {
            for await (const update of parseStream(from(chunks))) {
              serverSnapshots.push(JSON.stringify(update.value) ?? 'undefined');
              yield update;
            }
          }
          const updates = await receiveAll(toUpdateEventStream(tap()));
          const received = updates.filter((u) => !u.done).map((u) => JSON.stringify(u.value));
          // Every delta event is a server snapshot (updates without deltas send nothing).
          for (const snapshot of received) expect(serverSnapshots).toContain(snapshot);
          expect(JSON.stringify(updates.at(-1)!.value)).toBe(JSON.stringify(value));
          expect(updates.at(-1)!.done).toBe(true);
        },
      ),
      { numRuns: runs(0.5) },
    );
  });

  it('keeps structural sharing: unchanged subtrees keep their identity', async () => {
    const updates = await receiveAll<{ a: number[]; b: string }>(
      toUpdateEventStream(parseStream(from(['{"a":[1,2],"b":"x', 'y', 'z"}']))),
    );
    const withB = updates.filter((u) => typeof (u.value as { b?: string } | undefined)?.b === 'string' && !u.done);
    expect(withB.length).toBeGreaterThanOrEqual(2);
    expect((withB[0]!.value as { a: number[] }).a).toBe((withB[1]!.value as { a: number[] }).a);
  });

  it('throws when the body ends without a done event (a cut connection)', async () => {
    const full = await text(toUpdateEventStream(parseStream(from(['{"a":"x', 'y"}']))));
    const cut = full.slice(0, full.indexOf('event: done'));
    const error = await thrown(() => receiveAll(new Response(cut).body!));
    expect(error.message).toMatch(/ended before its done event/);
  });

  it('checks the HTTP status of a Response', async () => {
    const error = await thrown(() => receiveAll(new Response('nope', { status: 502 }) as never));
    expect(error.message).toMatch(/^HTTP 502/);
  });

  it('turns any error event into an Error with a string name and message, whatever its data', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.string()), fc.boolean(), async (data, raw) => {
        // The data as JSON, or (raw) as whatever text a broken server sends.
        const text = typeof data === 'string' && raw ? data.replace(/[\r\n]/g, ' ') : JSON.stringify(data);
        const error = await thrown(() => receiveAll(new Response(`event: error\ndata: ${text}\n\n`).body!));
        expect(error).toBeInstanceOf(Error);
        expect(typeof error.name).toBe('string');
        expect(error.name.length).toBeGreaterThan(0);
        expect(typeof error.message).toBe('string');
        expect(error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: runs(1) },
    );
    const error = await thrown(() => receiveAll(new Response('event: error\ndata: null\n\n').body!));
    expect(error.message).not.toMatch(/Cannot read/);
  });

  it('ignores events it does not know', async () => {
    const body = 'event: ping\ndata: {}\n\n: comment\n\nevent: delta\ndata: [{"op":"add","path":[],"value":1}]\n\nevent: done\ndata: {"value":1}\n\n';
    const updates = await receiveAll(new Response(body).body!);
    expect(updates.map((u) => u.value)).toEqual([1, 1]);
  });
});

describe('toToolCallEventStream', () => {
  const weather = z.object({ city: z.string(), unit: z.enum(['c', 'f']).default('c') });

  function events(args: string[], finish: 'tool-calls' | 'length'): StreamEvent[] {
    return [
      { type: 'text-delta', delta: 'Let me ' },
      { type: 'text-delta', delta: 'check.' },
      { type: 'tool-call-start', id: 'call_1', name: 'get_weather', index: 0 },
      ...args.map((delta): StreamEvent => ({ type: 'tool-call-delta', id: 'call_1', delta })),
      ...(finish === 'tool-calls' ? [{ type: 'tool-call-end', id: 'call_1' } as StreamEvent] : []),
      { type: 'finish', reason: finish },
    ];
  }

  it('forwards text, a call’s growing arguments, and its completion', async () => {
    const stream = toToolCallEventStream(
      assembleToolCalls(from(events(['{"ci', 'ty":"Par', 'is"}'], 'tool-calls')), { tools: { get_weather: weather } }),
    );
    const updates = await receiveAll<StreamView>(stream);
    const views = updates.map((u) => u.value as StreamView);
    const streaming = views.filter((v) => v.toolCalls[0]?.status === 'streaming');
    expect(streaming.map((v) => v.toolCalls[0]!.arguments)).toContainEqual({ city: 'Par' });
    expect(views.at(-1)).toEqual({
      text: 'Let me check.',
      toolCalls: [{ id: 'call_1', name: 'get_weather', index: 0, status: 'complete', arguments: { city: 'Paris', unit: 'c' } }],
      finishReason: 'tool-calls',
    });
    // The deltas alone rebuild the final view as well (sendFinalValue: false).
    const rebuilt = await receiveAll<StreamView>(
      toToolCallEventStream(
        assembleToolCalls(from(events(['{"ci', 'ty":"Par', 'is"}'], 'tool-calls')), { tools: { get_weather: weather } }),
        { sendFinalValue: false },
      ),
    );
    expect(rebuilt.at(-1)!.value).toEqual(views.at(-1));
  });

  it('shows a cut-off call as failed with reason truncated, keeping its partial arguments', async () => {
    const updates = await receiveAll<StreamView>(
      toToolCallEventStream(assembleToolCalls(from(events(['{"city":"Ber'], 'length')))),
    );
    const last = updates.at(-1)!.value as StreamView;
    expect(last.finishReason).toBe('length');
    expect(last.toolCalls[0]).toMatchObject({ status: 'failed', arguments: { city: 'Ber' }, error: { reason: 'truncated' } });
  });

  it('forwards structured output, without its text when text: false', async () => {
    const out: StreamEvent[] = [
      { type: 'text-delta', delta: '{"name":"Lent' },
      { type: 'text-delta', delta: 'il soup","steps":["rinse"' },
      { type: 'text-delta', delta: ',"boil"]}' },
      { type: 'finish', reason: 'stop' },
    ];
    const updates = await receiveAll<StreamView>(
      toToolCallEventStream(assembleToolCalls(from(out), { output: true }), { text: false }),
    );
    const views = updates.map((u) => u.value as StreamView);
    expect(views.map((v) => v.output)).toContainEqual({ name: 'Lentil soup', steps: ['rinse'] });
    expect(views.at(-1)).toEqual({ text: '', output: { name: 'Lentil soup', steps: ['rinse', 'boil'] }, toolCalls: [], finishReason: 'stop' });
  });

  it('rebuilds any arguments text, however fragmented, from the snapshot diffs', async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonTextWithValue().chain(({ text, value }) => chunked(text).map((chunks) => ({ chunks, value }))),
        async ({ chunks, value }) => {
          const evts: StreamEvent[] = [
            { type: 'tool-call-start', id: 'c', name: 't', index: 0 },
            ...chunks.map((delta): StreamEvent => ({ type: 'tool-call-delta', id: 'c', delta })),
            { type: 'tool-call-end', id: 'c' },
          ];
          const updates = await receiveAll<StreamView>(
            toToolCallEventStream(assembleToolCalls(from(evts)), { sendFinalValue: false }),
          );
          const call = (updates.at(-1)!.value as StreamView).toolCalls[0]!;
          expect(call.status).toBe('complete');
          expect(JSON.stringify(call.arguments)).toBe(JSON.stringify(value));
        },
      ),
      { numRuns: runs(0.5) },
    );
  });
});
