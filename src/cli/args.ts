/**
 * Command-line parsing for the `streamshape` command, with `node:util` `parseArgs`.
 * Every usage problem is a {@link UsageError} (exit status 2, one line on stderr).
 * @module
 */
import { parseArgs } from 'node:util';

/** A usage problem: the command prints `streamshape: <message>` and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Input formats `replay` reads: raw SSE, JSON Lines of provider payloads, or JSON text. */
export type InputFormat = 'sse' | 'jsonl' | 'json';

/**
 * What `--format` accepts: an {@link InputFormat}, or `yaml` for a VCR cassette (YAML holding
 * recorded HTTP interactions, whose response bodies are the streams; see cassette.ts).
 */
export type ReplayFormat = InputFormat | 'yaml';
export const REPLAY_FORMATS: readonly ReplayFormat[] = ['sse', 'jsonl', 'json', 'yaml'];

/** Providers `replay` understands; `none` is plain JSON text replayed as structured output. */
export type ProviderName =
  | 'openai-chat'
  | 'openai-responses'
  | 'anthropic'
  | 'gemini'
  | 'ai-sdk'
  | 'bedrock'
  | 'ollama'
  | 'openai-realtime'
  | 'none';

/** Formats `check` reads: one record per line, one or more concatenated JSON texts, or the elements of a top-level array. */
export type CheckFormat = 'jsonl' | 'json' | 'json-array';

export const INPUT_FORMATS: readonly InputFormat[] = ['sse', 'jsonl', 'json'];
export const PROVIDERS: readonly ProviderName[] = [
  'openai-chat',
  'openai-responses',
  'anthropic',
  'gemini',
  'ai-sdk',
  'bedrock',
  'ollama',
  'openai-realtime',
  'none',
];
export const CHECK_FORMATS: readonly CheckFormat[] = ['jsonl', 'json', 'json-array'];

/**
 * How fast `replay` feeds events: `{delayMs}` waits that long before each provider payload
 * (`--speed N`: the default pace divided by N), `'max'` never waits, `'live'` follows the input
 * as it arrives (the default for stdin).
 */
export type Speed = { delayMs: number } | 'max' | 'live';

/** Default pace: one provider payload (about one token) every 30 ms, roughly 33 tokens per second. */
export const DEFAULT_EVENT_DELAY_MS = 30;

/** Parsed `replay` options. */
export interface ReplayArgs {
  command: 'replay';
  /** File path, `-` for stdin, or `undefined` with `demo`. */
  input: string | undefined;
  demo: boolean;
  format: ReplayFormat | undefined;
  provider: ProviderName | undefined;
  speed: Speed;
  json: boolean;
  /** `--snapshots`: with `--json`, the whole partial value on every update (output grows with the square of the stream). */
  snapshots: boolean;
  /** `--interaction N`: replay only the N-th (1-based) streamed interaction of a cassette. */
  interaction: number | undefined;
  /** `--schema ./module#Export` for the structured output. */
  schema: string | undefined;
  /**
   * `--lenient`: repair what models send around and inside the structured output (fences, prose,
   * trailing commas, Python literals, bad escapes, truncation…), printing one warning per repair.
   */
  lenient: boolean;
  /** `--no-color`, or NO_COLOR in the environment. */
  color: boolean;
}

/** Parsed `check` options. */
export interface CheckArgs {
  command: 'check';
  file: string;
  format: CheckFormat | undefined;
  schema: string | undefined;
  /** Stop listing bad records after this many (all are counted). */
  maxErrors: number;
  /** Show the progress bar: `undefined` decides by file size and whether stderr is a TTY. */
  progress: boolean | undefined;
  /** `--lenient`: repair each JSON Lines record lenient mode can repair, and list the repairs as warnings. */
  lenient: boolean;
}

export type ParsedArgs = ReplayArgs | CheckArgs | { command: 'help' } | { command: 'version' };

export const USAGE = `Usage:
  streamshape replay <file | -> [options]   replay a recorded or live model stream
  streamshape replay --demo                 replay the built-in demo stream
  streamshape check <file> [options]        validate a JSON or JSON Lines file

replay options:
  --format sse|jsonl|json      input format (default: detected)
  --provider openai-chat|openai-responses|anthropic|gemini|ai-sdk|bedrock|ollama|openai-realtime|none
                               payload shape (default: detected; none = plain JSON text)
  --speed N|max                N times the default pace (one event per ${DEFAULT_EVENT_DELAY_MS} ms); max: no delay
                               (default: 1 for files and --demo, the arrival pace for stdin)
  --json                       NDJSON events on stdout (output deltas, tool calls, summary)
  --snapshots                  with --json: the whole partial value on every update
                               (output grows with the square of the stream)
  --format yaml                a VCR cassette of recorded HTTP interactions (detected too):
                               each streamed response is replayed in turn
  --interaction N              replay only the N-th streamed interaction of a cassette
  --schema <module#Export>     validate the structured output with a zod schema
  --lenient                    repair model damage in the structured output (code fences, prose,
                               <think> blocks, trailing commas, comments, single quotes, Python
                               literals, bad escapes, truncation); each repair is printed as a
                               warning with its code, line and column (a truncated answer still
                               exits 1)
  --no-color                   no ANSI colours

check options:
  --format jsonl|json|json-array   records per line, concatenated JSON texts, or array elements
                                   (default: from the extension; .json = json, else jsonl)
  --schema <module#Export>     validate every record with a zod schema
  --max-errors N               list at most N bad records (default 100; all are counted)
  --progress / --no-progress   progress bar on stderr (default: on a TTY for files over 4 MB)
  --lenient                    JSON Lines: repair records lenient mode can repair (trailing
                               commas, comments, single quotes, Python literals, bad escapes, a
                               cut line); each repair is printed as a warning with its code, line
                               and column; repaired records are good (exit 0 if all are)

Exit status: 0 complete / valid, 1 truncated or invalid stream / bad records, 2 bad usage.`;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown ${name} ${JSON.stringify(value)}; use ${allowed.join(', ')}`);
}

function parseSpeed(value: string | undefined, stdin: boolean): Speed {
  if (value === undefined) return stdin ? 'live' : { delayMs: DEFAULT_EVENT_DELAY_MS };
  if (value === 'max') return 'max';
  if (value === 'live') return 'live';
  const n = Number(value);
  // A delay over 2^31 - 1 ms does not fit a timer: Node would fire it at once, with a warning.
  if (!Number.isFinite(n) || n <= 0 || DEFAULT_EVENT_DELAY_MS / n > 2 ** 31 - 1) {
    throw new UsageError(`--speed must be a positive number or "max", got ${JSON.stringify(value)}`);
  }
  return { delayMs: DEFAULT_EVENT_DELAY_MS / n };
}

/** Options whose value is a number: a negative one is read as their value, not as a flag. */
const NUMERIC_OPTIONS = new Set(['--speed', '--interaction', '--max-errors']);

/**
 * Joins `--speed -1` into `--speed=-1`: `parseArgs` refuses a value starting with a dash as
 * ambiguous, and the value's own check then gives the message that says what is accepted.
 */
function joinNegativeNumbers(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    if (NUMERIC_OPTIONS.has(arg) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/**
 * Parses the command line (without `node` and the script).
 * @throws {@link UsageError} for an unknown command, flag or value, or a missing file argument.
 */
export function parseCommandLine(argv: readonly string[], env: Record<string, string | undefined> = {}): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === '--version' || command === '-v' || command === 'version') return { command: 'version' };
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeNumbers(rest),
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        provider: { type: 'string' },
        speed: { type: 'string' },
        json: { type: 'boolean' },
        snapshots: { type: 'boolean' },
        interaction: { type: 'string' },
        schema: { type: 'string' },
        lenient: { type: 'boolean' },
        demo: { type: 'boolean' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'max-errors': { type: 'string' },
        progress: { type: 'boolean' },
        'no-progress': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { command: 'help' };
  if (positionals.length > 1) throw new UsageError(`expected one file, got ${positionals.length}: ${positionals.join(' ')}`);
  const file = positionals[0];
  switch (command) {
    case 'replay': {
      const demo = values.demo === true;
      if (demo && file !== undefined) throw new UsageError('--demo takes no file');
      if (!demo && file === undefined) throw new UsageError('replay needs a file, or - for stdin (or --demo)');
      if (values.snapshots === true && values.json !== true) throw new UsageError('--snapshots goes with --json');
      let interaction: number | undefined;
      if (values.interaction !== undefined) {
        interaction = Number(values.interaction);
        if (!Number.isInteger(interaction) || interaction < 1) {
          throw new UsageError(`--interaction must be a positive integer, got ${JSON.stringify(values.interaction)}`);
        }
      }
      return {
        command: 'replay',
        input: file,
        demo,
        format: oneOf('format', values.format, REPLAY_FORMATS),
        provider: oneOf('provider', values.provider, PROVIDERS),
        speed: parseSpeed(values.speed, file === '-'),
        json: values.json === true,
        snapshots: values.snapshots === true,
        interaction,
        schema: values.schema,
        lenient: values.lenient === true,
        color: values['no-color'] !== true && values.color !== false && (env['NO_COLOR'] ?? '') === '',
      };
    }
    case 'check': {
      if (file === undefined) throw new UsageError('check needs a file');
      for (const flag of ['provider', 'speed', 'json', 'demo', 'snapshots', 'interaction'] as const) {
        if (values[flag] !== undefined) throw new UsageError(`--${flag} is a replay option, not a check option`);
      }
      let maxErrors = 100;
      if (values['max-errors'] !== undefined) {
        maxErrors = Number(values['max-errors']);
        if (!Number.isInteger(maxErrors) || maxErrors < 0) {
          throw new UsageError(`--max-errors must be a non-negative integer, got ${JSON.stringify(values['max-errors'])}`);
        }
      }
      return {
        command: 'check',
        file,
        format: oneOf('format', values.format, CHECK_FORMATS),
        schema: values.schema,
        maxErrors,
        progress: values['no-progress'] === true ? false : values.progress,
        lenient: values.lenient === true,
      };
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}; use replay or check (streamshape --help)`);
  }
}
