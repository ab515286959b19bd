/**
 * Why a model stopped generating, normalized across providers (the AI SDK's finish reasons).
 *
 * - `stop`: natural end or a stop sequence (OpenAI `stop`, Anthropic `end_turn` / `stop_sequence`,
 *   Gemini `STOP`).
 * - `length`: the output token limit was reached (OpenAI `length`, Anthropic `max_tokens`,
 *   Gemini `MAX_TOKENS`, Responses `incomplete` with `max_output_tokens`): open tool calls are
 *   truncated.
 * - `tool-calls`: the model asked for tool calls (OpenAI `tool_calls`, Anthropic `tool_use`).
 * - `content-filter`: stopped by a safety or content filter.
 * - `error`: the provider reported an error.
 * - `other`: anything else (the raw value is kept in `rawReason`).
 *
 * @public
 */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

interface EventBase {
  /**
   * Which choice (OpenAI `n > 1`, Gemini `candidateCount > 1`) the event belongs to. Adapters
   * leave it out for choice 0, so a single-choice stream carries no `choice` at all: read it as
   * `event.choice ?? 0`.
   */
  choice?: number | undefined;
}

/** A fragment of the answer text (also structured output, which arrives as text). @public */
export interface TextDeltaEvent extends EventBase {
  /** Discriminant. */
  type: 'text-delta';
  /** The new text, appended to what came before. */
  delta: string;
}

/** A fragment of the model's reasoning ("thinking"), kept apart from the answer. @public */
export interface ReasoningDeltaEvent extends EventBase {
  /** Discriminant. */
  type: 'reasoning-delta';
  /** The new reasoning text, appended to what came before (a summary where the provider streams only that). */
  delta: string;
}

/** A fragment of a refusal (OpenAI `delta.refusal`), kept apart from the answer text. @public */
export interface RefusalDeltaEvent extends EventBase {
  /** Discriminant. */
  type: 'refusal-delta';
  /** The new refusal text, appended to what came before. */
  delta: string;
}

/** A tool call began. Its arguments follow as `tool-call-delta` events with the same `id`. @public */
export interface ToolCallStartEvent extends EventBase {
  /** Discriminant. */
  type: 'tool-call-start';
  /**
   * Stable identity of the call within the stream: the provider's call id (OpenAI `id`,
   * Anthropic `tool_use` id, Responses `call_id`, Gemini `functionCall.id`), or a generated one,
   * `<provider>-call-<choice>-<n>` (e.g. `gemini-call-0-2`, with `n` the call's `index`), when
   * the provider sends none (Gemini usually, some OpenAI-compatible servers).
   */
  id: string;
  /** The tool's name. */
  name: string;
  /** 0-based position of the call among the tool calls of its choice, in order of appearance. */
  index: number;
  /**
   * The provider's own identifiers, for correlation: `{itemId, outputIndex}` (Responses API),
   * `{blockIndex, blockType}` (Anthropic), `{toolCallIndex}` (OpenAI chat: the raw
   * `tool_calls[].index`), `{providerExecuted, dynamic}` (AI SDK, when set).
   */
  providerMetadata?: Record<string, unknown> | undefined;
  /**
   * How the arguments are written: `json` (a JSON text, the usual function call) or `text`
   * (free-form input, e.g. a Responses API custom tool: delivered as the text itself, never
   * JSON-parsed). Left out for `json`.
   * @defaultValue `'json'`
   */
  format?: 'json' | 'text' | undefined;
}

/** A fragment of a tool call's arguments, as JSON text. @public */
export interface ToolCallDeltaEvent extends EventBase {
  /** Discriminant. */
  type: 'tool-call-delta';
  /** The call's id, as in its `tool-call-start`. */
  id: string;
  /** The next fragment of the arguments' JSON text (may be empty). */
  delta: string;
}

/**
 * A tool call's arguments are complete: the provider said so explicitly (its end event, the next
 * call on the same choice where the protocol implies one, or the finish event). Never inferred
 * from the arguments happening to parse.
 * @public
 */
export interface ToolCallEndEvent extends EventBase {
  /** Discriminant. */
  type: 'tool-call-end';
  /** The call's id, as in its `tool-call-start`. */
  id: string;
}

/** The model finished (for this choice). @public */
export interface FinishEvent extends EventBase {
  /** Discriminant. */
  type: 'finish';
  /** Why the model stopped, normalized (see {@link FinishReason}). */
  reason: FinishReason;
  /** The provider's own value (`"max_tokens"`, `"MAX_TOKENS"`, …). */
  rawReason?: string | undefined;
  /**
   * Token usage when the provider reports it, for the whole request (with OpenAI `n > 1`, every
   * choice's `finish` carries the same totals). `inputTokens` includes cached input tokens;
   * `outputTokens` includes reasoning tokens.
   */
  usage?:
    | {
        /** Tokens of the prompt. */
        inputTokens?: number | undefined;
        /** Tokens the model generated. */
        outputTokens?: number | undefined;
      }
    | undefined;
}

/**
 * The provider reported an error inside the stream (e.g. Anthropic `overloaded_error` after
 * HTTP 200, an OpenAI `{"error": …}` chunk, Responses `error` / `response.failed`), or an adapter
 * met chunks it cannot place or that abandon a call (then `error` is an `Error` whose message
 * says why: e.g. a new Anthropic `message_start` or Responses `response.created` while a call is
 * still open). An error never completes a call: the calls open when it arrives are abandoned,
 * and the tool-call assembler reports them as `truncated`.
 * @public
 */
export interface ErrorEvent extends EventBase {
  /** Discriminant. */
  type: 'error';
  /** The provider's error object as received (e.g. `{type: 'overloaded_error', message}`), or an `Error`. */
  error: unknown;
}

/**
 * One normalized event of a model stream. Adapters (`fromOpenAIChatCompletions`,
 * `fromAnthropicMessages`, …) turn each provider's chunks into these; the shape mirrors the AI
 * SDK's stream parts.
 *
 * Order guarantees given by every adapter: a call's `tool-call-start` comes before its deltas,
 * its deltas before its `tool-call-end`, and nothing follows a call's `tool-call-end` for that
 * call; `finish` comes last for its choice (once per response: a stream that holds several
 * responses, like several Anthropic messages in one replay, has one per response).
 * A call is ended only by an explicit signal (see {@link ToolCallEndEvent}); a call still open
 * when the stream ends, or when an `error` event arrives, is truncated. Anything that resets or
 * abandons an open call (a new message or response in the same stream) is reported as an
 * `error` event first, so the call can never be completed by a later end signal.
 *
 * @public
 */
export type StreamEvent =
  | TextDeltaEvent
  | ReasoningDeltaEvent
  | RefusalDeltaEvent
  | ToolCallStartEvent
  | ToolCallDeltaEvent
  | ToolCallEndEvent
  | FinishEvent
  | ErrorEvent;
