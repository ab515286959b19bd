/**
 * The newer adapters (Bedrock ConverseStream, Ollama /api/chat, OpenAI Realtime) with the
 * assembler, over generated streams (`providerStream`): quirks, every ending, and spliced
 * streams where a message or response is abandoned while a call streams. Every call is
 * delivered once with exactly its arguments, after its end signal; cut and abandoned calls are
 * `truncated`; text, reasoning and the finish reason are the stream's own.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/providers/index.js';
import { providerStream, type ProviderStreamKind } from '../../src/testing/index.js';
import { assembleToolCalls, type AssembledEvent } from '../../src/tool-calls/index.js';
import { adapterFor } from '../providers/helpers.js';
import { runs } from '../support/shared.js';

function adapter(provider: ProviderStreamKind, chunks: unknown[]): AsyncGenerator<StreamEvent> {
  return adapterFor(provider)(chunks);
}

describe('generated streams of the newer providers, through adapter and assembler', () => {
  for (const provider of ['bedrock', 'ollama', 'openai-realtime'] as const) {
    it(`${provider}: calls delivered once, exactly, after their end; cut and abandoned ones truncated`, async () => {
      await fc.assert(
        fc.asyncProperty(providerStream(provider), async ({ chunks, expected }) => {
          const out: AssembledEvent[] = [];
          const ended = new Set<string>();
          for await (const event of assembleToolCalls(adapter(provider, chunks))) {
            if (event.type === 'tool-call-end') ended.add(event.id);
            // Delivered only after the adapter's explicit end signal for that call.
            if (event.type === 'tool-call') expect(ended.has(event.id)).toBe(true);
            out.push(event);
          }
          const text = out.flatMap((e) => (e.type === 'text-delta' ? [e.delta] : [])).join('');
          const reasoning = out.flatMap((e) => (e.type === 'reasoning-delta' ? [e.delta] : [])).join('');
          expect(text).toBe(expected.text[0]);
          expect(reasoning).toBe(expected.reasoning[0]);
          const delivered = out.flatMap((e) => (e.type === 'tool-call' ? [e] : []));
          const complete = expected.toolCalls.filter((c) => c.complete);
          expect(delivered.map((c) => ({ id: c.id, name: c.name, index: c.index, arguments: c.arguments, raw: c.rawArguments }))).toEqual(
            complete.map((c) => ({ id: c.id, name: c.name, index: c.index, arguments: c.arguments, raw: c.argumentsText })),
          );
          const failed = out.flatMap((e) => (e.type === 'tool-call-error' ? [e.error] : []));
          expect(failed.map((e) => [e.id, e.reason])).toEqual(
            expected.toolCalls.filter((c) => !c.complete).map((c) => [c.id, 'truncated']),
          );
          const finishes = out.flatMap((e) => (e.type === 'finish' ? [e.reason] : []));
          if (expected.finishReason !== undefined) expect(finishes.at(-1)).toBe(expected.finishReason);
          else expect(finishes.filter((r) => r !== 'other')).toEqual([]);
          if (expected.errored) expect(out.some((e) => e.type === 'error')).toBe(true);
        }),
        { numRuns: runs(2) },
      );
    });
  }

  it('spliced streams: the abandoned call is truncated even when its cut text is whole JSON', async () => {
    const quirk = { bedrock: 'bedrock-spliced-message', 'openai-realtime': 'realtime-spliced-response' } as const;
    for (const provider of ['bedrock', 'openai-realtime'] as const) {
      await fc.assert(
        fc.asyncProperty(providerStream(provider, { splice: true, ending: 'finish' }), async ({ chunks, expected }) => {
          const errors: string[] = [];
          for await (const event of assembleToolCalls(adapter(provider, chunks))) {
            if (event.type === 'tool-call-error') errors.push(event.error.id);
          }
          expect(expected.quirks).toContain(quirk[provider]);
          expect(errors).toEqual([expected.toolCalls[0]!.id]);
        }),
        { numRuns: runs(1) },
      );
    }
  });
});
