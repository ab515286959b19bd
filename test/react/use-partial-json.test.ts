/**
 * streamshape/react in Node: server rendering shows the idle state and reads nothing, and the
 * entry loads React only from itself. The hook's behaviour in a browser (coalesced renders, no
 * tearing, StrictMode) is tested in Chromium by test/examples/web.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { createPartialStore } from 'streamshape';
import { usePartialJson, usePartialStore } from 'streamshape/react';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

function countingSource(chunks: string[]) {
  const state = { pulls: 0 };
  const stream = new ReadableStream<string>({
    pull(controller) {
      state.pulls++;
      const next = chunks.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  }, { highWaterMark: 0 });
  return { stream, state };
}

describe('streamshape/react', () => {
  it('server rendering shows the idle snapshot and never reads the source', () => {
    const { stream, state } = countingSource(['{"title": "x"}']);
    function Title() {
      const { status, value, done, pending } = usePartialJson(stream, { schema: z.object({ title: z.string() }) });
      return createElement('h1', { 'data-status': status, 'data-done': String(done), 'data-pending': pending.length }, value?.title ?? '…');
    }
    expect(renderToString(createElement(Title))).toBe('<h1 data-status="idle" data-done="false" data-pending="0">…</h1>');
    expect(state.pulls).toBe(0);
    expect(stream.locked).toBe(false);
  });

  it('a null source is idle; usePartialStore reads a shared store', () => {
    function Nothing() {
      return createElement('p', null, usePartialJson(null).status);
    }
    expect(renderToString(createElement(Nothing))).toBe('<p>idle</p>');
    const store = createPartialStore(countingSource(['[1]']).stream);
    function Shared() {
      return createElement('p', null, usePartialStore(store).status, '/', usePartialStore(undefined).status);
    }
    expect(renderToString(createElement(Shared))).toBe('<p>idle<!-- -->/<!-- -->idle</p>');
  });

  it('a bad option fails at the first render, before any source arrives, as it does with one', () => {
    const bad: [object, RegExp][] = [
      [{ select: ['/items/*'] }, /select: pass pointers\("\/items\/\*"\)/],
      [{ text: '/title' }, /text: pass pointers/],
      [{ throttleMs: -1 }, /throttleMs must be/],
      [{ lenient: 'yes' }, /lenient/],
    ];
    for (const [options, message] of bad) {
      for (const source of [null, countingSource(['{}']).stream]) {
        function Form() {
          return createElement('p', null, usePartialJson(source, options as never).status);
        }
        expect(() => renderToString(createElement(Form)), JSON.stringify(options)).toThrow(message);
      }
    }
  });

  it('only the react entry imports react; the main entry does not', () => {
    const main = readFileSync(new URL('../../src/streams/store.ts', import.meta.url), 'utf8');
    expect(main).not.toMatch(/from 'react'/);
    const entry = readFileSync(new URL('../../src/react/index.ts', import.meta.url), 'utf8');
    expect(entry).toMatch(/from 'react'/);
  });
});
