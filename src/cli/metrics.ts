/**
 * Streaming metrics of one replay, measured on arrival times: when each payload reached the
 * replay (the real arrival time for live input, the paced time for a file).
 * @module
 */

/** The measured numbers. Times are milliseconds from the start of the replay; `undefined` when the stream had no such event. */
export interface StreamMetrics {
  /** Total time of the replay, to the end of the input. */
  elapsedMs: number;
  /** Time to first token: the first non-empty text, reasoning, refusal or tool-argument delta. */
  ttftMs: number | undefined;
  /** Time to the first visible value: the first partial structured output or tool-call arguments with content. */
  firstValueMs: number | undefined;
  /** Time to the last token. */
  lastTokenMs: number | undefined;
  /** Content deltas (non-empty text, reasoning, refusal and tool-argument fragments). */
  deltas: number;
  /** Deltas per second between the first and the last token. */
  deltasPerSecond: number | undefined;
  /** Output tokens: the provider's usage count when it reports one, else an estimate (see `tokensEstimated`). */
  tokens: number;
  /** Whether `tokens` is estimated (4 characters per token) rather than reported. */
  tokensEstimated: boolean;
  tokensPerSecond: number | undefined;
  /** Time between consecutive tokens (arrival gaps between content deltas): median and 99th percentile. */
  interTokenMedianMs: number | undefined;
  interTokenP99Ms: number | undefined;
  /** Input size in bytes (UTF-8). */
  bytes: number;
  /** Provider payloads (SSE events, JSON lines, array elements; synthetic deltas for plain JSON). */
  payloads: number;
  /** Time spent parsing one payload (normalizer + tool-call assembler + partial parsers), in microseconds: median and p99. */
  parseCostMedianUs: number | undefined;
  parseCostP99Us: number | undefined;
}

/** Nearest-rank percentile (`p` in 0..100) of unsorted numbers; `undefined` for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Collects arrival times and parse costs during a replay; {@link MetricsCollector.result} computes {@link StreamMetrics}. */
export interface MetricsCollector {
  bytes(count: number): void;
  /** A payload parsed at time `t` (ms) at a cost of `costMs`. */
  payload(t: number, costMs: number): void;
  /** A non-empty content delta of `chars` UTF-16 code units arrived at `t`. */
  content(t: number, chars: number): void;
  /** A visible value appeared at `t` (only the first call counts). */
  visible(t: number): void;
  /** The provider's reported output tokens of one response (several responses in one stream add up). */
  usage(outputTokens: number): void;
  result(elapsedMs: number): StreamMetrics;
}

/** Characters per token for the estimate when the provider reports no usage (OpenAI's rule of thumb for English). */
const CHARS_PER_TOKEN = 4;

export function createMetricsCollector(): MetricsCollector {
  let bytes = 0;
  let payloads = 0;
  const costs: number[] = [];
  const arrivals: number[] = [];
  let chars = 0;
  let firstValue: number | undefined;
  let reportedTokens: number | undefined;
  return {
    bytes(count) {
      bytes += count;
    },
    payload(_t, costMs) {
      payloads++;
      costs.push(costMs * 1000);
    },
    content(t, count) {
      arrivals.push(t);
      chars += count;
    },
    visible(t) {
      firstValue ??= t;
    },
    usage(outputTokens) {
      reportedTokens = (reportedTokens ?? 0) + outputTokens;
    },
    result(elapsedMs) {
      const gaps: number[] = [];
      for (let i = 1; i < arrivals.length; i++) gaps.push(arrivals[i]! - arrivals[i - 1]!);
      const first = arrivals[0];
      const last = arrivals[arrivals.length - 1];
      const span = first !== undefined && last !== undefined ? (last - first) / 1000 : 0;
      const tokensEstimated = reportedTokens === undefined;
      const tokens = reportedTokens ?? Math.ceil(chars / CHARS_PER_TOKEN);
      return {
        elapsedMs,
        ttftMs: first,
        firstValueMs: firstValue,
        lastTokenMs: last,
        deltas: arrivals.length,
        deltasPerSecond: span > 0 ? (arrivals.length - 1) / span : undefined,
        tokens,
        tokensEstimated,
        tokensPerSecond: span > 0 ? tokens / span : undefined,
        interTokenMedianMs: percentile(gaps, 50),
        interTokenP99Ms: percentile(gaps, 99),
        bytes,
        payloads,
        parseCostMedianUs: percentile(costs, 50),
        parseCostP99Us: percentile(costs, 99),
      };
    },
  };
}
