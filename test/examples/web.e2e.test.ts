/**
 * The browser demo end to end: the demo server, Debian's Chromium driven by playwright-core,
 * and the page rendering the forwarded value while it streams. The server holds the stream at
 * chosen provider events (`pause=`) so intermediate renders are checked without timing.
 * Saves screenshots to test-results/ (gitignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDemo, type WebDemo } from '../../examples/web/server.js';

const executablePath = process.env['STREAMSHAPE_CHROMIUM'] ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
if (!available) {
  console.warn(
    `[streamshape tests] ${executablePath} is absent: the browser demo's end-to-end test is skipped ` +
      '(install Debian\'s "chromium" package, as .ci/run does).',
  );
}

describe.skipIf(!available)('web demo in headless Chromium', () => {
  let demo: WebDemo;
  let browser: Browser;

  beforeAll(async () => {
    demo = await startWebDemo();
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  const resume = () => fetch(new URL('/api/resume', demo.url), { method: 'POST' });
  const text = (page: Page, selector: string) => page.locator(selector).first().textContent();
  const count = (page: Page, selector: string) => page.locator(selector).count();

  it('renders the object as it grows, tool calls with their states, and the final value', async () => {
    mkdirSync('test-results', { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // Hold after the 14th provider event (early in the JSON text), then after the 120th (the
    // second tool call's arguments are streaming).
    await page.goto(`${demo.url}?delay=0&pause=14,120`);

    // First hold: some fields present, not all; no tool calls yet.
    await page.waitForSelector('[data-field="/destination"]');
    expect(await text(page, '[data-path="/destination"]')).toBe('Lisbon');
    expect(await count(page, '[data-field="/budget"]')).toBe(0);
    expect(await count(page, '[data-field="/itinerary"]')).toBe(0);
    expect(await count(page, '[data-testid="tool-call"]')).toBe(0);
    expect(await page.getAttribute('#status', 'data-state')).toBe('streaming');
    await page.screenshot({ path: 'test-results/web-demo-partial.png' });

    // Second hold: the output is whole, the first call complete, the second still streaming.
    await resume();
    await page.waitForSelector('[data-testid="tool-call"][data-name="book_hotel"]');
    expect(await page.getAttribute('[data-testid="tool-call"][data-name="get_weather"]', 'data-status')).toBe('complete');
    expect(await page.getAttribute('[data-testid="tool-call"][data-name="book_hotel"]', 'data-status')).toBe('streaming');
    expect(await text(page, '[data-path="/budget/total"]')).toBe('640');
    expect(await page.getAttribute('#status', 'data-state')).toBe('streaming');

    // The end: the stream stops at max_tokens, so the second call is truncated, never complete.
    await resume();
    await page.waitForSelector('#status[data-state="done"]');
    expect(await page.getAttribute('[data-testid="tool-call"][data-name="book_hotel"]', 'data-status')).toBe('truncated');
    expect(await text(page, '[data-testid="tool-call"][data-name="book_hotel"] .error')).toMatch(/cut off .* must not be executed/);
    expect(await text(page, '[data-testid="tool-call"][data-name="get_weather"] [data-path$="/arguments/unit"]')).toBe('celsius');
    expect(await count(page, '[data-path="/itinerary"] > li')).toBe(3);
    expect(await text(page, '[data-path="/itinerary/2/activities/2"]')).toBe('LX Factory bookshop');
    expect(await text(page, '#counter')).toMatch(/finish: length/);
    await page.screenshot({ path: 'test-results/web-demo.png', fullPage: true });
    expect(existsSync('test-results/web-demo.png')).toBe(true);
    expect(errors).toEqual([]);
  });
});
