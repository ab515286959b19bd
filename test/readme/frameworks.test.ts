/**
 * README "Frameworks": the React block is the demo page's own component (run in Chromium by
 * test/examples/web.e2e.test.ts), and the Vue, Svelte and Solid blocks are run here, compiled
 * from the README's text with esbuild, against small stand-ins with each framework's contract
 * (the frameworks are not dependencies of this repository).
 */
import { transformSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as streamshape from '../../src/index.js';
import type { PartialSnapshot } from '../../src/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Frameworks'), readme.indexOf('\n## ', readme.indexOf('## Frameworks') + 3));

/** The section's fenced blocks of `lang`. */
function blocks(lang: string): string[] {
  return [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

/** Disposers the stand-ins registered (component scopes, Solid owners). */
let disposers: (() => void)[] = [];

/** Vue 3: `shallowRef` (reactive on `.value` assignment only) and `onScopeDispose`. */
const vue = {
  shallowRef: <T>(value: T) => ({ value }),
  onScopeDispose: (fn: () => void) => void disposers.push(fn),
};

/** Svelte: `readable(initial, start)`, started by the first subscriber, stopped by the last. */
const svelteStore = {
  readable<T>(initial: T, start: (set: (value: T) => void) => () => void) {
    let value = initial;
    let stop: (() => void) | undefined;
    const runs = new Set<(value: T) => void>();
    const set = (next: T) => {
      if (next === value) return;
      value = next;
      for (const run of runs) run(value);
    };
    return {
      subscribe(run: (value: T) => void) {
        runs.add(run);
        if (runs.size === 1) stop = start(set);
        run(value);
        return () => {
          runs.delete(run);
          if (runs.size === 0) stop?.();
        };
      },
    };
  },
};

/** Solid: `from(producer)`, an accessor whose producer's cleanup runs with the owner. */
const solid = {
  from<T>(producer: (set: (value: T) => void) => () => void) {
    let value: T | undefined;
    disposers.push(producer((next) => (value = next)));
    return () => value;
  },
};

/** Compiles a README block (TypeScript, ES modules) and runs it with the stand-ins as its imports. */
function load(code: string): Record<string, (...args: unknown[]) => unknown> {
  const js = transformSync(code, { loader: 'ts', format: 'cjs', target: 'es2022' }).code;
  const modules: Record<string, unknown> = { vue, 'svelte/store': svelteStore, 'solid-js': solid, streamshape };
  const require = (name: string) => {
    if (!(name in modules)) throw new Error(`the README block imports ${name}`);
    return modules[name];
  };
  const module = { exports: {} as Record<string, (...args: unknown[]) => unknown> };
  new Function('require', 'module', 'exports', js)(require, module, module.exports);
  return module.exports;
}

/** A source that yields `chunks` one macrotask apart, then stays open if `hang`. */
function source(chunks: string[], hang = false): ReadableStream<string> {
  let i = 0;
  return new ReadableStream<string>(
    {
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (i < chunks.length) controller.enqueue(chunks[i++]!);
        else if (!hang) controller.close();
        else await new Promise(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}

const macrotask = () => new Promise((resolve) => setTimeout(resolve, 0));
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await macrotask();
  expect(check()).toBe(true);
}

const chunks = ['{"title": "Pa', 'sta", "steps": ["boil"', ', "drain"]}'];
const final = { title: 'Pasta', steps: ['boil', 'drain'] };

describe('README "Frameworks"', () => {
  it('the React block is the demo page\'s component, word for word', () => {
    const page = readFileSync(new URL('../../examples/web/react-app.tsx', import.meta.url), 'utf8');
    const start = page.indexOf('// readme:react:start\n') + '// readme:react:start\n'.length;
    const code = page.slice(start, page.indexOf('// readme:react:end'));
    expect(blocks('tsx')).toEqual([code]);
  });

  it('has one runnable block each for Vue, Svelte and Solid', () => {
    const found = blocks('ts').map((b) => /from '(vue|svelte\/store|solid-js)'/.exec(b)?.[1]);
    expect(found).toEqual(['vue', 'svelte/store', 'solid-js']);
  });

  it.each([
    ['vue', 'usePartialJson', (handle: unknown) => (handle as { value: PartialSnapshot }).value],
    ['svelte/store', 'partialJson', undefined],
    ['solid-js', 'createPartialJson', (handle: unknown) => (handle as () => PartialSnapshot)()],
  ] as const)('%s: the block renders the stream to its final value, and cleanup stops it', async (framework, name, read) => {
    const code = blocks('ts').find((b) => b.includes(`from '${framework}'`))!;
    const make = load(code)[name]!;
    disposers = [];

    // Runs to the end.
    let current: () => PartialSnapshot;
    let unsubscribe = () => {};
    const handle = make(source(chunks));
    if (read === undefined) {
      let latest: PartialSnapshot | undefined;
      unsubscribe = (handle as { subscribe(run: (v: PartialSnapshot) => void): () => void }).subscribe((v) => (latest = v));
      current = () => latest!;
    } else current = () => read(handle);
    const seen = new Set<unknown>();
    await until(() => (seen.add(current().value), current().status === 'done'));
    expect(current()).toMatchObject({ status: 'done', done: true, value: final, error: undefined });
    expect(seen.size).toBeGreaterThan(2); // partial values on the way
    unsubscribe();
    for (const dispose of disposers) dispose();

    // The component goes away mid-stream: the store stops and the source is cancelled.
    disposers = [];
    const hanging = source(chunks, true);
    const second = make(hanging);
    let stopSecond = () => {};
    let latest: PartialSnapshot | undefined;
    if (read === undefined) stopSecond = (second as { subscribe(run: (v: PartialSnapshot) => void): () => void }).subscribe((v) => (latest = v));
    const now = () => (read === undefined ? latest! : read(second));
    await until(() => JSON.stringify(now().value) === JSON.stringify(final));
    stopSecond();
    for (const dispose of disposers) dispose();
    // (No notification after unsubscribing: the stand-ins keep the last snapshot they were given.)
    await until(() => !hanging.locked);
    await expect(hanging.getReader().closed).resolves.toBeUndefined(); // cancelled: unlocked and closed
  });
});
