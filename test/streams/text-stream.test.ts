import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  applyDelta,
  ParseError,
  PartialJsonStream,
  parseStream,
  pointers,
} from '../../src/index.js';
import { createToolCallAssembler, type StreamEvent, type ToolCallInfo } from '../../src/tool-calls/index.js';
import { chunked, jsonTextWithValue, utf8Chunks } from '../../src/testing/index.js';
import { zodGuide } from '../../src/index.js';
import { runs } from '../support/shared.js';

async function* chunks(parts: readonly (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) {
    await Promise.resolve();
    yield part;
  }
}

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const piece of iterable) out.push(piece);
  return out;
}

describe('textStream(pointer)', () => {
  it('yields the string at the pointer as deltas that concatenate to it, for every chunking (text and bytes)', async () => {
    const doc = jsonTextWithValue({ maxDepth: 2, maxStringLength: 30 })
      .map(({ text }) => `{"before": [1, {"x": "y"}], "answer": ${JSON.stringify(JSON.parse(text))}, "s": "${'x'.repeat(5)}"}`)
      .chain((text) => fc.tuple(fc.constant(text), fc.oneof(chunked(text), utf8Chunks(text))));
    await fc.assert(
      fc.asyncProperty(doc, async ([text, parts]) => {
        const stream = parseStream(chunks(parts));
        const answer = stream.textStream('/answer');
        const s = stream.textStream('/s');
        const pieces = await collect(answer);
        for (const piece of pieces) expect(piece).not.toBe('');
        const final = JSON.parse(text) as { answer: unknown; s: string };
        expect(pieces.join('')).toBe(typeof final.answer === 'string' ? final.answer : '');
        expect((await collect(s)).join('')).toBe(final.s);
      }),
      { numRuns: runs(0.5) },
    );
  });

  it('works beside the updates, whose deltas still replay to the final value', async () => {
    const parts = ['{"title": "T", "answer": "Hel', 'lo, ', 'world', '!", "n": 1}'];
    const stream = parseStream(chunks(parts));
    const text = stream.textStream('/answer');
    let replay: unknown;
    const reading = collect(text);
    let last: unknown;
    for await (const update of stream) {
      replay = applyDelta(replay, update.deltas);
      last = update.value;
    }
    expect(replay).toEqual(last);
    expect((await reading).join('')).toBe('Hello, world!');
  });

  it('updates iterated after a text stream started begin with one add of the snapshot', async () => {
    const stream = parseStream(chunks(['{"answer": "ab', 'cd", "rest": [1, 2]}']));
    const text = stream.textStream('/answer');
    expect((await collect(text)).join('')).toBe('abcd');
    let replay: unknown;
    for await (const update of stream) replay = applyDelta(replay, update.deltas);
    expect(replay).toEqual({ answer: 'abcd', rest: [1, 2] });
  });

  it('a wildcard follows the first matching string; a missing one ends empty', async () => {
    const stream = parseStream(chunks(['{"files": [{"path": "a", "content": "one"}, ', '{"path": "b", "content": "two"}]}']));
    const first = stream.textStream('/files/*/content');
    const missing = stream.textStream('/nope');
    expect((await collect(first)).join('')).toBe('one');
    expect(await collect(missing)).toEqual([]);
  });

  it('rejects with the parse error when the text breaks before the string closes, after the text before it', async () => {
    const stream = parseStream(chunks(['{"answer": "ab', 'c', '\\x']));
    const text = stream.textStream('/answer');
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const piece of text) got.push(piece);
      })(),
    ).rejects.toBeInstanceOf(ParseError);
    expect(got.join('')).toBe('abc');
  });

  it('rejects with the schema error, and with the abort reason', async () => {
    const schema = z.object({ answer: z.string().max(3) });
    const failing = parseStream(chunks(['{"answer": "ab', 'cdef"}']), { schema, guide: zodGuide });
    await expect(collect(failing.textStream('/answer'))).rejects.toThrow();

    const controller = new AbortController();
    const never: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => {}), return: async () => ({ done: true, value: undefined }) }),
    };
    const aborted = parseStream(never, { signal: controller.signal });
    const waiting = collect(aborted.textStream('/answer'));
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('break out of the only text stream cancels the source', async () => {
    let returned = false;
    const source: AsyncIterable<string> = {
      [Symbol.asyncIterator]() {
        let i = 0;
        return {
          async next() {
            i++;
            return i === 1 ? { done: false, value: '{"answer": "ab' } : new Promise(() => {});
          },
          async return() {
            returned = true;
            return { done: true, value: undefined };
          },
        };
      },
    };
    const stream = parseStream(source);
    for await (const piece of stream.textStream('/answer')) {
      expect(piece).toBe('ab');
      break;
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(returned).toBe(true);
  });

  it('after reading started, textStream is a TypeError', async () => {
    const stream = parseStream(chunks(['{"a": "b"}']));
    await stream.next();
    expect(() => stream.textStream('/a')).toThrow(TypeError);
    await stream.return(undefined);
  });

  it('PartialJsonStream.textStream reads the written chunks without the readable side', async () => {
    const transform = new PartialJsonStream();
    const text = transform.textStream('/answer');
    const writer = transform.writable.getWriter();
    const reading = collect(text);
    await writer.write('{"answer": "Hi');
    await writer.write(' there"}');
    expect((await reading).join('')).toBe('Hi there');
  });
});

describe('tool calls: text / onText', () => {
  it("forwards a call's content argument as text deltas, per call", () => {
    const pieces: [string, string, boolean, string][] = [];
    const assembler = createToolCallAssembler({
      text: pointers('/content'),
      onText: (delta, pointer, done, call: ToolCallInfo) => void pieces.push([delta, pointer, done, call.id]),
    });
    const events: StreamEvent[] = [
      { type: 'tool-call-start', id: 'a', name: 'write_file', index: 0 },
      { type: 'tool-call-delta', id: 'a', delta: '{"path": "x.ts", "content": "const' },
      { type: 'tool-call-start', id: 'b', name: 'write_file', index: 1 },
      { type: 'tool-call-delta', id: 'b', delta: '{"content": "B"}' },
      { type: 'tool-call-delta', id: 'a', delta: ' x = 1;\\n' },
      { type: 'tool-call-delta', id: 'a', delta: '"}' },
      { type: 'finish', reason: 'tool-calls' },
    ];
    for (const e of events) assembler.push(e);
    assembler.end();
    expect(pieces).toEqual([
      ['const', '/content', false, 'a'],
      ['B', '/content', true, 'b'],
      [' x = 1;\n', '/content', false, 'a'],
      ['', '/content', true, 'a'],
    ]);
  });

  it('every fragmentation: the pieces of each call concatenate to its final content', () => {
    const content = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(content, fc.string({ maxLength: 8 }), (text, path) => {
        const args = JSON.stringify({ path, content: text });
        return fc.assert(
          fc.property(chunked(args), (fragments) => {
            let got = '';
            let done = 0;
            const assembler = createToolCallAssembler({
              tools: { write_file: z.object({ path: z.string(), content: z.string() }) },
              text: pointers('/content'),
              onText: (delta, _p, d) => {
                got += delta;
                if (d) done++;
              },
            });
            assembler.push({ type: 'tool-call-start', id: 'c', name: 'write_file', index: 0 });
            for (const f of fragments) if (f !== '') assembler.push({ type: 'tool-call-delta', id: 'c', delta: f });
            assembler.push({ type: 'tool-call-end', id: 'c' });
            expect(got).toBe(text);
            expect(done).toBe(1);
          }),
          { numRuns: 3 },
        );
      }),
      { numRuns: runs(0.2) },
    );
  });
});
