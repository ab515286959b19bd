/**
 * The browser demo end to end: the demo server, Debian's Chromium driven by playwright-core,
 * and both pages rendering while they stream. The server holds the streams at chosen provider
 * events (`pause=`) so intermediate renders are checked without timing. Screenshots go to a
 * temporary folder (printed), never into the repository.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { getEventListeners } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay, sleep, startWebDemo, type WebDemo } from '../../examples/web/server.js';

const executablePath = process.env['STREAMSHAPE_CHROMIUM'] ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
if (!available) {
  console.warn(
    `[streamshape tests] ${executablePath} is absent: the browser demo's end-to-end test is skipped ` +
      '(install Debian\'s "chromium" package, as .ci/run does).',
  );
}

describe('web demo server', () => {
  it('sleep() and the replay leave no abort listener behind (one per event leaked before)', async () => {
    const abort = new AbortController();
    await sleep(1, abort.signal);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    const recording = readFileSync(new URL('../../examples/streams/anthropic-trip-plan.sse', import.meta.url), 'utf8');
    let events = 0;
    for await (const _ of replay(recording, { delayMs: 1, pauses: new Set() }, abort.signal)) events++;
    expect(events).toBeGreaterThan(100);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
  });
});

describe.skipIf(!available)('web demo in headless Chromium', () => {
  let demo: WebDemo;
  let browser: Browser;
  const shots = mkdtempSync(join(tmpdir(), 'streamshape-web-'));

  beforeAll(async () => {
    demo = await startWebDemo();
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    console.info(`[web e2e] screenshots in ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  const resume = () => fetch(new URL('/api/resume', demo.url), { method: 'POST' });
  const text = (page: Page, selector: string) => page.locator(selector).first().textContent();
  const count = (page: Page, selector: string) => page.locator(selector).count();
  const state = (page: Page) => page.getAttribute('#status', 'data-state');
  const finished = (page: Page) => page.waitForSelector('#status:not([data-state="streaming"]):not([data-state="loading"])');
  async function open(path: string, width = 1200): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL(path, demo.url).href);
    return { page, errors };
  }

  it('renders the object as it grows, in place (a selection survives), and ends saying "truncated"', async () => {
    // Hold after the 14th provider event (early in the JSON text), then after the 120th (the
    // second tool call's arguments are streaming).
    const { page, errors } = await open('/?delay=0&pause=14,120');

    // First hold: some fields present, not all; no tool calls yet.
    await page.waitForSelector('[data-field="/destination"]');
    expect(await text(page, '[data-path="/destination"]')).toBe('Lisbon');
    expect(await count(page, '[data-field="/budget"]')).toBe(0);
    expect(await count(page, '[data-field="/itinerary"]')).toBe(0);
    expect(await count(page, '[data-testid="tool-call"]')).toBe(0);
    expect(await state(page)).toBe('streaming');
    // The reader selects the destination and the page tags its element.
    await page.evaluate(() => {
      const element = document.querySelector('[data-path="/destination"]')! as HTMLElement & { tag?: string };
      element.tag = 'kept';
      const range = document.createRange();
      range.selectNodeContents(element);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    await page.screenshot({ path: join(shots, 'web-demo-partial.png') });

    // Second hold: the output is whole, the first call complete, the second still streaming.
    await resume();
    await page.waitForSelector('[data-testid="tool-call"][data-name="book_hotel"]');
    expect(await page.getAttribute('[data-testid="tool-call"][data-name="get_weather"]', 'data-status')).toBe('complete');
    expect(await page.getAttribute('[data-testid="tool-call"][data-name="book_hotel"]', 'data-status')).toBe('streaming');
    expect(await text(page, '[data-path="/budget/total"]')).toBe('640');
    expect(await state(page)).toBe('streaming');
    // Updated in place: the same element (still tagged, still highlighted as new), the selection kept.
    expect(
      await page.evaluate(() => {
        const element = document.querySelector('[data-path="/destination"]') as HTMLElement & { tag?: string };
        return { tag: element.tag, fresh: element.classList.contains('fresh'), selected: getSelection()!.toString() };
      }),
    ).toEqual({ tag: 'kept', fresh: true, selected: 'Lisbon' });
    // The field still streaming is marked, and only that one.
    expect(await count(page, '.typing')).toBe(1);
    expect(await page.getAttribute('.typing', 'data-path')).toMatch(/^\/toolCalls\/1\/arguments\//);

    // The end: the stream stops at max_tokens, so the second call is truncated, never complete.
    await resume();
    await finished(page);
    expect(await state(page)).toBe('truncated');
    expect(await text(page, '#detail')).toMatch(/token limit: book_hotel cut off/);
    expect(await page.getAttribute('[data-testid="tool-call"][data-name="book_hotel"]', 'data-status')).toBe('truncated');
    expect(await text(page, '[data-testid="tool-call"][data-name="book_hotel"] .error')).toMatch(/cut off .* must not be executed/);
    // The field the run left unfinished is marked as cut off; nothing is "typing" any more.
    expect(await count(page, '[data-testid="tool-call"][data-name="book_hotel"] .cut')).toBe(1);
    expect(await count(page, '.typing')).toBe(0);
    expect(await text(page, '[data-testid="tool-call"][data-name="get_weather"] [data-path$="/arguments/unit"]')).toBe('celsius');
    expect(await count(page, '[data-path="/itinerary"] > li')).toBe(3);
    expect(await text(page, '[data-path="/itinerary/2/activities/2"]')).toBe('LX Factory bookshop');
    expect(await text(page, '#counter')).toMatch(/finish: length/);
    expect(await page.evaluate(() => getSelection()!.toString())).toBe('Lisbon');
    await page.screenshot({ path: join(shots, 'web-demo.png'), fullPage: true });
    expect(existsSync(join(shots, 'web-demo.png'))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says what happened: complete, invalid, schema failure (the server\'s verdicts)', async () => {
    const expected = {
      complete: /every tool call complete/,
      invalid: /output is not valid JSON: Unexpected ","/,
      schema: /output broke its schema at \/days/,
    };
    for (const [scenario, detail] of Object.entries(expected)) {
      const { page, errors } = await open(`/?delay=0&scenario=${scenario}`);
      await finished(page);
      expect(await state(page), scenario).toBe(scenario);
      expect(await text(page, '#detail')).toMatch(detail);
      expect(await count(page, '.typing')).toBe(0);
      expect(await count(page, '[data-testid="tool-call"][data-status="complete"]')).toBe(1);
      expect(await count(page, '[data-testid="tool-call"]')).toBe(1);
      if (scenario === 'complete') expect(await count(page, '.cut')).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('a dropped connection shows "connection lost" with a retry that works; replay runs again', async () => {
    const { page, errors } = await open('/?delay=0&cut=40');
    await finished(page);
    expect(await state(page)).toBe('lost');
    expect(await text(page, '#status')).toBe('connection lost');
    expect(await page.isVisible('#retry')).toBe(true);
    await page.click('#retry');
    await page.waitForSelector('#status[data-state="truncated"]');
    expect(await page.isVisible('#retry')).toBe(false);
    await page.selectOption('#scenario', 'complete');
    await page.waitForSelector('#status[data-state="complete"]');
    await page.click('#replay');
    await page.waitForSelector('#status[data-state="complete"]');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a 390 px wide screen: no horizontal overflow, on both pages', async () => {
    for (const path of ['/?delay=0', '/react?delay=0']) {
      const { page, errors } = await open(path, 390);
      if (path.startsWith('/react')) await page.waitForSelector('[data-testid="file"] .status[data-state="done"]');
      else await finished(page);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(shots, `narrow-${path.startsWith('/react') ? 'react' : 'web'}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('React page: usePartialJson renders while streaming, the content field types into the code box, renders are coalesced, no tearing', async () => {
    const file = JSON.parse(await (await fetch(new URL('/api/text?doc=file&delay=0', demo.url))).text()) as { path: string; content: string };
    // Hold both streams after their 30th provider event.
    const { page, errors } = await open('/react?delay=0&pause=30');
    await page.waitForSelector('[data-testid="code"]:not(:empty)');
    await page.waitForFunction(() => document.querySelector('[data-testid="destination"]')?.textContent === 'Lisbon');
    // Intermediate render: part of the file, typing; the answer partial.
    const partial = (await text(page, '[data-testid="code"]'))!;
    expect(file.content.startsWith(partial)).toBe(true);
    expect(partial.length).toBeLessThan(file.content.length);
    expect(await page.getAttribute('[data-testid="code"]', 'class')).toBe('typing');
    expect(await page.getAttribute('[data-testid="file"] .status', 'data-state')).toBe('streaming');
    expect(await text(page, '[data-testid="file"] h2 code')).toBe('src/server.ts');
    expect(await count(page, '[data-testid="day"]')).toBeLessThan(3);
    expect(await page.getAttribute('[data-testid="answer"] .status', 'data-state')).toBe('streaming');
    await page.screenshot({ path: join(shots, 'react-partial.png') });

    await resume();
    await page.waitForSelector('[data-testid="file"] .status[data-state="done"]');
    await page.waitForSelector('[data-testid="answer"] .status[data-state="done"]');
    // The final render: the whole file, no caret; the validated answer.
    expect(await text(page, '[data-testid="code"]')).toBe(file.content);
    expect(await page.getAttribute('[data-testid="code"]', 'class')).toBeNull();
    expect(await count(page, '[data-testid="day"]')).toBe(3);
    expect(await text(page, '[data-testid="budget"]')).toBe('640 EUR');
    await page.waitForSelector('[data-testid="burst"][data-done="true"]');
    await page.screenshot({ path: join(shots, 'react.png'), fullPage: true });

    const stats = await page.evaluate(() => (window as unknown as { __stats: { commits: Record<string, number>; chunks: Record<string, number>; frames: number; tears: number; snapshots: number } }).__stats);
    console.info(`[web e2e] React page: ${JSON.stringify(stats)}`);
    // No commit showed two readers of one store with different snapshots.
    expect(stats.tears).toBe(0);
    // Commits that showed a new snapshot: at most one per animation frame and one per store
    // notification (plus the idle render), never one per chunk: 500 chunks handed over in one
    // task make a handful (idle, streaming, the first chunk at once, the rest a frame later, done).
    expect(stats.commits['file']!).toBeLessThanOrEqual(stats.frames + 2);
    expect(stats.commits['answer']!).toBeLessThanOrEqual(stats.snapshots + 2);
    expect(stats.chunks['burst']).toBe(500);
    expect(stats.commits['burst']!).toBeLessThanOrEqual(5);
    expect(await text(page, '[data-testid="burst"]')).toBe('burst: 498 lines from 500 chunks');

    // Replay: new streams, new stores, the same final render.
    await page.click('[data-testid="replay"]');
    await page.waitForSelector('[data-testid="run"]:text("run 2")');
    await page.waitForSelector('[data-testid="file"] .status[data-state="done"]');
    expect(await text(page, '[data-testid="code"]')).toBe(file.content);
    expect(errors).toEqual([]);
    await page.close();
  });
});
