/**
 * Renderers of a replay: a live terminal view (ANSI redraw, on a TTY), plain appended lines
 * (when stdout is not a TTY), and NDJSON events (`--json`).
 * @module
 */
import { printable } from './output.js';
import type { ReplayEvent, ReplaySummary, ToolCallSummary } from './session.js';

/** Where a renderer writes: a Node stream or a test's buffer. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  rows?: number | undefined;
}

/** What a live view reads when it draws, rather than on every event: current values, computed on demand. */
export interface ReplayView {
  /** The structured output of a choice as it stands. */
  outputValue(choice: number): unknown;
  /** A tool call's arguments as they stand. */
  toolCallArguments(choice: number, id: string): unknown;
}

/**
 * A renderer: `event` for each replay event as it happens, `finish` once with the summary.
 * `attach` (optional) receives the replay's {@link ReplayView} before the first event.
 */
export interface Renderer {
  event(event: ReplayEvent): void;
  finish(summary: ReplaySummary): void;
  attach?(view: ReplayView): void;
}

/** ANSI styling, or none. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

export function createStyle(color: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) => (color ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

/**
 * NDJSON: one JSON object per event, then `{"type":"summary", …}`. Each event is written as it
 * comes: with the session's default (`output-delta` events) the output is proportional to the
 * stream.
 */
export function createJsonRenderer(out: Output): Renderer {
  return {
    event(event) {
      out.write(JSON.stringify(event) + '\n');
    },
    finish(summary) {
      out.write(JSON.stringify({ type: 'summary', ...summary }) + '\n');
    },
  };
}

/** A repair as one line, like an error: `trailing-comma at line 3 column 9: …`. */
export function warningText(warning: { code: string; line: number; column: number; message: string }): string {
  return `${warning.code} at line ${warning.line} column ${warning.column}: ${printable(warning.message)}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

function short(value: unknown, max = 100): string {
  const text = printable(JSON.stringify(value) ?? 'undefined');
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

function pointer(path: readonly (string | number)[]): string {
  return path.length === 0 ? '/' : path.map((segment) => '/' + String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Plain lines, one per event, for logs and pipes; the final values and the summary at the end. */
export function createPlainRenderer(out: Output, style: Style = createStyle(false)): Renderer {
  const line = (t: number, kind: string, text: string): void => {
    out.write(`${style.dim(seconds(t).padStart(8))}  ${kind.padEnd(16)} ${text}\n`);
  };
  return {
    event(event) {
      switch (event.type) {
        case 'start':
          out.write(`${style.bold('streamshape replay')} ${event.source} (${event.format}, ${event.provider})\n`);
          break;
        case 'snapshot':
        case 'output-delta':
          for (const delta of event.deltas) {
            line(event.t, `output${event.choice > 0 ? `[${event.choice}]` : ''}`, `${delta.op} ${pointer(delta.path)} ${short(delta.value)}`);
          }
          break;
        case 'output-complete':
          line(event.t, 'output complete', short(event.value));
          break;
        case 'output-error':
          line(event.t, `output ${event.status}`, event.message);
          break;
        case 'output-warning':
          line(event.t, 'output warning', style.yellow(warningText(event)));
          break;
        case 'text':
          line(event.t, 'text', short(event.delta));
          break;
        case 'reasoning':
          line(event.t, 'reasoning', style.dim(short(event.delta)));
          break;
        case 'refusal':
          line(event.t, 'refusal', short(event.delta));
          break;
        case 'tool-call-start':
          line(event.t, 'tool-call start', `${event.name} (${event.id})`);
          break;
        case 'tool-call-delta':
          line(event.t, 'tool-call delta', `${event.name} ${short(event.delta)}`);
          break;
        case 'tool-call':
          line(event.t, 'tool-call done', `${event.name} ${short(event.arguments)}`);
          break;
        case 'tool-call-error':
          line(event.t, `tool-call ${event.status}`, `${event.name} (${event.id}): ${event.message}`);
          break;
        case 'finish':
          line(event.t, 'finish', `${event.reason}${event.rawReason !== undefined ? ` (${event.rawReason})` : ''}`);
          break;
        case 'error':
          line(event.t, 'error', event.message);
          break;
        default: {
          const exhaustive: never = event;
          void exhaustive;
        }
      }
    },
    finish(summary) {
      for (const output of summary.outputs) {
        out.write(`\n${style.bold(`${output.kind === 'json' ? 'output' : 'text'}${summary.outputs.length > 1 ? ` (choice ${output.choice})` : ''}`)} ${statusText(output.status, style)}\n`);
        out.write((output.kind === 'json' ? (JSON.stringify(output.value, null, 2) ?? '') : printable(output.text)) + '\n');
      }
      out.write('\n' + summaryText(summary, style));
    },
  };
}

function statusText(status: string, style: Style): string {
  if (status === 'complete') return style.green(status);
  if (status === 'streaming') return style.cyan(status);
  if (status === 'truncated') return style.yellow(status);
  return style.red(status);
}

function ms(value: number | undefined): string {
  if (value === undefined) return '-';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`;
}

function us(value: number | undefined): string {
  if (value === undefined) return '-';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(1)} µs`;
}

function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KB`;
  return `${(count / 1024 / 1024).toFixed(1)} MB`;
}

function rate(value: number | undefined): string {
  return value === undefined ? '' : ` (${value.toFixed(1)}/s)`;
}

/** The closing summary, as text lines. */
export function summaryText(summary: ReplaySummary, style: Style = createStyle(false)): string {
  const m = summary.metrics;
  const rows: Array<[string, string]> = [];
  rows.push(['status', statusText(summary.status, style) + (summary.reason !== undefined ? `: ${summary.reason}` : '')]);
  const finishes = Object.entries(summary.finishReasons);
  rows.push([
    'finish',
    finishes.length === 0
      ? 'none'
      : finishes
          .map(([choice, reason]) => `${finishes.length > 1 ? `${choice}: ` : ''}${reason}${summary.rawFinishReasons[Number(choice)] !== undefined ? ` (${summary.rawFinishReasons[Number(choice)]})` : ''}`)
          .join(', '),
  ]);
  for (const output of summary.outputs) {
    rows.push([`${output.kind === 'json' ? 'output' : 'text'}${summary.outputs.length > 1 ? ` ${output.choice}` : ''}`, statusText(output.status, style) + (output.error !== undefined ? ` (${output.error})` : '')]);
    if (output.warnings !== undefined) {
      const codes = [...new Set(output.warnings.map((warning) => warning.code))].join(', ');
      rows.push(['repairs', output.warnings.length === 0 ? 'none' : style.yellow(`${output.warnings.length} (${codes})`)]);
    }
  }
  summary.toolCalls.forEach((call: ToolCallSummary, i) => {
    rows.push([i === 0 ? 'tool calls' : '', `${call.name} ${style.dim(call.id)} ${statusText(call.status, style)}${call.reason !== undefined && call.reason !== call.status ? ` (${call.reason})` : ''}`]);
  });
  if (summary.toolCalls.length === 0) rows.push(['tool calls', 'none']);
  rows.push(['TTFT', ms(m.ttftMs)]);
  rows.push(['first value', ms(m.firstValueMs)]);
  rows.push(['last token', ms(m.lastTokenMs)]);
  rows.push(['deltas', `${m.deltas}${rate(m.deltasPerSecond)}`]);
  rows.push(['tokens', `${m.tokensEstimated ? '≈' : ''}${m.tokens}${rate(m.tokensPerSecond)}${m.tokensEstimated ? ' estimated at 4 chars/token' : ' from usage'}`]);
  rows.push(['between tokens', `median ${ms(m.interTokenMedianMs)}, p99 ${ms(m.interTokenP99Ms)}`]);
  rows.push(['input', `${bytes(m.bytes)} in ${m.payloads} payloads (${summary.format}, ${summary.provider})`]);
  // A cut last event after the finish (a usage chunk) leaves the stream complete: still say so.
  if (summary.droppedEvent !== undefined && summary.reason === undefined) {
    rows.push(['dropped', style.yellow(`the last SSE event, cut before its blank line: data ${JSON.stringify(summary.droppedEvent.slice(0, 60))}`)]);
  }
  rows.push(['parse cost', `median ${us(m.parseCostMedianUs)}, p99 ${us(m.parseCostP99Us)} per payload`]);
  return rows.map(([key, value]) => `${style.dim(key.padEnd(15))}${value}\n`).join('');
}

interface CallView {
  id: string;
  name: string;
  status: string;
  arguments: unknown;
}

/** Truncate to `width` columns (by UTF-16 code units: close enough for a status view). */
function fit(text: string, width: number): string {
  return text.length > width ? text.slice(0, Math.max(0, width - 1)) + '…' : text;
}

/**
 * The live terminal view: the structured output as a growing pretty-printed partial value, each
 * tool call with its name, partial arguments and state, reasoning apart (its last lines, dimmed).
 * Redraws in place at most every `intervalMs`, and once at the end.
 */
export function createTtyRenderer(out: Output, style: Style, intervalMs = 40): Renderer {
  let header = '';
  const outputs = new Map<number, { kind: 'json' | 'text'; value: unknown; text: string; status: string }>();
  const calls = new Map<string, CallView & { choice: number }>();
  let view: ReplayView | undefined;
  let reasoning = '';
  let refusal = '';
  const warnings: string[] = [];
  let finish = '';
  let drawn = 0;
  let lastDraw = 0;
  let t = 0;

  const outputOf = (choice: number) => {
    let o = outputs.get(choice);
    if (o === undefined) {
      o = { kind: 'json', value: undefined, text: '', status: 'streaming' };
      outputs.set(choice, o);
    }
    return o;
  };

  function frame(): string[] {
    const width = Math.max(20, (out.columns ?? 80) - 1);
    const lines: string[] = [];
    lines.push(style.bold(fit(header, width)) + style.dim(`  ${(t / 1000).toFixed(2)} s`));
    if (reasoning !== '') {
      lines.push(style.dim('── reasoning'));
      const tail = reasoning.split('\n').flatMap((l) => (l === '' ? [] : [l]));
      for (const l of tail.slice(-3)) lines.push(style.dim(fit('  ' + printable(l), width)));
    }
    for (const [choice, o] of outputs) {
      if (view !== undefined && o.kind === 'json' && o.status === 'streaming') o.value = view.outputValue(choice);
      lines.push(`${style.dim(`── ${o.kind === 'json' ? 'output' : 'text'}${outputs.size > 1 ? ` ${choice}` : ''}`)} ${statusText(o.status, style)}`);
      const body = o.kind === 'json' ? (JSON.stringify(o.value, null, 2) ?? '') : printable(o.text);
      for (const l of body.split('\n')) lines.push(fit(l, width));
    }
    if (warnings.length > 0) {
      lines.push(style.dim(`── repairs (${warnings.length})`));
      for (const w of warnings.slice(-3)) lines.push(style.yellow(fit('  ' + w, width)));
    }
    if (refusal !== '') {
      lines.push(style.dim('── refusal'));
      lines.push(fit(printable(refusal.replace(/\n/g, ' ')), width));
    }
    if (calls.size > 0) {
      lines.push(style.dim('── tool calls'));
      for (const call of calls.values()) {
        if (view !== undefined && call.status === 'streaming') call.arguments = view.toolCallArguments(call.choice, call.id);
        lines.push(`${style.bold(call.name)} ${style.dim(call.id)} ${statusText(call.status, style)}`);
        const args = JSON.stringify(call.arguments, null, 2) ?? '';
        for (const l of args.split('\n')) if (l !== '') lines.push(fit('  ' + l, width));
      }
    }
    if (finish !== '') lines.push(style.dim(`── finish ${finish}`));
    const rows = (out.rows ?? 24) - 1;
    if (lines.length > rows) {
      // Keep the header and the newest lines: a frame taller than the screen cannot be redrawn in place.
      return [lines[0]!, style.dim('  …'), ...lines.slice(lines.length - (rows - 2))];
    }
    return lines;
  }

  function draw(): void {
    const lines = frame();
    let text = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : '\x1b[?25l';
    text += lines.join('\n') + '\n';
    out.write(text);
    drawn = lines.length;
    lastDraw = performance.now();
  }

  function maybeDraw(): void {
    if (performance.now() - lastDraw >= intervalMs) draw();
  }

  return {
    attach(replay) {
      view = replay;
    },
    event(event) {
      if ('t' in event) t = event.t;
      switch (event.type) {
        case 'start':
          header = `streamshape replay ${event.source} (${event.format}, ${event.provider})`;
          break;
        case 'snapshot':
          outputOf(event.choice).value = event.value;
          break;
        case 'output-delta':
          outputOf(event.choice); // the value is read from the view when drawing
          break;
        case 'output-complete': {
          const o = outputOf(event.choice);
          o.value = event.value;
          o.status = 'complete';
          break;
        }
        case 'output-error':
          outputOf(event.choice).status = event.status;
          break;
        case 'output-warning':
          warnings.push(warningText(event));
          break;
        case 'text': {
          const o = outputOf(event.choice);
          o.kind = 'text';
          o.text += event.delta;
          break;
        }
        case 'reasoning':
          reasoning += event.delta;
          break;
        case 'refusal':
          refusal += event.delta;
          break;
        case 'tool-call-start':
          calls.set(`${event.choice}/${event.id}`, { id: event.id, name: event.name, choice: event.choice, status: 'streaming', arguments: undefined });
          break;
        case 'tool-call-delta': {
          const call = calls.get(`${event.choice}/${event.id}`);
          if (call !== undefined && 'arguments' in event) call.arguments = event.arguments;
          break;
        }
        case 'tool-call': {
          const call = calls.get(`${event.choice}/${event.id}`);
          if (call !== undefined) {
            call.arguments = event.arguments;
            call.status = 'complete';
          }
          break;
        }
        case 'tool-call-error': {
          const call = calls.get(`${event.choice}/${event.id}`);
          if (call !== undefined) {
            call.status = event.status;
            if (event.arguments !== undefined) call.arguments = event.arguments;
          }
          break;
        }
        case 'finish':
          finish = event.reason;
          break;
        case 'error':
          finish = `error: ${event.message}`;
          break;
        default: {
          const exhaustive: never = event;
          void exhaustive;
        }
      }
      maybeDraw();
    },
    finish(summary) {
      t = summary.metrics.elapsedMs;
      for (const o of summary.outputs) {
        const shown = outputOf(o.choice);
        shown.status = o.status;
        if (o.kind === 'text') shown.kind = 'text';
        else shown.value = o.value;
      }
      for (const c of summary.toolCalls) {
        const call = calls.get(`${c.choice}/${c.id}`);
        if (call !== undefined) {
          call.status = c.status;
          call.arguments = c.arguments;
        }
      }
      draw();
      out.write('\x1b[?25h\n' + summaryText(summary, style));
    },
  };
}

/** Shows the cursor again (after an interrupted live view). */
export const SHOW_CURSOR = '\x1b[?25h';
