/**
 * `streamshape replay`: read a recorded or live stream (a file, stdin, or the demo), detect its
 * format and provider, replay it at a pace through the provider's normalizer and the tool-call
 * assembler, render it, and summarize.
 * @module
 */
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createJsonlParser } from '../jsonl/index.js';
import type { SchemaLike } from '../schema/types.js';
import { type InputFormat, type ProviderName, type ReplayArgs, type Speed, UsageError } from './args.js';
import { DEMO_STREAM } from './demo-stream.js';
import { detectFormat, detectProvider } from './detect.js';
import { createJsonSplitter, createSseSplitter, createTextSplitter, type PayloadSplitter } from './payloads.js';
import { createJsonRenderer, createPlainRenderer, createStyle, createTtyRenderer, type Output, type Renderer } from './render.js';
import { loadSchema } from './schema.js';
import { createReplaySession, type ReplaySummary } from './session.js';

/** The process-level things a command touches; tests pass their own. */
export interface CliIo {
  stdout: Output;
  stderr: Output;
  /** Standard input as byte chunks. */
  stdin: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** Options of {@link replayChunks} beyond the input. */
export interface ReplayOptions {
  /** Shown in the header and the `start` event. */
  source: string;
  format?: InputFormat | undefined;
  provider?: ProviderName | undefined;
  speed: Speed;
  schema?: SchemaLike | undefined;
  renderer: Renderer;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Where the decoding and detection stand before the splitter is chosen. */
interface Pending {
  text: string;
  probe: { first: unknown; found: boolean; failed: boolean; parser: ReturnType<typeof createJsonlParser> } | undefined;
}

/**
 * Replays a stream given as byte (or text) chunks and returns its summary. Pure of process
 * state: the renderer receives everything. Chunk arrival times are taken as they come, so a live
 * source gives real metrics.
 * @throws {@link UsageError} for input that is not a stream this command can read.
 */
export async function replayChunks(chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, options: ReplayOptions): Promise<ReplaySummary> {
  const { renderer, speed } = options;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let decodedBytes = 0;
  let splitter: PayloadSplitter | undefined;
  let format: InputFormat | undefined = options.format;
  let provider = options.provider;
  const pending: Pending = { text: '', probe: undefined };
  let started = false;
  const start = performance.now();
  const now = (): number => Math.round((performance.now() - start) * 1000) / 1000;
  let nextAt = 0;
  const session = { current: undefined as ReturnType<typeof createReplaySession> | undefined };

  const decode = (chunk: Uint8Array | string, last: boolean): string => {
    if (typeof chunk === 'string') return chunk;
    try {
      const text = decoder.decode(chunk, { stream: !last });
      if (text.includes('\u0000')) throw new UsageError('the input is binary, not text (it holds NUL characters)');
      return text;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`the input is not UTF-8 text (a bad byte near byte ${decodedBytes})`);
    }
  };

  const announce = (): void => {
    const detected = session.current?.provider;
    if (!started && detected !== undefined) {
      started = true;
      renderer.event({ type: 'start', format: format!, provider: detected, source: options.source });
    }
  };

  const emit = async (payloads: unknown[]): Promise<void> => {
    const s = session.current!;
    for (const payload of payloads) {
      if (typeof speed === 'object') {
        nextAt = Math.max(nextAt + speed.delayMs, now() - speed.delayMs);
        const wait = nextAt - now();
        if (wait >= 1) await sleep(wait);
      }
      const events = s.payload(payload, now());
      announce();
      for (const event of events) renderer.event(event);
    }
  };

  /** Decides the format (and, for a JSON array, whether it holds provider payloads) once the prefix tells. */
  const choose = (ended: boolean): boolean => {
    let guess: ReturnType<typeof detectFormat>;
    if (format === 'sse' || format === 'jsonl') guess = format;
    else {
      guess = detectFormat(pending.text, ended);
      if (format === 'json' && guess !== 'json-array' && guess !== undefined) guess = 'json';
      if (provider === 'none' && guess !== undefined && guess !== 'binary') guess = 'json';
    }
    if (guess === undefined) return false;
    if (guess === 'binary') {
      const start = (pending.text.trimStart().split('\n')[0] ?? '').slice(0, 20);
      throw new UsageError(
        start === '' ? 'the input is empty' : `cannot detect the input format: ${JSON.stringify(start)} starts no SSE, JSON Lines or JSON text (use --format)`,
      );
    }
    let arrayOfPayloads = false;
    if (guess === 'json-array') {
      if (pending.probe === undefined) {
        const probe: NonNullable<Pending['probe']> = {
          first: undefined,
          found: false,
          failed: false,
          parser: createJsonlParser({
            mode: 'array',
            onValue(value) {
              if (!probe.found) {
                probe.found = true;
                probe.first = value;
              }
            },
            onError() {
              probe.failed = true;
            },
          }),
        };
        pending.probe = probe;
        probe.parser.write(pending.text);
      }
      const probe = pending.probe;
      if (ended && !probe.found && !probe.failed) probe.parser.end();
      if (!probe.found && !probe.failed && !ended) return false;
      arrayOfPayloads = probe.found && (provider !== undefined ? provider !== 'none' : detectProvider(probe.first) !== undefined);
    }
    if (guess === 'sse') splitter = createSseSplitter();
    else if (guess === 'jsonl') splitter = createJsonSplitter('lines');
    else if (arrayOfPayloads) splitter = createJsonSplitter('array');
    else {
      splitter = createTextSplitter();
      provider = 'none';
    }
    format = guess === 'json-array' ? 'json' : guess;
    session.current = createReplaySession({ format, provider, schema: options.schema });
    session.current.bytes(decodedBytes);
    return true;
  };

  const pushText = async (text: string, ended: boolean): Promise<void> => {
    if (splitter === undefined) {
      if (pending.text === '' && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      pending.text += text;
      if (pending.probe !== undefined && text !== '') pending.probe.parser.write(text);
      if (!choose(ended)) return;
      text = pending.text;
      pending.text = '';
      pending.probe = undefined;
    }
    await emit(splitter!.write(text));
  };

  for await (const chunk of chunks) {
    const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    decodedBytes += size;
    session.current?.bytes(size);
    const text = decode(chunk, false);
    if (text !== '') await pushText(text, false);
  }
  const rest = decode(new Uint8Array(0), true);
  await pushText(rest, true);
  if (splitter === undefined) throw new UsageError('the input is empty');
  await emit(splitter.end());
  // end() throws a UsageError when the provider is still unknown.
  const { events, summary } = session.current!.end(now());
  announce();
  for (const event of events) renderer.event(event);
  renderer.finish(summary);
  return summary;
}

/** Chunks of a string, as a paced source (for the demo). */
function* stringChunks(text: string, size: number): Iterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/**
 * Runs `streamshape replay` with parsed arguments.
 * @returns the exit status: 0 complete, 1 truncated or invalid.
 * @throws {@link UsageError} for a missing file or unreadable input.
 */
export async function runReplay(args: ReplayArgs, io: CliIo): Promise<number> {
  let chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  let source: string;
  if (args.demo) {
    chunks = stringChunks(DEMO_STREAM, 4096);
    source = 'demo';
  } else if (args.input === '-') {
    chunks = io.stdin;
    source = 'stdin';
  } else {
    const path = resolve(io.cwd, args.input!);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UsageError(`no such file: ${args.input}`);
    }
    if (stat.isDirectory()) throw new UsageError(`${args.input} is a directory, not a file`);
    chunks = createReadStream(path, { highWaterMark: 64 * 1024 }) as AsyncIterable<Uint8Array>;
    source = args.input!;
  }
  const schema = args.schema === undefined ? undefined : await loadSchema(args.schema, io.cwd);
  const style = createStyle(args.color && io.stdout.isTTY === true);
  const renderer = args.json
    ? createJsonRenderer(io.stdout)
    : io.stdout.isTTY === true
      ? createTtyRenderer(io.stdout, style)
      : createPlainRenderer(io.stdout, style);
  const summary = await replayChunks(chunks, {
    source,
    format: args.format,
    provider: args.provider,
    speed: args.demo && args.speed === 'live' ? { delayMs: 30 } : args.speed,
    schema,
    renderer,
  });
  if (summary.status !== 'complete') {
    io.stderr.write(`streamshape: ${summary.status}: ${summary.reason ?? 'the stream is not complete'}\n`);
    return 1;
  }
  return 0;
}
