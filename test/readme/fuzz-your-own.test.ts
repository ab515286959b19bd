// The README's "Fuzz your own stream handling" example, verbatim between the markers below
// (test/readme.test.ts checks that the README still shows exactly this code).
// readme:fuzz:start
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createProviderNormalizer, createToolCallAssembler, type CompletedToolCall, type ProviderKind } from 'streamshape/tool-calls';
import { PROVIDER_STREAM_KINDS, providerStream } from 'streamshape/testing';

// Your consumer: it runs the tools the model asked for (here it only records them).
function runTools(provider: ProviderKind, chunks: Iterable<unknown>): CompletedToolCall[] {
  const executed: CompletedToolCall[] = [];
  const assembler = createToolCallAssembler({
    onToolCall: (call) => executed.push(call),
    onToolCallError: () => {}, // cut off, abandoned, invalid or unknown: never executed
  });
  const normalizer = createProviderNormalizer(provider);
  for (const chunk of chunks) for (const event of normalizer.push(chunk)) assembler.push(event);
  for (const event of normalizer.end()) assembler.push(event);
  assembler.end();
  return executed;
}

// Every provider format with its quirks (OpenAI-compatible index, id and resend irregularities,
// spliced and multi-response streams, ...), any fragmentation, any ending.
for (const provider of PROVIDER_STREAM_KINDS) {
  it(`${provider}: executes exactly the calls that completed`, () => {
    fc.assert(
      fc.property(providerStream(provider), ({ chunks, expected }) => {
        const executed = runTools(provider, chunks);
        const complete = expected.toolCalls.filter((call) => call.complete);
        // Choices (n > 1) interleave, so compare as sorted lists.
        const key = (call: { name: string; arguments: unknown }) => JSON.stringify([call.name, call.arguments]);
        expect(executed.map(key).sort()).toEqual(complete.map(key).sort());
      }),
      { numRuns: Number(process.env.STREAMSHAPE_FC_RUNS ?? 100) },
    );
  });
}
// readme:fuzz:end
