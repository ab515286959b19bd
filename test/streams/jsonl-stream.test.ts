import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/json/errors.js';
import { JsonlStream, parseJsonl, type JsonlRecord } from '../../src/streams/index.js';
import { drain } from './helpers.js';

const encoder = new TextEncoder();

function readableOf<T>(chunks: readonly T[]): ReadableStream<T> {
  return new ReadableStream<T>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function* iterableOf<T>(chunks: readonly T[]): AsyncGenerator<T> {
  for (const chunk of chunks) yield chunk;
}

const brief = (record: JsonlRecord): unknown[] =>
  record.type === 'error' ? ['error', record.line, record.error.code] : [record.type, record.line, record.value];

describe('JsonlStream', () => {
  it('turns text or byte chunks into records with their lines, positions and byte offsets', async () => {
    const bytes = encoder.encode('{"a":"é"}\r\n\n[1,2]\n3');
    const chunks = [bytes.slice(0, 5), bytes.slice(5, 13), bytes.slice(13)];
    const { items, error } = await drain(readableOf(chunks).pipeThrough(new JsonlStream()));
    expect(error).toBeUndefined();
    expect(items).toEqual([
      { type: 'value', value: { a: 'é' }, index: 0, line: 1, position: 0, byteOffset: 0 },
      { type: 'value', value: [1, 2], index: 1, line: 3, position: 12, byteOffset: 13 },
      { type: 'value', value: 3, index: 2, line: 4, position: 18, byteOffset: 19 },
    ]);
  });

  it("emits bad records in place with errors: 'emit'", async () => {
    const { items } = await drain(readableOf(['1\n{x}\n', '2\n[']).pipeThrough(new JsonlStream({ errors: 'emit' })));
    expect(items.map(brief)).toEqual([
      ['value', 1, 1],
      ['error', 2, 'unexpected-character'],
      ['value', 3, 2],
      ['error', 4, 'unexpected-end'],
    ]);
    const bad = items[1];
    expect(bad?.type === 'error' && bad.text).toBe('{x}');
  });

  it('errors the stream at the first bad record, after the good records of the same chunk have been read', async () => {
    const { items, error } = await drain(readableOf(['1\n2\n{x}\n3\n', '4\n']).pipeThrough(new JsonlStream()));
    expect(items.map(brief)).toEqual([
      ['value', 1, 1],
      ['value', 2, 2],
    ]);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).line).toBe(3);

    const atEnd = await drain(readableOf(['1\n2\n{"a":']).pipeThrough(new JsonlStream()));
    expect(atEnd.items.map(brief)).toEqual([
      ['value', 1, 1],
      ['value', 2, 2],
    ]);
    expect(atEnd.error).toMatchObject({ code: 'unexpected-end', line: 3 });
  });

  it('emits partial values of the record in progress with partials: true, and reads arrays', async () => {
    const { items } = await drain(
      readableOf(['[{"a":"x', 'y"}, {"b"', ':1}]']).pipeThrough(new JsonlStream({ mode: 'array', partials: true })),
    );
    expect(items.map((r) => [r.type, r.index, r.type === 'error' ? r.error.code : r.value])).toEqual([
      ['partial', 0, { a: 'x' }],
      ['value', 0, { a: 'xy' }],
      ['partial', 1, {}],
      ['value', 1, { b: 1 }],
    ]);
  });

  it('rejects invalid options at construction', () => {
    expect(() => new JsonlStream({ mode: 'xml' as 'lines' })).toThrowError(TypeError);
    expect(() => new JsonlStream({ errors: 'ignore' as 'emit' })).toThrowError(TypeError);
    expect(() => new JsonlStream({ maxLineLength: -1 })).toThrowError(RangeError);
  });
});

describe('parseJsonl', () => {
  it('reads an async iterable or a ReadableStream of text or bytes', async () => {
    const text = '{"n":1}\n{"n":2}\n\n{"n":3}';
    const fromIterable: unknown[] = [];
    for await (const record of parseJsonl<{ n: number }>(iterableOf([text.slice(0, 10), text.slice(10)]))) {
      fromIterable.push([record.line, record.value.n]);
    }
    expect(fromIterable).toEqual([
      [1, 1],
      [2, 2],
      [4, 3],
    ]);
    const fromStream: unknown[] = [];
    for await (const record of parseJsonl(readableOf([encoder.encode(text)]))) fromStream.push(record.byteOffset);
    expect(fromStream).toEqual([0, 8, 17]);
  });

  it('yields the good records of a chunk, then throws at the bad one', async () => {
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const record of parseJsonl(iterableOf(['1\n2\nnope\n3\n']))) seen.push(record.value);
      })(),
    ).rejects.toThrowError(ParseError);
    expect(seen).toEqual([1, 2]);
  });

  it("goes on past bad records with errors: 'emit', and reads concatenated values", async () => {
    const records: unknown[] = [];
    for await (const record of parseJsonl(iterableOf(['{"a":1}{"b"', ':2} ] [3]']), { mode: 'concatenated', errors: 'emit' })) {
      records.push(brief(record));
    }
    expect(records).toEqual([
      ['value', 1, { a: 1 }],
      ['value', 1, { b: 2 }],
      ['error', 1, 'unexpected-character'],
      ['value', 1, [3]],
    ]);
  });

  it('cancels the source when the loop stops early or the signal aborts', async () => {
    let cancelled = false;
    const source = new ReadableStream<string>({
      pull(controller) {
        controller.enqueue('1\n2\n');
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const record of parseJsonl(source)) {
      if (record.value === 2) break;
    }
    expect(cancelled).toBe(true);

    const controller = new AbortController();
    let returned = false;
    async function* endless(): AsyncGenerator<string> {
      try {
        for (;;) yield '1\n';
      } finally {
        returned = true;
      }
    }
    let count = 0;
    await expect(
      (async () => {
        for await (const _ of parseJsonl(endless(), { signal: controller.signal })) {
          if (++count === 3) controller.abort(new Error('stop'));
        }
      })(),
    ).rejects.toThrowError('stop');
    expect(returned).toBe(true);
  });
});
