/**
 * The peers, each driven the way its documentation says to get what the bench measures, and
 * checked against `JSON.parse` by the groups before they are timed.
 *
 * - @streamparser/json: O(n) push tokenizer + token parser, events per value.
 * - jsonriver: O(n), async iterable of increasingly complete values (mutated in place).
 * - `ai`'s `parsePartialJson` and partial-json's `parse`: re-parse the whole accumulated text on
 *   every delta (O(n) per delta, O(n^2) per stream), as the AI SDK and the OpenAI and Anthropic
 *   SDKs do.
 *
 * @module
 */
import { JSONParser } from '@streamparser/json';
import { parse as jsonriverParse } from 'jsonriver';
import { parse as partialJsonParse } from 'partial-json';
import { blackhole } from './harness.js';

/**
 * @streamparser/json's way to get only the final value: `paths: ['$']` emits the root alone, once
 * complete (README, "TokenParser" options).
 */
export function streamparserFinal(chunks: readonly (string | Uint8Array)[]): unknown {
  let result: unknown;
  const parser = new JSONParser({ paths: ['$'] });
  parser.onValue = ({ value }) => {
    result = value;
  };
  for (const chunk of chunks) parser.write(chunk);
  return result;
}

/**
 * @streamparser/json with partial values (`emitPartialTokens` + `emitPartialValues`, README
 * "previews of the string"): every value, partial or complete, arrives as an event with its key,
 * parent and stack; the callback keeps the last event (what an app would render from).
 *
 * @returns the final root value and the number of events.
 */
export function streamparserPartial(chunks: readonly string[]): { value: unknown; events: number } {
  let root: unknown;
  let events = 0;
  const parser = new JSONParser({ emitPartialTokens: true, emitPartialValues: true });
  parser.onValue = (info) => {
    events++;
    blackhole(info);
    if (info.stack.length === 0 && info.partial !== true) root = info.value;
  };
  for (const chunk of chunks) parser.write(chunk);
  return { value: root, events };
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/**
 * jsonriver's `parse` over the chunks as an async iterable; reads every yielded value (one per
 * chunk that changed something) and returns the last, which is the final value.
 */
export async function jsonriverLast(chunks: readonly string[]): Promise<{ value: unknown; reads: number }> {
  let last: unknown;
  let reads = 0;
  for await (const value of jsonriverParse(fromArray(chunks))) {
    last = value;
    reads++;
  }
  return { value: last, reads };
}

/**
 * partial-json's `parse` on the accumulated text after every delta (how the OpenAI and Anthropic
 * SDKs use it). A prefix it rejects counts as a failure and the stream goes on, as an app would.
 *
 * @returns the value parsed from the whole text and the number of rejected prefixes.
 */
export function partialJsonEach(deltas: readonly string[]): { value: unknown; failures: number } {
  let text = '';
  let value: unknown;
  let failures = 0;
  for (const delta of deltas) {
    text += delta;
    try {
      value = partialJsonParse(text);
    } catch {
      failures++;
    }
  }
  return { value, failures };
}

type ParsePartialJson = (text: string | undefined) => Promise<{ value: unknown; state: string }>;
let aiParsePartialJson: ParsePartialJson | undefined;

/** Imports `ai` once (it is large) and returns its `parsePartialJson`. */
export async function loadAiParsePartialJson(): Promise<ParsePartialJson> {
  aiParsePartialJson ??= (await import('ai')).parsePartialJson as ParsePartialJson;
  return aiParsePartialJson;
}

/**
 * `ai`'s `parsePartialJson` (async since AI SDK 5) on the accumulated text after every delta,
 * awaited each time, as `streamObject` does.
 *
 * @returns the value parsed from the whole text, and its state (`successful-parse` expected).
 */
export async function aiParsePartialEach(deltas: readonly string[]): Promise<{ value: unknown; state: string }> {
  const parse = await loadAiParsePartialJson();
  let text = '';
  let result: { value: unknown; state: string } = { value: undefined, state: 'undefined-input' };
  for (const delta of deltas) {
    text += delta;
    result = await parse(text);
  }
  return result;
}
