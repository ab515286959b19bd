/**
 * The browser demo's server: serves the page and a bundle of `client.ts` (built on the fly with
 * esbuild from the library source), and streams a recorded-style Anthropic response to the page
 * the backend-proxy way: the server reads the provider's SSE, assembles and validates the
 * structured output and the tool calls while they stream, and forwards only the changes
 * (`toToolCallEventStream`) for the page to rebuild (`receiveUpdates`).
 *
 *   npm run example:web        (or: npx tsx examples/web/server.ts [port])
 *
 * Query parameters of the page (passed on to /api/stream):
 *   delay=<ms>        pause between provider events (default 30)
 *   pause=<n>,<m>,…   hold the stream after the n-th, m-th… provider event until POST /api/resume
 *                     (the end-to-end test uses it to look at intermediate renders)
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { zodGuide } from 'streamshape';
import { toToolCallEventStream } from 'streamshape/forward';
import { assembleToolCalls, fromAnthropicMessages, readServerSentEventsJson } from 'streamshape/tool-calls';

/** The structured output the model writes as its text. */
export const TripPlan = z.object({
  destination: z.string(),
  days: z.number().int().positive(),
  summary: z.string(),
  itinerary: z.array(z.object({ day: z.number().int(), title: z.string(), activities: z.array(z.string()) })),
  budget: z.object({ currency: z.string().length(3), total: z.number() }),
});

export const tools = {
  get_weather: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }),
  book_hotel: z.object({ city: z.string(), nights: z.number().int(), guests: z.number().int(), notes: z.string().optional() }),
};

const recorded = readFileSync(new URL('../streams/anthropic-trip-plan.sse', import.meta.url), 'utf8');

export interface WebDemo {
  url: string;
  close(): Promise<void>;
}

/** Waiting streams, released one pause point at a time by POST /api/resume. */
const waiting = new Set<() => void>();

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** The recorded provider body, one SSE event at a time, as an upstream `fetch` body would arrive. */
async function* replay(delayMs: number, pauses: ReadonlySet<number>, signal: AbortSignal): AsyncGenerator<string> {
  let count = 0;
  for (const event of recorded.split(/(?<=\n\n)/)) {
    if (signal.aborted) return;
    yield event;
    count++;
    if (pauses.has(count)) {
      await new Promise<void>((resolve) => {
        const release = () => (waiting.delete(release), resolve());
        waiting.add(release);
        signal.addEventListener('abort', release, { once: true });
      });
    } else if (delayMs > 0) await sleep(delayMs, signal);
  }
}

async function stream(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const delayMs = Math.max(0, Number(url.searchParams.get('delay') ?? 30) || 0);
  const pauses = new Set((url.searchParams.get('pause') ?? '').split(',').filter(Boolean).map(Number));
  const abort = new AbortController();
  response.on('close', () => abort.abort());

  // In a real app: `const upstream = await fetch('https://api.anthropic.com/v1/messages', …)`.
  const upstream = replay(delayMs, pauses, abort.signal);
  const events = assembleToolCalls(fromAnthropicMessages(readServerSentEventsJson(upstream)), {
    tools,
    guide: zodGuide,
    output: { schema: TripPlan },
  });
  // The text is the output's JSON, forwarded as `output` already: no need to send it twice.
  const body = toToolCallEventStream(events, { text: false });

  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const reader = body.getReader();
  abort.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      response.write(value);
    }
  } catch {
    // The page went away: the reader was cancelled, which returned the whole pipeline.
  }
  response.end();
}

let bundle: Promise<string> | undefined;

/** client.ts and the library source it imports, bundled for the browser (once per server). */
function clientBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [fileURLToPath(new URL('./client.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bundle;
}

export async function startWebDemo(options: { port?: number } = {}): Promise<WebDemo> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const fail = (error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    };
    if (url.pathname === '/' || url.pathname === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(readFileSync(new URL('./index.html', import.meta.url)));
    } else if (url.pathname === '/client.js') {
      clientBundle().then((code) => {
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        response.end(code);
      }, fail);
    } else if (url.pathname === '/api/stream') {
      stream(request, response, url).catch(fail);
    } else if (url.pathname === '/api/resume' && request.method === 'POST') {
      const released = waiting.size;
      for (const release of [...waiting]) release();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ released }));
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of [...waiting]) release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const demo = await startWebDemo({ port: Number(process.argv[2] ?? 5173) });
  console.log(`streamshape web demo: ${demo.url}`);
}
