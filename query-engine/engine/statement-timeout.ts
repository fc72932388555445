/**
 * `sql_query_timeout`: GraphTool KILLed a MySQL query that ran longer. MariaDB bounds the statement itself
 * (`SET STATEMENT max_statement_time=N FOR ...`), MySQL with the `MAX_EXECUTION_TIME` hint: both in the SQL text,
 * so the server enforces them. SQLite has no such syntax: the engine passes the timeout to the store instead
 * (`queryArrays(sql, params, { timeoutMs })`), which runs the statement on a worker thread and fails the call at the
 * timeout (see store/sqlite/query-worker-pool.ts for what that can and cannot stop).
 */
import { AppError } from '../../common/index.js';
import type { Store } from '../../store/index.js';

export const TIMEOUT_FLAVOURS = ['mariadb', 'mysql', 'none'] as const;
/** How a backend bounds a statement's run time. */
export type TimeoutFlavour = (typeof TIMEOUT_FLAVOURS)[number];

/** The hidden input that sets the timeout, in seconds. */
export const TIMEOUT_INPUT = 'sql_query_timeout';

/** GraphTool's default when the request gives none. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** The flavour of `store`: SQLite has none (its store bounds the statement); a MySQL-protocol server says what it is in `VERSION()`. */
export async function statementTimeoutFlavour(store: Store): Promise<TimeoutFlavour> {
  if (store.backend !== 'mysql') return 'none';
  const { rows } = await store.queryArrays('SELECT VERSION()');
  const version = rows[0]?.[0];
  return typeof version === 'string' && /mariadb/i.test(version) ? 'mariadb' : 'mysql';
}

/** The timeout a request asks for (`sql_query_timeout=N`, whole seconds above 0), else `fallback`. */
export function requestedTimeout(given: Readonly<Record<string, string>>, fallback: number): number {
  const raw = given[TIMEOUT_INPUT];
  if (raw === undefined) return fallback;
  const text = raw.trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new AppError('bad_request', `input "${TIMEOUT_INPUT}": "${raw}" is not a whole number of seconds above 0`, { input: TIMEOUT_INPUT, value: raw });
  }
  return n;
}

/**
 * `sql` bounded to `seconds`. The number is spliced (neither form takes a placeholder) but it is always a validated
 * integer, never request text.
 */
export function withStatementTimeout(sql: string, seconds: number, flavour: TimeoutFlavour): string {
  if (!Number.isSafeInteger(seconds) || seconds < 1) throw new AppError('internal', `statement timeout ${seconds} is not a whole number of seconds`);
  if (flavour === 'mariadb') return `SET STATEMENT max_statement_time=${seconds} FOR ${sql}`;
  if (flavour === 'mysql') {
    // The hint must follow the statement's first SELECT keyword; other statements run unbounded.
    return sql.replace(/^(\s*(?:\(\s*)*)select\b/i, (m, lead: string) => `${lead}SELECT /*+ MAX_EXECUTION_TIME(${seconds * 1000}) */`);
  }
  return sql;
}
