/**
 * Every example runs as its own process, as a user would run it, and must exit 0 printing what
 * it shows. They need no network: the SDK examples talk to a loopback replay server.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

async function example(name: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', `examples/${name}.ts`], {
    cwd: root,
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return stdout;
}

describe('examples', () => {
  it('openai-structured-output: partial recipe fields appear, then the validated recipe', async () => {
    const out = await example('openai-structured-output');
    expect(out).toContain('partial: {name}');
    expect(out).toContain('partial: {name, servings, difficulty, ingredients, steps}');
    expect(out).toMatch(/final recipe \(\d+ updates\): Lemon lentil soup, serves 4, easy/);
    expect(out).toContain('  - red lentils: 250 g');
    expect(out).toContain('  4. Blend half of the soup, stir in the lemon juice and season.');
  });

  it('anthropic-tool-calls: partial arguments, two valid calls, one rejected by its schema', async () => {
    const out = await example('anthropic-tool-calls');
    expect(out).toContain('  … get_weather {"city":"Lis"}');
    expect(out).toContain('call get_weather({"city":"Lisbon","unit":"celsius"})  [toolu_01Weather0Lisbon]');
    expect(out).toMatch(/rejected get_weather: schema: .*toolu_01Weather0Oslo/);
    expect(out).toContain('call convert_currency({"amount":129.5,"from":"EUR","to":"NOK"})');
    expect(out).toContain("text: I'll look up the weather in both cities and convert the price for you.");
    expect(out).toContain('finish: tool-calls');
  });

  it('ai-sdk-stream-text: one complete call, one truncated by the token limit', async () => {
    const out = await example('ai-sdk-stream-text');
    expect(out).toContain('Searching flights both ways.');
    expect(out).toContain('complete: {"from":"LIS","to":"OSL","date":"2025-03-14","passengers":2}');
    expect(out).toMatch(/truncated: Tool call "search_flights" \(call_back\) was cut off/);
    expect(out).toContain('finish: length');
  });

  it('fetch-sse-parse-stream: throttled updates with their deltas, then the validated value', async () => {
    const out = await example('fetch-sse-parse-stream');
    expect(out).toMatch(/^update: \d+ deltas \(add \/[,)]/m);
    expect(out).toContain('[ingredients unchanged]');
    expect(out).toContain('done: 4 steps, 5 ingredients, validated');
  });

  it('jsonl-batch-check: each line checked; a cut line reported in place', async () => {
    const out = await example('jsonl-batch-check');
    expect(out).toContain('line 1: review-001: ok (positive, 0.92)');
    expect(out).toContain('line 3: review-003: answer fails the schema at sentiment');
    expect(out).toContain('line 4: review-004: request failed (status 500)');
    expect(out).toMatch(/line 6: not JSON: Unexpected end of JSON input at position \d+ \(line 6 column \d+\)/);
    expect(out).toContain('line 7: review-007: ok (positive, 0.87)');
    expect(out).toContain('summary: 4 ok, 1 invalid, 1 failed requests, 1 unreadable lines');
  });
});
