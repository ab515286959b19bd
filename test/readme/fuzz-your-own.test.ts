// The README's "Fuzz your own stream handling" example, verbatim between the markers below
// (test/readme.test.ts checks that the README still shows exactly this code).
// readme:fuzz:start
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createToolCallAssembler, fromOpenAIChatCompletions, type CompletedToolCall } from 'streamshape';
import { providerStream } from 'streamshape/testing';

// Your consumer: it runs the tools the model asked for (here it only records them).
async function runTools(chunks: Iterable<unknown>): Promise<CompletedToolCall[]> {
  const executed: CompletedToolCall[] = [];
  const assembler = createToolCallAssembler({
    onToolCall: (call) => executed.push(call),
    onToolCallError: () => {}, // cut off, invalid or unknown: never executed
  });
  for await (const event of fromOpenAIChatCompletions(chunks as never)) assembler.push(event);
  assembler.end();
  return executed;
}

it('executes exactly the calls that completed, whatever the fragmentation or truncation', async () => {
  await fc.assert(
    fc.asyncProperty(
      providerStream('openai-chat', { ending: ['finish', 'length', 'error', 'cut'] }),
      async ({ chunks, expected }) => {
        const executed = await runTools(chunks);
        const complete = expected.toolCalls.filter((call) => call.complete);
        // Choices (n > 1) interleave, so compare as sorted lists.
        const key = (call: { name: string; arguments: unknown }) => JSON.stringify([call.name, call.arguments]);
        expect(executed.map(key).sort()).toEqual(complete.map(key).sort());
      },
    ),
    { numRuns: Number(process.env.STREAMSHAPE_FC_RUNS ?? 100) },
  );
});
// readme:fuzz:end
