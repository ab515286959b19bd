import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { StreamEvent } from '../../src/providers/index.js';
import { createToolCallAssembler, type CompletedToolCall, type ToolCallError } from '../../src/tool-calls/index.js';
import {
  fromAnthropicMessages,
  fromBedrockConverseStream,
  fromGemini,
  fromOllamaChat,
  fromOpenAIChatCompletions,
  fromOpenAIRealtime,
  fromOpenAIResponses,
} from '../../src/providers/index.js';
import type { ProviderStreamKind } from '../../src/testing/index.js';
import type { RecordedProvider } from '../fixtures/recorded.js';

/**
 * A loopback HTTP/1.1 server for the tests that drive an official client: every request, once
 * its body is read, gets 200 with `headers` and the bytes of `body()`, written in pieces of
 * `pieceSize` bytes so that frames (and their UTF-8) arrive split. It listens in `beforeAll` and
 * closes in `afterAll` of the calling file; `origin` is set once it listens.
 */
export function loopbackServer(
  headers: OutgoingHttpHeaders,
  pieceSize: number,
  body: () => Uint8Array,
  onRequest?: (request: IncomingMessage) => void,
): { readonly origin: string } {
  const loopback = { origin: '' };
  let server: Server;
  beforeAll(async () => {
    server = createServer((request, response) => {
      onRequest?.(request);
      request.resume();
      request.on('end', () => {
        response.writeHead(200, headers);
        const bytes = body();
        for (let i = 0; i < bytes.length; i += pieceSize) response.write(bytes.subarray(i, i + pieceSize));
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    loopback.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return loopback;
}

/** Feed events to a tool-call assembler and end it: the calls it completed and the errors it reported. */
export function assemble(events: readonly StreamEvent[]): { calls: CompletedToolCall[]; errors: ToolCallError[] } {
  const calls: CompletedToolCall[] = [];
  const errors: ToolCallError[] = [];
  const assembler = createToolCallAssembler({ onToolCall: (c) => calls.push(c), onToolCallError: (e) => errors.push(e) });
  for (const event of events) assembler.push(event);
  assembler.end();
  return { calls, errors };
}

/** Drain an async iterable into an array. */
export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

/** The adapter for a recorded or generated provider kind, taking untyped chunks. */
export function adapterFor(provider: RecordedProvider | ProviderStreamKind): (chunks: unknown[]) => AsyncGenerator<StreamEvent> {
  switch (provider) {
    case 'openai-chat':
      return (chunks) => fromOpenAIChatCompletions(chunks as never);
    case 'openai-responses':
      return (chunks) => fromOpenAIResponses(chunks as never);
    case 'anthropic':
      return (chunks) => fromAnthropicMessages(chunks as never);
    case 'gemini':
      return (chunks) => fromGemini(chunks as never);
    case 'bedrock':
      return (chunks) => fromBedrockConverseStream(chunks as never);
    case 'ollama':
      return (chunks) => fromOllamaChat(chunks as never);
    case 'openai-realtime':
      return (chunks) => fromOpenAIRealtime(chunks as never);
  }
}

export interface Summary {
  /** Text per choice. */
  text: Map<number, string>;
  reasoning: Map<number, string>;
  refusal: Map<number, string>;
  /** Calls in start order. */
  calls: Array<{ id: string; name: string; index: number; choice: number; args: string; ended: boolean }>;
  finishes: Array<Extract<StreamEvent, { type: 'finish' }>>;
  errors: unknown[];
}

/** Fold events into per-choice text and per-call arguments. */
export function summarize(events: readonly StreamEvent[]): Summary {
  const summary: Summary = {
    text: new Map(),
    reasoning: new Map(),
    refusal: new Map(),
    calls: [],
    finishes: [],
    errors: [],
  };
  const byId = new Map<string, Summary['calls'][number]>();
  const append = (map: Map<number, string>, choice: number, delta: string) =>
    map.set(choice, (map.get(choice) ?? '') + delta);
  for (const event of events) {
    const choice = event.choice ?? 0;
    switch (event.type) {
      case 'text-delta':
        append(summary.text, choice, event.delta);
        break;
      case 'reasoning-delta':
        append(summary.reasoning, choice, event.delta);
        break;
      case 'refusal-delta':
        append(summary.refusal, choice, event.delta);
        break;
      case 'tool-call-start': {
        const call = { id: event.id, name: event.name, index: event.index, choice, args: '', ended: false };
        summary.calls.push(call);
        byId.set(event.id, call);
        break;
      }
      case 'tool-call-delta': {
        const call = byId.get(event.id);
        if (call) call.args += event.delta;
        break;
      }
      case 'tool-call-end': {
        const call = byId.get(event.id);
        if (call) call.ended = true;
        break;
      }
      case 'finish':
        summary.finishes.push(event);
        break;
      case 'error':
        summary.errors.push(event.error);
        break;
    }
  }
  return summary;
}

/**
 * Check the order guarantees of `StreamEvent`: one start per id before its deltas and end, at
 * most one end, nothing for a call after its end, `index` counting 0, 1, … per choice, finish
 * once per choice and last for it. Returns the list of violations (empty when fine).
 */
export function orderViolations(events: readonly StreamEvent[], options: { finishesPerChoice?: 'one' | 'many' } = {}): string[] {
  const problems: string[] = [];
  const state = new Map<string, 'open' | 'ended'>();
  const nextIndex = new Map<number, number>();
  const finished = new Set<number>();
  events.forEach((event, position) => {
    const choice = event.choice ?? 0;
    if (event.choice === 0) problems.push(`#${position}: choice 0 should be left out`);
    if (finished.has(choice) && options.finishesPerChoice !== 'many') {
      problems.push(`#${position}: ${event.type} after finish of choice ${choice}`);
    }
    switch (event.type) {
      case 'tool-call-start': {
        if (state.has(event.id)) problems.push(`#${position}: second start for ${event.id}`);
        state.set(event.id, 'open');
        const expected = nextIndex.get(choice) ?? 0;
        if (event.index !== expected && options.finishesPerChoice !== 'many') {
          problems.push(`#${position}: index ${event.index}, expected ${expected}`);
        }
        nextIndex.set(choice, event.index + 1);
        break;
      }
      case 'tool-call-delta':
        if (state.get(event.id) !== 'open') problems.push(`#${position}: delta for ${event.id} while ${state.get(event.id) ?? 'unknown'}`);
        break;
      case 'tool-call-end':
        if (state.get(event.id) !== 'open') problems.push(`#${position}: end for ${event.id} while ${state.get(event.id) ?? 'unknown'}`);
        state.set(event.id, 'ended');
        break;
      case 'finish':
        finished.add(choice);
        if (options.finishesPerChoice === 'many') finished.delete(choice);
        break;
      default:
        break;
    }
  });
  return problems;
}
