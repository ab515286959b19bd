/**
 * The page's script: reads the server's forwarded deltas with `receiveUpdates`, and renders the
 * trip plan as it grows (each field appearing, then filling in) and the tool calls with their
 * states. Bundled for the browser by server.ts.
 */
import { receiveUpdates, type StreamView, type ToolCallView } from 'streamshape/forward';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Renders any JSON value; `fresh` holds the JSON Pointers added by this update (highlighted). */
function render(value: unknown, pointer: string, fresh: ReadonlySet<string>): string {
  const mark = fresh.has(pointer) ? ' fresh' : '';
  if (Array.isArray(value)) {
    const items = value.map((item, i) => `<li>${render(item, `${pointer}/${i}`, fresh)}</li>`).join('');
    return `<ol class="array${mark}" data-path="${escape(pointer)}">${items}</ol>`;
  }
  if (typeof value === 'object' && value !== null) {
    const rows = Object.entries(value)
      .map(
        ([key, child]) =>
          `<div class="field${fresh.has(`${pointer}/${key}`) ? ' fresh' : ''}" data-field="${escape(`${pointer}/${key}`)}">` +
          `<span class="key">${escape(key)}</span>${render(child, `${pointer}/${key}`, fresh)}</div>`,
      )
      .join('');
    return `<div class="object${mark}" data-path="${escape(pointer)}">${rows}</div>`;
  }
  const kind = typeof value === 'string' ? 'string' : 'scalar';
  return `<span class="${kind}${mark}" data-path="${escape(pointer)}">${escape(typeof value === 'string' ? value : JSON.stringify(value))}</span>`;
}

function statusOf(call: ToolCallView): string {
  return call.status === 'failed' ? (call.error?.reason ?? 'failed') : call.status;
}

function renderCall(call: ToolCallView, fresh: ReadonlySet<string>, i: number): string {
  const status = statusOf(call);
  return (
    `<div class="call ${escape(status)}" data-testid="tool-call" data-name="${escape(call.name)}" data-status="${escape(status)}">` +
    `<div class="call-head"><code>${escape(call.name)}</code><span class="badge">${escape(status)}</span></div>` +
    (call.arguments === undefined ? '<div class="muted">waiting for arguments…</div>' : render(call.arguments, `/toolCalls/${i}/arguments`, fresh)) +
    (call.error === undefined ? '' : `<div class="error">${escape(call.error.message)}</div>`) +
    `</div>`
  );
}

async function main(): Promise<void> {
  const status = $('#status');
  const output = $('#output');
  const calls = $('#calls');
  const counter = $('#counter');
  const search = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  for (const key of ['delay', 'pause']) {
    const v = search.get(key);
    if (v !== null) query.set(key, v);
  }
  let events = 0;
  let deltas = 0;
  status.textContent = 'streaming';
  status.dataset['state'] = 'streaming';
  try {
    const response = await fetch(`/api/stream?${query}`);
    for await (const update of receiveUpdates<StreamView>(response)) {
      const view = update.value as StreamView | undefined;
      if (view === undefined) continue;
      events++;
      deltas += update.deltas.length;
      const fresh = new Set(update.deltas.filter((d) => d.op === 'add').map((d) => '/' + d.path.join('/')));
      const outputFresh = new Set([...fresh].filter((p) => p.startsWith('/output')).map((p) => p.slice('/output'.length)));
      output.innerHTML = view.output === undefined ? '<div class="muted">waiting for the model…</div>' : render(view.output, '', outputFresh);
      calls.innerHTML = view.toolCalls.length === 0 ? '<div class="muted">none yet</div>' : view.toolCalls.map((c, i) => renderCall(c, fresh, i)).join('');
      counter.textContent = `${events} SSE events, ${deltas} deltas${view.finishReason ? `, finish: ${view.finishReason}` : ''}`;
      if (update.done) {
        status.textContent = 'done';
        status.dataset['state'] = 'done';
      }
    }
  } catch (error) {
    status.textContent = `error: ${(error as Error).message}`;
    status.dataset['state'] = 'error';
  }
}

void main();
