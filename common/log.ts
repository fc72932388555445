/** The levelled logger every stage takes as an option, on pino: one-line human messages for the CLI, or pino's structured JSON lines with timestamps. */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * `human`: `LEVEL message k=v ...`, as one-shot CLI commands print; `stamped`: the same line after its ISO 8601 UTC
 * time, the server's log; `json`: one pino object per line with `time`.
 */
export const LOG_FORMATS = ['human', 'stamped', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What pino writes: its own fields, and the caller's. */
const PINO_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function formatFields(entry: Record<string, unknown>): string {
  const parts = Object.entries(entry)
    .filter(([k, v]) => !PINO_FIELDS.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
  return parts.length ? ' ' + parts.join(' ') : '';
}

/**
 * pino's JSON line as the one human line: pino decides levels and serialises fields; the wording stays the CLI's.
 * With `stamped`, the line starts with pino's ISO 8601 UTC time, as a long-running server's log needs.
 */
function humanStream(write: (line: string) => void, stamped: boolean): DestinationStream {
  return {
    write(chunk: string) {
      const entry = JSON.parse(chunk) as Record<string, unknown>;
      const time = stamped && typeof entry.time === 'string' ? `${entry.time} ` : '';
      write(`${time}${String(entry.level).toUpperCase()} ${String(entry.msg)}${formatFields(entry)}`);
    },
  };
}

function wrap(p: PinoLogger): Logger {
  const at = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => p[level](fields ?? {}, message);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * Logs to stderr (or `write`), dropping levels below `level`. The human formats are one line per message; `stamped`
 * and `json` carry the time, so an operator or a log collector can order and keep it.
 */
export function createConsoleLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
  format: LogFormat = 'human',
): Logger {
  const stream = format === 'json' ? { write: (chunk: string) => write(chunk.replace(/\n$/, '')) } : humanStream(write, format === 'stamped');
  return wrap(
    pino(
      {
        level,
        base: undefined,
        timestamp: format === 'human' ? false : pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      stream,
    ),
  );
}

/** A logger that says nothing: the harmless default for library use and tests. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
