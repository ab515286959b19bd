/**
 * The page's script: reads the server's forwarded deltas with `receiveUpdates` and applies each
 * one to the DOM in place (the library's point: the changes, not the whole value, cross the
 * wire and the page): a new field or element is created once and keeps its "new" highlight for
 * the whole animation, string growth appends to the text node (a reader's selection survives),
 * the field still streaming is marked, and so is the field a failed run left cut off. The final
 * status says what happened: complete, truncated, invalid, schema failure, or connection lost
 * (with a retry). Bundled for the browser by server.ts.
 */
import { toJsonPointer, type Delta, type JsonPath } from 'streamshape';
import { receiveUpdates, type ForwardedErrorInfo, type StreamView, type ToolCallView } from 'streamshape/forward';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;

/** A rendered value: its element, and for a string the text node that grows. */
interface Rendered {
  element: HTMLElement;
  text?: Text;
  kind: 'object' | 'array' | 'string' | 'scalar';
}

/**
 * A JSON value rendered into `host`, kept in step with deltas whose paths are relative to it.
 * `prefix` is the pointer of the value in the whole view (for `data-path`).
 */
class Tree {
  readonly #nodes = new Map<string, Rendered>();
  #typing: HTMLElement | undefined;

  constructor(
    readonly host: HTMLElement,
    readonly prefix: string,
  ) {}

  /** Applies one delta (path relative to this tree); marks the string it grew as typing. */
  apply(delta: Delta, path: JsonPath): void {
    const pointer = toJsonPointer(path);
    if (delta.op === 'append') {
      const node = this.#nodes.get(pointer);
      if (node?.text === undefined) throw new Error(`no string at ${pointer}`);
      node.text.appendData(delta.value);
      this.#markTyping(node.element);
      return;
    }
    // add or replace: build the value once, and put it where the old one was (if any).
    this.#forget(pointer);
    const built = this.#build(delta.value, pointer, true);
    if (path.length === 0) {
      this.host.replaceChildren(built.element);
    } else {
      const parent = this.#nodes.get(toJsonPointer(path.slice(0, -1)));
      if (parent === undefined) throw new Error(`no container at ${pointer}`);
      const key = String(path[path.length - 1]);
      const slot = parent.element.querySelector<HTMLElement>(`:scope > [data-slot="${CSS.escape(key)}"]`);
      if (slot !== null) slot.replaceChild(built.element, slot.lastElementChild!);
      else parent.element.append(this.#slot(parent.kind, key, pointer, built.element));
    }
    this.#markTyping(built.kind === 'string' ? built.element : undefined);
  }

  /** The field marked as typing becomes "cut off" (the run ended before it closed), or unmarked. */
  settle(cut: boolean): void {
    if (this.#typing !== undefined && cut) {
      this.#typing.classList.add('cut');
      this.#typing.title = 'cut off: this value never finished';
    }
    this.#markTyping(undefined);
  }

  #markTyping(element: HTMLElement | undefined): void {
    if (this.#typing === element) return;
    this.#typing?.classList.remove('typing');
    this.#typing = element;
    element?.classList.add('typing');
  }

  #slot(kind: Rendered['kind'], key: string, pointer: string, child: HTMLElement): HTMLElement {
    if (kind === 'array') {
      const li = document.createElement('li');
      li.dataset['slot'] = key;
      li.append(child);
      return li;
    }
    const field = document.createElement('div');
    field.className = 'field fresh';
    field.dataset['slot'] = key;
    field.dataset['field'] = this.prefix + pointer;
    const label = document.createElement('span');
    label.className = 'key';
    label.textContent = key;
    field.append(label, child);
    return field;
  }

  #forget(pointer: string): void {
    for (const key of [...this.#nodes.keys()]) {
      if (key === pointer || key.startsWith(`${pointer}/`)) this.#nodes.delete(key);
    }
  }

  #build(value: unknown, pointer: string, fresh: boolean): Rendered {
    let node: Rendered;
    if (Array.isArray(value)) {
      const element = document.createElement('ol');
      element.className = 'array';
      node = { element, kind: 'array' };
      this.#nodes.set(pointer, node);
      value.forEach((item, i) => element.append(this.#slot('array', String(i), `${pointer}/${i}`, this.#build(item, `${pointer}/${i}`, false).element)));
    } else if (typeof value === 'object' && value !== null) {
      const element = document.createElement('div');
      element.className = 'object';
      node = { element, kind: 'object' };
      this.#nodes.set(pointer, node);
      for (const [key, child] of Object.entries(value)) {
        const childPointer = toJsonPointer([...pointerPath(pointer), key]);
        element.append(this.#slot('object', key, childPointer, this.#build(child, childPointer, false).element));
      }
    } else if (typeof value === 'string') {
      const element = document.createElement('span');
      element.className = 'string';
      const text = document.createTextNode(value);
      element.append(text);
      node = { element, text, kind: 'string' };
      this.#nodes.set(pointer, node);
    } else {
      const element = document.createElement('span');
      element.className = 'scalar';
      element.textContent = JSON.stringify(value);
      node = { element, kind: 'scalar' };
      this.#nodes.set(pointer, node);
    }
    node.element.dataset['path'] = this.prefix + pointer;
    if (fresh) node.element.classList.add('fresh');
    return node;
  }
}

function pointerPath(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A tool call's card: its head (name, status badge), its arguments tree, its error. */
class CallCard {
  readonly element = document.createElement('div');
  readonly #badge = document.createElement('span');
  readonly #args = document.createElement('div');
  readonly tree: Tree;
  status = 'streaming';

  constructor(call: ToolCallView, index: number) {
    this.element.className = 'call fresh';
    this.element.dataset['testid'] = 'tool-call';
    this.element.dataset['name'] = call.name;
    const head = document.createElement('div');
    head.className = 'call-head';
    const name = document.createElement('code');
    name.textContent = call.name;
    this.#badge.className = 'badge';
    head.append(name, this.#badge);
    this.#args.innerHTML = '<div class="muted">waiting for arguments…</div>';
    this.element.append(head, this.#args);
    this.tree = new Tree(this.#args, `/toolCalls/${index}/arguments`);
    this.setStatus(call.status, call.error?.reason);
    if (call.arguments !== undefined) this.tree.apply({ op: 'add', path: [], value: call.arguments }, []);
    if (call.error !== undefined) this.setError(call.error);
  }

  setStatus(status: ToolCallView['status'], reason?: string): void {
    this.status = status === 'failed' ? (reason ?? 'failed') : status;
    this.element.dataset['status'] = this.status;
    this.element.classList.remove('streaming', 'complete', 'failed', 'truncated', 'schema', 'invalid-json', 'unknown-tool');
    this.element.classList.add(this.status);
    this.#badge.textContent = this.status;
    if (status !== 'streaming') this.tree.settle(status === 'failed');
  }

  setError(error: NonNullable<ToolCallView['error']>): void {
    this.setStatus('failed', error.reason);
    const div = document.createElement('div');
    div.className = 'error';
    div.textContent = error.message;
    this.element.append(div);
  }
}

/** What a finished run says, from the server's own verdicts. */
function verdict(view: StreamView): { state: string; label: string; detail: string } {
  const failed = view.toolCalls.filter((c) => c.status === 'failed');
  const outputError = view.outputError as ForwardedErrorInfo | undefined;
  if (view.finishReason === 'length' || failed.some((c) => c.error?.reason === 'truncated')) {
    const cut = failed.filter((c) => c.error?.reason === 'truncated').map((c) => c.name);
    return {
      state: 'truncated',
      label: 'truncated',
      detail: `the model hit its token limit${cut.length > 0 ? `: ${cut.join(', ')} cut off, not executed` : ''}`,
    };
  }
  if (outputError?.name === 'SchemaValidationError' || failed.some((c) => c.error?.reason === 'schema')) {
    const issue = outputError?.issues?.[0];
    return {
      state: 'schema',
      label: 'schema failure',
      detail: outputError === undefined ? 'a tool call broke its schema' : `the output broke its schema${issue ? ` at /${issue.path.join('/')}: ${issue.message}` : ''}`,
    };
  }
  if (outputError !== undefined || failed.some((c) => c.error?.reason === 'invalid-json')) {
    return { state: 'invalid', label: 'invalid', detail: outputError === undefined ? 'a tool call is not valid JSON' : `the output is not valid JSON: ${outputError.message}` };
  }
  if (failed.length > 0) return { state: 'invalid', label: 'failed', detail: failed.map((c) => `${c.name}: ${c.error?.message}`).join('; ') };
  return { state: 'complete', label: 'complete', detail: 'output valid, every tool call complete' };
}

/** One run of the stream; `stop()` abandons it (replay, retry). */
function run(query: URLSearchParams): { stop(): void } {
  const status = $('#status');
  const detail = $('#detail');
  const counter = $('#counter');
  const retry = $<HTMLButtonElement>('#retry');
  const outputHost = $('#output');
  const callsHost = $('#calls');
  outputHost.innerHTML = '<div class="muted">waiting for the model…</div>';
  callsHost.innerHTML = '<div class="muted">none yet</div>';
  const output = new Tree(outputHost, '');
  const cards: CallCard[] = [];
  const abort = new AbortController();
  const setStatus = (state: string, label: string, text = '') => {
    status.textContent = label;
    status.dataset['state'] = state;
    detail.textContent = text;
    retry.hidden = state !== 'lost' && state !== 'error';
  };
  setStatus('streaming', 'streaming');
  let events = 0;
  let deltas = 0;
  /** The tree the latest delta went to: only its field can be "typing". */
  let active: Tree | undefined;
  const touch = (tree: Tree) => {
    if (active !== tree) active?.settle(false);
    active = tree;
  };

  function applyDelta(delta: Delta, view: StreamView): void {
    const [head, second, third, ...rest] = delta.path;
    if (head === 'output') {
      touch(output);
      output.apply(delta, delta.path.slice(1));
    } else if (head === 'toolCalls' && typeof second === 'number') {
      if (third === undefined) {
        if (cards.length === 0) callsHost.replaceChildren();
        const card = new CallCard(delta.value as ToolCallView, second);
        cards[second] = card;
        callsHost.append(card.element);
      } else if (third === 'arguments') {
        touch(cards[second]!.tree);
        cards[second]!.tree.apply(delta, rest);
      } else if (third === 'status') {
        const call = view.toolCalls[second]!;
        cards[second]!.setStatus(call.status, call.error?.reason);
      } else if (third === 'error') {
        cards[second]!.setError(view.toolCalls[second]!.error!);
      }
    }
    // The view's root, `text` (not forwarded here), `finishReason` and `outputError` are read
    // from the view itself at the end.
  }

  void (async () => {
    let view: StreamView | undefined;
    try {
      const response = await fetch(`/api/stream?${query}`, { signal: abort.signal });
      for await (const update of receiveUpdates<StreamView>(response, { signal: abort.signal })) {
        view = update.value as StreamView | undefined;
        if (view === undefined) continue;
        events++;
        deltas += update.deltas.length;
        for (const delta of update.deltas) applyDelta(delta, view);
        counter.textContent = `${events} SSE events, ${deltas} deltas${view.finishReason ? `, finish: ${view.finishReason}` : ''}`;
        if (update.done) {
          const result = verdict(view);
          output.settle(view.outputError !== undefined || result.state === 'truncated');
          for (const card of cards) if (card.status === 'streaming') card.tree.settle(true);
          setStatus(result.state, result.label, result.detail);
        }
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      output.settle(true);
      for (const card of cards) if (card.status === 'streaming') card.tree.settle(true);
      const cause = (error as Error).cause as ForwardedErrorInfo | undefined;
      if (cause !== undefined && typeof cause === 'object' && 'name' in cause) {
        // The server said what failed (`event: error`).
        setStatus('error', 'failed', `${cause.name}: ${cause.message}`);
      } else {
        // fetch failed, the body broke off, or it ended without its `done` event.
        setStatus('lost', 'connection lost', 'the server stopped answering before the end; what is shown is not final');
      }
    }
  })();
  return { stop: () => abort.abort() };
}

function main(): void {
  const search = new URLSearchParams(location.search);
  const speed = $<HTMLSelectElement>('#speed');
  const scenario = $<HTMLSelectElement>('#scenario');
  if (search.has('delay')) {
    const delay = search.get('delay')!;
    if (![...speed.options].some((o) => o.value === delay)) speed.add(new Option(`${delay} ms/event`, delay));
    speed.value = delay;
  }
  if (search.has('scenario')) scenario.value = search.get('scenario')!;
  let current: { stop(): void } | undefined;
  let first = true;
  const start = () => {
    current?.stop();
    const query = new URLSearchParams({ delay: speed.value, scenario: scenario.value });
    // pause= and cut= (for the end-to-end test) apply to the first run only: a replay or a retry runs through.
    for (const key of ['pause', 'cut']) {
      const v = search.get(key);
      if (first && v !== null) query.set(key, v);
    }
    first = false;
    current = run(query);
  };
  $('#replay').addEventListener('click', start);
  $('#retry').addEventListener('click', start);
  speed.addEventListener('change', start);
  scenario.addEventListener('change', start);
  start();
}

main();
