/** `createQueryEngine`: runs linked queries on their connections, parses the rows, and builds the result model. */
import { AppError, errorMessage, silentLogger, systemClock } from '../../common/index.js';
import { closeNames, didYouMean, objectsOfType } from '../../grammar/index.js';
import { type ConnectionManagerConfig } from '../config/index.js';
import { formatTypedValue, resolveInputs, type ResolvedInputs, type TypedValue } from '../inputs/index.js';
import { OPPORTUNISTIC_BIND, linkQueries, opportunisticHookEnabled, queryLimitsOf, type QueryDefinition } from '../queries/index.js';
import type { OimData, Ownership, ResultsContext } from '../results/index.js';
import { qualifiedAsPrefixed, renderSql, type SqlFragment } from '../sql/index.js';
import { ConnectionPool } from './connections.js';
import { OpportunisticHook } from './opportunistic-hook.js';
import type { QueryEngine, QueryEngineOptions, QueryErrorStage, QueryInfo, QueryInputInfo, QueryResult, QueryRun } from './result-model.js';
import { emptyData, resultsVars, runResults } from './results-stage.js';
import { requestedTimeout, TIMEOUT_INPUT, withStatementTimeout } from './statement-timeout.js';

/** Raised inside one connection's run: the stage it failed in travels with it. */
class StageError extends Error {
  constructor(
    readonly stage: QueryErrorStage,
    readonly original: unknown,
  ) {
    super(errorMessage(original));
  }
}

/** MariaDB's ER_STATEMENT_TIMEOUT (max_statement_time) and MySQL's ER_QUERY_TIMEOUT (MAX_EXECUTION_TIME). */
const TIMEOUT_ERRNOS = new Set([1969, 3024]);

/**
 * The HTTP status a failed run is answered with: 504 when the statement ran past its timeout (the store's worker timeout
 * or the server's), 503 when the database could not be reached, 500 for anything else (an SQL error, a results
 * function that failed). The outputs still carry the error text; the status keeps a script from reading it as data.
 */
function failureStatus(err: unknown, stage: QueryErrorStage): number {
  // The MySQL store wraps the driver's error (its code in the context, the error itself as the cause).
  const driver = (err instanceof Error && err.cause !== undefined ? err.cause : err) as { errno?: unknown; code?: unknown } | undefined;
  if (typeof driver?.errno === 'number' && TIMEOUT_ERRNOS.has(driver.errno)) return 504;
  if (err instanceof AppError && (err.context.code === 'ER_STATEMENT_TIMEOUT' || err.context.code === 'ER_QUERY_TIMEOUT')) return 504;
  if (err instanceof AppError && typeof err.context.timeoutMs === 'number') return 504;
  if (stage === 'connection' || (err instanceof AppError && err.code === 'unavailable')) return 503;
  return 500;
}

async function inStage<T>(stage: QueryErrorStage, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw new StageError(stage, err);
  }
}

/** Each name's nearest declaration along the chain (child first), in first-seen order. */
function inputInfo(chain: readonly (readonly QueryInputInfo[])[]): QueryInputInfo[] {
  const seen = new Map<string, QueryInputInfo>();
  for (const level of chain) {
    for (const d of level) {
      if (seen.has(d.name)) continue;
      const info: QueryInputInfo = { name: d.name, default: d.default };
      if (d.type !== undefined) info.type = d.type;
      if (d.kind !== undefined) info.kind = d.kind;
      if (d.partial !== undefined) info.partial = d.partial;
      seen.set(d.name, info);
    }
  }
  return [...seen.values()];
}

const formatAll = (values: Readonly<Record<string, TypedValue>>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, formatTypedValue(v)]));

/**
 * Creates the engine for a loaded configuration. Queries are linked here (issues go to `config.issues`; the caller
 * should have refused a configuration with errors). Connections open on first use and stay open until `close()`.
 */
export function createQueryEngine(options: QueryEngineOptions): QueryEngine {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const catalog = linkQueries(config);
  const managers = new Map(objectsOfType<ConnectionManagerConfig>(config, 'ConnectionManager').map((o) => [o.name, o.value]));
  const pool = new ConnectionPool({ managers, logger, openStore: options.openStore, applianceStore: options.applianceStore, resolvePath: options.resolvePath });
  const configuredOwnership: readonly Ownership[] = options.ownership ?? objectsOfType<Ownership[]>(config, 'VoOwnership').flatMap((o) => o.value);
  const feeds = (): { ownership: readonly Ownership[]; oim?: OimData; wlcgResources?: readonly string[] } => {
    const now = options.feeds?.();
    const oim = now?.oim ?? options.oim;
    const wlcgResources = now?.wlcgResources ?? options.wlcgResources;
    return { ownership: now?.ownership ?? configuredOwnership, ...(oim ? { oim } : {}), ...(wlcgResources ? { wlcgResources } : {}) };
  };
  const hook = new OpportunisticHook(() => feeds().ownership, clock);
  const maxTimeout = options.maxTimeoutSeconds ?? queryLimitsOf(config).maxSqlQueryTimeout;
  // A query's (or its class's) `sql_query_timeout` attribute is its default, as in GraphTool; the ceiling bounds it too.
  const defaultTimeout = (def: QueryDefinition): number => {
    const attribute = Number(def.metadata[TIMEOUT_INPUT]);
    return Number.isSafeInteger(attribute) && attribute >= 1 ? attribute : (options.defaultTimeoutSeconds ?? maxTimeout);
  };

  /** A 400 the request caused: a `bad_request` naming an input the URL gave. Anything else is the query's own failure. */
  const clientError = (given: Readonly<Record<string, string>>) => (err: unknown): boolean => {
    const e = err instanceof StageError ? err.original : err;
    if (!(e instanceof AppError) || e.code !== 'bad_request') return false;
    const input = e.context.input;
    return typeof input === 'string' && Object.hasOwn(given, input);
  };

  /** The connections a request runs on: `conn=`, else the aggregate, else the manager's default. */
  const targets = (def: QueryDefinition, inputs: ResolvedInputs, given: Readonly<Record<string, string>>): string[] => {
    const conn = given.conn ?? (inputs.values.conn?.type === 'string' ? inputs.values.conn.value : undefined);
    if (conn !== undefined) {
      if (!pool.has(def.connectionManager, conn)) {
        const hint = didYouMean(closeNames(conn, pool.connectionNames(def.connectionManager)));
        throw new AppError('bad_request', `input "conn": no connection "${conn}" in ConnectionManager "${def.connectionManager}"${hint}`, { input: 'conn', value: conn });
      }
      return [conn];
    }
    if (def.aggregate?.all) return pool.connectionNames(def.connectionManager);
    if (def.aggregate?.connections.length) return def.aggregate.connections.map((c) => c.name);
    const fallback = pool.defaultConnection(def.connectionManager);
    return [fallback ?? ''];
  };

  /** Runs on one connection, filling in `run` as it goes, so a failure still shows what was sent. */
  const runOn = async (
    def: QueryDefinition,
    run: QueryRun,
    inputs: ResolvedInputs,
    withHook: boolean,
    timeout: number,
  ): Promise<unknown[][]> => {
    const { connection } = run;
    if (connection === '') throw new StageError('connection', new AppError('config', `ConnectionManager "${def.connectionManager}" names no default connection`));
    const store = await inStage('connection', () => pool.get(def.connectionManager, connection));
    const flavour = await inStage('connection', () => pool.flavour(def.connectionManager, connection));
    const rendered = await inStage('sql', async () => {
      const fragments: Record<string, SqlFragment> = withHook ? { [OPPORTUNISTIC_BIND]: await hook.fragment(store, inputs.sqlVars) } : {};
      const tokens = store === options.applianceStore && options.applianceSchemas?.length ? qualifiedAsPrefixed(def.sqlTokens, options.applianceSchemas) : def.sqlTokens;
      return renderSql(tokens, inputs.sqlVars, store.backend, { fragments });
    });
    run.sql = withStatementTimeout(rendered.sql, timeout, flavour);
    run.params = rendered.params;
    const start = performance.now();
    // The store bounds what the SQL text does not: SQLite runs the statement on a worker and stops waiting at the timeout.
    const result = await inStage('sql', () => store.queryArrays(run.sql, run.params, { timeoutMs: timeout * 1000 }));
    run.ms = performance.now() - start;
    run.rows = result.rows.length;
    if (flavour === 'none' && run.ms > timeout * 1000) {
      logger.warn(`query "${def.name}" ran ${Math.round(run.ms / 1000)} s on "${connection}", over its ${timeout} s timeout, which this store cannot enforce (an in-memory SQLite store runs statements inline)`);
    }
    return result.rows;
  };

  const runQuery = async (name: string, params: Readonly<Record<string, string>> = {}): Promise<QueryResult> => {
    const def = catalog.find(name);
    if (!def) {
      const hint = didYouMean(closeNames(name, new Set(catalog.queries.map((q) => q.name))));
      throw new AppError('not_found', `no query "${name}"${hint}`, { query: name });
    }
    const given = { ...params };
    const now = clock();
    const isClientError = clientError(given);
    const inputs = resolveInputs(def.inputChain, given, { now });
    const resultsInputs = resolveInputs(def.resultsInputChain, given, { now });
    const timeout = requestedTimeout(given, defaultTimeout(def), maxTimeout);
    const withHook = opportunisticHookEnabled(inputs.values);
    const connections = targets(def, inputs, given);

    // GraphTool ran an aggregate's connections in parallel and kept the rows of those that answered.
    const outcomes = await Promise.all(
      connections.map((connection) => {
        const run: QueryRun = { connection, sql: '', params: [], rows: 0, ms: 0 };
        return runOn(def, run, inputs, withHook, timeout).then(
          (rows) => ({ run, rows }),
          (err: unknown) => {
            if (isClientError(err)) throw err instanceof StageError ? err.original : err;
            run.error = errorMessage(err);
            run.errorStage = err instanceof StageError ? err.stage : 'sql';
            run.errorStatus = failureStatus(err instanceof StageError ? err.original : err, run.errorStage);
            logger.error(`query "${def.name}" failed on connection "${connection}" (${run.errorStage}): ${run.error}`, { query: def.qualifiedName, connection });
            return { run, rows: [] as unknown[][] };
          },
        );
      }),
    );
    const runs = outcomes.map((o) => o.run);
    const rows = outcomes.flatMap((o) => o.rows);
    const failed = runs.find((r) => r.error !== undefined);

    const vars = resultsVars(given, inputs, resultsInputs);
    const ctx: ResultsContext = { now, ...feeds() };
    const parsed = runResults(def, rows, vars, ctx, isClientError, given);
    const error = failed?.error ?? parsed.error;
    const errorStage: QueryErrorStage | undefined = failed?.errorStage ?? (parsed.error !== undefined ? 'results' : undefined);
    if (parsed.error !== undefined) logger.error(`query "${def.name}": results: ${parsed.error}`, { query: def.qualifiedName });
    const data = parsed.output?.data ?? emptyData(def, vars, ctx);

    const metadata: Record<string, unknown> = { ...def.metadata, ...parsed.output?.metadata };
    metadata.sql_vars = formatAll(inputs.sqlVars);
    metadata.given_kw = { ...given, ...formatAll(inputs.values) };
    metadata.kind = data.kind;
    if (error !== undefined) metadata.error = error;

    const first = runs[0];
    const result: QueryResult = {
      name: def.name,
      className: def.className,
      displayName: def.displayName,
      kind: data.kind,
      data,
      metadata,
      sqlTemplate: def.sqlTemplate,
      sqlVars: inputs.sqlVars,
      inputs: inputs.values,
      given,
      sql: first?.sql ?? '',
      params: first?.params ?? [],
      runs,
    };
    if (error !== undefined) {
      result.error = error;
      if (errorStage) result.errorStage = errorStage;
      result.errorStatus = failed?.errorStatus ?? 500;
    }
    return result;
  };

  // The catalog is fixed for the engine's life: build the entries once, not on every request that looks a query up.
  let queryInfos: readonly QueryInfo[] | undefined;
  const queries = (): readonly QueryInfo[] =>
    (queryInfos ??= catalog.queries.map((q) => ({
      name: q.name,
      className: q.className,
      qualifiedName: q.qualifiedName,
      displayName: q.displayName,
      title: q.metadata.title || undefined,
      graphType: q.metadata.graph_type || undefined,
      columnNames: q.metadata.column_names?.trim() || undefined,
      columnUnits: q.metadata.column_units?.trim() || undefined,
      inputs: inputInfo(q.inputChain),
      resultsInputs: inputInfo(q.resultsInputChain),
      pos: q.pos,
    })));

  return { runQuery, queries, close: () => pool.close() };
}
