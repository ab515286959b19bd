// Smoke suite for Node, Bun and Deno (issue 13 item 8): the README's examples and a recorded-style
// OpenAI chat stream, against the package as installed (a scratch app's node_modules/streamshape,
// see runtimes.test.ts). Plain JavaScript, no test runner: it prints one line per check and exits
// non-zero on the first failure. Run from the scratch app's folder: node|bun|deno smoke.mjs
import { createPartialParser, parsePartial, parseStream, zodGuide } from 'streamshape';
import { readServerSentEventsJson, fromOpenAIChatCompletions, assembleToolCalls } from 'streamshape/tool-calls';
import { z } from 'zod';

let passed = 0;
function check(name, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    console.error(`FAIL ${name}\n  expected ${e}\n  actual   ${a}`);
    process.exit(1);
  }
  passed++;
  console.log(`ok ${name}`);
}

const text = '{"name":"Lemon lentil soup","servings":4,"tags":["easy","vegan"],"note":"caf\u00e9 \ud83c\udf4b"}';
const whole = JSON.parse(text);

// Quick start: createPartialParser, strings and UTF-8 bytes, every cut.
for (const [mode, encode] of [['string', (s) => s], ['bytes', (s) => new TextEncoder().encode(s)]]) {
  const input = encode(text);
  for (const size of [1, 3, 17]) {
    const snapshots = [];
    const parser = createPartialParser({ onPartial: (value) => snapshots.push(value) });
    for (let i = 0; i < input.length; i += size) parser.write(input.slice(i, i + size));
    check(`createPartialParser ${mode} chunks of ${size}: end() equals JSON.parse`, parser.end(), whole);
    check(`createPartialParser ${mode} chunks of ${size}: partial values grow`, snapshots[0] !== undefined && snapshots.length > 1, true);
  }
}

// parsePartial: a number or literal appears only once complete.
check('parsePartial keeps an unfinished number out', parsePartial('{"a":[12').value, { a: [] });
check('parsePartial completes a value', parsePartial('[true]'), { value: [true], complete: true });

// parseStream over a ReadableStream of bytes, with a zod schema.
const Recipe = z.object({ name: z.string(), servings: z.number(), tags: z.array(z.string()), note: z.string() });
const bytes = new TextEncoder().encode(text);
const body = new ReadableStream({
  start(controller) {
    for (let i = 0; i < bytes.length; i += 5) controller.enqueue(bytes.slice(i, i + 5));
    controller.close();
  },
});
let last;
let updates = 0;
for await (const update of parseStream(body, { schema: Recipe, guide: zodGuide })) {
  updates++;
  last = update;
}
check('parseStream(ReadableStream, { schema, guide }) ends with the validated value', last.value, whole);
check('parseStream marks the last update done', [last.done, updates > 1], [true, true]);

// A recorded-style OpenAI chat completions stream (SSE bytes) through the tool-call assembler.
const chunk = (delta, finish_reason = null) => ({
  id: 'chatcmpl-smoke', object: 'chat.completion.chunk', created: 1735689600, model: 'gpt-4o-mini',
  choices: [{ index: 0, delta, logprobs: null, finish_reason }],
});
const args = JSON.stringify({ city: 'Lisbon', unit: 'celsius' });
const events = [
  chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_smoke', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
  ...args.match(/.{1,4}/g).map((part) => chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] })),
  chunk({}, 'tool_calls'),
];
const sse = events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('') + 'data: [DONE]\n\n';
const sseBytes = new TextEncoder().encode(sse);
const sseBody = new ReadableStream({
  start(controller) {
    for (let i = 0; i < sseBytes.length; i += 64) controller.enqueue(sseBytes.slice(i, i + 64));
    controller.close();
  },
});
const calls = [];
const types = new Set();
const tools = { get_weather: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }) };
for await (const event of assembleToolCalls(fromOpenAIChatCompletions(readServerSentEventsJson(sseBody)), { tools })) {
  types.add(event.type);
  if (event.type === 'tool-call') calls.push([event.name, event.arguments]);
}
check('assembleToolCalls over an OpenAI chat SSE replay: one validated call', calls, [['get_weather', { city: 'Lisbon', unit: 'celsius' }]]);
check('assembleToolCalls reports the finish', types.has('finish'), true);

const runtime = typeof Bun !== 'undefined' ? `bun ${Bun.version}` : typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}` : `node ${process.versions.node}`;
console.log(`smoke (${runtime}): ${passed} passed, 0 failed`);
