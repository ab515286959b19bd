import { ParseError } from '../json/errors.js';
import type { Lenient, ParseWarning } from '../json/warnings.js';
import type { Delta } from '../partial/delta.js';
import { createPartialParser, type PartialParser } from '../partial/parser.js';
import { pointersPlugin, type PointerPatterns } from '../partial/pointers.js';
import type { FinishReason, StreamEvent } from '../providers/events.js';
import { SchemaValidationError } from '../partial/schema-error.js';
import type { DeepPartial, SchemaLike, SchemaOutput } from '../partial/schema-types.js';
import type { GuideFactory } from '../partial/guide.js';
import { createStructuredOutput, type StructuredOutput } from './structured-output.js';
import { ToolCallError, type ToolCallErrorReason } from './errors.js';

/** Tool names mapped to the schemas of their arguments (zod v4, or any Standard Schema). @public */
export type ToolSchemas = Record<string, SchemaLike>;

/** The arguments type of a tool call: a union over the tools, by name. @public */
export type ToolArguments<Tools extends ToolSchemas | undefined> = Tools extends ToolSchemas
  ? { [Name in keyof Tools & string]: SchemaOutput<Tools[Name]> }[keyof Tools & string]
  : unknown;

/** Identity of a tool call, as in the provider's stream. @public */
export interface ToolCallInfo {
  /** The provider's call id, or a generated one (`gemini-call-…`) when the provider sends none. */
  id: string;
  /** The tool's name. */
  name: string;
  /** 0-based position of the call among its choice's tool calls. */
  index: number;
  /** The choice (OpenAI `n > 1`) when the provider streams several. */
  choice?: number | undefined;
}

/** A tool call whose arguments are still streaming. @public */
export interface PartialToolCall<Args = unknown> extends ToolCallInfo {
  /** The partial arguments (DESIGN.md partial-value semantics), `undefined` before `{`. */
  arguments: DeepPartial<Args> | undefined;
  /** The arguments text received so far. */
  rawArguments: string;
  /** The fragment just received; `''` when the call's end changed its arguments (see `onToolCallDelta`). */
  delta: string;
  /**
   * How this fragment changed the partial arguments, as {@link Delta}s with paths relative to the
   * arguments (`[]` is the arguments object itself); empty when nothing visible changed, and always
   * empty unless the assembler's `argumentDeltas` option is on (an empty one is shared and frozen:
   * copy it before adding to it). Replaying a call's deltas with
   * `applyDelta` from `undefined` gives its final JSON arguments (as parsed, before the schema's
   * own parse: a key the schema strips is still there), or the partial arguments a failed call is
   * left with, however the provider cut the text into fragments.
   */
  deltas: Delta[];
}

/** A tool call that ended explicitly with valid arguments: safe to execute. @public */
export interface CompletedToolCall<Args = unknown> extends ToolCallInfo {
  /** The arguments: `JSON.parse` of the text, then the tool's schema's full parse if it has one. */
  arguments: Args;
  /** The arguments text exactly as streamed. */
  rawArguments: string;
}

/** Where a tool call stands. @public */
export type ToolCallStatus = 'streaming' | 'complete' | 'failed';

/** The state of one tool call, as kept by the assembler. @public */
export interface ToolCallState<Args = unknown> extends ToolCallInfo {
  /** `streaming` until the call ends; then `complete` (valid arguments, safe to execute) or `failed`. */
  status: ToolCallStatus;
  /** Partial arguments while streaming, the final arguments once complete, the last partial value if failed. */
  arguments: DeepPartial<Args> | Args | undefined;
  /**
   * The arguments text so far, exactly as streamed (all fragments, joined) until the call ends:
   * a failed call keeps the text up to its failure (as its `ToolCallError` has it) and ignores
   * fragments the provider still sends for it.
   */
  rawArguments: string;
  /** Why it failed, when `status` is `failed`. */
  error?: ToolCallError | undefined;
}

/** Options of {@link createToolCallAssembler}. @public */
export interface ToolCallAssemblerOptions<Tools extends ToolSchemas | undefined = undefined> {
  /**
   * The tools the model may call, by name, with their argument schemas. Arguments are validated
   * while they stream (early failure) and fully at the end. A call to a tool not listed here is
   * an `unknown-tool` error. Absent: every tool is accepted and arguments are only parsed.
   *
   * Tools written as JSON Schema (MCP `tools/list`, OpenAI or Anthropic tool definitions) become
   * such a record with `resolveToolSchemas(definitions, z.fromJSONSchema)`: its own piece, so
   * that an app with zod tools does not carry the JSON Schema conversion.
   * @throws {TypeError} from `createToolCallAssembler` when a value is not a schema (a JSON
   *   Schema object given directly: the message says to use `resolveToolSchemas`).
   */
  tools?: Tools | undefined;
  /**
   * Follows arguments (and the `output` value) against their schemas while they stream: pass
   * `zodGuide` for zod schemas (tools given as JSON Schema become zod schemas). Arguments then
   * fail early, as soon as they can never become valid, and enum, literal and format-checked
   * strings appear only once complete. Without it, schemas validate each call's final arguments
   * only (any Standard Schema validator works).
   */
  guide?: GuideFactory | undefined;
  /** Fires when a call starts (its name is known), before any of its deltas. */
  onToolCallStart?: ((call: ToolCallInfo) => void) | undefined;
  /**
   * Fires for each fragment of a call's arguments, with the partial arguments after it: also for
   * the fragment whose text fails, before `onToolCallError` (then with what the text before the
   * bad character says). With `argumentDeltas`, also once with `delta: ''` when the call's end
   * changed its arguments (a trailing number completes; no text at all is `{}`), before
   * `onToolCall` / `onToolCallError`.
   */
  onToolCallDelta?: ((call: PartialToolCall<ToolArguments<Tools>>) => void) | undefined;
  /**
   * Also give each {@link PartialToolCall} the argument {@link Delta}s of its fragment (to forward
   * them, e.g. over SSE). Costs a little per fragment, so it is off unless asked for.
   * @defaultValue `false` (`[]` in `deltas`)
   */
  argumentDeltas?: boolean | undefined;
  /**
   * The string arguments whose text goes to `onText` as it streams, as JSON Pointer patterns
   * relative to a call's arguments (`*` matches any one key or index), made by `pointers()` from
   * `streamshape`: `pointers('/content')` for a file's content typed into an editor while the
   * rest of the call assembles. The same patterns for every tool. Ignored without `onText`.
   * @throws `TypeError` (from `createToolCallAssembler`) for anything but `pointers(…)` or
   *   `undefined` (such as a string array, the option of earlier versions).
   * @defaultValue none
   */
  text?: PointerPatterns | undefined;
  /**
   * Typewriter fields inside tool-call arguments: called with each piece of unescaped text of a
   * string argument matching a `text` pattern, with its pointer within the arguments and the call
   * (see the parser's `onText` for the `done` rule and costs). Fires during the `push` of the
   * fragment, before `onToolCallDelta`. Concatenating one call's pieces for one pointer gives
   * the final string. Not for free-form (`format: 'text'`) calls, which have no JSON.
   * @example
   * ```ts
   * createToolCallAssembler({ text: pointers('/content'), onText: (delta, pointer, done, call) => editor.append(call.id, delta) });
   * ```
   */
  onText?: ((delta: string, pointer: string, done: boolean, call: ToolCallInfo) => void) | undefined;
  /**
   * Fires once per call when it ends explicitly (the provider's end event, the next call on the
   * same choice where the protocol implies one, or a `stop`/`tool-calls` finish) with valid
   * arguments. Never for a call whose text merely happens to parse.
   */
  onToolCall?: ((call: CompletedToolCall<ToolArguments<Tools>>) => void) | undefined;
  /**
   * Fires once per call that cannot be executed (see {@link ToolCallError}). Calls already
   * delivered stay delivered. Absent: the error is thrown from `push` / `end`.
   */
  onToolCallError?: ((error: ToolCallError) => void) | undefined;
  /**
   * Also parse each choice's text as a streamed JSON value (structured output): `true`, or
   * `{ schema }` to validate it. Results go to `onOutput`, `onOutputComplete`, `onOutputError`.
   * A `finish` ends the choice's output; text after it (a stream holding several responses or
   * messages) starts a new one. `{ lenient: lenient() }` (the plug-in from `streamshape`) repairs
   * the text as model output (see `PartialParserOptions.lenient`): fences and prose around the
   * value, trailing commas, Python literals…, and a text cut at the finish gives the best value
   * so far; each repair goes to `onOutputWarning`.
   * @defaultValue `false`
   */
  output?:
    | boolean
    | {
        /** Validates the output as `createPartialParser`'s `schema` does: early failures while it streams, the full parse at the finish. */
        schema?: SchemaLike | undefined;
        /** Repairs the output text as model output (`PartialParserOptions.lenient`); each repair goes to `onOutputWarning`. */
        lenient?: Lenient | false | undefined;
      }
    | undefined;
  /** With `output: { lenient }`: fires once per repair of a choice's output text, in text order. */
  onOutputWarning?: ((warning: ParseWarning, choice: number | undefined) => void) | undefined;
  /**
   * With `output`: fires after a text delta that changed the output's partial value, and once
   * more at the finish when ending the text changed it (a lenient truncation closing what was
   * open, a trailing number completing), before `onOutputComplete`/`onOutputError`: replaying
   * every `deltas` in order always gives the last partial value.
   */
  onOutput?: ((value: unknown, deltas: Delta[], choice: number | undefined) => void) | undefined;
  /**
   * With `output`: fires once per choice when it finishes with a complete, valid value. With
   * `output: { lenient }`, a text cut at the finish gives its best value here instead of an error
   * (lenient mode's `truncated` repair, which `onOutputWarning` receives first): check for that
   * warning, or the finish reason, before treating such a value as the whole answer.
   */
  onOutputComplete?: ((value: unknown, choice: number | undefined) => void) | undefined;
  /** With `output`: fires when the output text is not (or not yet, at the finish) valid JSON or fails its schema. */
  onOutputError?: ((error: ParseError | SchemaValidationError, choice: number | undefined) => void) | undefined;
}

/**
 * The `tools` option, checked once: every value a schema (JSON Schema tools go through
 * `resolveToolSchemas` first).
 */
function checkTools(tools: ToolSchemas): ToolSchemas {
  if (tools === null || typeof tools !== 'object' || Array.isArray(tools)) {
    throw new TypeError(
      `tools must be a record from tool name to schema; for tool definitions (MCP, OpenAI, Anthropic) use resolveToolSchemas(definitions, z.fromJSONSchema)`,
    );
  }
  for (const name of Object.keys(tools)) {
    const schema = tools[name] as unknown;
    if (typeof schema !== 'object' || schema === null || !('~standard' in schema || '_zod' in schema)) {
      throw new TypeError(
        `tools[${JSON.stringify(name)}] is not a schema (zod, or any Standard Schema); a JSON Schema goes through resolveToolSchemas(tools, z.fromJSONSchema) first`,
      );
    }
  }
  return tools;
}

/** A push assembler made by {@link createToolCallAssembler}. @public */
export interface ToolCallAssembler<Args = unknown> {
  /**
   * Feeds the next normalized event (from `fromOpenAIChatCompletions`, `fromAnthropicMessages`, …).
   * @throws {@link ToolCallError} when a call fails and `onToolCallError` is not set; `TypeError`
   *   after `end()` (a new stream needs a new assembler).
   */
  push(event: StreamEvent): void;
  /**
   * The stream ended: calls still open are `truncated` (never complete). A second call does nothing.
   * @throws {@link ToolCallError} for the first truncated call when `onToolCallError` is not set.
   */
  end(): void;
  /** Every call seen so far, in order of appearance. */
  readonly calls: readonly ToolCallState<Args>[];
  /** The finish reason per choice (key `0` when the provider streams one choice). */
  readonly finishReasons: ReadonlyMap<number, FinishReason>;
}

interface Call {
  state_: ToolCallState;
  parser_: PartialParser | undefined; // undefined once the call has ended or failed
  deltas_: Delta[]; // the current fragment's argument deltas (collected only with onToolCallDelta + argumentDeltas); NO_DELTAS when none
  /** Free-form (`format: 'text'`) input: delivered as text, never parsed. */
  text_: boolean;
  /** The call is still streaming (a text call has no parser to tell). */
  open_: boolean;
  /**
   * The raw text while the call streams is `rawHead + rawTail` (also kept whole in
   * `state.rawArguments`): `rawTail` is the last fragments while they are shorter than
   * {@link FLAT_BELOW} characters together, a flat string; `rawHead` is a rope of flat chunks of
   * at least that many characters, flattened once it has `chunks` >= 1/{@link HEAD_RATIO} of its
   * length. Both are emptied when the call ends.
   */
  rawHead_: string;
  rawTail_: string;
  /** Rope nodes added to `rawHead` since it was last flat. */
  chunks_: number;
}

/**
 * Flattens a rope (what `+` builds: a V8 cons-string tree of about 32 bytes per node) into one
 * sequential string: `charCodeAt` makes V8 flatten the tree in place.
 */
function flatten(text: string): string {
  text.charCodeAt(0);
  return text;
}

/**
 * V8 copies a concatenation shorter than this many characters into a new flat string rather than
 * making a rope node (`ConsString::kMinLength`): short fragments gather in a flat tail for free.
 */
const FLAT_BELOW = 13;
/**
 * The head rope is flattened once its nodes reach 1/HEAD_RATIO of its length (and 8): at most 32
 * bytes of rope per 256 characters, and each character copied about 20 times at most (a
 * flatten every >= 8 chunks of >= 13 characters copies the whole head).
 */
const HEAD_RATIO = 256;

/**
 * Appends a fragment to a call's raw text. A rope node per 1-character fragment (what `+=` alone
 * builds) would be 32 bytes per character until the next flatten, 16 times the text: 10,000
 * calls streaming at once then hold ~1 KB of rope each. Here fragments gather in a flat tail of
 * fewer than 13 characters, and only whole chunks become rope nodes of the head.
 */
function appendRaw(call: Call, fragment: string): void {
  const tail = call.rawTail_ + fragment;
  if (tail.length < FLAT_BELOW) {
    call.rawTail_ = tail;
    call.state_.rawArguments = call.rawHead_ + tail;
    return;
  }
  let head = call.rawHead_ + flatten(tail);
  if (++call.chunks_ >= 8 && call.chunks_ * HEAD_RATIO >= head.length) {
    head = flatten(head);
    call.chunks_ = 0;
  }
  call.rawHead_ = head;
  call.rawTail_ = '';
  call.state_.rawArguments = head;
}

/** The call ended: its text is `state.rawArguments`, flat, and nothing else holds it. */
function settleRaw(call: Call): void {
  call.state_.rawArguments = flatten(call.state_.rawArguments);
  call.rawHead_ = '';
  call.rawTail_ = '';
}

/** The `deltas` of a fragment that changed nothing visible, or without `argumentDeltas`: shared, frozen. */
const NO_DELTAS = Object.freeze([]) as unknown as Delta[];

/** A partial call for `onToolCallDelta`: one literal per shape, no spread (this runs per fragment). */
function partialOf(state: ToolCallState, args: unknown, delta: string, deltas: Delta[]): PartialToolCall {
  return state.choice === undefined
    ? { id: state.id, name: state.name, index: state.index, arguments: args, rawArguments: state.rawArguments, delta, deltas }
    : { id: state.id, name: state.name, index: state.index, choice: state.choice, arguments: args, rawArguments: state.rawArguments, delta, deltas };
}

/** The public identity of a call: fixed shapes, no spread. */
function infoOf(state: ToolCallState): ToolCallInfo {
  return state.choice === undefined
    ? { id: state.id, name: state.name, index: state.index }
    : { id: state.id, name: state.name, index: state.index, choice: state.choice };
}

/**
 * Finish reasons that end open calls as complete: only a normal stop. Every other reason
 * (`length`, `content-filter`, `error`, and `other`: a reason the adapter does not know, such as
 * Mistral's `model_length`) leaves them `truncated`, never delivered.
 */
const COMPLETING: ReadonlySet<FinishReason> = new Set(['stop', 'tool-calls']);

/**
 * Creates a tool-call assembler: it keeps one incremental partial parser per call, keyed by
 * (choice, id), so parallel and interleaved calls never mix; it delivers partial arguments as
 * fragments arrive, complete and validated arguments the moment a call ends, and a typed
 * {@link ToolCallError} for a call that is cut off, invalid, or unknown.
 *
 * Cost: O(total arguments text), whatever the fragmentation.
 *
 * @example
 * ```ts
 * const assembler = createToolCallAssembler({
 *   tools: { get_weather: z.object({ city: z.string() }) },
 *   onToolCall: (call) => execute(call.name, call.arguments),
 *   onToolCallError: (error) => console.warn(error.reason, error.message),
 * });
 * for await (const event of fromOpenAIChatCompletions(stream)) assembler.push(event);
 * assembler.end();
 * ```
 * @public
 */
export function createToolCallAssembler<Tools extends ToolSchemas | undefined = undefined>(
  options: ToolCallAssemblerOptions<Tools> = {},
): ToolCallAssembler<ToolArguments<Tools>> {
  return new Assembler(options as ToolCallAssemblerOptions<ToolSchemas | undefined>) as unknown as ToolCallAssembler<ToolArguments<Tools>>;
}

/**
 * What an assembler still holds per call, for the retention tests (test/tool-calls): parsers of
 * calls still streaming, argument-delta lists not yet handed out, and ended calls whose raw text
 * keeps its streaming pieces besides `rawArguments`. The last three are 0 once every call has
 * ended, whatever way it ended. Not part of the public API.
 * @internal
 */
export function assemblerHeld(assembler: ToolCallAssembler<unknown>): { calls: number; parsers: number; deltas: number; ropes: number } {
  return (assembler as unknown as Assembler).held_();
}

/** `keyOf(choice, id)`: the calls map's key of a call. */
function keyOf(choice: number | undefined, id: string): string {
  return `${choice ?? 0}\u0000${id}`;
}

function reasonFor(error: unknown): ToolCallErrorReason {
  return error instanceof SchemaValidationError ? 'schema' : 'invalid-json';
}

/**
 * The assembler: a class rather than a closure per method, so that an assembler costs a few
 * hundred bytes, not about 2 KB of closures and context (a server holds one per open stream:
 * 10,000 of them are 20 MB, as much as the argument text they assemble). Its maps are made on
 * first use. `push` and `end` stay own bound functions, usable detached as before.
 */
class Assembler implements ToolCallAssembler<unknown> {
  readonly #options: ToolCallAssemblerOptions<ToolSchemas | undefined>;
  readonly #tools: ToolSchemas | undefined;
  readonly #onToolCallStart: ((call: ToolCallInfo) => void) | undefined;
  readonly #onToolCallDelta: ((call: PartialToolCall<unknown>) => void) | undefined;
  readonly #onToolCall: ((call: CompletedToolCall<never>) => void) | undefined;
  readonly #onToolCallError: ((error: ToolCallError) => void) | undefined;
  /** The calls by {@link keyOf}; made by the first `tool-call-start`. */
  #calls: Map<string, Call> | undefined = undefined;
  readonly #order: ToolCallState[] = [];
  #finishReasons: Map<number, FinishReason> | undefined = undefined;
  // Structured output is its own piece: this assembler only hands it the text and finishes.
  readonly #output: StructuredOutput | undefined;
  #pendingError: ToolCallError | undefined = undefined;
  // Deltas come in runs for one call: remember the last lookup instead of building a key each time.
  #lastCall: Call | undefined = undefined;
  #lastId = '';
  #lastChoice: number | undefined = undefined;
  readonly push: (event: StreamEvent) => void;
  /** end() was called: push() refuses further events. */
  #ended = false;
  readonly end: () => void;

  constructor(options: ToolCallAssemblerOptions<ToolSchemas | undefined>) {
    this.#options = options;
    pointersPlugin(options.text, 'text'); // parsers are made per call: check the plug-in now
    this.#tools = options.tools === undefined ? undefined : checkTools(options.tools);
    this.#onToolCallStart = options.onToolCallStart;
    this.#onToolCallDelta = options.onToolCallDelta as ((call: PartialToolCall<unknown>) => void) | undefined;
    this.#onToolCall = options.onToolCall;
    this.#onToolCallError = options.onToolCallError;
    this.#output =
      options.output === undefined || options.output === false
        ? undefined
        : createStructuredOutput({
            ...options,
            schema: typeof options.output === 'object' ? options.output.schema : undefined,
            lenient: typeof options.output === 'object' ? options.output.lenient : undefined,
          });
    this.push = (event) => this.#push(event);
    this.end = () => this.#end();
  }

  get calls(): readonly ToolCallState[] {
    // Partial arguments are snapshots built lazily: refresh the streaming ones when asked.
    if (this.#calls !== undefined) {
      for (const call of this.#calls.values()) {
        if (call.open_ && call.parser_ !== undefined) call.state_.arguments = call.parser_.value;
        else if (call.open_ && call.text_) call.state_.arguments = call.state_.rawArguments;
      }
    }
    return this.#order;
  }

  get finishReasons(): ReadonlyMap<number, FinishReason> {
    return (this.#finishReasons ??= new Map());
  }

  held_(): { calls: number; parsers: number; deltas: number; ropes: number } {
    let parsers = 0;
    let deltas = 0;
    let ropes = 0;
    for (const call of this.#calls?.values() ?? []) {
      if (call.parser_ !== undefined) parsers++;
      if (call.deltas_ !== NO_DELTAS) deltas++;
      if (!call.open_ && (call.rawHead_ !== '' || call.rawTail_ !== '')) ropes++;
    }
    return { calls: this.#calls?.size ?? 0, parsers, deltas, ropes };
  }

  #find(choice: number | undefined, id: string): Call | undefined {
    const last = this.#lastCall;
    if (last !== undefined && id === this.#lastId && choice === this.#lastChoice) return last;
    const call = this.#calls?.get(keyOf(choice, id));
    if (call !== undefined) {
      this.#lastCall = call;
      this.#lastId = id;
      this.#lastChoice = choice;
    }
    return call;
  }

  #fail(call: Call, reason: ToolCallErrorReason, cause?: unknown): void {
    const { state_: state } = call;
    call.open_ = false;
    settleRaw(call);
    if (call.text_) state.arguments = state.rawArguments;
    else if (call.parser_ !== undefined) {
      try {
        state.arguments = call.parser_.value;
      } catch {
        // keep the last value read
      }
    }
    call.parser_ = undefined;
    call.deltas_ = NO_DELTAS;
    const error = new ToolCallError({
      reason,
      id: state.id,
      name: state.name,
      rawArguments: state.rawArguments,
      choice: state.choice,
      cause,
    });
    state.status = 'failed';
    state.error = error;
    const onToolCallError = this.#onToolCallError;
    if (onToolCallError !== undefined) onToolCallError(error);
    else this.#pendingError ??= error;
  }

  #deliver(call: Call, value: unknown): void {
    const { state_: state } = call;
    call.open_ = false;
    call.parser_ = undefined;
    call.deltas_ = NO_DELTAS;
    settleRaw(call);
    state.status = 'complete';
    state.arguments = value;
    const onToolCall = this.#onToolCall;
    if (onToolCall === undefined) return;
    const completed = infoOf(state) as CompletedToolCall;
    completed.arguments = value;
    completed.rawArguments = state.rawArguments;
    onToolCall(completed as CompletedToolCall<never>);
  }

  #complete(call: Call): void {
    if (!call.open_) return;
    if (call.text_) {
      this.#deliver(call, flatten(call.state_.rawArguments));
      return;
    }
    const parser = call.parser_;
    if (parser === undefined) return;
    const { state_: state } = call;
    try {
      // A call with no arguments text at all (some providers send none for a tool without
      // parameters) has the arguments `{}`.
      if (state.rawArguments.trim() === '') parser.write('{}');
      const value = parser.end();
      this.#emit(call, '');
      this.#deliver(call, value);
    } catch (error) {
      this.#emit(call, ''); // what end() said before it failed (`{"a":12` completes 12)
      // Ended while its JSON is still open (a `tool_calls` finish on a cut call): the text was
      // cut, not wrong, so it is `truncated`, like a call the stream never ended.
      if (error instanceof ParseError && error.code === 'unexpected-end') this.#fail(call, 'truncated', error);
      else if (error instanceof ParseError || error instanceof SchemaValidationError) this.#fail(call, reasonFor(error), error);
      else throw error;
    }
  }

  #truncateOpen(choice: number | undefined, cause: unknown): void {
    if (this.#calls === undefined) return;
    for (const call of this.#calls.values()) {
      if (call.open_ && (choice === undefined || (call.state_.choice ?? 0) === choice)) {
        this.#fail(call, 'truncated', cause);
      }
    }
  }

  #completeOpen(choice: number): void {
    if (this.#calls === undefined) return;
    for (const call of this.#calls.values()) {
      if (call.open_ && (call.state_.choice ?? 0) === choice) this.#complete(call);
    }
  }

  #flushPending(): void {
    if (this.#pendingError !== undefined) {
      const error = this.#pendingError;
      this.#pendingError = undefined;
      throw error;
    }
  }

  #start(event: Extract<StreamEvent, { type: 'tool-call-start' }>): void {
    const calls = (this.#calls ??= new Map());
    const key = keyOf(event.choice, event.id);
    if (calls.has(key)) return; // a repeated start (e.g. a replayed first fragment) changes nothing
    const state: ToolCallState =
      event.choice === undefined
        ? { id: event.id, name: event.name, index: event.index, status: 'streaming', arguments: undefined, rawArguments: '' }
        : { id: event.id, name: event.name, index: event.index, choice: event.choice, status: 'streaming', arguments: undefined, rawArguments: '' };
    const options = this.#options;
    const tools = this.#tools;
    // Tool names are data: `constructor` or `__proto__` must not find Object.prototype's.
    const known = tools === undefined || Object.hasOwn(tools, event.name);
    const schema = tools === undefined || !known ? undefined : tools[event.name];
    const text = event.format === 'text';
    const call: Call = { state_: state, parser_: undefined, deltas_: NO_DELTAS, text_: text, open_: true, rawHead_: '', rawTail_: '', chunks_: 0 };
    calls.set(key, call);
    this.#order.push(state);
    this.#onToolCallStart?.(infoOf(state));
    if (!known) {
      this.#fail(call, 'unknown-tool');
      return;
    }
    if (text) return; // free-form input: no parser, the text is the arguments
    const onText = options.onText;
    const info = onText === undefined || options.text === undefined ? undefined : infoOf(state);
    call.parser_ = createPartialParser({
      ...(schema === undefined ? {} : { schema, guide: options.guide }),
      ...(info === undefined
        ? {}
        : { text: options.text, onText: (delta: string, pointer: string, done: boolean) => onText!(delta, pointer, done, info) }),
      // Deltas cost a little per write: collect them only when asked for.
      ...(this.#onToolCallDelta === undefined || options.argumentDeltas !== true
        ? {}
        : {
            onDelta: (deltas: Delta[]) => {
              if (deltas.length === 0) return;
              if (call.deltas_ === NO_DELTAS) call.deltas_ = [];
              for (const d of deltas) call.deltas_.push(d);
            },
          }),
    });
  }

  #delta(event: Extract<StreamEvent, { type: 'tool-call-delta' }>): void {
    const call = this.#find(event.choice, event.id);
    if (call === undefined) {
      throw new TypeError(
        `tool-call-delta for ${JSON.stringify(event.id)} before its tool-call-start; push the events in stream order`,
      );
    }
    if (!call.open_ || event.delta === '') return;
    appendRaw(call, event.delta);
    const onToolCallDelta = this.#onToolCallDelta;
    if (call.text_) {
      if (onToolCallDelta !== undefined) onToolCallDelta(partialOf(call.state_, call.state_.rawArguments, event.delta, NO_DELTAS));
      return;
    }
    const parser = call.parser_;
    if (parser === undefined) return;
    try {
      parser.write(event.delta);
    } catch (error) {
      if (error instanceof ParseError || error instanceof SchemaValidationError) {
        // The parser reported what the text before the bad character says, then threw: that goes
        // out with this fragment, or the replayed deltas would depend on where the cuts fell.
        this.#emit(call, event.delta);
        this.#fail(call, reasonFor(error), error);
        return;
      }
      throw error;
    }
    this.#emit(call, event.delta);
  }

  /**
   * `onToolCallDelta` with the partial arguments and the deltas collected since the last one; a
   * `fragment` of `''` is the end of the call (fragments are never empty), sent only when ending
   * changed something (`12` completes at the end, no text at all is `{}`).
   */
  #emit(call: Call, fragment: string): void {
    const onToolCallDelta = this.#onToolCallDelta;
    const deltas = call.deltas_;
    if (onToolCallDelta === undefined || (fragment === '' && deltas.length === 0)) return;
    const { state_: state } = call;
    call.deltas_ = NO_DELTAS;
    state.arguments = call.parser_!.value;
    onToolCallDelta(partialOf(state, state.arguments, fragment, deltas));
  }

  #push(event: StreamEvent): void {
    if (this.#ended) throw new TypeError('push() called after end(); create a new assembler for the next stream');
    if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') {
      // A provider's raw chunk ({choices: …}, {candidates: …}) has no `type`: the adapter was left out.
      throw new TypeError(
        `The tool-call assembler takes normalized stream events ({type: 'tool-call-delta', …}), got ${
          event === null ? 'null' : Array.isArray(event) ? 'an array' : typeof event === 'object' ? 'an object without a string type' : typeof event
        }; pass the provider's stream through its adapter first: assembleToolCalls(fromOpenAIChatCompletions(stream))`,
      );
    }
    switch (event.type) {
      case 'tool-call-start':
        this.#start(event);
        break;
      case 'tool-call-delta':
        this.#delta(event);
        break;
      case 'tool-call-end': {
        const call = this.#find(event.choice, event.id);
        if (call !== undefined) this.#complete(call);
        break;
      }
      case 'finish': {
        // Every finish applies (a stream may hold several responses, each with its own); a
        // duplicated one finds no open call and an output already ended.
        const choice = event.choice ?? 0;
        (this.#finishReasons ??= new Map()).set(choice, event.reason);
        if (COMPLETING.has(event.reason)) this.#completeOpen(choice);
        else this.#truncateOpen(choice, event);
        this.#output?.finish(event.choice);
        break;
      }
      case 'error':
        this.#truncateOpen(undefined, event.error);
        break;
      case 'text-delta':
        if (this.#output !== undefined && event.delta !== '') this.#output.text(event.delta, event.choice);
        break;
      case 'reasoning-delta':
      case 'refusal-delta':
        break;
      default: {
        const exhaustive: never = event;
        void exhaustive;
      }
    }
    this.#flushPending();
  }

  #end(): void {
    // A second end() has nothing left to end (every call was settled by the first).
    if (this.#ended) return;
    this.#ended = true;
    this.#truncateOpen(undefined, undefined);
    this.#output?.end();
    this.#flushPending();
  }
}
