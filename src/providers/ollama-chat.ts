import type { FinishReason, StreamEvent } from './events.js';
import {
  failingSource,
  finishEvent,
  generatedCallId,
  mapReason,
  num,
  pushAfterEnd,
  runNormalizer,
  usageOf,
  type ChunkFramer,
  type ChunkSource,
  type StreamNormalizer,
} from './normalizer.js';

/**
 * One object of an Ollama `/api/chat` stream (`stream: true`): one NDJSON line of the body, or
 * what the `ollama` client's `chat({stream: true})` yields (`ChatResponse`). Only the fields
 * the adapter reads are listed.
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 * @public
 */
export interface OllamaChatResponse {
  /** The model that answered; not read. */
  model?: string | undefined;
  /** What this object adds: text, reasoning, whole tool calls. */
  message?: OllamaChatMessage | null | undefined;
  /** `true` on the last object, which carries `done_reason` and the token counts. */
  done?: boolean | undefined;
  /** `stop`, `length`, `load`, `unload`, … */
  done_reason?: string | null | undefined;
  /** Input tokens (on the last object). */
  prompt_eval_count?: number | undefined;
  /** Output tokens (on the last object). */
  eval_count?: number | undefined;
  /** An error reported inside the stream (`{"error": "…"}`; the `ollama` client throws it instead). */
  error?: unknown;
}

/** The `message` of an {@link OllamaChatResponse}. @public */
export interface OllamaChatMessage {
  /** `'assistant'`; not read. */
  role?: string | undefined;
  /** The next piece of the answer text. */
  content?: string | null | undefined;
  /** The next piece of the reasoning (`think: true`). */
  thinking?: string | null | undefined;
  /** Whole tool calls: each entry is complete (name and arguments object) in the message that carries it. */
  tool_calls?: readonly OllamaToolCall[] | null | undefined;
}

/** A tool call in {@link OllamaChatMessage.tool_calls}. @public */
export interface OllamaToolCall {
  /** Sent by recent Ollama versions; absent in older ones. */
  id?: string | undefined;
  /** The function called, whole. */
  function?:
    | {
        /** The tool's name. */
        name?: string | undefined;
        /** The arguments as an object (a JSON string from some OpenAI-compatible proxies). */
        arguments?: unknown;
        /** Position of the call (recent Ollama versions). */
        index?: number | undefined;
      }
    | null
    | undefined;
}

const DONE_REASONS: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
};

/**
 * Create the synchronous core of {@link fromOllamaChat}: push each `/api/chat` stream object,
 * get the normalized events it produced.
 *
 * Rules it follows:
 * - `message.content` → `text-delta`, `message.thinking` → `reasoning-delta`; empty strings are
 *   skipped.
 * - Ollama sends every tool call whole, in one message: each `tool_calls` entry becomes
 *   `tool-call-start`, one `tool-call-delta` with its arguments (`JSON.stringify` of the object,
 *   or the string as sent), and `tool-call-end`, at once: the message that carries a whole call
 *   is its end signal. `id` is the call's `id` when sent, else `ollama-call-0-<n>`.
 * - `done: true` finishes with `done_reason` (`stop` → `tool-calls` when the response had tool
 *   calls, else `stop`; `length` → `length`; anything else, like `load` / `unload`, → `other`)
 *   and `usage` from `prompt_eval_count` / `eval_count`. A stream that stops before `done`
 *   has no `finish`.
 * - An `{error}` object becomes an `error` event.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 * @public
 */
export function createOllamaChatNormalizer(): StreamNormalizer<OllamaChatResponse> {
  let count = 0;
  let callsInResponse = 0;
  let ended = false;

  function toolCall(call: OllamaToolCall, out: StreamEvent[]): void {
    const fn = call.function ?? {};
    const n = count++;
    callsInResponse++;
    const id = typeof call.id === 'string' && call.id !== '' ? call.id : generatedCallId('ollama', 0, n);
    const providerMetadata: Record<string, unknown> = {};
    const position = num(fn.index);
    if (position !== undefined) providerMetadata['toolCallIndex'] = position;
    out.push({
      type: 'tool-call-start',
      id,
      name: typeof fn.name === 'string' ? fn.name : '',
      index: n,
      ...(position === undefined ? {} : { providerMetadata }),
    });
    const args = fn.arguments;
    const text = typeof args === 'string' ? args : args === undefined || args === null ? '{}' : JSON.stringify(args);
    if (text !== '') out.push({ type: 'tool-call-delta', id, delta: text });
    out.push({ type: 'tool-call-end', id });
  }

  return {
    push(chunk) {
      if (ended) throw pushAfterEnd();
      const out: StreamEvent[] = [];
      if (chunk === null || typeof chunk !== 'object') return out;
      if (chunk.error !== undefined && chunk.error !== null) out.push({ type: 'error', error: chunk.error });
      const message = chunk.message;
      if (message !== undefined && message !== null) {
        if (typeof message.thinking === 'string' && message.thinking !== '') {
          out.push({ type: 'reasoning-delta', delta: message.thinking });
        }
        if (typeof message.content === 'string' && message.content !== '') {
          out.push({ type: 'text-delta', delta: message.content });
        }
        for (const call of message.tool_calls ?? []) {
          if (call !== null && typeof call === 'object') toolCall(call, out);
        }
      }
      if (chunk.done === true) {
        const raw = typeof chunk.done_reason === 'string' && chunk.done_reason !== '' ? chunk.done_reason : undefined;
        let reason: FinishReason = raw === undefined ? 'stop' : mapReason(DONE_REASONS, raw);
        if (reason === 'stop' && callsInResponse > 0) reason = 'tool-calls';
        out.push(finishEvent(reason, raw, usageOf(num(chunk.prompt_eval_count), num(chunk.eval_count))));
        callsInResponse = 0;
      }
      return out;
    },
    end() {
      ended = true;
      return [];
    },
  };
}

/**
 * What {@link fromOllamaChat} accepts: the `ollama` client's stream (or any iterable of the
 * parsed objects), or the raw body: a fetch `Response`, its `body`, or any iterable of NDJSON
 * text / UTF-8 byte chunks.
 * @public
 */
export type OllamaChatSource =
  | ChunkSource<OllamaChatResponse>
  | ChunkSource<string | Uint8Array>
  | {
      /** The NDJSON body of a `fetch` `Response` to `/api/chat`; `null` reads as empty. */
      readonly body: ReadableStream<Uint8Array> | null;
      /** False for an HTTP error status: reading then throws an `Error` naming `status`. */
      readonly ok: boolean;
      /** The HTTP status. */
      readonly status: number;
    };

/**
 * Normalize an Ollama `/api/chat` stream into {@link StreamEvent}s. `chunks` is what the
 * `ollama` client's `chat({..., stream: true})` returns, or the raw NDJSON body of a `fetch` to
 * `/api/chat` (the `Response`, its `body`, text / byte chunks, or the whole body as one string:
 * lines are split and parsed here). See `createOllamaChatNormalizer` (internal; what `createProviderNormalizer` returns for this provider) for the rules.
 *
 * Truncation: Ollama's tool calls arrive whole, so none is ever open; a response cut before
 * `done` simply has no `finish` (the `ollama` client throws "Did not receive done or success
 * response in stream.").
 *
 * @throws whatever the source throws; a `SyntaxError` naming the line for a raw body line that
 *   is not JSON; an `Error` for a `Response` whose status is not ok; a `TypeError` for a source
 *   that is none of the above.
 * @example
 * ```ts
 * import ollama from 'ollama';
 * const stream = await ollama.chat({ model: 'llama3.2', messages, tools, stream: true });
 * for await (const event of fromOllamaChat(stream)) console.log(event);
 * // or without the client:
 * const res = await fetch('http://127.0.0.1:11434/api/chat', { method: 'POST', body: JSON.stringify(request) });
 * for await (const event of fromOllamaChat(res)) console.log(event);
 * ```
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 * @public
 */
export function fromOllamaChat(chunks: OllamaChatSource | string): AsyncGenerator<StreamEvent, void, undefined> {
  let input: ChunkSource<unknown>;
  try {
    input = ollamaInput(chunks);
  } catch (error) {
    input = failingSource(error);
  }
  return runNormalizer(input, createOllamaChatNormalizer(), undefined, ndjsonFramer());
}

/** What to read from an Ollama source: the body of a `Response`, a string as one chunk. */
function ollamaInput(source: OllamaChatSource | string): ChunkSource<unknown> {
  if (typeof source === 'string') return [source];
  if (source === null || typeof source !== 'object') {
    throw new TypeError(
      'fromOllamaChat expects the ollama client\'s stream, a fetch Response of /api/chat, its body, or an iterable of ' +
        `chunks; got ${source === null ? 'null' : typeof source}`,
    );
  }
  if ('ok' in source && 'status' in source && 'body' in source && !(Symbol.asyncIterator in source)) {
    if (!source.ok) throw new Error(`Ollama /api/chat answered HTTP ${source.status}`);
    if (source.body === null) throw new TypeError('fromOllamaChat: the Response has no body');
    return source.body;
  }
  return source as ChunkSource<unknown>;
}

/** The parsed objects of an Ollama source: objects pass through, text and bytes are split into NDJSON lines. */
function ndjsonFramer(): ChunkFramer<unknown, OllamaChatResponse> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let buffer = '';
  let line = 0;
  function* lines(final: boolean): Generator<OllamaChatResponse> {
    const parts = buffer.split('\n');
    buffer = final ? '' : (parts.pop() ?? '');
    for (const part of parts) {
      line++;
      if (part.trim() === '') continue;
      try {
        yield JSON.parse(part) as OllamaChatResponse;
      } catch (error) {
        throw new SyntaxError(`fromOllamaChat: line ${line} of the NDJSON body is not JSON: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }
  return {
    push(chunk) {
      if (typeof chunk === 'string') buffer += chunk;
      else if (chunk instanceof Uint8Array) buffer += decoder.decode(chunk, { stream: true });
      else return [chunk as OllamaChatResponse];
      return lines(false);
    },
    end() {
      buffer += decoder.decode();
      return lines(true);
    },
  };
}
