/**
 * Tool calls with the official `@anthropic-ai/sdk` client: arguments stream in as fragments;
 * streamshape shows them partially while they arrive, hands over each call the moment its block
 * ends with arguments validated by the tool's zod schema, and reports a call that fails its
 * schema instead of executing it.
 *
 *   npx tsx examples/anthropic-tool-calls.ts
 *
 * The client talks to a loopback server replaying a recorded-style stream (no network, no key).
 */
import Anthropic from '@anthropic-ai/sdk';
import * as z from 'zod';
import { zodGuide } from 'streamshape';
import { assembleToolCalls, fromAnthropicMessages } from 'streamshape/tool-calls';
import { startReplayServer } from './replay-server.js';

const tools = {
  get_weather: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }),
  convert_currency: z.object({ amount: z.number().positive(), from: z.string().length(3), to: z.string().length(3) }),
};

const server = await startReplayServer(new URL('./streams/anthropic-tool-calls.sse', import.meta.url));
try {
  const client = new Anthropic({ apiKey: 'sk-ant-example', baseURL: server.origin, maxRetries: 0 });
  const stream = await client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Weather in Lisbon and Oslo, and 129.50 EUR in NOK?' }],
    tools: Object.entries(tools).map(([name, schema]) => ({
      name,
      input_schema: z.toJSONSchema(schema) as Anthropic.Tool.InputSchema,
    })),
    stream: true,
  });

  let text = '';
  let shown = '';
  for await (const event of assembleToolCalls(fromAnthropicMessages(stream), { tools, guide: zodGuide })) {
    switch (event.type) {
      case 'text-delta':
        text += event.delta;
        break;
      case 'tool-call-partial':
        // Partial arguments: show them (a UI would render a card that fills in). A fragment can
        // end inside a key or a number, changing nothing visible: print only what changed.
        if (JSON.stringify(event.arguments) !== shown) {
          shown = JSON.stringify(event.arguments);
          console.log(`  … ${event.name} ${shown}`);
        }
        break;
      case 'tool-call':
        // Complete and valid: `event.arguments` is typed from the schemas. Safe to execute.
        console.log(`call ${event.name}(${JSON.stringify(event.arguments)})  [${event.id}]`);
        break;
      case 'tool-call-error':
        console.log(`rejected ${event.error.toolName}: ${event.error.reason}: ${event.error.message.split('\n')[0]}`);
        break;
      case 'finish':
        console.log(`text: ${text}`);
        console.log(`finish: ${event.reason}`);
        break;
    }
  }
} finally {
  await server.close();
}
