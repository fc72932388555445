/** What a benchmark module exports, and the command-line options they share. */
import { AppError } from '../../common/index.js';

/** One benchmark: `bench/<name>.ts` exports `benchmark`, and `bench/run.ts` lists it by name. */
export interface Benchmark {
  /** One line for the list `npm run bench` prints. */
  description: string;
  /** Runs with the arguments after the benchmark's name; prints its own report. */
  run(args: readonly string[]): Promise<void>;
}

/**
 * Reads `--name value` options that take non-negative integers (`--rows 100000`, `--rows=1e5`, `--rows 100_000`),
 * starting from `defaults`; an unknown option or a bad number is an error that names it.
 */
export function integerOptions<K extends string>(args: readonly string[], defaults: Record<K, number>): Record<K, number> {
  const out = { ...defaults };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split('=', 2) as [string, string | undefined];
    const key = flag.replace(/^--/, '') as K;
    if (!flag.startsWith('--') || !(key in defaults)) {
      throw new AppError('bad_request', `unknown option ${flag}; known: ${Object.keys(defaults).map((k) => `--${k} N`).join(', ')}`);
    }
    const text = inline ?? args[++i];
    const value = Number(text?.replace(/_/g, ''));
    if (text === undefined || !Number.isFinite(value) || value < 0 || !Number.isInteger(value)) {
      throw new AppError('bad_request', `${flag} needs a whole number, got ${text ?? 'nothing'}`);
    }
    out[key] = value;
  }
  return out;
}
