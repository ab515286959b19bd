/**
 * The command's contract at its edges: `--json` output proportional to the stream (measured in
 * bytes written, not time), output deltas that rebuild the value for every chunking, the exact
 * offset of the first bad byte, binary files refused in one line, nothing raw on the terminal,
 * YAML cassettes (every recorded one), and a closed or slow stdout that ends quietly.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonTextWithValue, utf8Chunks } from '../../src/testing/index.js';
import { checkFile, printable } from '../../src/cli/check.js';
import { looksLikeCassette } from '../../src/cli/cassette.js';
import { createJsonRenderer } from '../../src/cli/render.js';
import { replayChunks } from '../../src/cli/replay.js';
import type { Delta } from '../../src/partial/delta.js';
import { applyDelta } from '../../src/partial/index.js';
import { loadRecorded, recordedAvailable, recordedDir, recordedSkipMessage } from '../fixtures/recorded.js';
import { runs } from '../support/shared.js';
import { mainTs, ndjson, repoRoot, runCli, sink, spawnCli } from './helpers.js';

const temp = mkdtempSync(join(tmpdir(), 'streamshape-contract-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** An OpenAI Chat Completions SSE body streaming `text` as structured output, `piece` characters per event. */
function openAiSse(text: string, piece = 4): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += piece) {
    parts.push(`data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text.slice(i, i + piece) }, finish_reason: null }] })}\n\n`);
  }
  parts.push(`data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
  return parts.join('');
}

/** Shapes whose snapshots grow with the stream: a wide array of objects, one long string, many keys. */
const SHAPES: Record<string, (n: number) => unknown> = {
  'array of objects': (n) => ({ items: Array.from({ length: n }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['x', 'y'] })) }),
  'long string': (n) => ({ story: 'lorem ipsum dolor sit amet '.repeat(n) }),
  'object with many keys': (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, i])),
};

async function bytesWritten(text: string, snapshots: boolean): Promise<number> {
  let bytes = 0;
  const out = {
    write(chunk: string) {
      bytes += chunk.length;
      return true;
    },
  };
  await replayChunks([openAiSse(text)], { source: 'test', speed: 'max', renderer: createJsonRenderer(out), snapshots });
  return bytes;
}

describe('replay --json: output proportional to the stream', () => {
  for (const [shape, make] of Object.entries(SHAPES)) {
    it(`${shape}: 4x the stream writes about 4x the bytes; --snapshots grows with the square`, async () => {
      const small = JSON.stringify(make(200));
      const large = JSON.stringify(make(800));
      const ratio = (await bytesWritten(large, false)) / (await bytesWritten(small, false));
      expect(ratio).toBeGreaterThan(3.5);
      expect(ratio).toBeLessThan(4.5);
      // The measure sees the quadratic mode: whole snapshots per update.
      const squared = (await bytesWritten(large, true)) / (await bytesWritten(small, true));
      expect(squared).toBeGreaterThan(8);
    });
  }

  it('property: folding the output deltas gives the value, for every value and chunking, as text and bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonTextWithValue().chain(({ text, value }) => utf8Chunks(openAiSse(text, 3)).map((chunks) => ({ value, chunks }))),
        fc.boolean(),
        fc.boolean(),
        async ({ value, chunks }, asText, snapshots) => {
          const out = sink();
          const decoder = new TextDecoder();
          const input = asText ? chunks.map((chunk) => decoder.decode(chunk, { stream: true })) : chunks;
          const summary = await replayChunks(input, { source: 'p', speed: 'max', renderer: createJsonRenderer(out), snapshots });
          expect(summary.status).toBe('complete');
          let folded: unknown;
          let last: unknown;
          for (const event of ndjson(out.text)) {
            if (event['type'] === 'output-delta' || event['type'] === 'snapshot') folded = applyDelta(folded, event['deltas'] as Delta[]);
            if (event['type'] === 'snapshot') last = event['value'];
            if (event['type'] === 'snapshot' || event['type'] === 'output-delta') expect(event['type']).toBe(snapshots ? 'snapshot' : 'output-delta');
          }
          // What NDJSON can carry (a number too large for a double is Infinity, written as null).
          const carried = JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
          expect(folded).toEqual(carried);
          if (snapshots) expect(last).toEqual(carried);
          expect(summary.outputs[0]?.value).toEqual(value);
        },
      ),
      { numRuns: runs(0.5) },
    );
  });
});

describe('replay: the offset of the first bad byte', () => {
  it('property: an invalid byte or a NUL planted anywhere is named at its exact offset, for every chunking', async () => {
    const encoder = new TextEncoder();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ' ')),
        fc.nat(),
        fc.constantFrom(0x00, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xf0, 0xf8, 0xff),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (tail, at, badByte, cuts) => {
          const good = encoder.encode(`data: {"a": "${tail}`);
          // Plant the byte at a character boundary after the `data:` field, so the text before it is valid.
          const boundaries: number[] = [];
          for (let i = 6; i <= good.length; i++) if (i === good.length || (good[i]! & 0xc0) !== 0x80) boundaries.push(i);
          const offset = boundaries[at % boundaries.length]!;
          // A lead byte followed by ASCII (or the end) is invalid at the lead byte itself.
          const bytes = new Uint8Array([...good.subarray(0, offset), badByte, 0x20, ...good.subarray(offset)]);
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Uint8Array[] = [];
          let from = 0;
          for (const point of [...points, bytes.length]) {
            chunks.push(bytes.slice(from, point));
            from = point;
          }
          const result = await runCli(['replay', '-', '--speed', 'max'], { stdin: chunks });
          expect(result.code).toBe(2);
          expect(result.stderr.split('\n').length).toBe(2);
          if (badByte === 0) expect(result.stderr).toBe(`streamshape: the input is binary, not text (a NUL byte at byte ${offset})\n`);
          else expect(result.stderr).toMatch(new RegExp(`^streamshape: the input is not UTF-8 text \\(byte ${offset} is 0x${badByte.toString(16)}\\)\\n$`));
        },
      ),
      { numRuns: runs(0.5) },
    );
  });

  it('a character cut off by the end of the input is named at its first byte', async () => {
    const bytes = new TextEncoder().encode('data: {"a": "é');
    const result = await runCli(['replay', '-'], { stdin: [bytes.subarray(0, bytes.length - 1)] });
    expect(result.stderr).toBe(`streamshape: the input is not UTF-8 text (byte ${bytes.length - 2} ends inside a character)\n`);
    expect(result.code).toBe(2);
  });
});

describe('check: binary files and raw bytes', () => {
  it('a binary file exits 2 with one line naming the NUL byte; a gzip file says so', async () => {
    const png = join(temp, 'image.jsonl');
    writeFileSync(png, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    expect(await runCli(['check', png])).toEqual({ code: 2, stdout: '', stderr: `streamshape: ${png} is binary, not JSON text (a NUL byte at byte 8)\n` });
    const gz = join(temp, 'batch.jsonl.gz');
    writeFileSync(gz, new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x12, 0x34, 0x56, 0x78, 0x00, 0x03]));
    const result = await runCli(['check', gz, '--format', 'jsonl']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^streamshape: .* is gzip-compressed, not JSON text \(decompress it first: gunzip -k .*\)\n$/);
  });

  it('bad records with control characters print no raw control bytes, and the caret stays under the column', async () => {
    const path = join(temp, 'controls.jsonl');
    writeFileSync(path, '{"ok": 1}\n{"a": "\x1b[31mred\x7f", "b": \x01}\n\x9b2J\n');
    const result = await runCli(['check', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const lines = result.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith(`${path}:2:`));
    expect(lines[at]).toMatch(/:2:8: /); // the raw ESC inside the string is the error
    expect(lines[at + 2]!.indexOf('^')).toBe(2 + 7);
  });

  it('property: counting the records past --max-errors agrees with positioning every one, for every chunk size', async () => {
    const encoder = new TextEncoder();
    const lineArb = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)), // good
      fc.constantFrom('{"a": tru}', '{"a" 1}', '[1, 2', '"cut', 'not json', '\uFEFF{}', '{"a": "\u0001"}'), // bad
      fc.constantFrom('', '   ', '\t', '\r'), // blank
    );
    let file = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(lineArb, fc.boolean(), fc.boolean()), { maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        fc.nat({ max: 5 }),
        async (lines, finalNewline, chunkSize, maxErrors) => {
          // Some lines end in CRLF, some hold a byte that is not UTF-8.
          const parts: Uint8Array[] = [];
          lines.forEach(([text, crlf, broken], i) => {
            const bytes = encoder.encode(text + (crlf ? '\r' : ''));
            parts.push(broken && text !== '' ? new Uint8Array([...bytes.subarray(0, 1), 0xff, ...bytes.subarray(1)]) : bytes);
            if (i < lines.length - 1 || finalNewline) parts.push(new Uint8Array([0x0a]));
          });
          const path = join(temp, `lines-${file++}.jsonl`);
          writeFileSync(path, Buffer.concat(parts));
          const all = await checkFile(path, { maxErrors: Number.POSITIVE_INFINITY, chunkSize });
          const some = await checkFile(path, { maxErrors, chunkSize });
          expect({ records: some.records, bad: some.bad }).toEqual({ records: all.records, bad: all.bad });
          expect(some.reported).toEqual(all.reported.slice(0, maxErrors));
        },
      ),
      { numRuns: runs() },
    );
  });

  it('property: printable() keeps the length and leaves no control character but tab and newline', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const shown = printable(text);
        expect(shown.length).toBe(text.length);
        expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }),
      { numRuns: runs() },
    );
  });
});

describe('replay: YAML cassettes', () => {
  const cassette = (body: string, extra = ''): string =>
    `interactions:\n- request:\n    method: POST\n    uri: https://api.openai.com/v1/chat/completions\n  response:\n    body:\n      string: |+\n${body
      .split('\n')
      .map((line) => (line === '' ? '' : `        ${line}`))
      .join('\n')}\n    status:\n      code: 200\n${extra}version: 1\n`;

  it('detects a cassette on stdin, replays each streamed interaction, and skips whole JSON responses', async () => {
    const stream = openAiSse('{"answer": 42}');
    const whole = `- request:\n    method: GET\n    uri: https://example.com/models\n  response:\n    body:\n      string: '{"data": []}'\n`;
    const text = cassette(stream, whole);
    expect(looksLikeCassette(text)).toBe(true);
    const result = await runCli(['replay', '-', '--json'], { stdin: [new TextEncoder().encode(text)] });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    expect(events.filter((event) => event['type'] === 'start')).toEqual([{ type: 'start', format: 'sse', provider: 'openai-chat', source: 'stdin#1' }]);
    expect(events.find((event) => event['type'] === 'output-complete')?.['value']).toEqual({ answer: 42 });
  });

  it('--interaction out of range, a cassette without streams, and YAML that is no cassette are one-line usage errors', async () => {
    const path = join(temp, 'one.yaml');
    writeFileSync(path, cassette(openAiSse('{}')));
    expect(await runCli(['replay', path, '--interaction', '3'])).toMatchObject({
      code: 2,
      stderr: "streamshape: --interaction 3: the cassette's streamed interactions are 1 (of 1)\n",
    });
    const none = join(temp, 'none.yml');
    writeFileSync(none, 'interactions:\n- response:\n    body:\n      string: \'{"ok": true}\'\n');
    expect((await runCli(['replay', none])).stderr).toMatch(/^streamshape: the cassette holds no streamed response \(1 interaction,/);
    const other = join(temp, 'config.yaml');
    writeFileSync(other, 'name: x\nitems: [1, 2]\n');
    expect((await runCli(['replay', other])).stderr).toMatch(/^streamshape: the YAML input is not a cassette/);
    // A tag the YAML parser does not know: still one line, no YAMLWarning block from the parser.
    const tagged = join(temp, 'tagged.yaml');
    writeFileSync(tagged, 'interactions:\n- response:\n    body: {string: !!js/function "function(){}"}\n');
    const taggedRun = spawnCli(['replay', tagged]);
    expect(taggedRun.code).toBe(2);
    expect(taggedRun.stderr).toMatch(/^streamshape: the cassette holds no streamed response[^\n]*\n$/);
    expect((await runCli(['replay', '-', '--interaction', '1'], { stdin: ['data: {}\n\n'] })).stderr).toMatch(/^streamshape: --interaction is for YAML cassettes/);
  });

  it('a truncated interaction makes the exit status 1, naming the interaction', async () => {
    const path = join(temp, 'two.yaml');
    const cut = openAiSse('{"a": [1, 2').replace(/data: \{[^\n]*"stop"[^\n]*\n\n/, '');
    writeFileSync(path, cassette(openAiSse('{"a": 1}')).replace('version: 1\n', '') + cassette(cut).replace(/^interactions:\n/, ''));
    const result = await runCli(['replay', path, '--speed', 'max']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^streamshape: .*two\.yaml#2: truncated: /);
    expect(result.stderr.split('\n').length).toBe(2);
  });
});

if (!recordedAvailable) console.warn(recordedSkipMessage);

describe.skipIf(!recordedAvailable)('replay: every recorded YAML cassette', () => {
  const files = recordedAvailable
    ? readdirSync(recordedDir, { recursive: true, encoding: 'utf8' }).filter((name) => /\.ya?ml$/.test(name)).sort()
    : [];
  const fixtures = recordedAvailable ? loadRecorded() : [];
  it('the folder has cassettes', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const name of files) {
    it(`${name}: every streamed interaction replays with its provider detected`, async () => {
      const fixture = fixtures.find((f) => f.name === name.split('\\').join('/'));
      const result = await runCli(['replay', join(recordedDir, name), '--speed', 'max', '--json']);
      const events = ndjson(result.stdout);
      const starts = events.filter((event) => event['type'] === 'start');
      const summaries = events.filter((event) => event['type'] === 'summary') as Array<{ status: string; provider: string }>;
      expect(starts.length).toBe(fixture?.streams.length ?? starts.length);
      expect(summaries.length).toBe(starts.length);
      for (const summary of summaries) expect(summary.provider).not.toBe('none');
      const complete = summaries.every((summary) => summary.status === 'complete');
      expect(result.code).toBe(complete ? 0 : 1);
      if (complete) expect(result.stderr).toBe('');
    });
  }
});

/** Spawns the command (tsx entry) with its stdout piped to the test. */
function spawnPiped(argv: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', mainTs, ...argv], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, exited, stderr: () => stderr };
}

describe('stdout closed early or read slowly', () => {
  const big = join(temp, 'big.sse');
  writeFileSync(big, openAiSse(JSON.stringify(SHAPES['array of objects']!(6000))));

  for (const [label, argv] of [
    ['replay --json', ['replay', big, '--speed', 'max', '--json']],
    ['replay (plain lines)', ['replay', big, '--speed', 'max']],
  ] as const) {
    it(`${label} | head: ends quietly when the reader goes away`, async () => {
      const { child, exited, stderr } = spawnPiped([...argv]);
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      child.stdout.destroy(); // like `head -1` exiting
      const { code } = await exited;
      expect(stderr()).toBe('');
      expect(code).toBe(0);
    }, 60_000);
  }

  it('check with many bad records | head: ends quietly', async () => {
    const path = join(temp, 'bad.jsonl');
    writeFileSync(path, '{"a": tru}\n'.repeat(40_000));
    const { child, exited, stderr } = spawnPiped(['check', path, '--max-errors', '100000']);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const { code } = await exited;
    expect(stderr()).not.toMatch(/EPIPE|ENOBUFS|Error|at /);
    expect(code === 0 || code === 1).toBe(true);
  }, 60_000);

  it('a reader that stops reading for a while still gets every byte, and the command waits for it', async () => {
    const { child, exited, stderr } = spawnPiped(['replay', big, '--speed', 'max', '--json']);
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (text += chunk));
    child.stdout.resume();
    const { code } = await exited;
    expect(stderr()).toBe('');
    expect(code).toBe(0);
    const events = ndjson(text);
    expect(events.at(-1)).toMatchObject({ type: 'summary', status: 'complete' });
  }, 60_000);
});
