/** The `QueryLimits` class type: how long one statement may run and how many query runs one client may have at once. */
import { objectsOfType, warnUnknownAttribute, type BuildContext, type ClassTypeHandler, type ConfigClass, type LoadedConfig, type SourcePos } from '../../grammar/index.js';

/**
 * Node's timers take at most 2^31-1 ms and fire at once beyond it: no timeout may be more seconds than this
 * (2,147,483 s, 24.8 days), or a SQLite statement's timer would fail it at once.
 */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * The statement ceiling when the configuration names none: seconds, not GraphTool's 600, because a statement holds
 * a query worker (SQLite) or a pool connection (MariaDB) for as long as it runs.
 */
export const DEFAULT_MAX_SQL_QUERY_TIMEOUT = 30;

export interface QueryLimits {
  /** The longest a statement runs, in seconds: the default timeout, and the most `sql_query_timeout` may ask for. */
  maxSqlQueryTimeout: number;
  /** Query runs at once per anonymous client address (0: no limit). */
  maxQueriesPerAddress: number;
  /** Query runs at once per authenticated user or API token's user (0: no limit). */
  maxQueriesPerUser: number;
}

/**
 * The shipped limits. On the embedded store's three query workers, one anonymous address can hold one and one user
 * two, so a single client always leaves a worker to everyone else.
 */
export function defaultQueryLimits(): QueryLimits {
  return { maxSqlQueryTimeout: DEFAULT_MAX_SQL_QUERY_TIMEOUT, maxQueriesPerAddress: 1, maxQueriesPerUser: 2 };
}

const ATTRIBUTES = ['max_sql_query_timeout', 'max_queries_per_address', 'max_queries_per_user'] as const;

function count(text: string, pos: SourcePos, what: string, ctx: BuildContext, min: number, max: number): number | undefined {
  const n = /^\d[\d_]*$/.test(text) ? Number(text.replace(/_/g, '')) : NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
  ctx.issue(pos, `${what} "${text}" is not a whole number from ${min} to ${max}`);
  return undefined;
}

/** `<class type="QueryLimits">` with an `<attribute>` per limit (see `config/query_limits.xml`). */
export const queryLimitsType: ClassTypeHandler<QueryLimits> & { defaults(): QueryLimits } = {
  type: 'QueryLimits',
  defaults: defaultQueryLimits,
  build(cls: ConfigClass, ctx: BuildContext): QueryLimits {
    const label = `QueryLimits "${cls.name}"`;
    const limits = defaultQueryLimits();
    for (const [name, { value, pos }] of Object.entries(cls.attributes)) {
      const what = `${label}: ${name}`;
      switch (name as (typeof ATTRIBUTES)[number]) {
        case 'max_sql_query_timeout':
          limits.maxSqlQueryTimeout = count(value, pos, what, ctx, 1, MAX_TIMER_SECONDS) ?? limits.maxSqlQueryTimeout;
          break;
        case 'max_queries_per_address':
          limits.maxQueriesPerAddress = count(value, pos, what, ctx, 0, 1000) ?? limits.maxQueriesPerAddress;
          break;
        case 'max_queries_per_user':
          limits.maxQueriesPerUser = count(value, pos, what, ctx, 0, 1000) ?? limits.maxQueriesPerUser;
          break;
        default:
          warnUnknownAttribute(name, pos, ATTRIBUTES, label, ctx);
      }
    }
    return limits;
  },
};

/** The limits of a loaded configuration: its first `QueryLimits` class, else the shipped defaults. */
export function queryLimitsOf(config: LoadedConfig): QueryLimits {
  return objectsOfType<QueryLimits>(config, 'QueryLimits')[0]?.value ?? defaultQueryLimits();
}
