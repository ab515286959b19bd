/**
 * The browser demo's server: serves two pages and their bundles (built on the fly with esbuild
 * from the library source), and streams recorded-style Anthropic responses.
 *
 * - `/`: the backend-proxy page. The server reads the provider's SSE, assembles and validates the
 *   structured output and the tool calls while they stream, and forwards only the changes
 *   (`toToolCallEventStream`); the page rebuilds the value (`receiveUpdates`) and applies each
 *   delta to the DOM in place.
 * - `/react`: a React page on `usePartialJson` (`streamshape/react`): the server streams the raw
 *   JSON texts (the structured answer, and a `write_file` call's arguments whose `content` types
 *   into a code box) and the page parses them in the browser.
 *
 *   npm run example:web        (or: npx tsx examples/web/server.ts [port])
 *
 * Query parameters of the pages (passed on to /api/stream and /api/text):
 *   delay=<ms>        pause between provider events (default 30)
 *   pause=<n>,<m>,…   hold the stream after the n-th, m-th… provider event until POST /api/resume
 *                     (the end-to-end test uses it to look at intermediate renders)
 *   scenario=<name>   how the trip-plan run ends: `truncated` (as recorded: `max_tokens` cuts the
 *                     second call), `complete`, `invalid` (the output is not JSON), `schema` (the
 *                     output breaks its schema)
 *   cut=<n>           drop the connection after the n-th provider event (a crashed upstream)
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { zodGuide } from 'streamshape';
import { toToolCallEventStream } from 'streamshape/forward';
import { assembleToolCalls, fromAnthropicMessages, readServerSentEventsJson } from 'streamshape/tool-calls';

import { TripPlan, tools } from './schemas.js';

export { TripPlan, tools, WriteFile } from './schemas.js';

const tripPlan = readFileSync(new URL('../streams/anthropic-trip-plan.sse', import.meta.url), 'utf8');
const writeFile = readFileSync(new URL('../streams/anthropic-write-file.sse', import.meta.url), 'utf8');

/** The endings the page can be asked to show, made from the one recording. */
export const scenarios = ['truncated', 'complete', 'invalid', 'schema'] as const;
export type Scenario = (typeof scenarios)[number];

/** The recorded trip-plan body, changed to end the way `scenario` says. */
export function scenarioBody(scenario: Scenario): string {
  switch (scenario) {
    case 'truncated':
      return tripPlan;
    case 'complete': {
      // Stop before the second tool call and end the turn normally.
      const cut = tripPlan.lastIndexOf('event: content_block_start');
      return (
        tripPlan.slice(0, cut) +
        'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":120}}\n\n' +
        'event: message_stop\ndata: {"type":"message_stop"}\n\n'
      );
    }
    case 'invalid':
      // `{"destination": ,` : the output is not JSON from that character on (the calls are fine).
      return scenarioBody('complete').replace('"text":"ion\\": "', '"text":"ion\\": ,"');
    case 'schema':
      // `"days": 0` breaks `z.number().int().positive()` (the calls are fine).
      return scenarioBody('complete').replace('"text":"3,\\n \\"su"', '"text":"0,\\n \\"su"');
    default: {
      const exhaustive: never = scenario;
      return exhaustive;
    }
  }
}

export interface WebDemo {
  url: string;
  close(): Promise<void>;
}

/** Waiting streams, released one pause point at a time by POST /api/resume. */
const waiting = new Set<() => void>();

/**
 * Resolves after `ms`, or at once when `signal` aborts; either way the abort listener is removed,
 * so a long stream adds no listener per event (it used to: `MaxListenersExceededWarning`).
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Holds until POST /api/resume or `signal` aborts; removes what it registered either way. */
function hold(signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const release = () => {
      waiting.delete(release);
      signal.removeEventListener('abort', release);
      resolve();
    };
    waiting.add(release);
    signal.addEventListener('abort', release, { once: true });
  });
}

export interface ReplayOptions {
  delayMs: number;
  pauses: ReadonlySet<number>;
  /** Drop the page's connection after this many provider events (see `pipe`). */
  cutAfter?: number | undefined;
}

/** A recorded provider body, one SSE event at a time, as an upstream `fetch` body would arrive. */
export async function* replay(recorded: string, options: ReplayOptions, signal: AbortSignal): AsyncGenerator<string> {
  let count = 0;
  for (const event of recorded.split(/(?<=\n\n)/)) {
    if (signal.aborted) return;
    yield event;
    count++;
    if (options.pauses.has(count)) await hold(signal);
    else if (options.delayMs > 0) await sleep(options.delayMs, signal);
  }
}

function replayOptions(url: URL): ReplayOptions {
  const cut = url.searchParams.get('cut');
  return {
    delayMs: Math.max(0, Number(url.searchParams.get('delay') ?? 30) || 0),
    pauses: new Set((url.searchParams.get('pause') ?? '').split(',').filter(Boolean).map(Number)),
    cutAfter: cut === null ? undefined : Number(cut),
  };
}

async function stream(response: ServerResponse, url: URL): Promise<void> {
  const options = replayOptions(url);
  const scenario = (scenarios as readonly string[]).includes(url.searchParams.get('scenario') ?? '')
    ? (url.searchParams.get('scenario') as Scenario)
    : 'truncated';
  const abort = new AbortController();
  response.on('close', () => abort.abort());

  // In a real app: `const upstream = await fetch('https://api.anthropic.com/v1/messages', …)`.
  const upstream = counted(replay(scenarioBody(scenario), options, abort.signal));
  const events = assembleToolCalls(fromAnthropicMessages(readServerSentEventsJson(upstream)), {
    tools,
    guide: zodGuide,
    output: { schema: TripPlan },
  });
  // The text is the output's JSON, forwarded as `output` already: no need to send it twice.
  const body = toToolCallEventStream(events, { text: false });

  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  await pipe(body, response, abort.signal, options.cutAfter, upstream.length);
}

/**
 * Writes `body` to `response`; with `cutAfter`, destroys the connection once that many provider
 * events were read (`progress()`), as a crashed server or a dropped proxy would.
 */
async function pipe(
  body: ReadableStream<Uint8Array | string>,
  response: ServerResponse,
  signal: AbortSignal,
  cutAfter?: number | undefined,
  progress?: () => number,
): Promise<void> {
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      response.write(value);
      if (cutAfter !== undefined && progress !== undefined && progress() >= cutAfter) {
        cancel();
        response.destroy();
        return;
      }
    }
  } catch {
    // The page went away: the reader was cancelled, which returned the whole pipeline.
  } finally {
    signal.removeEventListener('abort', cancel);
  }
  response.end();
}

/**
 * The raw JSON text of a recording, as a model streams it: `doc=answer` is the trip plan's
 * structured output (its text deltas), `doc=file` the arguments of a `write_file` tool call (its
 * argument fragments). Plain text chunks, for the React page to parse in the browser.
 */
async function text(response: ServerResponse, url: URL): Promise<void> {
  const options = replayOptions(url);
  const doc = url.searchParams.get('doc') === 'file' ? 'file' : 'answer';
  const abort = new AbortController();
  response.on('close', () => abort.abort());
  const upstream = counted(replay(doc === 'file' ? writeFile : tripPlan, options, abort.signal));
  const events = fromAnthropicMessages(readServerSentEventsJson(upstream));
  const fragments = (async function* () {
    for await (const event of events) {
      if (doc === 'answer' && event.type === 'text-delta') yield event.delta;
      if (doc === 'file' && event.type === 'tool-call-delta') yield event.delta;
    }
  })();
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
  await pipe(streamOf(fragments), response, abort.signal, options.cutAfter, upstream.length);
}

/** A pull stream over an async iterable; cancelling it returns the iterable. */
function streamOf<T>(source: AsyncIterable<T>): ReadableStream<T> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<T>(
    {
      async pull(controller) {
        const { done, value } = await iterator.next();
        if (done === true) controller.close();
        else controller.enqueue(value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Passes `source` through, counting the items read so far (`length()`). */
function counted<T>(source: AsyncIterable<T>): AsyncIterable<T> & { length(): number } {
  let n = 0;
  return {
    length: () => n,
    async *[Symbol.asyncIterator]() {
      for await (const item of source) {
        n++;
        yield item;
      }
    },
  };
}

const bundles = new Map<string, Promise<string>>();

/**
 * A page script and the library source it imports, bundled for the browser (once per server).
 * esbuild resolves `streamshape` and `streamshape/react` through tsconfig.json's `paths`, and
 * compiles the React page's JSX (`jsx: react-jsx` there): no bundler config, no build step.
 */
function bundle(entry: string): Promise<string> {
  let built = bundles.get(entry);
  if (built === undefined) {
    built = build({
      entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      sourcemap: 'inline',
      logLevel: 'silent',
      // React's development build: StrictMode's double render and double subscribe stay on.
      define: { 'process.env.NODE_ENV': '"development"' },
    }).then((result) => result.outputFiles[0]!.text);
    bundles.set(entry, built);
  }
  return built;
}

const pages: Record<string, string> = { '/': './index.html', '/index.html': './index.html', '/react': './react.html' };
const scripts: Record<string, string> = { '/client.js': './client.ts', '/react.js': './react-app.tsx' };

export async function startWebDemo(options: { port?: number } = {}): Promise<WebDemo> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const fail = (error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    };
    const page = pages[url.pathname];
    const script = scripts[url.pathname];
    if (page !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(readFileSync(new URL(page, import.meta.url)));
    } else if (script !== undefined) {
      bundle(script).then((code) => {
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        response.end(code);
      }, fail);
    } else if (url.pathname === '/api/stream') {
      stream(response, url).catch(fail);
    } else if (url.pathname === '/api/text') {
      text(response, url).catch(fail);
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
