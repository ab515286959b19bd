import type { PointerPatterns } from '../partial/pointers.js';
import { MAX_PATTERNS, patternSegments } from '../partial/select.js';

/** How the stream behind the text streams stands: running, ended (well or not), or failed. @internal */
export type TextSourceStatus = { settled: false } | { settled: true; failed: false } | { settled: true; failed: true; error: unknown };

/** What the text streams need of the stream helper that owns the parser. @internal */
export interface TextStreamHost {
  /** Starts reading the source if nobody has (idempotent). May throw (an already aborted signal). */
  start(): void;
  status(): TextSourceStatus;
  /** Every text stream was given up early: the host may stop reading if nothing else reads. */
  released(): void;
}

/** One `textStream(pattern)`: the first string matching it, buffered until pulled. */
interface TextWatch {
  readonly pattern: string;
  readonly segments: string[];
  /** The pointer of the string this stream follows, once its first text arrived. */
  bound: string | undefined;
  buffer: string;
  /** The string closed. */
  closed: boolean;
  /** The consumer returned early. */
  returned: boolean;
  wake: (() => void) | undefined;
}

/** Whether JSON Pointer `pointer` has exactly the segments of `segments` (`*` matches any one). */
export function pointerMatches(segments: readonly string[], pointer: string): boolean {
  const steps = pointer === '' ? [] : pointer.slice(1).split('/');
  if (steps.length !== segments.length) return false;
  for (let i = 0; i < steps.length; i++) {
    const seg = segments[i]!;
    if (seg === '*') continue;
    const raw = steps[i]!;
    const step = raw.indexOf('~') < 0 ? raw : raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (step !== seg) return false;
  }
  return true;
}

const DONE: IteratorResult<string, undefined> = { done: true, value: undefined };

/**
 * The text streams of one stream helper ({@link parseStream}'s `textStream`), fed by the
 * parser's `onText`, together with the user's own `text` / `onText` options.
 * @internal
 */
export class TextStreams {
  readonly watches: TextWatch[] = [];
  readonly userPatterns: readonly string[];
  readonly userSegments: string[][];
  readonly userOnText: ((delta: string, pointer: string, done: boolean) => void) | undefined;
  /** The user's patterns matching the pointer last asked about (strings arrive in runs). */
  #lastPointer: string | undefined = undefined;
  #lastUser = false;

  /** The parser's `select` patterns: they count toward the same limit. */
  readonly #selected: number;

  constructor(text: PointerPatterns | undefined, onText: ((delta: string, pointer: string, done: boolean) => void) | undefined, selected: number) {
    this.#selected = selected;
    this.userPatterns = onText === undefined || text === undefined ? [] : text.patterns;
    this.userSegments = this.userPatterns.map(patternSegments);
    this.userOnText = onText;
  }

  /** The patterns the parser must watch. */
  patterns(): string[] {
    return [...this.userPatterns, ...this.watches.map((w) => w.pattern)];
  }

  /** The parser's `onText`: hands the text to the user's callback and to the streams following it. */
  route(delta: string, pointer: string, done: boolean): void {
    if (this.userOnText !== undefined) {
      if (pointer !== this.#lastPointer) {
        this.#lastPointer = pointer;
        this.#lastUser = this.userSegments.some((segments) => pointerMatches(segments, pointer));
      }
      if (this.#lastUser) this.userOnText(delta, pointer, done);
    }
    for (const w of this.watches) {
      if (w.closed || w.returned) continue;
      if (w.bound === undefined) {
        if (!pointerMatches(w.segments, pointer)) continue;
        w.bound = pointer;
      } else if (w.bound !== pointer) continue;
      w.buffer += delta;
      if (done) w.closed = true;
      const wake = w.wake;
      w.wake = undefined;
      wake?.();
    }
  }

  /** The source ended, failed or was stopped: every waiting stream looks again. */
  notify(): void {
    for (const w of this.watches) {
      const wake = w.wake;
      w.wake = undefined;
      wake?.();
    }
  }

  /** A new text stream for the first string matching `pattern`. */
  stream(pattern: string, host: TextStreamHost): AsyncIterableIterator<string> {
    // Checked here, not when the parser is made at the first read: the call that went over says so.
    const count = this.#selected + this.userPatterns.length + this.watches.length + 1;
    if (count > MAX_PATTERNS) {
      throw new RangeError(`textStream(): at most ${MAX_PATTERNS} pointer patterns (select, text and the text streams together), got ${count}`);
    }
    const w: TextWatch = { pattern, segments: patternSegments(pattern), bound: undefined, buffer: '', closed: false, returned: false, wake: undefined };
    this.watches.push(w);
    const finish = (): void => {
      if (w.returned) return;
      w.returned = true;
      if (!w.closed && this.watches.every((x) => x.returned || x.closed)) host.released();
    };
    const next = async (): Promise<IteratorResult<string, undefined>> => {
      if (w.returned) return DONE;
      host.start();
      for (;;) {
        if (w.buffer !== '') {
          const value = w.buffer;
          w.buffer = '';
          return { done: false, value };
        }
        if (w.closed) {
          w.returned = true;
          return DONE;
        }
        const status = host.status();
        if (status.settled) {
          w.returned = true;
          if (status.failed) throw status.error;
          return DONE;
        }
        await new Promise<void>((resolve) => {
          w.wake = resolve;
        });
        if (w.returned) return DONE;
      }
    };
    const iterator: AsyncIterableIterator<string> = {
      next,
      async return(): Promise<IteratorResult<string, undefined>> {
        finish();
        const wake = w.wake;
        w.wake = undefined;
        wake?.();
        return DONE;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
