/**
 * `streamshape replay`: read a recorded or live stream (a file, stdin, or the demo), detect its
 * format and provider, replay it at a pace through the provider's normalizer and the tool-call
 * assembler, render it, and summarize.
 * @module
 */
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createJsonlParser } from '../jsonl/index.js';
import { findInvalidUtf8, incompleteTail } from '../json/utf8.js';
import type { SchemaLike } from '../partial/schema-types.js';
import { type InputFormat, type ProviderName, type ReplayArgs, type ReplayFormat, type Speed, UsageError } from './args.js';
import { looksLikeCassette, readCassette } from './cassette.js';
import { DEMO_STREAM } from './demo-stream.js';
import { detectFormat, detectProvider } from './detect.js';
import { drained } from './output.js';
import { createJsonSplitter, createSseSplitter, createTextSplitter, type PayloadSplitter } from './payloads.js';
import { createJsonRenderer, createPlainRenderer, createStyle, createTtyRenderer, type Output, type Renderer } from './render.js';
import { loadSchema } from './schema.js';
import { createReplaySession, type ReplaySessionOptions, type ReplaySummary } from './session.js';

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
  /** `snapshots` of the session (see {@link ReplaySessionOptions}). */
  snapshots?: boolean | undefined;
  /**
   * `lenient` of the session (see {@link ReplaySessionOptions}); also lets a plain model answer
   * that starts with prose or a code fence be read as JSON text.
   */
  lenient?: boolean | undefined;
  /**
   * Called after the events of each payload have been rendered; the replay waits for the
   * promise it returns (the driver uses it to wait for stdout to drain, so a slow reader
   * never makes output pile up in memory).
   */
  flush?: (() => Promise<void> | undefined) | undefined;
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
  // Not a streaming decoder: the bytes of a character cut at a chunk's end are held here, so
  // the offset of a bad byte is known exactly. The BOM is removed by pushText.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let held: Uint8Array | undefined;
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

  /** Decodes the next chunk, which ends at input byte `end`. @throws {@link UsageError} naming the offset of the first NUL or invalid byte. */
  const decode = (chunk: Uint8Array | string, last: boolean, end: number): string => {
    if (typeof chunk === 'string') return chunk;
    let bytes = chunk;
    if (held !== undefined) {
      bytes = new Uint8Array(held.length + chunk.length);
      bytes.set(held);
      bytes.set(chunk, held.length);
      held = undefined;
    }
    const base = end - bytes.length; // input offset of bytes[0]
    const tail = last ? 0 : incompleteTail(bytes);
    if (tail > 0) held = bytes.slice(bytes.length - tail);
    const body = tail > 0 ? bytes.subarray(0, bytes.length - tail) : bytes;
    let text: string | undefined;
    let bad: number | undefined;
    try {
      text = decoder.decode(body);
    } catch {
      bad = findInvalidUtf8(body).start;
    }
    const nul = body.indexOf(0);
    if (nul !== -1 && (bad === undefined || nul < bad)) throw new UsageError(`the input is binary, not text (a NUL byte at byte ${base + nul})`);
    if (bad !== undefined) {
      // Only at the end can a sequence be valid but cut short.
      const cut = incompleteTail(body);
      const ending = cut > 0 && bad === body.length - cut;
      throw new UsageError(`the input is not UTF-8 text (byte ${base + bad}${ending ? ' ends inside a character' : ` is 0x${body[bad]!.toString(16).padStart(2, '0')}`})`);
    }
    return text!;
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
      const waiting = options.flush?.();
      if (waiting !== undefined) await waiting;
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
      // A model's answer as text (prose, a fence, a <think> block first) is JSON text to repair.
      if (options.lenient === true && guess === 'binary' && pending.text.trim() !== '') guess = 'json';
    }
    if (guess === undefined) return false;
    if (guess === 'binary') {
      const start = (pending.text.trimStart().split('\n')[0] ?? '').slice(0, 20);
      throw new UsageError(
        start === ''
          ? 'the input is empty'
          : `cannot detect the input format: ${JSON.stringify(start)} starts no SSE, JSON Lines, JSON text or YAML cassette (use --format sse, jsonl, json or yaml)`,
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
            recordInfo: false,
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
    const sessionOptions: ReplaySessionOptions = { format, provider, schema: options.schema, snapshots: options.snapshots, lenient: options.lenient };
    session.current = createReplaySession(sessionOptions);
    renderer.attach?.(session.current);
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
    const text = decode(chunk, false, decodedBytes);
    if (text !== '') await pushText(text, false);
  }
  const rest = decode(new Uint8Array(0), true, decodedBytes);
  await pushText(rest, true);
  if (splitter === undefined) throw new UsageError('the input is empty');
  await emit(splitter.end());
  // end() throws a UsageError when the provider is still unknown.
  const { events, summary } = session.current!.end(now(), splitter.dropped);
  announce();
  for (const event of events) renderer.event(event);
  renderer.finish(summary);
  return summary;
}

/** Chunks of a string, as a paced source (for the demo). */
function* stringChunks(text: string, size: number): Iterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

type Chunks = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Options of {@link replayInput}: those of {@link replayChunks}, with a renderer per replayed stream. */
export interface ReplayInputOptions extends Omit<ReplayOptions, 'renderer' | 'format'> {
  format?: ReplayFormat | undefined;
  /** A fresh renderer for each stream (a cassette holds several). */
  renderer: () => Renderer;
  /** `--interaction N` (1-based): only that streamed interaction of a cassette. */
  interaction?: number | undefined;
  /** A file name that says YAML (`.yaml`, `.yml`): read it as a cassette without looking. */
  yamlName?: boolean | undefined;
}

/** One replayed stream: its label (the source, or `source#N` for a cassette's interaction N) and summary. */
export interface ReplayResult {
  label: string;
  summary: ReplaySummary;
}

/** The whole input as text (a cassette is parsed as one document). @throws {@link UsageError} naming the offset of the first NUL or invalid byte. */
async function readAll(chunks: Chunks): Promise<string> {
  const parts: string[] = [];
  const bytes: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') parts.push(chunk);
    else {
      bytes.push(chunk);
      total += chunk.byteLength;
    }
  }
  if (bytes.length === 0) return parts.join('');
  const all = new Uint8Array(total);
  let at = 0;
  for (const chunk of bytes) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  const nul = all.indexOf(0);
  let bad: number | undefined;
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(all);
  } catch {
    bad = findInvalidUtf8(all).start;
  }
  if (nul !== -1 && (bad === undefined || nul < bad)) throw new UsageError(`the input is binary, not text (a NUL byte at byte ${nul})`);
  if (bad !== undefined) throw new UsageError(`the input is not UTF-8 text (byte ${bad} is 0x${all[bad]!.toString(16).padStart(2, '0')})`);
  return text;
}

/**
 * Replays an input that may be a YAML cassette: a cassette (forced with `format: 'yaml'`, named
 * `.yaml`/`.yml`, or detected from its first line) is read whole and each streamed interaction
 * is replayed in turn, labelled `source#N`; anything else goes to {@link replayChunks} as it
 * arrives.
 * @throws {@link UsageError} as {@link replayChunks} does, and for a cassette with no stream or an
 *   `interaction` out of range.
 */
export async function replayInput(chunks: Chunks, options: ReplayInputOptions): Promise<ReplayResult[]> {
  const { format, interaction, yamlName, renderer, ...rest } = options;
  let cassette = format === 'yaml' || (format === undefined && yamlName === true);
  let input: Chunks = chunks;
  if (!cassette && format === undefined) {
    // Look at the first chunk(s) for a cassette's first key, then replay them and the rest.
    const iterator = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]()) as
      | AsyncIterator<Uint8Array | string>
      | Iterator<Uint8Array | string>;
    const peeked: Array<Uint8Array | string> = [];
    let prefix = '';
    let done = false;
    const sniff = new TextDecoder('utf-8', { ignoreBOM: false });
    while (prefix.trimStart().length < 32 && !prefix.trimStart().includes('\n')) {
      const next = await iterator.next();
      if (next.done === true) {
        done = true;
        break;
      }
      peeked.push(next.value);
      prefix += typeof next.value === 'string' ? next.value : sniff.decode(next.value, { stream: true });
    }
    cassette = looksLikeCassette(prefix.replace(/^\uFEFF/, ''));
    input = (async function* () {
      yield* peeked;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return;
        yield next.value;
      }
    })();
  }
  if (!cassette) {
    if (interaction !== undefined) throw new UsageError('--interaction is for YAML cassettes; this input is a single stream');
    const summary = await replayChunks(input, { ...rest, format: format === 'yaml' ? undefined : format, renderer: renderer() });
    return [{ label: rest.source, summary }];
  }
  const { interactions, streams } = readCassette(await readAll(input));
  if (streams.length === 0) {
    throw new UsageError(`the cassette holds no streamed response (${interactions} interaction${interactions === 1 ? '' : 's'}, none with an SSE, JSON Lines or JSON array body)`);
  }
  let chosen = streams;
  if (interaction !== undefined) {
    chosen = streams.filter((stream) => stream.interaction === interaction);
    if (chosen.length === 0) {
      throw new UsageError(
        `--interaction ${interaction}: the cassette's streamed interactions are ${streams.map((stream) => stream.interaction).join(', ')} (of ${interactions})`,
      );
    }
  }
  const results: ReplayResult[] = [];
  for (const stream of chosen) {
    const label = `${rest.source}#${stream.interaction}`;
    const summary = await replayChunks([stream.body], { ...rest, source: label, format: undefined, renderer: renderer() });
    results.push({ label, summary });
  }
  return results;
}

/**
 * Runs `streamshape replay` with parsed arguments.
 * @returns the exit status: 0 complete, 1 truncated or invalid (any stream of a cassette).
 * @throws {@link UsageError} for a missing file or unreadable input.
 */
export async function runReplay(args: ReplayArgs, io: CliIo): Promise<number> {
  let chunks: Chunks;
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
  // Track backpressure: a write that fills stdout's buffer makes the replay wait for `drain`.
  let full = false;
  const stdout: Output = {
    write(text: string) {
      const ok = io.stdout.write(text);
      if (ok === false) full = true;
      return ok;
    },
    isTTY: io.stdout.isTTY,
    columns: io.stdout.columns,
    rows: io.stdout.rows,
  };
  const renderer = (): Renderer =>
    args.json ? createJsonRenderer(stdout) : io.stdout.isTTY === true ? createTtyRenderer(stdout, style) : createPlainRenderer(stdout, style);
  const results = await replayInput(chunks, {
    source,
    format: args.format,
    yamlName: !args.demo && args.input !== '-' && /\.ya?ml$/i.test(args.input ?? ''),
    interaction: args.interaction,
    provider: args.provider,
    speed: args.demo && args.speed === 'live' ? { delayMs: 30 } : args.speed,
    schema,
    snapshots: args.snapshots,
    lenient: args.lenient,
    renderer,
    flush: () => {
      if (!full) return undefined;
      full = false;
      return drained(io.stdout);
    },
  });
  let status = 0;
  for (const { label, summary } of results) {
    if (summary.status === 'complete') continue;
    io.stderr.write(`streamshape: ${results.length > 1 ? `${label}: ` : ''}${summary.status}: ${summary.reason ?? 'the stream is not complete'}\n`);
    status = 1;
  }
  if (!full) return status;
  await drained(io.stdout);
  return status;
}
