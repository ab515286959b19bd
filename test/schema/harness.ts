import { expect } from 'vitest';
import type { $ZodType } from 'zod/v4/core';
import { createPartialParser } from '../../src/partial/index.js';
import { SchemaValidationError } from '../../src/index.js';
import type { JsonPath } from '../../src/json/json-pointer.js';
import { zodGuide } from '../../src/schema/index.js';

type Schema = $ZodType & { parse(value: unknown): unknown; safeParse(value: unknown): { success: boolean } };

/** What feeding a list of chunks gave: the final value, or the error and the chunk that raised it (`-1`: `end()`). */
export type Outcome =
  | { ok: true; value: unknown; snapshots: unknown[] }
  | { ok: false; error: unknown; chunk: number; snapshots: unknown[] };

/** Feeds `chunks` to a parser with `schema`, collecting every snapshot (`onPartial`). */
export function feed(schema: $ZodType, chunks: readonly string[], finish = true): Outcome {
  const snapshots: unknown[] = [];
  const parser = createPartialParser({ schema, guide: zodGuide, onPartial: (value) => snapshots.push(value) });
  for (let i = 0; i < chunks.length; i++) {
    try {
      parser.write(chunks[i]!);
    } catch (error) {
      return { ok: false, error, chunk: i, snapshots };
    }
  }
  if (!finish) return { ok: true, value: parser.value, snapshots };
  try {
    return { ok: true, value: parser.end(), snapshots };
  } catch (error) {
    return { ok: false, error, chunk: -1, snapshots };
  }
}

/** One chunk per UTF-16 code unit, so chunk `i` is the character at position `i`. */
export function units(text: string): string[] {
  return text.split('');
}

function at(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const step of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

export interface ValidOptions {
  /** Paths whose strings must only ever appear complete (enums, literals, formats). */
  atomic?: readonly JsonPath[];
  /** Paths whose strings must be seen growing (free text) when fed one character at a time. */
  growing?: readonly JsonPath[];
}

/**
 * A valid document: succeeds whole, one character per write, and cut once at every position,
 * always with `schema.parse(JSON.parse(text))`; atomic strings never show partially.
 */
export function expectValid(schema: Schema, text: string, options: ValidOptions = {}): void {
  const expected = schema.parse(JSON.parse(text));
  const whole = feed(schema, [text]);
  if (!whole.ok) throw whole.error;
  expect(whole.value).toStrictEqual(expected);

  const byChar = feed(schema, units(text));
  if (!byChar.ok) throw byChar.error;
  expect(byChar.value).toStrictEqual(expected);
  const json = JSON.parse(text) as unknown;
  for (const path of options.atomic ?? []) {
    const final = at(json, path);
    for (const snapshot of byChar.snapshots) {
      const seen = at(snapshot, path);
      if (seen !== undefined) expect(seen, `snapshot at ${JSON.stringify(path)}`).toBe(final);
    }
  }
  for (const path of options.growing ?? []) {
    const final = at(json, path) as string;
    const partial = byChar.snapshots.some((s) => {
      const seen = at(s, path);
      return typeof seen === 'string' && seen.length > 0 && seen.length < final.length;
    });
    expect(partial, `string at ${JSON.stringify(path)} grows`).toBe(true);
  }

  for (let cut = 1; cut < text.length; cut++) {
    const outcome = feed(schema, [text.slice(0, cut), text.slice(cut)]);
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value).toStrictEqual(expected);
  }
}

export interface EarlyOptions {
  /** Path of the first issue. */
  path?: JsonPath;
  /** Code of the first issue. */
  code?: string;
  /** A regular expression the message must match. */
  message?: RegExp;
}

/**
 * An invalid document whose invalidity shows at character `k`: one character per write fails
 * with `position` `k` (at `k`, or for a scalar once it is complete); any prefix up to `k`
 * (exclusive) is accepted as one write; any prefix that fails fails early with the same
 * `position` `k` and the same issues, and every prefix past the one-character run's failing
 * chunk fails. zod agrees it is invalid.
 * Returns the error of the character-by-character run.
 */
export function expectEarly(schema: Schema, text: string, k: number, options: EarlyOptions = {}): SchemaValidationError {
  expect(schema.safeParse(JSON.parse(text)).success, 'zod rejects the document').toBe(false);
  const byChar = feed(schema, units(text));
  expect(byChar.ok, 'fails').toBe(false);
  if (byChar.ok) throw new Error('unreachable');
  const error = byChar.error;
  if (!(error instanceof SchemaValidationError)) throw error;
  // A scalar fails once complete (a number at the character after it), however early its
  // position: the chunk that throws may come after `k`.
  const detected = byChar.chunk === -1 ? text.length : byChar.chunk;
  expect({ position: error.position, early: error.early }).toStrictEqual({ position: k, early: true });
  expect(detected).toBeGreaterThanOrEqual(k);
  if (options.path !== undefined) expect(error.issues[0]?.path).toStrictEqual(options.path);
  if (options.code !== undefined) expect(error.issues[0]?.code).toBe(options.code);
  if (options.message !== undefined) expect(error.message).toMatch(options.message);

  for (let cut = 1; cut <= text.length; cut++) {
    const outcome = feed(schema, [text.slice(0, cut)], false);
    if (cut <= k || (cut <= detected && outcome.ok)) {
      if (!outcome.ok) throw outcome.error;
      continue;
    }
    expect(outcome.ok, `prefix of ${cut} fails`).toBe(false);
    if (outcome.ok) continue;
    const e = outcome.error;
    if (!(e instanceof SchemaValidationError)) throw e;
    expect(e.early).toBe(true);
    // the same place however the text was cut (issue 11)
    expect(e.position).toBe(k);
    expect(e.issues).toStrictEqual(error.issues);
  }
  return error;
}

/** A document that streams without an early error and fails the final parse. */
export function expectFinal(schema: Schema, text: string): SchemaValidationError {
  expect(schema.safeParse(JSON.parse(text)).success, 'zod rejects the document').toBe(false);
  for (const chunks of [[text], units(text)]) {
    const outcome = feed(schema, chunks);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) continue;
    expect(outcome.chunk).toBe(-1);
    if (!(outcome.error instanceof SchemaValidationError)) throw outcome.error;
    expect(outcome.error.early).toBe(false);
  }
  const outcome = feed(schema, [text]);
  return (outcome as { error: SchemaValidationError }).error;
}

/** Index of the `n`-th (0-based) occurrence of `needle` in `text`, plus `offset`. */
export function indexOf(text: string, needle: string, offset = 0, n = 0): number {
  let i = -1;
  for (let j = 0; j <= n; j++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`${JSON.stringify(needle)} not in ${text}`);
  }
  return i + offset;
}
