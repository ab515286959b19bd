/**
 * Detection of the input format (from the first characters) and of the provider (from the
 * shape of the first payloads) for `streamshape replay`.
 * @module
 */
import type { InputFormat, ProviderName } from './args.js';

/** What {@link detectFormat} decided: a format (plus, for `json`, whether it is an array of payloads), or "need more input". */
export type FormatGuess = InputFormat | 'json-array' | 'binary' | undefined;

const SSE_FIELD = /^(?:data|event|id|retry)[:\r\n]|^:/;

/**
 * Guesses the format from the start of the input: SSE (a line starting with `data:`, `event:`,
 * `id:`, `retry:` or a `:` comment), JSON Lines (a first line that is a whole JSON object shaped
 * like a provider payload), a JSON array (`[`: maybe Gemini's streamed array body; decided later
 * by its first element), or plain JSON text. Returns `undefined` while the prefix is too short
 * to tell (no complete first line yet), `'binary'` for text that cannot be any of these.
 *
 * @param prefix - the decoded input so far (a leading BOM already removed).
 * @param ended - whether the input is complete.
 */
export function detectFormat(prefix: string, ended: boolean): FormatGuess {
  const start = prefix.search(/\S/);
  if (start === -1) return ended ? 'binary' : undefined;
  const text = prefix.slice(start);
  const first = text.charCodeAt(0);
  if (SSE_FIELD.test(text)) return 'sse';
  // A field name cut by the chunking (`da`, then `ta: …`): wait for more.
  if (!ended && !text.includes('\n') && ['data:', 'event:', 'id:', 'retry:'].some((field) => field.startsWith(text))) return undefined;
  if (first === 0x5b /* [ */) return 'json-array';
  if (first === 0x7b /* { */) {
    const newline = text.indexOf('\n');
    if (newline === -1 && !ended) return text.length > 1 << 20 ? 'json' : undefined;
    const line = newline === -1 ? text : text.slice(0, newline);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return 'json'; // a pretty-printed (or broken) JSON text
    }
    if (detectProvider(value) !== undefined) return 'jsonl';
    if (newline === -1) return 'json'; // one line, and the input is over
    // A one-line JSON value: JSON Lines when more records follow, plain JSON when nothing does.
    if (text.slice(newline + 1).trim() !== '') return 'jsonl';
    return ended ? 'json' : undefined;
  }
  // A JSON text that is a string, number or literal.
  if (first === 0x22 /* " */ || first === 0x2d /* - */ || (first >= 0x30 && first <= 0x39)) return 'json';
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal)) return 'json';
    if (!ended && literal.startsWith(text)) return undefined;
  }
  return 'binary';
}

const ANTHROPIC_TYPES = new Set([
  'message_start',
  'message_delta',
  'message_stop',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'ping',
]);

const AI_SDK_TYPES = new Set([
  'start',
  'start-step',
  'finish-step',
  'step-finish',
  'text-start',
  'text-delta',
  'text-end',
  'reasoning-start',
  'reasoning-delta',
  'reasoning-end',
  'reasoning',
  'tool-input-start',
  'tool-input-delta',
  'tool-input-end',
  'tool-call',
  'tool-call-streaming-start',
  'tool-call-delta',
  'tool-result',
  'finish',
  'abort',
]);

/** Members of a Bedrock ConverseStream event (`{contentBlockDelta: {...}}`, as the AWS SDK yields them). */
const BEDROCK_MEMBERS = new Set([
  'messageStart',
  'contentBlockStart',
  'contentBlockDelta',
  'contentBlockStop',
  'messageStop',
  'metadata',
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
]);

/** Realtime server event types that the Responses API never sends (its events carry no `event_id`). */
const REALTIME_PREFIXES = ['session.', 'conversation.', 'input_audio_buffer.', 'output_audio_buffer.', 'rate_limits.', 'transcription_session.'];

function isBedrockEvent(record: Record<string, unknown>): boolean {
  const keys = Object.keys(record);
  if (keys.length !== 1 || !BEDROCK_MEMBERS.has(keys[0]!)) return false;
  const value = record[keys[0]!];
  if (value === null || typeof value !== 'object') return false;
  // `metadata` alone is a common word: require Bedrock's usage or metrics inside.
  return keys[0] !== 'metadata' || 'usage' in value || 'metrics' in value;
}

/**
 * Which provider a payload comes from, by its shape: `choices` (OpenAI Chat Completions),
 * `type: "response.*"` (OpenAI Responses), `type: "message_start" | "content_block_*" | …`
 * (Anthropic Messages), `candidates` / `usageMetadata` (Gemini), the AI SDK's stream-part types,
 * a single ConverseStream member such as `{contentBlockDelta: …}` (Bedrock, as the AWS SDK yields
 * it), `{model, message, done}` (Ollama `/api/chat` NDJSON), a `response.*` type with an
 * `event_id`, `response.done`, or a `session.*` / `conversation.*` / `input_audio_buffer.*` type
 * (OpenAI Realtime).
 * `undefined` when the payload says nothing (an `error` event, an unknown shape).
 */
export function detectProvider(payload: unknown): Exclude<ProviderName, 'none'> | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const record = payload as Record<string, unknown>;
  const type = record['type'];
  if (Array.isArray(record['choices']) || record['object'] === 'chat.completion.chunk') return 'openai-chat';
  if (typeof type === 'string') {
    if (
      (typeof record['event_id'] === 'string' && (type.startsWith('response.') || type === 'error')) ||
      type === 'response.done' ||
      REALTIME_PREFIXES.some((prefix) => type.startsWith(prefix))
    ) {
      return 'openai-realtime';
    }
    if (type.startsWith('response.')) return 'openai-responses';
    if (ANTHROPIC_TYPES.has(type)) return 'anthropic';
    if (AI_SDK_TYPES.has(type)) return 'ai-sdk';
  }
  if (isBedrockEvent(record)) return 'bedrock';
  if (typeof record['model'] === 'string' && typeof record['done'] === 'boolean' && ('message' in record || 'created_at' in record)) {
    return 'ollama';
  }
  if (Array.isArray(record['candidates']) || typeof record['usageMetadata'] === 'object' || typeof record['promptFeedback'] === 'object') {
    return 'gemini';
  }
  return undefined;
}
