/**
 * Which tokenizers take closed containers whole through the platform's `JSON.parse` (the fast
 * path of tokenizer.ts, issue 13 moved it out of the class): the partial parser and JSON Lines,
 * strict and lenient (the lenient plug-in's tokenizer gets it through its options), never a
 * tokenizer made by `createTokenizer`, whose handlers cannot take a container whole. The values
 * are the same either way (tokenizer.prop.test.ts, parser.prop.test.ts); this pins the speed path.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJsonlParser, createPartialParser, createTokenizer, lenient } from '../../src/index.js';
import { NO_TOKENS } from '../../src/json/tokenizer.js';

const text = '{"items": [{"a": 1, "b": [true, null]}, {"a": 2, "b": []}], "n": {"x": "y"}}';

function parseCalls(run: () => void): string[] {
  const spy = vi.spyOn(JSON, 'parse');
  run();
  const calls = spy.mock.calls.map((call) => String(call[0]));
  spy.mockRestore();
  return calls;
}

const handler = NO_TOKENS; // every token ignored

describe('the JSON.parse fast path', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const mode of ['strict', 'lenient'] as const) {
    const options = mode === 'lenient' ? { lenient: lenient() } : {};

    it(`the partial parser (${mode}) takes a container that closes within one write whole, at any split`, () => {
      for (const at of [1, 12, text.length - 1]) {
        const parser = createPartialParser(options);
        const calls = parseCalls(() => {
          parser.write(text.slice(0, at));
          parser.write(text.slice(at));
        });
        expect(parser.end()).toEqual(JSON.parse(text));
        expect(calls.length, `split at ${at}`).toBeGreaterThan(0);
      }
    });

    // Lenient JSON Lines is 'lines' mode only, where each line goes to JSON.parse first anyway.
    it.skipIf(mode === 'lenient')(`JSON Lines (concatenated) takes each record whole`, () => {
      const values: unknown[] = [];
      const parser = createJsonlParser({ mode: 'concatenated', onValue: (value: unknown) => void values.push(value) });
      const calls = parseCalls(() => {
        parser.write(`${text}\n${text}`);
        parser.end();
      });
      expect(values).toEqual([JSON.parse(text), JSON.parse(text)]);
      expect(calls).toContain(text);
    });

    it(`createTokenizer (${mode}) never does: every token reaches the handler`, () => {
      let numbers = 0;
      const tokenizer = createTokenizer({ ...handler, number: () => void numbers++ }, options);
      const calls = parseCalls(() => {
        tokenizer.write(text);
        tokenizer.end();
      });
      expect(calls).toEqual([]);
      expect(numbers).toBe(2);
    });
  }
});
