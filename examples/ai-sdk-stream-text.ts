/**
 * The AI SDK's `streamText` full stream through `fromAiSdk`: the same assembler as for the
 * providers' own SDKs, so tool-call arguments are partial while they stream and validated when
 * the call ends, and a call cut off by the token limit is reported, never executed.
 *
 *   npx tsx examples/ai-sdk-stream-text.ts
 *
 * The model is the AI SDK's own mock (`ai/test`), streaming parts a provider would send.
 */
import { jsonSchema, streamText, tool } from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import * as z from 'zod';
import { zodGuide } from 'streamshape';
import { assembleToolCalls, fromAiSdk } from 'streamshape/tool-calls';

const SearchFlights = z.object({
  from: z.string().length(3),
  to: z.string().length(3),
  date: z.iso.date(),
  passengers: z.number().int().min(1).max(9),
});

/** Splits `text` into model-sized pieces. */
function pieces(text: string, size = 5): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const usage = {
  inputTokens: { total: 210, noCache: 210, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 64, text: 64, reasoning: undefined },
};
const first = JSON.stringify({ from: 'LIS', to: 'OSL', date: '2025-03-14', passengers: 2 });
const second = JSON.stringify({ from: 'OSL', to: 'LIS', date: '2025-03-21', passengers: 2 }).slice(0, 40); // cut off by the token limit

const model = new MockLanguageModelV3({
  doStream: async () => ({
    stream: simulateReadableStream({
      chunkDelayInMs: 1,
      chunks: [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 't1' },
        ...pieces('Searching flights both ways.').map((delta) => ({ type: 'text-delta' as const, id: 't1', delta })),
        { type: 'text-end', id: 't1' },
        { type: 'tool-input-start', id: 'call_out', toolName: 'search_flights' },
        ...pieces(first).map((delta) => ({ type: 'tool-input-delta' as const, id: 'call_out', delta })),
        { type: 'tool-input-end', id: 'call_out' },
        { type: 'tool-call', toolCallId: 'call_out', toolName: 'search_flights', input: first },
        { type: 'tool-input-start', id: 'call_back', toolName: 'search_flights' },
        ...pieces(second).map((delta) => ({ type: 'tool-input-delta' as const, id: 'call_back', delta })),
        { type: 'finish', finishReason: { unified: 'length', raw: 'max_tokens' }, usage },
      ],
    }),
  }),
});

const result = streamText({
  model,
  prompt: 'Flights Lisbon to Oslo and back for two, mid March.',
  // No `execute`: this example only shows the stream; the AI SDK would run the tools itself.
  tools: { search_flights: tool({ inputSchema: jsonSchema(z.toJSONSchema(SearchFlights) as never) }) },
});

for await (const event of assembleToolCalls(fromAiSdk(result.fullStream), { tools: { search_flights: SearchFlights }, guide: zodGuide })) {
  if (event.type === 'text-delta') process.stdout.write(event.delta);
  else if (event.type === 'tool-call-start') process.stdout.write(`\n${event.name} [${event.id}] `);
  else if (event.type === 'tool-call-partial') process.stdout.write('.');
  else if (event.type === 'tool-call') console.log(`\n  complete: ${JSON.stringify(event.arguments)}`);
  else if (event.type === 'tool-call-error') {
    console.log(`\n  ${event.error.reason}: ${event.error.message}`);
    console.log(`  received so far: ${event.error.rawArguments}`);
  } else if (event.type === 'finish') console.log(`\nfinish: ${event.reason}`);
}
