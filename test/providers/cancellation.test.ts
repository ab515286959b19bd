/**
 * Stopping an adapter while the model is silent cancels the upstream at once: `return()` (what
 * `break` and a disconnecting client call), `reader.cancel()` of a forwarded stream and an aborted
 * `signal`, all while a read of the upstream is pending, not at its next chunk (README: "break,
 * return(), reader.cancel() and aborting signal end at once, also while the source is silent").
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toToolCallEventStream } from '../../src/forward/index.js';
import {
  fromAiSdk,
  fromAnthropicMessages,
  fromBedrockConverseStream,
  fromGemini,
  fromOllamaChat,
  fromOpenAIChatCompletions,
  fromOpenAIRealtime,
  fromOpenAIResponses,
  type StreamEvent,
} from '../../src/providers/index.js';
import { runNormalizer, type StreamNormalizer } from '../../src/providers/normalizer.js';
import { assembleToolCalls } from '../../src/tool-calls/index.js';

type Adapter = (source: never) => AsyncIterable<StreamEvent>;

/** Every `from*` adapter with one chunk that gives a `text-delta`. */
const adapters: [string, Adapter, unknown][] = [
  ['fromOpenAIChatCompletions', fromOpenAIChatCompletions, { choices: [{ index: 0, delta: { content: 'Hi' } }] }],
  ['fromOpenAIResponses', fromOpenAIResponses, { type: 'response.output_text.delta', delta: 'Hi', item_id: 'm', output_index: 0, content_index: 0 }],
  ['fromAnthropicMessages', fromAnthropicMessages, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }],
  ['fromGemini', fromGemini, { candidates: [{ content: { parts: [{ text: 'Hi' }] } }] }],
  ['fromBedrockConverseStream', fromBedrockConverseStream, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hi' } } }],
  ['fromOllamaChat', fromOllamaChat, { message: { role: 'assistant', content: 'Hi' }, done: false }],
  ['fromOllamaChat (NDJSON bytes)', fromOllamaChat, new TextEncoder().encode('{"message":{"role":"assistant","content":"Hi"},"done":false}\n')],
  ['fromOpenAIRealtime', fromOpenAIRealtime, { type: 'response.output_text.delta', delta: 'Hi', item_id: 'm', output_index: 0, content_index: 0 }],
  ['fromOpenAIRealtime (message text)', fromOpenAIRealtime, '{"type":"response.output_text.delta","delta":"Hi","item_id":"m"}'],
  ['fromAiSdk', fromAiSdk, { type: 'text-delta', id: 't', text: 'Hi' }],
];

/** A source that sends `first`, then never answers again, and records being cancelled. */
interface SilentSource {
  source: unknown;
  cancelled(): boolean;
}

const silentSources: [string, (first: unknown) => SilentSource][] = [
  [
    'ReadableStream',
    (first) => {
      let sent = false;
      let cancelled = false;
      const source = new ReadableStream({
        pull(controller) {
          if (sent) return new Promise<void>(() => {});
          sent = true;
          controller.enqueue(first);
          return undefined;
        },
        cancel() {
          cancelled = true;
        },
      });
      return { source, cancelled: () => cancelled };
    },
  ],
  [
    'async iterable',
    (first) => {
      let sent = false;
      let returned = false;
      const iterator: AsyncIterator<unknown> = {
        next() {
          if (sent) return new Promise(() => {});
          sent = true;
          return Promise.resolve({ done: false, value: first });
        },
        return() {
          returned = true;
          return Promise.resolve({ done: true, value: undefined });
        },
      };
      return { source: { [Symbol.asyncIterator]: () => iterator }, cancelled: () => returned };
    },
  ],
];

/** A few macrotasks: long enough for a prompt cancel to land, not a timing assertion. */
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 1));
};

/**
 * What `promise` has settled to so far: a read of it never waits, so a stop that hangs behind
 * the silent upstream fails the test instead of holding it.
 */
function track<T>(promise: Promise<T>): () => T | 'pending' {
  let state: { value: T } | undefined;
  let failure: { error: unknown } | undefined;
  promise.then(
    (value) => void (state = { value }),
    (error: unknown) => void (failure = { error }),
  );
  return () => {
    if (failure !== undefined) throw failure.error;
    return state === undefined ? 'pending' : state.value;
  };
}

const escaped: unknown[] = [];
const onEscape = (error: unknown) => void escaped.push(error);
beforeEach(() => {
  escaped.length = 0;
  process.on('unhandledRejection', onEscape);
});
afterEach(async () => {
  await settle();
  process.off('unhandledRejection', onEscape);
  expect(escaped, 'rejections nobody handled').toEqual([]);
});

describe.each(adapters)('%s over a silent upstream', (_, adapter, first) => {
  describe.each(silentSources)('(%s)', (__, silent) => {
    it('return() while a next() is pending cancels the upstream at once', async () => {
      const upstream = silent(first);
      const events = adapter(upstream.source as never)[Symbol.asyncIterator]();
      expect((await events.next()).value).toEqual({ type: 'text-delta', delta: 'Hi' });
      const pending = track(events.next());
      await settle();
      const returned = track(events.return!());
      await settle();
      expect(upstream.cancelled()).toBe(true);
      expect(returned()).toEqual({ done: true, value: undefined });
      expect(pending()).toEqual({ done: true, value: undefined });
    });

    it('break cancels the upstream', async () => {
      const upstream = silent(first);
      for await (const event of assembleToolCalls(adapter(upstream.source as never))) {
        expect(event).toMatchObject({ type: 'text-delta' });
        break;
      }
      await settle();
      expect(upstream.cancelled()).toBe(true);
    });

    it('reader.cancel() of the forwarded stream while a read is pending cancels the upstream at once', async () => {
      const upstream = silent(first);
      const reader = toToolCallEventStream(assembleToolCalls(adapter(upstream.source as never))).getReader();
      await reader.read();
      const pending = track(reader.read());
      await settle();
      const cancelled = track(reader.cancel());
      await settle();
      expect(upstream.cancelled()).toBe(true);
      expect(cancelled()).toBe(undefined);
      expect(pending()).toEqual({ done: true, value: undefined });
    });

    it('aborting signal while the model is silent ends the iteration and cancels the upstream at once', async () => {
      const upstream = silent(first);
      const controller = new AbortController();
      const seen: unknown[] = [];
      const run = (async () => {
        for await (const event of assembleToolCalls(adapter(upstream.source as never), { signal: controller.signal })) {
          seen.push(event.type);
        }
      })();
      await settle();
      controller.abort();
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      await settle();
      expect(seen).toEqual(['text-delta']);
      expect(upstream.cancelled()).toBe(true);
    });
  });
});

describe('runNormalizer', () => {
  const echo: StreamNormalizer<{ text: string }> = {
    push: (chunk) => [{ type: 'text-delta', delta: chunk.text }],
    end: () => [],
  };

  it.each(silentSources)('return() while the %s is silent cancels it at once', async (_, silent) => {
    const upstream = silent({ text: 'Hi' });
    const events = runNormalizer(upstream.source as ReadableStream<{ text: string }>, echo, 'fromTest');
    expect(await events.next()).toEqual({ done: false, value: { type: 'text-delta', delta: 'Hi' } });
    const pending = track(events.next());
    await settle();
    const returned = track(events.return());
    await settle();
    expect(upstream.cancelled()).toBe(true);
    expect(returned()).toEqual({ done: true, value: undefined });
    expect(pending()).toEqual({ done: true, value: undefined });
  });

  it('still reports a source it cannot read at the first next(), not when called', async () => {
    const events = runNormalizer(null as never, echo, 'fromTest');
    await expect(events.next()).rejects.toThrow(/^fromTest\(\) expects an iterable/);
  });

  it('delivers the events before a failing chunk, then the failure, and cancels the source', async () => {
    let returned = false;
    const source = {
      [Symbol.asyncIterator]: () => {
        let i = 0;
        return {
          next: () => Promise.resolve(i++ < 1 ? { done: false, value: { text: 'Hi' } } : { done: false, value: 'raw text' }),
          return: () => {
            returned = true;
            return Promise.resolve({ done: true as const, value: undefined });
          },
        };
      },
    };
    const events = runNormalizer(source as never, echo, 'fromTest');
    expect((await events.next()).value).toEqual({ type: 'text-delta', delta: 'Hi' });
    await expect(events.next()).rejects.toThrow(/^fromTest\(\) was given a string/);
    await settle();
    expect(returned).toBe(true);
  });
});

describe('a ReadableStream read to its end is unlocked again', () => {
  it('through an adapter and through parseStream: the caller may still cancel it or read it', async () => {
    const { parseStream } = await import('../../src/index.js');
    const adapterSource = new ReadableStream({
      start(controller) {
        controller.enqueue({ choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }] });
        controller.close();
      },
    });
    for await (const event of fromOpenAIChatCompletions(adapterSource)) void event;
    expect(adapterSource.locked).toBe(false);
    await expect(adapterSource.cancel()).resolves.toBeUndefined();
    const textSource = new ReadableStream<string>({
      start(controller) {
        controller.enqueue('[1]');
        controller.close();
      },
    });
    for await (const update of parseStream(textSource)) void update;
    expect(textSource.locked).toBe(false);
    expect(textSource.getReader()).toBeDefined();
  });
});
