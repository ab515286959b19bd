/**
 * Structured output with the official `openai` client: the streamed JSON becomes a partial
 * recipe you can render at once, then a final value validated by a zod schema.
 *
 *   npx tsx examples/openai-structured-output.ts
 *
 * The client talks to a loopback server replaying a recorded-style stream (no network, no key).
 */
import OpenAI from 'openai';
import * as z from 'zod';
import { parseStream, zodGuide } from 'streamshape';
import { fromOpenAIChatCompletions, type StreamEvent } from 'streamshape/tool-calls';
import { startReplayServer } from './replay-server.js';

const Recipe = z.object({
  name: z.string(),
  servings: z.number().int().positive(),
  difficulty: z.enum(['easy', 'medium', 'hard']),
  ingredients: z.array(z.object({ item: z.string(), amount: z.string() })),
  steps: z.array(z.string()),
});

/** The text of the first choice: the JSON the model writes. */
async function* textOf(events: AsyncIterable<StreamEvent>): AsyncGenerator<string> {
  for await (const event of events) if (event.type === 'text-delta') yield event.delta;
}

const server = await startReplayServer(new URL('./streams/openai-recipe.sse', import.meta.url));
try {
  const client = new OpenAI({ apiKey: 'sk-example', baseURL: `${server.origin}/v1`, maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'A simple soup recipe, as JSON.' }],
    response_format: { type: 'json_schema', json_schema: { name: 'recipe', schema: z.toJSONSchema(Recipe), strict: true } },
    stream: true,
    stream_options: { include_usage: true },
  });

  let updates = 0;
  let lastKeys = '';
  for await (const { value, done } of parseStream(textOf(fromOpenAIChatCompletions(stream)), { schema: Recipe, guide: zodGuide })) {
    updates++;
    if (done) {
      // The last update's value is the schema's full parse: complete and validated.
      const recipe = value as z.output<typeof Recipe>;
      console.log(`\nfinal recipe (${updates} updates): ${recipe.name}, serves ${recipe.servings}, ${recipe.difficulty}`);
      for (const { item, amount } of recipe.ingredients) console.log(`  - ${item}: ${amount}`);
      recipe.steps.forEach((step, i) => console.log(`  ${i + 1}. ${step}`));
      break;
    }
    // A partial value: fields appear once their key is complete, strings grow, the enum appears whole.
    const keys = Object.keys(value ?? {}).join(', ');
    if (keys !== lastKeys) {
      console.log(`partial: {${keys}}  name=${JSON.stringify(value?.name)}`);
      lastKeys = keys;
    }
  }
} finally {
  await server.close();
}
