/**
 * `streamshape replay`: every recorded stream through `--speed max --json` (cassette bodies
 * extracted first), checked against the stream's own final aggregate (the library adapters'
 * events folded into text and calls); plain JSON, the demo, the renderers, and bad usage.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_EXPECTED, DEMO_STREAM } from '../../src/cli/demo-stream.js';
import type { Delta } from '../../src/partial/delta.js';
import { applyDelta } from '../../src/partial/index.js';
import { createPlainRenderer, createJsonRenderer, createTtyRenderer, createStyle } from '../../src/cli/render.js';
import { replayChunks } from '../../src/cli/replay.js';
import { loadRecorded, recordedAvailable, recordedSkipMessage } from '../fixtures/recorded.js';
import { adapterFor, collect, summarize } from '../providers/helpers.js';
import { ndjson, runCli, sink, spawnCli } from './helpers.js';

if (!recordedAvailable) console.warn(recordedSkipMessage);

const temp = mkdtempSync(join(tmpdir(), 'streamshape-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/**
 * The structured output per choice, rebuilt from the `output-delta` events with `applyDelta`
 * (or taken from the last `snapshot` event, with `--snapshots`; both must agree), and the summary line.
 */
function finalState(events: Array<Record<string, unknown>>) {
  const snapshots = new Map<number, unknown>();
  for (const event of events) {
    const choice = event['choice'] as number;
    if (event['type'] === 'output-delta') snapshots.set(choice, applyDelta(snapshots.get(choice), event['deltas'] as Delta[]));
    if (event['type'] === 'snapshot') {
      // The snapshot is the value its own deltas lead to.
      expect(applyDelta(snapshots.get(choice), event['deltas'] as Delta[])).toEqual(event['value']);
      snapshots.set(choice, event['value']);
    }
  }
  const summary = events.at(-1) as { type: string; toolCalls: Array<{ name: string; status: string; arguments: unknown }> } & Record<string, unknown>;
  return { snapshots, summary };
}

describe.skipIf(!recordedAvailable)('replay every recorded stream', () => {
  const fixtures = recordedAvailable ? loadRecorded() : [];
  for (const fixture of fixtures) {
    // Cassettes: the command reads the YAML itself, one interaction at a time (every interaction
    // of these cassettes is streamed, so the n-th stream is interaction n + 1).
    const inputs =
      fixture.format === 'vcr'
        ? fixture.streams.map((stream, n) => ({ path: fixture.path, chunks: stream.chunks, label: `interaction ${n + 1}`, extra: ['--interaction', String(n + 1)] }))
        : [{ path: fixture.path, chunks: fixture.chunks, label: 'file', extra: [] as string[] }];
    for (const input of inputs) for (const mode of [[], ['--snapshots']]) {
      it(`${fixture.name} (${input.label}${mode.length > 0 ? ', --snapshots' : ''}): final value and tool calls equal the stream's aggregate`, async () => {
        const result = await runCli(['replay', '--speed', 'max', '--json', ...mode, ...input.extra, input.path]);
        const events = ndjson(result.stdout);
        expect(events[0]).toMatchObject({ type: 'start' });
        const { snapshots, summary } = finalState(events);
        expect(summary.type).toBe('summary');
        // Without --snapshots no event carries a whole partial value.
        if (mode.length === 0) {
          expect(events.some((event) => event['type'] === 'snapshot' || (event['type'] === 'tool-call-delta' && 'arguments' in event))).toBe(false);
        }

        const expected = summarize(await collect(adapterFor(fixture.provider)(input.chunks)));
        for (const [choice, text] of expected.text) {
          const trimmed = text.trimStart();
          if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
            let value: unknown;
            try {
              value = JSON.parse(text);
            } catch {
              continue; // a truncated output: checked by the exit status below
            }
            expect(snapshots.get(choice), `choice ${choice}`).toEqual(value);
          }
        }
        const calls = summary.toolCalls.map((call) => ({
          name: call.name,
          status: call.status,
          ...(call.status === 'complete' ? { arguments: call.arguments } : {}),
        }));
        expect(calls).toEqual(
          expected.calls.map((call) => ({
            name: call.name,
            status: call.ended ? 'complete' : 'truncated',
            ...(call.ended ? { arguments: JSON.parse(call.args === '' ? '{}' : call.args) } : {}),
          })),
        );
        // Every completed call also had its own `tool-call` event with the same arguments.
        const done = events.filter((event) => event['type'] === 'tool-call').map((event) => ({ name: event['name'], arguments: event['arguments'] }));
        expect(done).toEqual(calls.filter((call) => call.status === 'complete').map((call) => ({ name: call.name, arguments: call.arguments })));

        const open = expected.calls.filter((call) => !call.ended);
        const lengthFinish = expected.finishes.some((finish) => finish.reason === 'length');
        if (open.length > 0 || lengthFinish) {
          expect(result.code).toBe(1);
          expect(result.stderr).toMatch(/^streamshape: truncated: .+\n$/);
          for (const call of open) expect(result.stderr).toContain(call.name);
        } else {
          expect(result.stderr).toBe('');
          expect(result.code).toBe(0);
        }
      });
    }
  }

  it('the truncated Anthropic tool call exits 1 naming the call (spawned CLI, stdin)', () => {
    const fixture = fixtures.find((f) => f.name.endsWith('incomplete_partial_json_response.txt'))!;
    const result = spawnCli(['replay', '-', '--speed', 'max'], fixture.body);
    expect(result.code).toBe(1);
    // The file ends without the blank line after its last event (message_stop): whole JSON, so read.
    expect(result.stderr).toBe('streamshape: truncated: tool call make_file (toolu_01EKqbqmZrGRXy18eN7m9kvY) is truncated\n');
    expect(result.stdout).toContain('make_file');
    expect(result.stdout).toContain('TTFT');
  });
});

describe('replay: other inputs', () => {
  it('replays the demo: structured output plus two parallel tool calls', async () => {
    const stdout = sink();
    const summary = await replayChunks([DEMO_STREAM], { source: 'demo', speed: 'max', renderer: createJsonRenderer(stdout) });
    expect(summary.status).toBe('complete');
    expect(summary.provider).toBe('openai-chat');
    expect(summary.outputs[0]?.value).toEqual(DEMO_EXPECTED.output);
    expect(summary.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments }))).toEqual(DEMO_EXPECTED.toolCalls);
    expect(summary.finishReasons).toEqual({ 0: 'tool-calls' });
    expect(summary.metrics.tokens).toBe(148);
    expect(summary.metrics.tokensEstimated).toBe(false);
    // Realistic fragmentation: many small deltas.
    const updates = ndjson(stdout.text).filter((event) => event['type'] === 'output-delta');
    expect(updates.length).toBeGreaterThan(50);
  });

  it('replays plain JSON text as structured output, from stdin, in token-sized deltas', async () => {
    const value = { recipe: 'shakshuka', steps: ['fry onions', 'add tomatoes', 'crack eggs'], minutes: 25, vegan: false };
    const text = JSON.stringify(value, null, 2);
    const result = await runCli(['replay', '-', '--json'], { stdin: [new TextEncoder().encode(text.slice(0, 30)), new TextEncoder().encode(text.slice(30))] });
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    expect(events[0]).toMatchObject({ type: 'start', format: 'json', provider: 'none', source: 'stdin' });
    const { snapshots } = finalState(events);
    expect(snapshots.get(0)).toEqual(value);
    expect(events.filter((event) => event['type'] === 'output-delta').length).toBeGreaterThan(5);
  });

  it('exits 1 for truncated plain JSON', async () => {
    const path = join(temp, 'cut.json');
    writeFileSync(path, '{"a": [1, 2, {"b": "cut he');
    const result = await runCli(['replay', path, '--speed', 'max']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^streamshape: truncated: structured output is truncated: Unexpected end of JSON input/);
  });

  it('reads a JSON array of Gemini payloads and JSONL of Anthropic payloads (forced and detected)', async () => {
    const gemini = [
      { candidates: [{ content: { role: 'model', parts: [{ text: '{"ok":' }] }, index: 0 }] },
      { candidates: [{ content: { role: 'model', parts: [{ text: ' true}' }] }, finishReason: 'STOP', index: 0 }] },
    ];
    const path = join(temp, 'gemini.json');
    writeFileSync(path, '[' + gemini.map((g) => JSON.stringify(g)).join('\n,\r\n') + ']');
    for (const extra of [[], ['--format', 'json', '--provider', 'gemini']]) {
      const result = await runCli(['replay', path, '--speed', 'max', '--json', ...extra]);
      expect(result.code).toBe(0);
      const events = ndjson(result.stdout);
      expect(events[0]).toMatchObject({ format: 'json', provider: 'gemini' });
      expect(finalState(events).snapshots.get(0)).toEqual({ ok: true });
    }
  });

  it('renders a live terminal view on a TTY and plain lines otherwise', async () => {
    const tty = sink(true);
    await replayChunks([DEMO_STREAM], { source: 'demo', speed: 'max', renderer: createTtyRenderer(tty, createStyle(true), 0) });
    expect(tty.text).toContain('\x1b[');
    expect(tty.text).toContain('get_tram_times');
    expect(tty.text).toContain('"city": "Lisbon"');
    expect(tty.text).toContain('TTFT');
    const plain = sink();
    await replayChunks([DEMO_STREAM], { source: 'demo', speed: 'max', renderer: createPlainRenderer(plain) });
    expect(plain.text).not.toContain('\x1b[');
    expect(plain.text).toContain('tool-call done   get_weather {"city":"Lisbon"');
    expect(plain.text).toMatch(/parse cost +median [\d.]+ µs/);
  });

  it('paces events with --speed', async () => {
    const stdout = sink();
    const summary = await replayChunks([DEMO_STREAM.split('\n\n').slice(0, 6).join('\n\n') + '\n\n'], {
      source: 'demo',
      speed: { delayMs: 5 },
      renderer: createJsonRenderer(stdout),
    });
    // Pacing shows in the arrival times (no timing assertion beyond ordering).
    expect(summary.metrics.lastTokenMs).toBeGreaterThan(summary.metrics.ttftMs!);
  });
});

describe('replay: a stream cut in the middle of an SSE event (a dropped `curl -N`)', () => {
  const first = 'data: {"choices":[{"index":0,"delta":{"content":"{\\"a\\":1}"}}]}\n\n';
  const cut = 'data: {"choices":[{"index":0,"delta":{},"fin';
  // What the summary and stderr say: truncated (no finish), naming the event that was dropped.
  const reason =
    'the stream ended without a finish event; the last SSE event was cut before its blank line and dropped: data "{\\"choices\\":[{\\"index\\":0,\\"delta\\":{},\\"fin"';

  it('from a file: the cut event is dropped, the summary says truncated, exit 1', async () => {
    const path = join(temp, 'cut-event.sse');
    writeFileSync(path, first + cut);
    const result = await runCli(['replay', path, '--speed', 'max']);
    expect(result.stderr).toBe(`streamshape: truncated: ${reason}\n`);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`status         truncated: ${reason}\n`);
    expect(result.stdout).toContain('finish         none\n');
    expect(result.stdout).toContain('output         complete\n');
    expect(result.stdout).toContain('TTFT');
  });

  it('from stdin (spawned CLI), and the same with --json, in any chunking', async () => {
    const spawned = spawnCli(['replay', '-', '--speed', 'max'], first + cut);
    expect(spawned.stderr).toBe(`streamshape: truncated: ${reason}\n`);
    expect(spawned.code).toBe(1);
    expect(spawned.stdout).toContain(`status         truncated: ${reason}\n`);
    const text = first + cut;
    for (let at = 0; at <= text.length; at += 7) {
      const result = await runCli(['replay', '-', '--json'], { stdin: [new TextEncoder().encode(text.slice(0, at)), new TextEncoder().encode(text.slice(at))] });
      expect(result.code, `cut at ${at}`).toBe(1);
      expect(ndjson(result.stdout).at(-1), `cut at ${at}`).toMatchObject({
        type: 'summary',
        status: 'truncated',
        reason,
        droppedEvent: cut.slice('data: '.length),
        outputs: [{ status: 'complete', value: { a: 1 } }],
        finishReasons: {},
      });
    }
  });

  it('a last event whose data is whole JSON is read without its blank line (files are often saved so)', async () => {
    const finish = 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}';
    for (const end of ['', '\n', '\r\n', '\r', '\n\n', '\r\r', '\n\r', '\r\n\r\n']) {
      const result = await runCli(['replay', '-', '--json'], { stdin: [first + finish + end] });
      expect(result.stderr, JSON.stringify(end)).toBe('');
      expect(result.code).toBe(0);
      expect(ndjson(result.stdout).at(-1)).not.toHaveProperty('droppedEvent');
    }
  });

  it('a cut after the finish loses nothing that counts: exit 0; a cut [DONE] is not reported', async () => {
    const finished = first + 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n';
    const usage = await runCli(['replay', '-', '--json'], { stdin: [finished + 'data: {"choices":[],"usage":{"prompt_tok'] });
    expect(usage.code).toBe(0);
    expect(ndjson(usage.stdout).at(-1)).toMatchObject({ status: 'complete', droppedEvent: '{"choices":[],"usage":{"prompt_tok' });
    // The text summary says so too (token counts may now be estimates).
    const text = await runCli(['replay', '-', '--speed', 'max'], { stdin: [finished + 'data: {"choices":[],"usage":{"prompt_tok'] });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('dropped        the last SSE event, cut before its blank line: data "{\\"choices\\":[],\\"usage\\":{\\"prompt_tok"\n');
    const done = await runCli(['replay', '-', '--json'], { stdin: [finished + 'data: [DONE]'] });
    expect(done.code).toBe(0);
    expect(ndjson(done.stdout).at(-1)).not.toHaveProperty('droppedEvent');
  });

  it('a complete event that is not JSON is still refused (exit 2); so is input whose only event was cut', async () => {
    const bad = await runCli(['replay', '-'], { stdin: [first + 'data: {"choices": oops}\n\n'] });
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'streamshape: SSE event 2 is not JSON: data "{\\"choices\\": oops}"\n' });
    const only = await runCli(['replay', '-'], { stdin: [cut] });
    expect(only.code).toBe(2);
    expect(only.stderr).toBe('streamshape: the input holds no complete event: its only one was cut before its blank line (data "{\\"choices\\":[{\\"index\\":0,\\"delta\\":{},\\"fin")\n');
    // With the provider given there is a stream to summarize: truncated.
    const forced = await runCli(['replay', '-', '--provider', 'openai-chat'], { stdin: [cut] });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/^streamshape: truncated: the stream ended without a finish event; the last SSE event was cut/);
  });
});

describe('replay: bad usage exits 2 with one line, never a stack trace', () => {
  const cases: Array<[string, string[], RegExp, (string | Uint8Array)?]> = [
    ['missing file', ['replay', 'no/such/file.sse'], /^streamshape: no such file: no\/such\/file\.sse\n$/],
    ['unknown format', ['replay', 'x', '--format', 'xml'], /^streamshape: unknown format "xml"; use sse, jsonl, json, yaml\n$/],
    ['unknown provider', ['replay', 'x', '--provider', 'cohere'], /^streamshape: unknown provider "cohere"/],
    ['bad speed', ['replay', 'x', '--speed', 'fast'], /^streamshape: --speed must be a positive number or "max"/],
    // A delay past the longest timer Node can set (2^31 - 1 ms) would fire at once instead, with a warning.
    ['too slow a speed', ['replay', 'x', '--speed', '1e-9'], /^streamshape: --speed must be a positive number or "max"/],
    ['no file', ['replay'], /^streamshape: replay needs a file/],
    ['--snapshots without --json', ['replay', 'x', '--snapshots'], /^streamshape: --snapshots goes with --json\n$/],
    ['bad --interaction', ['replay', 'x', '--interaction', '0'], /^streamshape: --interaction must be a positive integer, got "0"\n$/],
    // A negative number after the flag is its value (node's parseArgs alone calls it ambiguous).
    ['negative speed', ['replay', 'x', '--speed', '-1'], /^streamshape: --speed must be a positive number or "max", got "-1"\n$/],
    ['negative --interaction', ['replay', 'x', '--interaction', '-2'], /^streamshape: --interaction must be a positive integer, got "-2"\n$/],
    ['negative --max-errors', ['check', 'x', '--max-errors', '-3'], /^streamshape: --max-errors must be a non-negative integer, got "-3"\n$/],
    ['a replay flag on check', ['check', 'x', '--snapshots'], /^streamshape: --snapshots is a replay option, not a check option\n$/],
    ['unknown command', ['play', 'x'], /^streamshape: unknown command "play"/],
    ['unknown flag', ['replay', 'x', '--loud'], /^streamshape: Unknown option '--loud'/],
    ['binary garbage', ['replay', '-'], /^streamshape: the input is (binary|not UTF-8)/, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe])],
    ['text that is no stream', ['replay', '-'], /^streamshape: cannot detect the input format: "hello world"/, 'hello world\n'],
    ['empty input', ['replay', '-'], /^streamshape: the input is empty\n$/, ''],
    ['JSONL of unknown payloads', ['replay', '-'], /^streamshape: cannot tell the provider/, '{"x":1}\n{"y":2}\n'],
  ];
  for (const [name, argv, message, stdin] of cases) {
    it(name, async () => {
      const result = await runCli(argv, stdin === undefined ? {} : { stdin: [stdin] });
      expect(result.stderr).toMatch(message);
      expect(result.stderr.split('\n').length).toBe(2);
      expect(result.code).toBe(2);
    });
  }

  it('as a process: garbage on stdin and a missing file', () => {
    const garbage = spawnCli(['replay', '-'], new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]));
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    const missing = spawnCli(['replay', 'missing.sse']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('streamshape: no such file: missing.sse\n');
  });
});
