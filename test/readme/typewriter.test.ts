// The README's "Typewriter fields" examples, verbatim between the markers below (the last test
// checks that the README still shows exactly this code).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
// readme:imports:start
import { createPartialParser, parseStream, pointers } from 'streamshape';
import { createToolCallAssembler } from 'streamshape/tool-calls';
// readme:imports:end

it('Typewriter fields: onText, textStream, tool-call arguments, partialNumbers', async () => {
  const output: string[] = [];
  const editor = { append: (id: string, text: string) => output.push(`${id}:${text}`) };
  const parts = ['{"title": "Notes", "answer": "Streams ', 'arrive in ', 'pieces.", "price": 1', '2.5}'];
  const body = new ReadableStream<string>({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
  const response = { body };
  const events = [
    { type: 'tool-call-start', id: 'call_1', name: 'write_file', index: 0 },
    { type: 'tool-call-delta', id: 'call_1', delta: '{"path": "a.ts", "content": "export const' },
    { type: 'tool-call-delta', id: 'call_1', delta: ' a = 1;\\n"}' },
    { type: 'finish', reason: 'tool-calls' },
  ] as const;
  // readme:typewriter:start
  // 1. A callback per piece of text: the field's unescaped text, O(piece), no snapshot built.
  let answer = '';
  const parser = createPartialParser({
    text: pointers('/answer', '/files/*/content'), // JSON Pointers; `*` matches any one key or index
    onText: (delta, pointer) => {
      if (pointer === '/answer') answer += delta; // `done` is true on the string's last call
    },
  });
  parser.write('{"answer": "Hel');
  parser.write('lo\\u0021"}');
  expect(answer).toBe('Hello!');

  // 2. An async iterable over a stream: ends when the string closes.
  const stream = parseStream(response.body);
  let typed = '';
  for await (const delta of stream.textStream('/answer')) typed += delta;
  expect(typed).toBe('Streams arrive in pieces.');

  // 3. Inside tool-call arguments: a file's content typing into an editor.
  const assembler = createToolCallAssembler({
    text: pointers('/content'),
    onText: (delta, _pointer, _done, call) => editor.append(call.id, delta),
  });
  for (const event of events) assembler.push(event);
  expect(output.join('')).toBe('call_1:export constcall_1: a = 1;\ncall_1:');

  // 4. Numbers that grow (opt-in), listed in `pending` while they do.
  const prices = createPartialParser({ partialNumbers: true });
  prices.write('{"price": 12');
  expect(prices.value).toEqual({ price: 12 });
  expect(prices.pending).toEqual(['/price']); // style it as "still typing"
  prices.write('.5}');
  expect(prices.value).toEqual({ price: 12.5 });
  expect(prices.pending).toEqual([]);
  // readme:typewriter:end
});


it('the README shows exactly this code', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  const start = '  // readme:typewriter:start\n';
  const code = source.slice(source.indexOf(start) + start.length, source.indexOf('  // readme:typewriter:end'));
  const dedented = code.replace(/^ {2}/gm, '');
  const imports = source.slice(source.indexOf('// readme:imports:start\n') + '// readme:imports:start\n'.length, source.indexOf('// readme:imports:end'));
  expect(readme).toContain(`\`\`\`ts\n${imports}\n${dedented}\`\`\``);
});
