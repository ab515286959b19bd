/**
 * Loads the parser under test from `src/` at run time, so the peers can be measured before (or
 * while) it exists: when the import fails or lacks the API, its cases are skipped with the reason.
 *
 * The types below restate the part of streamshape's public API the benches use (DESIGN.md,
 * "The core API"); they are not imported from `src/` so that this folder type-checks on its own.
 *
 * @module
 */

/** A path into a value: object keys and array indices. */
export type Path = readonly (string | number)[];

/** Options of `createPartialParser` used by the benches. */
export interface PartialParserOptions {
  /** Called at most once per `write`, with that write's changes. */
  readonly onDelta?: ((deltas: readonly unknown[]) => void) | undefined;
  /** Called at most once per `write`, with the new snapshot. */
  readonly onPartial?: ((value: unknown) => void) | undefined;
  /** Called once per completed value, innermost first. */
  readonly onComplete?: ((value: unknown, path: Path) => void) | undefined;
}

/** The push parser returned by `createPartialParser`. */
export interface PartialParser {
  write(chunk: string | Uint8Array): void;
  /** The current immutable snapshot, built lazily when read. */
  readonly value: unknown;
  /** Ends the input; returns the final value. */
  end(): unknown;
}

/** The streamshape functions the benches call. */
export interface StreamshapeApi {
  createPartialParser(options?: PartialParserOptions): PartialParser;
  parsePartial(prefix: string): { value: unknown; complete: boolean };
}

/** The loaded API, or why it is not available. */
export type Streamshape = { readonly ok: true; readonly api: StreamshapeApi } | { readonly ok: false; readonly reason: string };

/**
 * The built package (`npm run bench` builds it first): what users run, minified names and all,
 * rather than the sources through tsx's loader. A variable, so tsc does not need `dist/` to exist.
 */
export const builtPackage: string = '../dist/index.js';

/** The built subpath entries whose functions the benches call besides the main entry's (`streamshape/tool-calls`). */
const builtSubpaths: readonly string[] = ['../dist/tool-calls/index.js'];

/**
 * Imports the built package (main entry and the subpaths above) and checks that it exports `name` as a function: the loader each
 * group uses for the part of the API it measures (its cases are skipped with the reason if not).
 */
export async function loadBuilt<Api>(name: string): Promise<{ ok: true; api: Api } | { ok: false; reason: string }> {
  try {
    const module: Record<string, unknown> = { ...((await import(builtPackage)) as Record<string, unknown>) };
    for (const subpath of builtSubpaths) Object.assign(module, (await import(subpath)) as Record<string, unknown>);
    if (typeof module[name] !== 'function') return { ok: false, reason: `neither the built package nor its subpaths export ${name}` };
    return { ok: true, api: module as Api };
  } catch (error) {
    return { ok: false, reason: `importing dist/ failed (run npm run build): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

/**
 * Imports the built package (`dist/`) and checks that it exports the functions the benches
 * call. `STREAMSHAPE_BENCH_PEERS_ONLY=1` skips it, to measure the peers alone.
 */
export async function loadStreamshape(): Promise<Streamshape> {
  if (process.env['STREAMSHAPE_BENCH_PEERS_ONLY'] === '1') return { ok: false, reason: 'STREAMSHAPE_BENCH_PEERS_ONLY=1' };
  let module: Record<string, unknown>;
  try {
    module = (await import(builtPackage)) as unknown as Record<string, unknown>;
  } catch (error) {
    return { ok: false, reason: `importing dist/ failed (run npm run build): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  const missing = ['createPartialParser', 'parsePartial'].filter((name) => typeof module[name] !== 'function');
  if (missing.length > 0) return { ok: false, reason: `src/index.ts does not export ${missing.join(', ')} yet` };
  return { ok: true, api: module as unknown as StreamshapeApi };
}
