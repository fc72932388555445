/**
 * `sql_query_timeout`: GraphTool KILLed a MySQL query that ran longer. MariaDB bounds the statement itself
 * (`SET STATEMENT max_statement_time=N FOR ...`), MySQL with the `MAX_EXECUTION_TIME` hint: both in the SQL text,
 * so the server enforces them. SQLite has no such syntax: the engine passes the timeout to the store instead
 * (`queryArrays(sql, params, { timeoutMs })`), which runs the statement on a worker thread and fails the call at the
 * timeout (see store/sqlite/query-worker-pool.ts for what that can and cannot stop). A request may lower the timeout,
 * never raise it above the configured maximum.
 */
import { AppError } from '../../common/index.js';
import type { Store } from '../../store/index.js';
import { MAX_TIMER_SECONDS } from '../queries/index.js';

export const TIMEOUT_FLAVOURS = ['mariadb', 'mysql', 'none'] as const;
/** How a backend bounds a statement's run time. */
export type TimeoutFlavour = (typeof TIMEOUT_FLAVOURS)[number];

/** The hidden input that sets the timeout, in seconds. */
export const TIMEOUT_INPUT = 'sql_query_timeout';

/** The flavour of `store`: SQLite has none (its store bounds the statement); a MySQL-protocol server says what it is in `VERSION()`. */
export async function statementTimeoutFlavour(store: Store): Promise<TimeoutFlavour> {
  if (store.backend !== 'mysql') return 'none';
  const { rows } = await store.queryArrays('SELECT VERSION()');
  const version = rows[0]?.[0];
  return typeof version === 'string' && /mariadb/i.test(version) ? 'mariadb' : 'mysql';
}

/**
 * The timeout a request runs with: `sql_query_timeout=N` (whole seconds above 0) lowers `fallback`, and a larger N
 * is clamped to `max` (GraphTool clients that send their old 600 keep working, bounded). A value that is no whole
 * number of seconds is the client's error, naming the input.
 */
export function requestedTimeout(given: Readonly<Record<string, string>>, fallback: number, max: number): number {
  const ceiling = Math.min(max, MAX_TIMER_SECONDS);
  const raw = given[TIMEOUT_INPUT];
  if (raw === undefined) return Math.min(fallback, ceiling);
  const text = raw.trim();
  // Any run of digits is a number of seconds, however long: Number() gives Infinity at worst, and the clamp bounds it.
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1)) {
    throw new AppError('bad_request', `input "${TIMEOUT_INPUT}": "${raw}" is not a whole number of seconds above 0`, { input: TIMEOUT_INPUT, value: raw });
  }
  return Math.min(n, ceiling);
}

/**
 * `sql` bounded to `seconds`. The number is spliced (neither form takes a placeholder) but it is always a validated
 * integer, never request text.
 */
export function withStatementTimeout(sql: string, seconds: number, flavour: TimeoutFlavour): string {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_TIMER_SECONDS) throw new AppError('internal', `statement timeout ${seconds} is not a whole number of seconds from 1 to ${MAX_TIMER_SECONDS}`);
  if (flavour === 'mariadb') return `SET STATEMENT max_statement_time=${seconds} FOR ${sql}`;
  if (flavour === 'mysql') {
    // The hint must follow the statement's first SELECT keyword; other statements run unbounded.
    return sql.replace(/^(\s*(?:\(\s*)*)select\b/i, (m, lead: string) => `${lead}SELECT /*+ MAX_EXECUTION_TIME(${seconds * 1000}) */`);
  }
  return sql;
}
