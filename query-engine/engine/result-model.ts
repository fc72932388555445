/** The query engine's public shapes: the result of running a query, the list of queries, the engine itself. */
import type { Clock, Logger } from '../../common/index.js';
import type { Store, SqlValue, StoreConnection } from '../../store/index.js';
import type { LoadedConfig, SourcePos } from '../../grammar/index.js';
import type { PartialDirection, TypedValue } from '../inputs/index.js';
import type { OimData, Ownership, ResultData, ResultKind } from '../results/index.js';

/** Where a failed query failed: reaching its connection, building its SQL, in the database, or in its results function. */
export const QUERY_ERROR_STAGES = ['connection', 'sql', 'results'] as const;
export type QueryErrorStage = (typeof QUERY_ERROR_STAGES)[number];

/** One statement run on one connection (several with `<aggregate>`). */
export interface QueryRun {
  connection: string;
  /** The statement as sent (with the backend's statement-timeout wrapper); empty when it never got that far. */
  sql: string;
  params: SqlValue[];
  rows: number;
  ms: number;
  error?: string;
  errorStage?: QueryErrorStage;
  /** The HTTP status its failure is answered with: 504 timeout, 503 database unreachable, 500 otherwise. */
  errorStatus?: number;
}

/** What running a query gives: the parsed data, GraphTool's metadata, and what ran. Renderers (XML, CSV, JSON, graphs) read this. */
export interface QueryResult {
  name: string;
  className: string;
  displayName: string | undefined;
  kind: ResultKind;
  data: ResultData;
  /**
   * Merged attributes (title, graph_type, pivot_name, grouping_name, column_names, column_units, display_name,
   * connection_manager, ...), then the results function's metadata over them (kind, is_cumulative, span, ...),
   * then `sql_vars` and `given_kw` (text, as Python's `str()` printed them), and `error` when the query failed.
   */
  metadata: Record<string, unknown>;
  /** The filled template, unbound: what GraphTool shows in `<sql>`. */
  sqlTemplate: string;
  /** The typed `kind="sql"` inputs that were bound. */
  sqlVars: Record<string, TypedValue>;
  /** Every typed query input (GraphTool merges these into `<sqlvars>`). */
  inputs: Record<string, TypedValue>;
  /** The URL parameters as given. */
  given: Record<string, string>;
  /** What ran on the first connection (for logs and the benchmark); see `runs` for every connection. */
  sql: string;
  params: SqlValue[];
  /** Every connection's statement, in the order the connections are listed. */
  runs: QueryRun[];
  /** The first failure, also in `metadata.error` (GraphTool drew an error image from it). */
  error?: string;
  errorStage?: QueryErrorStage;
  /** With `error`: the HTTP status every output answers with (504 timeout, 503 database unreachable, 500 otherwise). */
  errorStatus?: number;
}

/** One input as a query declares it, after its base chain (the nearest declaration of each name). */
export interface QueryInputInfo {
  name: string;
  default: string;
  type?: string;
  kind?: string;
  partial?: PartialDirection;
}

/** A query as the index pages list it. */
export interface QueryInfo {
  name: string;
  className: string;
  /** `Class.query`; `runQuery` takes it as well as the bare name. */
  qualifiedName: string;
  displayName: string | undefined;
  title: string | undefined;
  graphType: string | undefined;
  /** The `column_names` and `column_units` attributes as written (GraphTool labelled the value axis `names [units]`). */
  columnNames: string | undefined;
  columnUnits: string | undefined;
  inputs: QueryInputInfo[];
  resultsInputs: QueryInputInfo[];
  pos: SourcePos;
}

/** What the OIM feeds give a request (see `QueryEngineOptions.feeds`). */
export interface OimFeeds {
  ownership?: readonly Ownership[];
  oim?: OimData;
  wlcgResources?: readonly string[];
}

export interface QueryEngineOptions {
  /** A loaded configuration with the query engine's class types (see `queryEngineClassTypes`). */
  config: LoadedConfig;
  /** Opens the store a DBParam connection describes (default: the store's `openStore`). */
  openStore?: (conn: StoreConnection) => Store;
  /**
   * The appliance's own, already open store: used for the connection its ConnectionManager names `appliance_store`
   * instead of opening a second handle, and never closed by the engine.
   */
  applianceStore?: Store;
  /** Resolves a relative sqlite `DatabaseFile` (default: against the working directory, as GraphTool did). */
  resolvePath?: (path: string) => string;
  clock?: Clock;
  logger?: Logger;
  /** VO → resource ownership for the opportunistic filter and parsers (default: the configuration's VoOwnership classes). */
  ownership?: readonly Ownership[];
  /** OIM feeds for GW's `oim_*` transforms. */
  oim?: OimData;
  /** WLCG resources for the `uslhc_*` parsers. */
  wlcgResources?: readonly string[];
  /**
   * The OIM feeds as they are now (the topology registry, which refreshes): asked on every request, and what it gives
   * wins over `ownership`, `oim` and `wlcgResources`.
   */
  feeds?: () => OimFeeds;
  /**
   * Schemas that, on the appliance's own store, are table prefixes: with `['oim']`, a query's `oim.resource` reads the
   * table `oim_resource` there (Gratia-web's RSV queries name OIM's and RSV's databases). Other connections run the SQL as written.
   */
  applianceSchemas?: readonly string[];
  /**
   * Statement timeout in seconds when neither the request nor the query's `sql_query_timeout` attribute gives one
   * (default: the maximum).
   */
  defaultTimeoutSeconds?: number;
  /**
   * The most seconds a statement may run, whatever the request or the query asks (default: the configuration's
   * `QueryLimits` `max_sql_query_timeout`, else 30).
   */
  maxTimeoutSeconds?: number;
}

/** Runs the configured queries. `runQuery` throws `AppError` for the caller's mistakes; failures of the query itself are in the result. */
export interface QueryEngine {
  /**
   * Runs a query (`name` or `Class.query`) with URL parameters. Throws `not_found` for an unknown query and
   * `bad_request` for a parameter that does not fit its input; a SQL, connection or results error is in `error`.
   */
  runQuery(name: string, params?: Readonly<Record<string, string>>): Promise<QueryResult>;
  /** Every runnable query, in definition order (the same list on every call). */
  queries(): readonly QueryInfo[];
  /** Closes the connections the engine opened. */
  close(): Promise<void>;
}
