/**
 * A tiny loopback HTTP server that replays a recorded server-sent events body with small delays,
 * so the examples can point the official SDKs (or plain `fetch`) at it without any network or
 * API key. Every request, whatever its path or method, gets the same stream.
 *
 * Run on its own to try it with curl:
 *   npx tsx examples/replay-server.ts examples/streams/openai-recipe.sse
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface ReplayServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** How many requests it has answered. */
  readonly requests: number;
  close(): Promise<void>;
}

export interface ReplayOptions {
  /** Pause between SSE events, in milliseconds. @defaultValue 2 */
  delayMs?: number;
}

/** Serves `file` (an SSE body) on 127.0.0.1 at a free port, one event at a time. */
export async function startReplayServer(file: URL | string, options: ReplayOptions = {}): Promise<ReplayServer> {
  const body = readFileSync(file, 'utf8');
  // Keep each event whole (the SDKs and readServerSentEvents would cope with any split; the
  // delays are what makes the stream visible).
  const events = body.split(/(?<=\n\n)/);
  const delayMs = options.delayMs ?? 2;
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    request.resume();
    request.on('end', async () => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of events) {
        if (response.destroyed) return;
        response.write(event);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] ?? fileURLToPath(new URL('./streams/openai-recipe.sse', import.meta.url));
  const server = await startReplayServer(file, { delayMs: 20 });
  console.log(`Replaying ${file} at ${server.origin} (Ctrl-C to stop)`);
}
