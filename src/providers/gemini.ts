import type { FinishEvent, FinishReason, StreamEvent } from './events.js';
import {
  choiceField,
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
import { createPartialArgsWriter, type GeminiPartialArg, type PartialArgsWriter } from './vertex-partial-args.js';

export type { GeminiPartialArg } from './vertex-partial-args.js';

/**
 * One streamed `GenerateContentResponse` of the Gemini API or Vertex AI
 * (`streamGenerateContent`), as `@google/genai` yields it from `generateContentStream`, as an SSE
 * `data:` payload (`alt=sse`), or as an element of the streamed JSON array body (without
 * `alt=sse`). Only the fields the adapter reads are listed.
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 * @public
 */
export interface GeminiGenerateContentResponse {
  /** The candidates (choices) with news in this chunk. */
  candidates?: readonly GeminiCandidate[] | undefined;
  /** Token counts so far, on the chunks that carry them (the last one counts). */
  usageMetadata?: GeminiUsageMetadata | undefined;
  /** Set when the prompt itself was blocked (then there are no candidates). */
  promptFeedback?:
    | {
        /** Why the prompt was blocked (`SAFETY`, `OTHER`, …): the stream finishes with `content-filter`. */
        blockReason?: string | undefined;
      }
    | undefined;
  /** An error object inside the stream (`{code, message, status}`). */
  error?: unknown;
}

/** A candidate of {@link GeminiGenerateContentResponse}. @public */
export interface GeminiCandidate {
  /** Candidate number (with `candidateCount > 1`); defaults to the position in `candidates`. */
  index?: number | undefined;
  /** What this chunk adds to the candidate. */
  content?:
    | {
        /** Text, thought and function-call parts, in order. */
        parts?: readonly GeminiPart[] | undefined;
        /** `'model'`; not read. */
        role?: string | undefined;
      }
    | undefined;
  /** `STOP`, `MAX_TOKENS`, `SAFETY`, `MALFORMED_FUNCTION_CALL`, … on the candidate's last chunk. */
  finishReason?: string | undefined;
}

/** A content part. @public */
export interface GeminiPart {
  /** The next piece of the answer text (or of the reasoning, with `thought`). */
  text?: string | undefined;
  /** `true` for a thought summary part (reasoning), kept apart from the answer text. */
  thought?: boolean | undefined;
  /** A function call (whole, or one streamed piece on Vertex AI). */
  functionCall?: GeminiFunctionCall | undefined;
}

/**
 * A function call part. The Gemini API sends it whole (`name` and `args`); Vertex AI with
 * `streamFunctionCallArguments` streams it: `{name, willContinue: true}`, then
 * `{partialArgs, willContinue: true}` parts, then an empty `{}` that ends it.
 * @public
 */
export interface GeminiFunctionCall {
  /** The call's id, when the API sends one (usually not: the adapter then generates `gemini-call-<choice>-<n>`). */
  id?: string | undefined;
  /** The function's name (on the first part of a streamed call). */
  name?: string | undefined;
  /** The whole arguments object (Gemini API), sent as one `tool-call-delta`. */
  args?: Record<string, unknown> | null | undefined;
  /** Streamed argument values with their JSON paths (Vertex AI `streamFunctionCallArguments`). */
  partialArgs?: readonly GeminiPartialArg[] | undefined;
  /** More parts of this call follow. */
  willContinue?: boolean | undefined;
}

/** Token counts of {@link GeminiGenerateContentResponse}. @public */
export interface GeminiUsageMetadata {
  /** Tokens of the prompt (becomes `usage.inputTokens`). */
  promptTokenCount?: number | undefined;
  /** Tokens of the answer, all candidates (with `thoughtsTokenCount`, becomes `usage.outputTokens`). */
  candidatesTokenCount?: number | undefined;
  /** Tokens of the reasoning. */
  thoughtsTokenCount?: number | undefined;
}

const FINISH_REASONS: Record<string, FinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content-filter',
  RECITATION: 'content-filter',
  BLOCKLIST: 'content-filter',
  PROHIBITED_CONTENT: 'content-filter',
  SPII: 'content-filter',
  IMAGE_SAFETY: 'content-filter',
  IMAGE_PROHIBITED_CONTENT: 'content-filter',
  MALFORMED_FUNCTION_CALL: 'error',
  UNEXPECTED_TOOL_CALL: 'error',
};

/**
 * Map a Gemini `finishReason` to a {@link FinishReason}: `STOP` → `stop` (`tool-calls` when the
 * candidate called functions, pass `hadToolCalls`), `MAX_TOKENS` → `length`, `SAFETY` /
 * `RECITATION` / `BLOCKLIST` / `PROHIBITED_CONTENT` / `SPII` / `IMAGE_SAFETY` → `content-filter`,
 * `MALFORMED_FUNCTION_CALL` / `UNEXPECTED_TOOL_CALL` → `error`, anything else → `other`.
 * @public
 */
export function mapGeminiFinishReason(reason: string, hadToolCalls = false): FinishReason {
  const mapped = mapReason(FINISH_REASONS, reason);
  return mapped === 'stop' && hadToolCalls ? 'tool-calls' : mapped;
}

interface GeminiCall {
  id: string;
  writer_: PartialArgsWriter | undefined;
  /** Whether argument text was emitted (complete `args` or partial args). */
  emitted_: boolean;
  /** Partial args could not be placed: the call is left open, never ended with bad text. */
  broken_: boolean;
}

interface GeminiChoiceState {
  open_: GeminiCall | undefined;
  count_: number;
  /** The candidate's finish, held back until the stream ends (the stream may go on after it). */
  finish_: FinishEvent | undefined;
  /** Calls started since the last `finishReason` (decides `tool-calls` vs `stop`). */
  callsSinceFinish_: number;
  /** Text or calls arrived since the last `finishReason` (else a repeated one only updates usage). */
  contentSinceFinish_: boolean;
}

/**
 * Create the synchronous core of {@link fromGemini}.
 *
 * Rules it follows:
 * - Text parts → `text-delta`; parts with `thought: true` → `reasoning-delta`.
 * - A function call part with `name` starts a call (`id` = `functionCall.id`, else
 *   `gemini-call-<choice>-<n>`), ending a streamed call still open on that candidate. Complete
 *   `args` are emitted as one delta of JSON text (`{}` when absent). Vertex `partialArgs` are
 *   turned into JSON text deltas whose concatenation is the final arguments object: keys and
 *   containers are written as their paths arrive, strings stream piece by piece while
 *   `willContinue` is set, `numberValue` / `boolValue` / `nullValue` are written whole. A part
 *   without `willContinue: true` ends the call (the terminal empty `functionCall: {}` of Vertex,
 *   or a complete call), closing its JSON text first.
 * - `finishReason` is where the candidate stopped, but not always where the stream ends: with
 *   server-side tool execution the function response and the final answer follow a
 *   `finishReason: STOP`. So the `finish` event is held back and comes out at `end()`, once per
 *   candidate, after every text and call of the stream (a consumer that stops at `finish`
 *   loses nothing). It carries the last `finishReason` that followed new content (a repeated
 *   one with nothing new in between only updates usage), and the last usage seen
 *   (`promptTokenCount`; `candidatesTokenCount + thoughtsTokenCount`). `STOP` ends a call still
 *   open and becomes `tool-calls` when the candidate called functions since the previous
 *   `finishReason`; `MAX_TOKENS` and the others abandon it (never ended: the assembler reports
 *   it `truncated`). A blocked prompt (`promptFeedback.blockReason`, no candidates) finishes
 *   with `content-filter`.
 * - An `error` field becomes an `error` event and abandons open calls.
 * - `choice` is the candidate's `index` (left out for 0). An `error` field becomes an `error`
 *   event.
 *
 * @see https://ai.google.dev/gemini-api/docs/function-calling
 * @see https://cloud.google.com/vertex-ai/generative-ai/docs/multimodal/function-calling#streaming-arguments
 * @public
 */
export function createGeminiNormalizer(): StreamNormalizer<GeminiGenerateContentResponse> {
  const choices = new Map<number, GeminiChoiceState>();
  let usage: FinishEvent['usage'];
  /** Candidates in the order of their first `finishReason`: the order of the held-back finishes. */
  const finishOrder: number[] = [];
  let ended = false;

  function stateOf(choice: number): GeminiChoiceState {
    let state = choices.get(choice);
    if (state === undefined) {
      state = { open_: undefined, count_: 0, finish_: undefined, callsSinceFinish_: 0, contentSinceFinish_: false };
      choices.set(choice, state);
    }
    return state;
  }

  function startCall(
    state: GeminiChoiceState,
    choice: number,
    id: string | undefined,
    name: string,
    out: StreamEvent[],
  ): GeminiCall {
    if (state.open_ !== undefined) endCall(state, choice, out);
    const n = state.count_++;
    state.callsSinceFinish_++;
    state.contentSinceFinish_ = true;
    const call: GeminiCall = {
      id: id !== undefined && id !== '' ? id : generatedCallId('gemini', choice, n),
      writer_: undefined,
      emitted_: false,
      broken_: false,
    };
    state.open_ = call;
    out.push({ type: 'tool-call-start', id: call.id, name, index: n, ...choiceField(choice) });
    return call;
  }

  function emit(call: GeminiCall, choice: number, text: string, out: StreamEvent[]): void {
    if (text === '') return;
    call.emitted_ = true;
    out.push({ type: 'tool-call-delta', id: call.id, delta: text, ...choiceField(choice) });
  }

  function endCall(state: GeminiChoiceState, choice: number, out: StreamEvent[]): void {
    const call = state.open_;
    if (call === undefined) return;
    state.open_ = undefined;
    if (call.broken_) return;
    if (call.writer_ !== undefined) emit(call, choice, call.writer_.close(), out);
    else if (!call.emitted_) emit(call, choice, '{}', out);
    out.push({ type: 'tool-call-end', id: call.id, ...choiceField(choice) });
  }

  function functionCall(
    fc: GeminiFunctionCall,
    state: GeminiChoiceState,
    choice: number,
    out: StreamEvent[],
  ): void {
    let call = state.open_;
    const hasName = typeof fc.name === 'string' && fc.name !== '';
    const hasArgs = typeof fc.args === 'object' && fc.args !== null;
    const partial = fc.partialArgs ?? [];
    if (hasName || (call === undefined && (hasArgs || partial.length > 0))) {
      call = startCall(state, choice, fc.id, hasName ? (fc.name as string) : '', out);
    }
    if (call !== undefined && !call.broken_) {
      if (hasArgs && call.writer_ === undefined && !call.emitted_) emit(call, choice, JSON.stringify(fc.args), out);
      if (partial.length > 0 && !call.emitted_) call.writer_ ??= createPartialArgsWriter();
      if (call.writer_ !== undefined) {
        for (const arg of partial) {
          try {
            emit(call, choice, call.writer_.write(arg), out);
          } catch (error) {
            call.broken_ = true;
            out.push({ type: 'error', error, ...choiceField(choice) });
            break;
          }
        }
      }
    }
    if (fc.willContinue !== true) endCall(state, choice, out);
  }

  return {
    push(response) {
      if (ended) throw pushAfterEnd();
      const out: StreamEvent[] = [];
      if (response === null || typeof response !== 'object') return out;
      if (response.error !== undefined && response.error !== null) {
        out.push({ type: 'error', error: response.error });
        for (const state of choices.values()) state.open_ = undefined; // abandoned: truncated
      }
      const usageMetadata = response.usageMetadata;
      const chunkUsage = usageMetadata
        ? usageOf(
            num(usageMetadata.promptTokenCount),
            sumOf(usageMetadata.candidatesTokenCount, usageMetadata.thoughtsTokenCount),
          )
        : undefined;
      if (chunkUsage !== undefined) {
        usage = chunkUsage;
        for (const state of choices.values()) if (state.finish_ !== undefined) state.finish_.usage = usage;
      }
      const candidates = response.candidates ?? [];
      for (let position = 0; position < candidates.length; position++) {
        const candidate = candidates[position];
        if (candidate === undefined || candidate === null) continue;
        const choice = num(candidate.index) ?? position;
        const state = stateOf(choice);
        for (const part of candidate.content?.parts ?? []) {
          if (part === null || typeof part !== 'object') continue;
          if (part.functionCall !== undefined && part.functionCall !== null) {
            functionCall(part.functionCall, state, choice, out);
          } else if (typeof part.text === 'string' && part.text !== '') {
            state.contentSinceFinish_ = true;
            out.push({
              type: part.thought === true ? 'reasoning-delta' : 'text-delta',
              delta: part.text,
              ...choiceField(choice),
            });
          }
        }
        const raw = candidate.finishReason;
        if (typeof raw === 'string' && raw !== '' && (state.finish_ === undefined || state.contentSinceFinish_)) {
          const reason = mapGeminiFinishReason(raw, state.callsSinceFinish_ > 0);
          if (reason === 'stop' || reason === 'tool-calls') endCall(state, choice, out);
          else state.open_ = undefined; // cut by the token limit or a filter: abandoned
          const finish: FinishEvent = { type: 'finish', reason, rawReason: raw, ...choiceField(choice) };
          if (usage !== undefined) finish.usage = usage;
          if (state.finish_ === undefined) finishOrder.push(choice);
          state.finish_ = finish;
          state.callsSinceFinish_ = 0;
          state.contentSinceFinish_ = false;
        }
      }
      const blockReason = response.promptFeedback?.blockReason;
      if (candidates.length === 0 && typeof blockReason === 'string' && blockReason !== '') {
        const state = stateOf(0);
        if (state.finish_ === undefined) {
          const finish: FinishEvent = { type: 'finish', reason: 'content-filter', rawReason: blockReason };
          if (usage !== undefined) finish.usage = usage;
          state.finish_ = finish;
          finishOrder.push(0);
        }
      }
      return out;
    },
    end() {
      if (ended) return [];
      ended = true;
      const out: StreamEvent[] = [];
      for (const choice of finishOrder) {
        const finish = (choices.get(choice) as GeminiChoiceState).finish_;
        if (finish !== undefined) out.push(finish);
      }
      return out;
    },
  };
}

/**
 * Normalize a Gemini API or Vertex AI stream of `GenerateContentResponse`s into
 * {@link StreamEvent}s: what `ai.models.generateContentStream(...)` of `@google/genai` yields,
 * the parsed `data:` payloads of an `alt=sse` body (see {@link readServerSentEventsJson}), or
 * the elements of the streamed JSON array body (without `alt=sse`; split it with
 * `createJsonlParser({mode: 'array'})` and push each element into `createGeminiNormalizer` (internal; what `createProviderNormalizer` returns for this provider)).
 * See `createGeminiNormalizer` (internal; what `createProviderNormalizer` returns for this provider) for the rules.
 *
 * @throws whatever the source throws.
 * @example
 * ```ts
 * const stream = await ai.models.generateContentStream({ model, contents, config: { tools } });
 * for await (const event of fromGemini(stream)) console.log(event);
 * ```
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 * @public
 */
export function fromGemini(
  responses: ChunkSource<GeminiGenerateContentResponse>,
): AsyncGenerator<StreamEvent, void, undefined> {
  return runNormalizer(responses, createGeminiNormalizer(), 'fromGemini');
}
