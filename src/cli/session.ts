/**
 * The replay session: provider payloads in, CLI events out. It picks the provider's push
 * normalizer (detected from the payloads unless forced), feeds the tool-call assembler with
 * `output: true`, and turns everything into {@link ReplayEvent}s and a final {@link ReplaySummary}.
 * No I/O and no timers: the driver (replay.ts) owns pacing and rendering.
 * @module
 */
import { ParseError } from '../json/errors.js';
import { lenient, type ParseWarning } from '../json/index.js';
import type { Delta } from '../partial/delta.js';
import { createPartialParser, type PartialParser } from '../partial/parser.js';
import { createProviderNormalizer } from '../providers/index.js';
import type { FinishReason, StreamEvent, StreamNormalizer } from '../providers/index.js';
import { formatIssuePath, SchemaValidationError } from '../partial/schema-error.js';
import type { SchemaLike } from '../partial/schema-types.js';
import { zodGuide } from '../schema/zod-guide.js';
import { createToolCallAssembler, type ToolCallAssembler } from '../tool-calls/index.js';
import type { InputFormat, ProviderName } from './args.js';
import { UsageError } from './args.js';
import { detectProvider } from './detect.js';
import { createMetricsCollector, type StreamMetrics } from './metrics.js';
import { quote } from './payloads.js';

/** How a tool call or the structured output stands. */
export type PartStatus = 'streaming' | 'complete' | 'truncated' | 'invalid';

/**
 * One event of a replay, as `--json` prints it (one per line). `t` is milliseconds since the start.
 *
 * The structured output arrives as `output-delta` events (the {@link Delta}s of one provider
 * payload: replaying them with `applyDelta` from `undefined` gives the value) and ends with
 * `output-complete` (the final value) or `output-error`; the summary holds the last value too.
 * Output is proportional to the stream. With the `snapshots` option (`--snapshots`) each update
 * is a `snapshot` event instead, with the whole partial value beside the deltas, and each
 * `tool-call-delta` carries the call's partial `arguments`: convenient for small streams, but
 * the output then grows with the square of the stream.
 */
export type ReplayEvent =
  | { type: 'start'; format: InputFormat; provider: ProviderName; source: string }
  | { type: 'output-delta'; t: number; choice: number; deltas: Delta[] }
  | { type: 'snapshot'; t: number; choice: number; value: unknown; deltas: Delta[] }
  | { type: 'output-complete'; t: number; choice: number; value: unknown }
  | { type: 'output-error'; t: number; choice: number; status: 'truncated' | 'invalid'; message: string }
  | {
      /**
       * One repair of the structured output in lenient mode (`--lenient`), before the update it
       * affects. `position` (0-based), `line` and `column` (1-based) are in the answer's text.
       */
      type: 'output-warning';
      t: number;
      choice: number;
      code: ParseWarning['code'];
      position: number;
      line: number;
      column: number;
      message: string;
    }
  | { type: 'text'; t: number; choice: number; delta: string }
  | { type: 'reasoning'; t: number; choice: number; delta: string }
  | { type: 'refusal'; t: number; choice: number; delta: string }
  | { type: 'tool-call-start'; t: number; choice: number; id: string; name: string; index: number }
  | {
      type: 'tool-call-delta';
      t: number;
      choice: number;
      id: string;
      name: string;
      /** The arguments fragment, as streamed. */
      delta: string;
      /** The partial arguments after it: only with the `snapshots` option. */
      arguments?: unknown;
    }
  | { type: 'tool-call'; t: number; choice: number; id: string; name: string; arguments: unknown }
  | {
      type: 'tool-call-error';
      t: number;
      choice: number;
      id: string;
      name: string;
      status: 'truncated' | 'invalid';
      reason: string;
      message: string;
      arguments: unknown;
    }
  | { type: 'finish'; t: number; choice: number; reason: FinishReason; rawReason?: string | undefined }
  | { type: 'error'; t: number; choice: number; message: string };

/** The final state of one choice's answer. */
export interface OutputSummary {
  choice: number;
  /** `json`: structured output; `text`: prose (the text does not start like JSON). */
  kind: 'json' | 'text';
  status: Exclude<PartStatus, 'streaming'>;
  /** The final value (complete), or the last partial value. */
  value: unknown;
  /** The answer text as received. */
  text: string;
  /** Why it is truncated or invalid. */
  error?: string | undefined;
  /** In lenient mode: the repairs made to the answer, in order (absent in strict mode). */
  warnings?: ParseWarning[] | undefined;
}

/** The final state of one tool call. */
export interface ToolCallSummary {
  id: string;
  name: string;
  index: number;
  choice: number;
  status: Exclude<PartStatus, 'streaming'>;
  /** The `ToolCallError` reason when not complete (`truncated`, `invalid-json`, `schema`, `unknown-tool`). */
  reason?: string | undefined;
  /** Final arguments when complete, else the last partial value. */
  arguments: unknown;
  rawArguments: string;
}

/** What a replay ends with (`--json` prints it as `{"type":"summary", …}`). */
export interface ReplaySummary {
  format: InputFormat;
  provider: ProviderName;
  /** `complete` (exit 0), or `truncated` / `invalid` (exit 1). */
  status: 'complete' | 'truncated' | 'invalid';
  /** One line saying why, when not complete. */
  reason?: string | undefined;
  /** The data of a final SSE event cut before its blank line, dropped unread (as the SSE standard says). */
  droppedEvent?: string | undefined;
  outputs: OutputSummary[];
  toolCalls: ToolCallSummary[];
  /** Finish reason per choice (the last one, when a stream holds several responses). */
  finishReasons: Record<number, FinishReason>;
  /** The providers' raw finish reasons, per choice. */
  rawFinishReasons: Record<number, string>;
  /** Reasoning text length per choice, UTF-16 code units. */
  reasoningChars: Record<number, number>;
  refusals: Record<number, string>;
  errors: string[];
  metrics: StreamMetrics;
}

/** A replay session: {@link ReplaySession.payload} per provider payload, then {@link ReplaySession.end}. */
export interface ReplaySession {
  /** The provider in use, once known. */
  readonly provider: ProviderName | undefined;
  /** Input bytes, for the metrics. */
  bytes(count: number): void;
  /** Feeds one provider payload (or, for `none`, one text fragment) that arrived at `t` ms; returns the events it produced. */
  payload(payload: unknown, t: number): ReplayEvent[];
  /** The structured output of a choice as it stands (computed when asked: a snapshot read), for a live view. */
  outputValue(choice: number): unknown;
  /** The partial (or final) arguments of a tool call, for a live view. */
  toolCallArguments(choice: number, id: string): unknown;
  /**
   * The input is over at `t` ms: flushes, truncates open calls, and summarizes. `dropped` is the
   * data of a final SSE event the input cut before its blank line (see `PayloadSplitter.dropped`):
   * the summary keeps it, and its reason names it when the stream is not complete.
   * @throws {@link UsageError} when the provider is still unknown.
   */
  end(t: number, dropped?: string | undefined): { events: ReplayEvent[]; summary: ReplaySummary };
}

export interface ReplaySessionOptions {
  format: InputFormat;
  /** Forced provider; detected from the first payloads otherwise. */
  provider?: ProviderName | undefined;
  /** Schema of the structured output. */
  schema?: SchemaLike | undefined;
  /**
   * Emit `snapshot` events (the whole partial value on every update) instead of `output-delta`
   * events, and partial `arguments` on `tool-call-delta` events. Costs a snapshot read per
   * update, and printing them grows with the square of the stream.
   * @defaultValue `false`
   */
  snapshots?: boolean | undefined;
  /**
   * Parse the structured output in lenient mode: model damage (fences, prose, trailing commas,
   * Python literals, bad escapes, a cut…) is repaired, and each repair is an `output-warning`
   * event. A truncated answer keeps its best value but its status is `truncated`.
   * @defaultValue `false`
   */
  lenient?: boolean | undefined;
}

/** Payloads kept while the provider is still unknown; past this the input is rejected. */
const MAX_UNDETECTED = 64;

function createNormalizer(provider: ProviderName): StreamNormalizer<unknown> {
  if (provider !== 'none') return createProviderNormalizer(provider);
  // Plain JSON text: each chunk is answer text.
  let ended = false;
  return {
    push(chunk) {
      if (ended) throw new TypeError('push() called after end()');
      return typeof chunk === 'string' && chunk !== '' ? [{ type: 'text-delta', delta: chunk }] : [];
    },
    end() {
      ended = true;
      return [];
    },
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    const nested = record['error'];
    if (typeof record['message'] === 'string') return record['message'];
    if (typeof nested === 'object' && nested !== null && typeof (nested as Record<string, unknown>)['message'] === 'string') {
      return String((nested as Record<string, unknown>)['message']);
    }
    return JSON.stringify(error).slice(0, 200);
  }
  return String(error);
}

interface ChoiceState {
  text: string;
  kind: 'json' | 'text' | undefined;
  /** The final value once the output ended (complete, or the last partial value when it failed). */
  value: unknown;
  status: PartStatus;
  error?: string | undefined;
  /** The output's parser while it is open. */
  parser: PartialParser | undefined;
  /** Deltas of the current payload's text, collected by the parser's `onDelta`. */
  deltas: Delta[];
  /** Whether the output ended (complete or failed): more text is a new answer or ignored. */
  ended: boolean;
  /** Lenient mode: the repairs made to the current answer. */
  warnings: ParseWarning[];
}

const TRUNCATING: ReadonlySet<FinishReason> = new Set(['length', 'content-filter']);

/** Creates a {@link ReplaySession}. */
export function createReplaySession(options: ReplaySessionOptions): ReplaySession {
  const metrics = createMetricsCollector();
  let provider: ProviderName | undefined = options.provider;
  let normalizer: StreamNormalizer<unknown> | undefined;
  let pending: Array<{ payload: unknown; t: number }> = [];
  const choices = new Map<number, ChoiceState>();
  const finishReasons: Record<number, FinishReason> = {};
  const rawFinishReasons: Record<number, string> = {};
  const reasoningChars: Record<number, number> = {};
  const refusals: Record<number, string> = {};
  const errors: string[] = [];
  let out: ReplayEvent[] = [];
  let now = 0;
  const snapshots = options.snapshots === true;
  let visible = false;

  const choiceOf = (choice: number | undefined): ChoiceState => {
    const key = choice ?? 0;
    let state = choices.get(key);
    if (state === undefined) {
      state = { text: '', kind: undefined, value: undefined, status: 'streaming', parser: undefined, deltas: [], ended: false, warnings: [] };
      choices.set(key, state);
    }
    return state;
  };

  const openParser = (state: ChoiceState, choice: number): PartialParser => {
    state.warnings = [];
    const parser = createPartialParser({
      // The command always follows zod schemas while they stream (early failures, atomic enums).
      ...(options.schema === undefined ? {} : { schema: options.schema, guide: zodGuide }),
      ...(options.lenient === true
        ? {
            lenient: lenient(),
            // Fires during the write (or end) that makes the repair: before that write's deltas.
            onWarning(warning: ParseWarning) {
              state.warnings.push(warning);
              const { code, position, line, column, message } = warning;
              out.push({ type: 'output-warning', t: now, choice, code, position, line, column, message });
            },
          }
        : {}),
      onDelta(deltas) {
        for (const delta of deltas) state.deltas.push(delta);
      },
    });
    state.parser = parser;
    return parser;
  };

  /** The output's current value: the parser's snapshot while it streams (a read: O(changed path)), the kept value after. */
  const currentValue = (state: ChoiceState): unknown => {
    if (state.parser === undefined) return state.value;
    try {
      return state.parser.value;
    } catch {
      return state.value;
    }
  };

  /** Structured output, per choice: the text deltas go through one partial parser (deltas, and a snapshot only when asked). */
  function outputText(state: ChoiceState, choice: number, delta: string): void {
    if (state.kind === 'text') return;
    if (state.ended) {
      // A later response on the same choice (a multi-step run): a new answer, once it says something.
      if (state.status !== 'complete' || delta.trim() === '') return;
      state.ended = false;
      state.status = 'streaming';
      state.kind = undefined;
      state.value = undefined;
      state.text = delta;
    }
    const parser = state.parser ?? openParser(state, choice);
    try {
      parser.write(delta);
    } catch (error) {
      outputFailed(state, choice, error);
      return;
    }
    if (state.deltas.length === 0) return;
    const deltas = state.deltas;
    state.deltas = [];
    state.kind = 'json';
    if (!visible) {
      visible = true;
      metrics.visible(now);
    }
    if (snapshots) out.push({ type: 'snapshot', t: now, choice, value: parser.value, deltas });
    else out.push({ type: 'output-delta', t: now, choice, deltas });
  }

  /** The answer of `choice` is over (its finish, or the end of the input): complete, or why not. */
  function outputEnd(state: ChoiceState, choice: number): void {
    const parser = state.parser;
    if (parser === undefined || state.ended || state.kind === 'text') return;
    let value: unknown;
    try {
      value = parser.end();
    } catch (error) {
      outputFailed(state, choice, error);
      return;
    }
    state.parser = undefined;
    state.ended = true;
    if (value === undefined && state.kind === undefined && provider !== 'none') {
      // Lenient mode read the whole answer as prose around a value that never came: it is prose.
      state.kind = 'text';
      state.status = 'streaming';
      out.push({ type: 'text', t: now, choice, delta: state.text });
      return;
    }
    state.kind = 'json';
    state.value = value;
    // Lenient mode closes a cut answer: the value is the best so far, but the answer is truncated.
    state.status = state.warnings.some((warning) => warning.code === 'truncated') ? 'truncated' : 'complete';
    if (state.status === 'truncated') state.error = 'the answer was cut; lenient mode closed it';
    if (state.deltas.length > 0) {
      // end() completed a trailing top-level number: its delta comes before the final value.
      const deltas = state.deltas;
      state.deltas = [];
      out.push(snapshots ? { type: 'snapshot', t: now, choice, value, deltas } : { type: 'output-delta', t: now, choice, deltas });
    }
    out.push({ type: 'output-complete', t: now, choice, value });
  }

  function outputFailed(state: ChoiceState, choice: number, error: unknown): void {
    if (!(error instanceof ParseError || error instanceof SchemaValidationError)) throw error;
    const first = state.text.trimStart().charAt(0);
    state.value = currentValue(state);
    state.parser = undefined;
    state.ended = true;
    if (error instanceof ParseError && provider !== 'none' && first !== '{' && first !== '[') {
      // The answer does not start like structured output (an object or an array): it is
      // prose, not broken JSON.
      state.kind = 'text';
      state.status = 'streaming';
      state.value = undefined;
      out.push({ type: 'text', t: now, choice, delta: state.text });
      return;
    }
    state.kind = 'json';
    state.status = error instanceof ParseError && error.code === 'unexpected-end' ? 'truncated' : 'invalid';
    state.error =
      error instanceof SchemaValidationError
        ? `schema: ${error.issues.map((issue) => `${issue.path.length > 0 ? formatIssuePath(issue.path) + ': ' : ''}${issue.message}`).join('; ')}`
        : (error.message.split('\n')[0] ?? error.name);
    out.push({ type: 'output-error', t: now, choice, status: state.status, message: state.error });
  }

  const hasContent = (value: unknown): boolean =>
    value !== undefined && !(typeof value === 'object' && value !== null && Object.keys(value).length === 0);

  const assembler: ToolCallAssembler = createToolCallAssembler({
    onToolCallStart(call) {
      out.push({ type: 'tool-call-start', t: now, choice: call.choice ?? 0, id: call.id, name: call.name, index: call.index });
    },
    onToolCallDelta(call) {
      if (!visible && hasContent(call.arguments)) {
        visible = true;
        metrics.visible(now);
      }
      out.push({
        type: 'tool-call-delta',
        t: now,
        choice: call.choice ?? 0,
        id: call.id,
        name: call.name,
        delta: call.delta,
        ...(snapshots ? { arguments: call.arguments } : {}),
      });
    },
    onToolCall(call) {
      out.push({ type: 'tool-call', t: now, choice: call.choice ?? 0, id: call.id, name: call.name, arguments: call.arguments });
    },
    onToolCallError(error) {
      const state = assembler.calls.find((call) => call.id === error.id && (call.choice ?? 0) === (error.choice ?? 0));
      out.push({
        type: 'tool-call-error',
        t: now,
        choice: error.choice ?? 0,
        id: error.id,
        name: error.name,
        status: error.reason === 'truncated' ? 'truncated' : 'invalid',
        reason: error.reason,
        message: error.message.split('\n')[0] ?? error.reason,
        arguments: state?.arguments,
      });
    },
  });

  function handle(event: StreamEvent): void {
    const choice = event.choice ?? 0;
    switch (event.type) {
      case 'text-delta': {
        if (event.delta === '') break;
        metrics.content(now, event.delta.length);
        const state = choiceOf(choice);
        if (!state.ended || state.kind === 'text') state.text += event.delta;
        if (state.kind === 'text') out.push({ type: 'text', t: now, choice, delta: event.delta });
        else outputText(state, choice, event.delta);
        break;
      }
      case 'reasoning-delta':
        if (event.delta === '') break;
        metrics.content(now, event.delta.length);
        reasoningChars[choice] = (reasoningChars[choice] ?? 0) + event.delta.length;
        out.push({ type: 'reasoning', t: now, choice, delta: event.delta });
        break;
      case 'refusal-delta':
        if (event.delta === '') break;
        metrics.content(now, event.delta.length);
        refusals[choice] = (refusals[choice] ?? '') + event.delta;
        out.push({ type: 'refusal', t: now, choice, delta: event.delta });
        break;
      case 'tool-call-delta':
        if (event.delta !== '') metrics.content(now, event.delta.length);
        break;
      case 'finish': {
        const state = choices.get(choice);
        if (state !== undefined) outputEnd(state, choice);
        finishReasons[choice] = event.reason;
        if (event.rawReason !== undefined) rawFinishReasons[choice] = event.rawReason;
        if (choice === 0 && event.usage?.outputTokens !== undefined) metrics.usage(event.usage.outputTokens);
        out.push({ type: 'finish', t: now, choice, reason: event.reason, rawReason: event.rawReason });
        break;
      }
      case 'error': {
        const message = messageOf(event.error);
        errors.push(message);
        out.push({ type: 'error', t: now, choice, message });
        break;
      }
      default:
        break;
    }
    assembler.push(event);
  }

  function feed(payload: unknown, t: number): void {
    now = t;
    const started = performance.now();
    const events = normalizer!.push(payload);
    for (const event of events) handle(event);
    metrics.payload(t, performance.now() - started);
  }

  function ready(): boolean {
    if (normalizer !== undefined) return true;
    if (provider === undefined) return false;
    normalizer = createNormalizer(provider);
    const queued = pending;
    pending = [];
    for (const item of queued) feed(item.payload, item.t);
    return true;
  }

  function summarize(elapsed: number, dropped: string | undefined): ReplaySummary {
    const outputs: OutputSummary[] = [];
    for (const [choice, state] of [...choices].sort((a, b) => a[0] - b[0])) {
      if (state.kind === undefined && state.text.trim() === '') continue;
      const kind = state.kind ?? 'json';
      let status: OutputSummary['status'] = state.status === 'streaming' ? 'complete' : state.status;
      let error = state.error;
      if (kind === 'text' && TRUNCATING.has(finishReasons[choice] ?? 'stop')) {
        status = 'truncated';
        error = `finish reason ${finishReasons[choice]}`;
      }
      outputs.push({
        choice,
        kind,
        status,
        value: kind === 'json' ? state.value : undefined,
        text: state.text,
        ...(error === undefined ? {} : { error }),
        ...(options.lenient === true && kind === 'json' ? { warnings: state.warnings } : {}),
      });
    }
    const toolCalls: ToolCallSummary[] = assembler.calls.map((call) => ({
      id: call.id,
      name: call.name,
      index: call.index,
      choice: call.choice ?? 0,
      status:
        call.status === 'complete' ? 'complete' : call.status === 'streaming' || call.error?.reason === 'truncated' ? 'truncated' : 'invalid',
      ...(call.error === undefined ? {} : { reason: call.error.reason }),
      arguments: call.arguments,
      rawArguments: call.rawArguments,
    }));
    let status: ReplaySummary['status'] = 'complete';
    let reason: string | undefined;
    const flag = (next: 'truncated' | 'invalid', why: string): void => {
      if (status === 'complete') {
        status = next;
        reason = why;
      }
    };
    for (const call of toolCalls) {
      if (call.status !== 'complete') flag(call.status, `tool call ${call.name} (${call.id}) is ${call.status}${call.reason !== undefined && call.reason !== call.status ? ` (${call.reason})` : ''}`);
    }
    for (const output of outputs) {
      if (output.status !== 'complete') {
        flag(output.status, `${output.kind === 'json' ? 'structured output' : 'text'}${choices.size > 1 ? ` of choice ${output.choice}` : ''} is ${output.status}: ${output.error ?? ''}`);
      }
    }
    for (const message of errors) flag('invalid', `provider error: ${message}`);
    const finished = Object.keys(finishReasons).length > 0;
    if (!finished && provider !== 'none') flag('truncated', 'the stream ended without a finish event');
    for (const [choice, finish] of Object.entries(finishReasons)) {
      if (TRUNCATING.has(finish)) flag('truncated', `finish reason ${finish}${choices.size > 1 ? ` on choice ${choice}` : ''}`);
      if (finish === 'error') flag('invalid', `finish reason error${choices.size > 1 ? ` on choice ${choice}` : ''}`);
    }
    if (reason !== undefined && dropped !== undefined) reason += `; the last SSE event was cut before its blank line and dropped: data ${quote(dropped)}`;
    return {
      format: options.format,
      provider: provider ?? 'none',
      status,
      ...(reason === undefined ? {} : { reason }),
      ...(dropped === undefined ? {} : { droppedEvent: dropped }),
      outputs,
      toolCalls,
      finishReasons,
      rawFinishReasons,
      reasoningChars,
      refusals,
      errors,
      metrics: metrics.result(elapsed),
    };
  }

  return {
    get provider() {
      return provider;
    },
    bytes(count) {
      metrics.bytes(count);
    },
    outputValue(choice) {
      const state = choices.get(choice);
      return state === undefined ? undefined : currentValue(state);
    },
    toolCallArguments(choice, id) {
      return assembler.calls.find((call) => call.id === id && (call.choice ?? 0) === choice)?.arguments;
    },
    payload(payload, t) {
      out = [];
      if (provider === undefined) {
        provider = detectProvider(payload);
        if (provider === undefined) {
          pending.push({ payload, t });
          if (pending.length > MAX_UNDETECTED) {
            throw new UsageError(
              `cannot tell the provider from the first ${MAX_UNDETECTED} payloads; use --provider (openai-chat, openai-responses, anthropic, gemini, ai-sdk)`,
            );
          }
          return out;
        }
      }
      if (!ready()) return out;
      feed(payload, t);
      return out;
    },
    end(t, dropped) {
      out = [];
      now = t;
      if (provider === undefined) {
        if (pending.length === 0) {
          throw new UsageError(dropped === undefined ? 'the input holds no events' : `the input holds no complete event: its only one was cut before its blank line (data ${quote(dropped)})`);
        }
        throw new UsageError('cannot tell the provider from the payloads; use --provider (openai-chat, openai-responses, anthropic, gemini, ai-sdk)');
      }
      ready();
      for (const event of normalizer!.end()) handle(event);
      assembler.end();
      for (const [choice, state] of choices) outputEnd(state, choice);
      // A prose answer that was never declared complete is complete at the end of the stream.
      for (const state of choices.values()) if (state.kind === 'text' && state.status === 'streaming') state.status = 'complete';
      const summary = summarize(t, dropped);
      return { events: out, summary };
    },
  };
}
