/**
 * The stream `streamshape replay --demo` (and `npm run demo`) plays: an OpenAI Chat Completions
 * SSE body written for this repository, in the API's real wire format
 * (`data: {"object":"chat.completion.chunk",…}` events, then `data: [DONE]`). The model answers
 * "plan a morning in Lisbon" with a structured-output JSON object (`response_format`
 * json_schema) streamed in token-sized `delta.content` fragments, then asks for two parallel
 * tool calls (`get_weather`, `get_tram_times`: `tool_calls[].index` 0 then 1, the id and name
 * on the first fragment only, arguments cut mid-key and mid-string), ends with
 * `finish_reason: "tool_calls"`, and a usage chunk (`choices: []`).
 * @module
 */
import { tokenLikePieces } from './payloads.js';

const ANSWER = {
  city: 'Lisbon',
  date: '2025-05-17',
  summary: 'A slow morning in Alfama: coffee, the castle walls, and tram 28 down to Baixa before the crowds.',
  stops: [
    { time: '08:30', place: 'Café A Brasileira', note: 'Bica and a pastel de nata at the counter.' },
    { time: '09:15', place: 'Castelo de São Jorge', note: 'Opens at 9; the ramparts face the Tagus.' },
    { time: '10:30', place: 'Miradouro de Santa Luzia', note: 'Tiled terrace, five minutes downhill.' },
    { time: '11:00', place: 'Tram 28E to Baixa', note: 'Board at Largo das Portas do Sol.' },
  ],
  budgetEur: 18.5,
  rainPlan: null,
};

const WEATHER_ARGS = { city: 'Lisbon', date: '2025-05-17', hours: ['08:00', '12:00'], units: 'metric' };
const TRAM_ARGS = { line: '28E', stop: 'Largo das Portas do Sol', after: '10:45', limit: 3 };

const ID = 'chatcmpl-streamshape-demo-0001';
const CREATED = 1747465200;
const MODEL = 'gpt-4o-2024-08-06';
const FINGERPRINT = 'fp_streamshape';

function chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
  return JSON.stringify({
    id: ID,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    system_fingerprint: FINGERPRINT,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
}

/** Argument fragments as OpenAI sends them: a few characters each, cut anywhere. */
function argumentFragments(text: string): string[] {
  const sizes = [3, 5, 2, 7, 4, 6, 3, 8, 5, 4];
  const out: string[] = [];
  for (let i = 0, n = 0; i < text.length; n++) {
    const size = sizes[n % sizes.length]!;
    out.push(text.slice(i, i + size));
    i += size;
  }
  return out;
}

function build(): string {
  const events: string[] = [];
  events.push(chunk({ role: 'assistant', content: '', refusal: null }));
  for (const piece of tokenLikePieces(JSON.stringify(ANSWER))) events.push(chunk({ content: piece }));
  const calls: Array<[string, string, unknown]> = [
    ['call_7Qm2vXh1weather', 'get_weather', WEATHER_ARGS],
    ['call_9Kp4tRz8trams', 'get_tram_times', TRAM_ARGS],
  ];
  calls.forEach(([id, name, args], index) => {
    events.push(chunk({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] }));
    for (const fragment of argumentFragments(JSON.stringify(args))) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  events.push(chunk({}, 'tool_calls'));
  events.push(
    JSON.stringify({
      id: ID,
      object: 'chat.completion.chunk',
      created: CREATED,
      model: MODEL,
      system_fingerprint: FINGERPRINT,
      choices: [],
      usage: { prompt_tokens: 212, completion_tokens: 148, total_tokens: 360 },
    }),
  );
  return events.map((data) => `data: ${data}\n\n`).join('') + 'data: [DONE]\n\n';
}

/** The demo stream's SSE body. */
export const DEMO_STREAM: string = build();

/** What the demo stream's structured output and tool calls are, for tests. */
export const DEMO_EXPECTED = {
  output: ANSWER,
  toolCalls: [
    { name: 'get_weather', arguments: WEATHER_ARGS },
    { name: 'get_tram_times', arguments: TRAM_ARGS },
  ],
} as const;
