/**
 * VCR cassettes: YAML files of recorded HTTP interactions, as test suites save them
 * (VCR.py / pytest-recording: `interactions:` with `request` and `response`; Ruby VCR:
 * `http_interactions:`). The response bodies are the streams: SSE text, a streamed JSON array
 * (Gemini without `alt=sse`), or JSON Lines; a body may be a YAML block scalar, or gzip (or plain)
 * bytes as base64 `!!binary` / Ruby VCR's `base64_string`.
 *
 * The `yaml` package parses them; the command's bundle carries it (tsup `noExternal`), so the
 * library itself gains no dependency.
 * @module
 */
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { UsageError } from './args.js';
import { detectFormat } from './detect.js';

/** One recorded response whose body is a stream. */
export interface CassetteStream {
  /** 1-based number of the interaction in the cassette (all interactions counted). */
  interaction: number;
  /** `METHOD uri` of the request, when recorded. */
  request: string | undefined;
  /** The decoded body text. */
  body: string;
}

/** What {@link readCassette} found. */
export interface Cassette {
  /** Interactions in the file. */
  interactions: number;
  /** Those whose response body is a stream (SSE, JSON Lines or a JSON array), in order. */
  streams: CassetteStream[];
}

/**
 * Whether text starts like a VCR cassette: an optional `---` document start and comments, then
 * a top-level `interactions:` or `http_interactions:` key (or `version:` before them).
 */
export function looksLikeCassette(prefix: string): boolean {
  return /^(?:\uFEFF)?(?:---[ \t]*\r?\n)?(?:[ \t]*(?:#[^\n]*)?\r?\n)*(?:interactions|http_interactions|recorded_with|version)[ \t]*:/.test(prefix);
}

type Dict = Record<string, unknown>;
const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);

function headerValue(headers: unknown, name: string): string | undefined {
  if (!isDict(headers)) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first : undefined;
  }
  return undefined;
}

function bodyBytes(body: unknown): string | Uint8Array | undefined {
  if (typeof body === 'string') return body; // Ruby VCR may store the body directly
  if (!isDict(body)) return undefined;
  const raw = body['string'];
  if (typeof raw === 'string' || raw instanceof Uint8Array) return raw;
  const base64 = body['base64_string'];
  if (typeof base64 === 'string') return new Uint8Array(Buffer.from(base64, 'base64'));
  return undefined;
}

/**
 * Reads a cassette's text.
 * @throws {@link UsageError} when it is not YAML, or not a cassette (no list of interactions),
 *   or a body is compressed data that does not decompress.
 */
export function readCassette(text: string): Cassette {
  let document: unknown;
  try {
    // logLevel error: warnings (an unknown tag) would otherwise go to stderr as a multi-line block.
    document = parseYaml(text, { logLevel: 'error' });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new UsageError(`the input is not a YAML cassette: ${message}`);
  }
  const list = isDict(document) ? (document['interactions'] ?? document['http_interactions']) : undefined;
  if (!Array.isArray(list)) throw new UsageError('the YAML input is not a cassette: it has no list of interactions (interactions: or http_interactions:)');
  const streams: CassetteStream[] = [];
  list.forEach((interaction: unknown, i) => {
    if (!isDict(interaction)) return;
    const request = interaction['request'];
    const response = interaction['response'];
    if (!isDict(response)) return;
    let raw = bodyBytes(response['body']);
    if (raw === undefined) return;
    if (typeof raw !== 'string') {
      const encoding = headerValue(response['headers'], 'content-encoding');
      if ((raw[0] === 0x1f && raw[1] === 0x8b) || encoding === 'gzip') {
        try {
          raw = new Uint8Array(gunzipSync(raw));
        } catch (error) {
          throw new UsageError(`interaction ${i + 1} of the cassette: the body does not gunzip (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      try {
        raw = new TextDecoder('utf-8', { fatal: true }).decode(raw);
      } catch {
        return; // a binary body (an image, a file): not a stream
      }
    }
    const body = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    const format = detectFormat(body, true);
    if (format !== 'sse' && format !== 'jsonl' && format !== 'json-array') return; // a whole JSON response, not a stream
    const method = isDict(request) && typeof request['method'] === 'string' ? request['method'].toUpperCase() : undefined;
    const uri = isDict(request) && typeof request['uri'] === 'string' ? request['uri'] : undefined;
    streams.push({ interaction: i + 1, request: uri === undefined ? undefined : `${method ?? 'POST'} ${uri}`, body });
  });
  return { interactions: list.length, streams };
}
