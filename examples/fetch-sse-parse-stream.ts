/**
 * No SDK: plain `fetch`, `readServerSentEvents` for the SSE framing, and `parseStream` for the
 * JSON the model writes, throttled to one update per 25 ms as a render loop would want.
 *
 *   npx tsx examples/fetch-sse-parse-stream.ts
 *
 * `fetch` goes to a loopback server replaying a recorded-style OpenAI stream (no network, no key).
 */
import * as z from 'zod';
import { parseStream, zodGuide } from 'streamshape';
import { readServerSentEvents } from 'streamshape/tool-calls';
import { startReplayServer } from './replay-server.js';

const Recipe = z.object({
  name: z.string(),
  servings: z.number(),
  difficulty: z.enum(['easy', 'medium', 'hard']),
  ingredients: z.array(z.object({ item: z.string(), amount: z.string() })),
  steps: z.array(z.string()),
});

/** The content deltas of an OpenAI Chat Completions SSE body. */
async function* contentOf(response: Response): AsyncGenerator<string> {
  for await (const { data } of readServerSentEvents(response)) {
    const chunk = JSON.parse(data) as { choices: Array<{ delta: { content?: string | null } }> };
    const content = chunk.choices[0]?.delta.content;
    if (content) yield content;
  }
}

const server = await startReplayServer(new URL('./streams/openai-recipe.sse', import.meta.url));
try {
  const controller = new AbortController();
  const response = await fetch(`${server.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-example' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'A soup recipe as JSON' }] }),
    signal: controller.signal,
  });

  let previous: unknown;
  for await (const update of parseStream(contentOf(response), { schema: Recipe, guide: zodGuide, throttleMs: 25, signal: controller.signal })) {
    const { value, deltas, done } = update;
    if (done) {
      const recipe = value as z.output<typeof Recipe>; // the last update's value: the schema's full parse
      console.log(`done: ${recipe.steps.length} steps, ${recipe.ingredients.length} ingredients, validated`);
      break;
    }
    // Snapshots share structure: what did not change keeps its identity (cheap memoised renders).
    const sameIngredients = value?.ingredients !== undefined && (previous as typeof value)?.ingredients === value.ingredients;
    const ops = deltas.map((d) => `${d.op} /${d.path.join('/')}`).slice(0, 3).join(', ');
    console.log(`update: ${deltas.length} deltas (${ops}${deltas.length > 3 ? ', …' : ''})${sameIngredients ? ' [ingredients unchanged]' : ''}`);
    previous = value;
  }
} finally {
  await server.close();
}
