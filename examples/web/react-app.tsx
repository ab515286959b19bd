/**
 * The React page: two recorded streams parsed in the browser with `streamshape/react`. The
 * trip-plan answer renders field by field (read by several components from one store, so the
 * page can check they never disagree), and a `write_file` tool call's `content` types into a
 * code box. Bundled by server.ts with esbuild (JSX from tsconfig.json), React's development
 * build under StrictMode.
 *
 * `window.__stats` exposes what the end-to-end test counts: commits per component, chunks read,
 * animation frames, and commits in which two readers of one store showed different snapshots.
 */
import { memo, StrictMode, useEffect, useLayoutEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createPartialStore, type PartialSnapshot, type PartialStore } from 'streamshape';
import { usePartialJson, usePartialStore } from 'streamshape/react';
import { TripPlan, WriteFile } from './schemas.js';

interface Stats {
  commits: Record<string, number>;
  chunks: Record<string, number>;
  frames: number;
  tears: number;
  snapshots: number;
}
const stats: Stats = { commits: {}, chunks: {}, frames: 0, tears: 0, snapshots: 0 };
(window as unknown as { __stats: Stats }).__stats = stats;
const countFrames = () => {
  stats.frames++;
  requestAnimationFrame(countFrames);
};
requestAnimationFrame(countFrames);

const shown = new Map<string, WeakSet<object>>();

/**
 * Counts the commits of this component that showed a new snapshot (StrictMode's second run of
 * an effect, or a parent's re-render with the same snapshot, does not count).
 */
function useCommitCounter(name: string, snapshot: object): void {
  useEffect(() => {
    let seen = shown.get(name);
    if (seen === undefined) shown.set(name, (seen = new WeakSet()));
    if (seen.has(snapshot)) return;
    seen.add(snapshot);
    stats.commits[name] = (stats.commits[name] ?? 0) + 1;
  });
}

/**
 * The body of `url`, fetched on its first read (so a stream made during a render that React
 * throws away costs nothing), cancelled with the fetch when the store stops.
 */
function lazyBody(url: string, name: string): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  stats.chunks[name] = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= (await fetch(url, { signal: abort.signal })).body!.getReader();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else {
          stats.chunks[name]!++;
          controller.enqueue(value);
        }
      },
      cancel(reason) {
        abort.abort(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function Status({ snapshot }: { snapshot: PartialSnapshot<unknown, unknown> }): ReactNode {
  const text = snapshot.status === 'error' ? `error: ${(snapshot.error as Error).message}` : snapshot.status;
  return (
    <span className="status" data-state={snapshot.status}>
      {text}
    </span>
  );
}

// readme:react:start
/**
 * How a field shows: `pending` lists the value still growing, so it is `'typing'` while the
 * stream runs and `'cut'` when the stream failed or stopped inside it.
 */
const mark = (snapshot: PartialSnapshot<unknown, unknown>, pointer: string): 'typing' | 'cut' | undefined =>
  !snapshot.pending.includes(pointer) ? undefined : snapshot.status === 'streaming' ? 'typing' : 'cut';

function WriteFileCall({ body }: { body: ReadableStream<Uint8Array> | null }) {
  const call = usePartialJson(body, { schema: WriteFile });
  const { value, done, error } = call;
  useCommitCounter('file', call);
  return (
    <section data-testid="file" aria-busy={!done}>
      <h2>
        write_file <code>{value?.path}</code> <Status snapshot={call} />
      </h2>
      <pre>
        <code data-testid="code" className={mark(call, '/content')}>
          {value?.content}
        </code>
      </pre>
      {error !== undefined && <p role="alert">{String(error)}</p>}
    </section>
  );
}
// readme:react:end

type Plan = PartialSnapshot<unknown, Partial<Record<string, unknown>>>;

/** One day of the itinerary: memoised, so days that did not change skip their render. */
const Day = memo(function Day({ day }: { day: { day?: number; title?: string; activities?: string[] } }) {
  useCommitCounter(`day-${day.day ?? '?'}`, day);
  return (
    <li data-testid="day">
      <strong>{day.title}</strong>
      <ul>{(day.activities ?? []).map((a, i) => <li key={i}>{a}</li>)}</ul>
    </li>
  );
});

function Answer({ store }: { store: PartialStore<unknown, Partial<Record<string, unknown>>> }): ReactNode {
  const plan = usePartialStore(store) as Plan;
  useCommitCounter('answer', plan);
  const value = plan.value as
    | { destination?: string; days?: number; summary?: string; itinerary?: { day?: number; title?: string; activities?: string[] }[]; budget?: { currency?: string; total?: number } }
    | undefined;
  return (
    <section data-testid="answer" data-seq={JSON.stringify(plan.value ?? null).length}>
      <h2>
        Trip plan <Status snapshot={plan} />
      </h2>
      <dl>
        <dt>destination</dt>
        <dd data-testid="destination">{value?.destination}</dd>
        <dt>days</dt>
        <dd data-testid="days">{value?.days}</dd>
        <dt>summary</dt>
        <dd data-testid="summary" className={mark(plan, '/summary')}>
          {value?.summary}
        </dd>
        <dt>budget</dt>
        <dd data-testid="budget">{value?.budget?.total === undefined ? '' : `${value.budget.total} ${value.budget.currency ?? ''}`}</dd>
      </dl>
      <ol>{(value?.itinerary ?? []).map((day, i) => <Day key={i} day={day} />)}</ol>
    </section>
  );
}

/** Another reader of the answer's store: in every commit it must show what Answer shows. */
function Probe({ store, index }: { store: PartialStore<unknown, unknown>; index: number }): ReactNode {
  const snapshot = usePartialStore(store);
  // A slow render, so a concurrent render would have time to see two different snapshots.
  const until = performance.now() + 1;
  while (performance.now() < until);
  return <span className="probe" data-testid="probe" data-index={index} data-seq={JSON.stringify(snapshot.value ?? null).length} />;
}

/** After each commit of the page: every reader of the answer store shows the same snapshot. */
function TearCheck(): ReactNode {
  useLayoutEffect(() => {
    const seqs = new Set([...document.querySelectorAll('[data-testid="answer"], [data-testid="probe"]')].map((e) => e.getAttribute('data-seq')));
    if (seqs.size > 1) stats.tears++;
  });
  return null;
}

/** 500 chunks handed over in one task: the parser reads them all, React renders a few times. */
function Burst(): ReactNode {
  const [body] = useState(() => {
    const parts = ['{"lines": ['];
    for (let i = 0; i < 498; i++) parts.push(`${i === 0 ? '' : ','}"line ${i}"`);
    parts.push(']}');
    stats.chunks['burst'] = parts.length;
    return new ReadableStream<string>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
  });
  const burst = usePartialJson(body);
  const { value, done } = burst;
  useCommitCounter('burst', burst);
  const lines = (value as { lines?: string[] } | undefined)?.lines;
  return (
    <p data-testid="burst" data-done={String(done)}>
      burst: {lines?.length ?? 0} lines from {stats.chunks['burst']} chunks
    </p>
  );
}

function App(): ReactNode {
  const search = new URLSearchParams(location.search);
  const [run, setRun] = useState(0);
  const [delay, setDelay] = useState(search.get('delay') ?? '30');
  // One pair of streams per run: made once per run (state), read once.
  const [streams, setStreams] = useState(() => makeStreams(run, delay));
  function makeStreams(n: number, ms: string) {
    const query = new URLSearchParams({ delay: ms });
    const pause = search.get('pause');
    if (n === 0 && pause !== null) query.set('pause', pause);
    const answerBody = lazyBody(`/api/text?doc=answer&${query}`, 'answer');
    return {
      run: n,
      file: lazyBody(`/api/text?doc=file&${query}`, 'file'),
      answer: createPartialStore(answerBody, { schema: TripPlan }) as unknown as PartialStore<unknown, Partial<Record<string, unknown>>>,
    };
  }
  const replay = (ms = delay) => {
    setRun(run + 1);
    setStreams(makeStreams(run + 1, ms));
  };
  useEffect(() => streams.answer.subscribe(() => void stats.snapshots++), [streams]);
  return (
    <>
      <div className="controls">
        <button type="button" data-testid="replay" onClick={() => replay()}>
          Replay
        </button>
        <label>
          Speed{' '}
          <select
            value={delay}
            onChange={(e) => {
              setDelay(e.target.value);
              replay(e.target.value);
            }}
          >
            <option value="100">slow</option>
            <option value="30">normal</option>
            <option value="5">fast</option>
            <option value="0">instant</option>
            {!['100', '30', '5', '0'].includes(delay) && <option value={delay}>{delay} ms/event</option>}
          </select>
        </label>
        <span data-testid="run">run {streams.run + 1}</span>
      </div>
      <div className="grid">
        <Answer store={streams.answer} />
        <WriteFileCall body={streams.file} />
      </div>
      <div className="probes">
        {[0, 1, 2, 3].map((i) => (
          <Probe key={i} store={streams.answer} index={i} />
        ))}
      </div>
      <TearCheck />
      <Burst />
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
