import type { FinishReason, StreamEvent } from './events.js';
import {
  finishEvent,
  generatedCallId,
  mapReason,
  num,
  pushAfterEnd,
  runNormalizer,
  sumOf,
  usageOf,
  type ChunkSource,
  type StreamNormalizer,
} from './normalizer.js';

/**
 * One Messages API stream event, as `@anthropic-ai/sdk` yields it from
 * `messages.create({stream: true})` (`RawMessageStreamEvent`) or as the SSE `data:` payload
 * carries it: `message_start`, `content_block_start`, `content_block_delta`,
 * `content_block_stop`, `message_delta`, `message_stop`, `ping`, `error`. Only the fields the
 * adapter reads are listed.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 * @public
 */
export interface AnthropicMessageStreamEvent {
  /** The event's kind: `message_start`, `content_block_delta`, `ping`, `error`, … (unknown kinds are skipped). */
  type: string;
  /** Content block position (`content_block_*` events). */
  index?: number | undefined;
  /**
   * `message_start`. Usually `content: []` and `stop_reason: null`; with programmatic tool calling
   * the message can arrive finished: its `content` already holds the blocks (text, `tool_use`
   * with whole `input`) and `stop_reason` is set, with no block events after it.
   */
  message?:
    | {
        /** The message's id; not read. */
        id?: string | undefined;
        /** Input token counts (output counts follow in `message_delta`). */
        usage?: AnthropicUsage | null | undefined;
        /** The blocks the message already holds (usually none). */
        content?: readonly AnthropicContentBlock[] | null | undefined;
        /** Set when the message arrives finished; else `null`. */
        stop_reason?: string | null | undefined;
      }
    | undefined;
  /** `content_block_start`. */
  content_block?: AnthropicContentBlock | undefined;
  /** `content_block_delta` (`text_delta`, `input_json_delta`, `thinking_delta`, …) or `message_delta`. */
  delta?: AnthropicDelta | undefined;
  /** `message_delta`: cumulative usage. */
  usage?: AnthropicUsage | null | undefined;
  /** `error`: e.g. `{type: 'overloaded_error', message: 'Overloaded'}`. */
  error?: unknown;
}

/** The block of a `content_block_start` event. @public */
export interface AnthropicContentBlock {
  /** `text`, `thinking`, `redacted_thinking`, `tool_use`, `server_tool_use`, `mcp_tool_use`, `…_tool_result`, … */
  type?: string | undefined;
  /** The tool call's id (`toolu_…`), for tool-use blocks. */
  id?: string | null | undefined;
  /** The tool's name, for tool-use blocks. */
  name?: string | null | undefined;
  /** Tool input; `{}` when it streams as `input_json_delta`s. */
  input?: unknown;
  /** A text block's initial text (usually `''`; the text follows in `text_delta`s). */
  text?: string | null | undefined;
  /** A thinking block's initial text (usually `''`; it follows in `thinking_delta`s). */
  thinking?: string | null | undefined;
}

/** The delta of a `content_block_delta` or `message_delta` event. @public */
export interface AnthropicDelta {
  /** `text_delta`, `input_json_delta`, `thinking_delta`, `signature_delta`, …; absent on `message_delta`. */
  type?: string | undefined;
  /** `text_delta`: the next piece of the answer text. */
  text?: string | undefined;
  /** `input_json_delta`: the next piece of the tool input's JSON text (the first may be `''`). */
  partial_json?: string | undefined;
  /** `thinking_delta`: the next piece of the reasoning text. */
  thinking?: string | undefined;
  /** `signature_delta` (ignored: it authenticates the thinking block, it is not text). */
  signature?: string | undefined;
  /** `message_delta`: why the message stopped (`end_turn`, `tool_use`, `max_tokens`, …; see {@link mapAnthropicStopReason}). */
  stop_reason?: string | null | undefined;
  /** `message_delta`: the stop sequence that matched, if any; not read. */
  stop_sequence?: string | null | undefined;
}

/** Token counts of `message_start` / `message_delta`. @public */
export interface AnthropicUsage {
  /** Uncached input tokens (the three input counts add up to `usage.inputTokens`). */
  input_tokens?: number | null | undefined;
  /** Output tokens so far (cumulative in `message_delta`). */
  output_tokens?: number | null | undefined;
  /** Input tokens written to the prompt cache. */
  cache_creation_input_tokens?: number | null | undefined;
  /** Input tokens read from the prompt cache. */
  cache_read_input_tokens?: number | null | undefined;
}

type BlockState =
  | { kind: 'tool'; id: string; emitted: boolean; argsFromStart: boolean; ended: boolean }
  | { kind: 'text' | 'thinking' | 'other' };

const STOP_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool-calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content-filter',
  pause_turn: 'other',
};

/**
 * Map an Anthropic `stop_reason` to a {@link FinishReason}: `end_turn` / `stop_sequence` →
 * `stop`, `tool_use` → `tool-calls`, `max_tokens` / `model_context_window_exceeded` → `length`,
 * `refusal` → `content-filter`, anything else (`pause_turn`, …) → `other`.
 * @public
 */
export function mapAnthropicStopReason(reason: string): FinishReason {
  return mapReason(STOP_REASONS, reason);
}

function isToolUseBlock(type: string | undefined): boolean {
  // tool_use, server_tool_use, mcp_tool_use: blocks whose `input` is the call's arguments.
  return type !== undefined && type.endsWith('tool_use');
}

/**
 * Create the synchronous core of {@link fromAnthropicMessages}.
 *
 * Rules it follows:
 * - `text_delta` → `text-delta`, `thinking_delta` → `reasoning-delta`; `signature_delta`,
 *   `citations_delta`, `ping` and whole result blocks (`web_search_tool_result`, …) are ignored.
 * - A `tool_use`, `server_tool_use` or `mcp_tool_use` block is a tool call (`id` = the block's
 *   id, `providerMetadata: {blockIndex, blockType}`): `input_json_delta` → `tool-call-delta`
 *   (empty fragments, like the usual empty first one, are skipped); a non-empty `input` object
 *   in `content_block_start` is emitted as the arguments at once (later fragments of that block
 *   are then ignored); `content_block_stop` ends the call, emitting `{}` first if no argument
 *   text came at all. A new `content_block_start` ends a tool block whose stop never came
 *   (blocks are strictly sequential).
 * - `message_delta` with `stop_reason` finishes (with usage): `end_turn` / `stop_sequence` /
 *   `tool_use` end tool blocks left open; `max_tokens` does not (their input is truncated: the
 *   API then sends no `content_block_stop`). A `message_stop` without a `stop_reason` before it
 *   finishes with `other`.
 * - An `error` event (e.g. `overloaded_error` after HTTP 200) becomes an `error` event; the
 *   calls open then are abandoned (never ended later; the assembler reports them `truncated`).
 * - Several messages in one stream (a replayed agent loop) are handled one after the other,
 *   each with its own `finish`. A `message_start` that arrives while a `tool_use` block is
 *   still open (the previous message was cut) first gives an `error` event naming the cut calls:
 *   they are abandoned, never completed by the next message's stop.
 * - A `message_start` whose `message.content` already holds finished blocks (programmatic tool
 *   calling) emits them at once: text, thinking, and each `tool_use` as start, its whole
 *   `input` as one delta, end; a `stop_reason` there finishes the message.
 *
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 * @see https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/fine-grained-tool-streaming
 * @public
 */
export function createAnthropicMessagesNormalizer(): StreamNormalizer<AnthropicMessageStreamEvent> {
  let blocks = new Map<number, BlockState>();
  let lastBlock: BlockState | undefined;
  let count = 0;
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  let finished = false;
  let ended = false;

  /** Abandon the tool blocks still open: an `error` event (the assembler truncates them). */
  function abandonOpen(why: string, out: StreamEvent[]): void {
    const cut: string[] = [];
    for (const block of blocks.values()) {
      if (block.kind === 'tool' && !block.ended) {
        block.ended = true;
        cut.push(block.id);
      }
    }
    if (cut.length === 0) return;
    out.push({
      type: 'error',
      error: new Error(
        `${why} while tool call ${cut.map((id) => JSON.stringify(id)).join(', ')} was still open: ` +
          'the call was cut off and must not be executed',
      ),
    });
  }

  /** Starts the call of a `tool_use` block (or a server tool's); returns its id. */
  function startCall(block: AnthropicContentBlock, blockIndex: number, out: StreamEvent[]): string {
    const n = count++;
    const id = typeof block.id === 'string' && block.id !== '' ? block.id : generatedCallId('anthropic', 0, n);
    out.push({
      type: 'tool-call-start',
      id,
      name: typeof block.name === 'string' ? block.name : '',
      index: n,
      providerMetadata: { blockIndex, blockType: block.type },
    });
    return id;
  }

  /** A block that arrived whole (in `message_start.message.content`). */
  function wholeBlock(block: AnthropicContentBlock, blockIndex: number, out: StreamEvent[]): void {
    if (block === null || typeof block !== 'object') return;
    if (isToolUseBlock(block.type)) {
      const id = startCall(block, blockIndex, out);
      const input = typeof block.input === 'object' && block.input !== null ? block.input : {};
      out.push({ type: 'tool-call-delta', id, delta: JSON.stringify(input) });
      out.push({ type: 'tool-call-end', id });
      blocks.set(blockIndex, { kind: 'tool', id, emitted: true, argsFromStart: true, ended: true });
    } else if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
      out.push({ type: 'text-delta', delta: block.text });
    } else if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking !== '') {
      out.push({ type: 'reasoning-delta', delta: block.thinking });
    }
  }

  function endTool(block: BlockState | undefined, out: StreamEvent[]): void {
    if (block === undefined || block.kind !== 'tool' || block.ended) return;
    if (!block.emitted) out.push({ type: 'tool-call-delta', id: block.id, delta: '{}' });
    block.ended = true;
    out.push({ type: 'tool-call-end', id: block.id });
  }

  function readUsage(usage: AnthropicUsage | null | undefined): void {
    if (usage === undefined || usage === null) return;
    const input = sumOf(
      usage.input_tokens,
      usage.cache_creation_input_tokens,
      usage.cache_read_input_tokens,
    );
    if (input !== undefined) inputTokens = input;
    const output = num(usage.output_tokens);
    if (output !== undefined) outputTokens = output;
  }

  function finish(raw: string | undefined, out: StreamEvent[]): void {
    finished = true;
    out.push(finishEvent(raw === undefined ? 'other' : mapAnthropicStopReason(raw), raw, usageOf(inputTokens, outputTokens)));
  }

  return {
    push(event) {
      if (ended) throw pushAfterEnd();
      const out: StreamEvent[] = [];
      if (event === null || typeof event !== 'object') return out;
      switch (event.type) {
        case 'message_start': {
          abandonOpen('A new message_start arrived', out);
          blocks = new Map();
          lastBlock = undefined;
          finished = false;
          inputTokens = undefined;
          outputTokens = undefined;
          const message = event.message;
          readUsage(message?.usage);
          const content = message?.content;
          if (Array.isArray(content)) {
            content.forEach((block: AnthropicContentBlock, i: number) => wholeBlock(block, i, out));
          }
          const raw = message?.stop_reason;
          if (typeof raw === 'string' && raw !== '') finish(raw, out);
          break;
        }
        case 'content_block_start': {
          endTool(lastBlock, out);
          const block = event.content_block ?? {};
          const blockIndex = num(event.index) ?? blocks.size;
          let state: BlockState;
          if (isToolUseBlock(block.type)) {
            const id = startCall(block, blockIndex, out);
            const input = block.input;
            const argsFromStart =
              typeof input === 'object' && input !== null && Object.keys(input).length > 0;
            if (argsFromStart) out.push({ type: 'tool-call-delta', id, delta: JSON.stringify(input) });
            state = { kind: 'tool', id, emitted: argsFromStart, argsFromStart, ended: false };
          } else if (block.type === 'text') {
            if (typeof block.text === 'string' && block.text !== '') out.push({ type: 'text-delta', delta: block.text });
            state = { kind: 'text' };
          } else if (block.type === 'thinking') {
            if (typeof block.thinking === 'string' && block.thinking !== '') {
              out.push({ type: 'reasoning-delta', delta: block.thinking });
            }
            state = { kind: 'thinking' };
          } else {
            state = { kind: 'other' };
          }
          blocks.set(blockIndex, state);
          lastBlock = state;
          break;
        }
        case 'content_block_delta': {
          const delta = event.delta;
          if (delta === undefined || delta === null) break;
          const block = blocks.get(num(event.index) ?? -1) ?? lastBlock;
          switch (delta.type) {
            case 'text_delta':
              if (typeof delta.text === 'string' && delta.text !== '') out.push({ type: 'text-delta', delta: delta.text });
              break;
            case 'thinking_delta':
              if (typeof delta.thinking === 'string' && delta.thinking !== '') {
                out.push({ type: 'reasoning-delta', delta: delta.thinking });
              }
              break;
            case 'input_json_delta':
              if (
                block?.kind === 'tool' &&
                !block.ended &&
                !block.argsFromStart &&
                typeof delta.partial_json === 'string' &&
                delta.partial_json !== ''
              ) {
                block.emitted = true;
                out.push({ type: 'tool-call-delta', id: block.id, delta: delta.partial_json });
              }
              break;
            default:
              break;
          }
          break;
        }
        case 'content_block_stop':
          endTool(blocks.get(num(event.index) ?? -1) ?? lastBlock, out);
          break;
        case 'message_delta': {
          readUsage(event.usage);
          const raw = event.delta?.stop_reason;
          if (typeof raw === 'string' && raw !== '' && !finished) {
            const reason = mapAnthropicStopReason(raw);
            if (reason === 'stop' || reason === 'tool-calls') {
              for (const block of blocks.values()) endTool(block, out);
            } else {
              // Cut (max_tokens, …): the `length` finish truncates them; nothing may end them later.
              for (const block of blocks.values()) if (block.kind === 'tool') block.ended = true;
            }
            finish(raw, out);
          }
          break;
        }
        case 'message_stop':
          if (!finished) finish(undefined, out);
          break;
        case 'error':
          out.push({ type: 'error', error: event.error ?? event });
          for (const block of blocks.values()) if (block.kind === 'tool') block.ended = true;
          break;
        default:
          break;
      }
      return out;
    },
    end() {
      ended = true;
      return [];
    },
  };
}

/**
 * Normalize an Anthropic Messages stream into {@link StreamEvent}s. `events` is what
 * `client.messages.create({..., stream: true})` returns (raw events), or the parsed `data:`
 * payloads of the SSE body (see {@link readServerSentEventsJson}). See
 * `createAnthropicMessagesNormalizer` (internal; what `createProviderNormalizer` returns for this provider) for the rules.
 *
 * @throws whatever the source throws.
 * @example
 * ```ts
 * const stream = await anthropic.messages.create({ model, max_tokens, messages, tools, stream: true });
 * for await (const event of fromAnthropicMessages(stream)) console.log(event);
 * ```
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 * @public
 */
export function fromAnthropicMessages(
  events: ChunkSource<AnthropicMessageStreamEvent>,
): AsyncGenerator<StreamEvent, void, undefined> {
  return runNormalizer(events, createAnthropicMessagesNormalizer(), 'fromAnthropicMessages');
}
