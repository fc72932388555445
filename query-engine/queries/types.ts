/** The query model: what a `SqlQueries` class declares, and each query after its base chain is merged. */
import type { SourcePos } from '../../grammar/index.js';
import type { InputDef } from '../inputs/index.js';
import type { ResultsFunction } from '../results/index.js';
import type { SqlTemplate, SqlToken } from '../sql/index.js';

/** An `<input>` with its position. */
export interface InputDecl extends InputDef {
  pos: SourcePos;
}

/** A `<filler name="X">raw SQL</filler>` of a derived query. */
export interface FillerDecl {
  name: string;
  value: string;
  pos: SourcePos;
}

/** The results function a `<results module function>` names, resolved against the registry. */
export interface ResultsFunctionRef {
  module: string;
  fn: string;
  pos: SourcePos;
  /** The implementation; absent when the function is known but not supported (see `unsupported`). */
  run?: ResultsFunction;
  /** Why the appliance cannot run this known function. */
  unsupported?: string;
  /** The registry has no function of this name (a load warning said so): the query reports that when it runs. */
  unknown?: boolean;
}

/** One `<query>` as written in its class, before its base chain is followed. */
export interface QueryDecl {
  name: string;
  className: string;
  pos: SourcePos;
  /** `base="Class.query"`. */
  base?: string;
  /** The first `<sql>`: its text and slots (base queries), its fillers (derived queries). */
  sql?: { pieces: SqlTemplate; fillers: FillerDecl[]; pos: SourcePos };
  /** The `<inputs>` that is a direct child of `<query>`. */
  inputs: InputDecl[];
  /** The first `<results>`: its function (when it names one) and its `<inputs>`. */
  results?: { fn?: ResultsFunctionRef; inputs: InputDecl[]; pos: SourcePos };
  /** Direct `<attribute>` children, text stripped; the last of a name wins. */
  attributes: Record<string, string>;
  /** Something here was already reported as an error (a bad default, an unknown function), so link checks skip it. */
  hasErrors: boolean;
}

/** `<aggregate>`: run on these connections (or every connection) in parallel and concatenate the rows. */
export interface AggregateDecl {
  all: boolean;
  connections: { name: string; pos: SourcePos }[];
  pos: SourcePos;
}

/** A built `SqlQueries` class: its attributes, aggregate and queries, not yet linked to their bases. */
export interface SqlQueriesClass {
  name: string;
  pos: SourcePos;
  /** The class's `<attribute>`s (`connection_manager`, `display_name`, ...); queries inherit the ones they do not set. */
  attributes: Record<string, string>;
  connectionManager?: { name: string; pos: SourcePos };
  aggregate?: AggregateDecl;
  /** By name, in definition order. */
  queries: Map<string, QueryDecl>;
}

/** A query with its base chain merged by GraphTool's rules: what the engine runs. */
export interface QueryDefinition {
  name: string;
  /** The SqlQueries class that defines it (its connection manager runs it). */
  className: string;
  /** `Class.query`. */
  qualifiedName: string;
  pos: SourcePos;
  /** The base chain as qualified names, this query first. */
  chain: string[];
  /** `metadata.display_name` (a base class's display name beats this class's, as in GraphTool). */
  displayName: string | undefined;
  /** The root query's `<sql>` pieces. */
  template: SqlTemplate;
  /** Every filler along the chain, a child's over its parent's. */
  fillers: Record<string, string>;
  /** The filled template, unbound: what GraphTool shows in `<sql>`. */
  sqlTemplate: string;
  /** `sqlTemplate` lexed once, at link time: what every run renders. */
  sqlTokens: readonly SqlToken[];
  /** Query inputs per level, this query first (for `resolveInputs`). */
  inputChain: InputDecl[][];
  /** Results inputs per level, this query first. */
  resultsInputChain: InputDecl[][];
  /** The results function: this query's, else the nearest base's. */
  results: ResultsFunctionRef;
  /** Merged `<attribute>`s: own, then the bases', then the owning class's; plus `name`. */
  metadata: Record<string, string>;
  /** The ConnectionManager that runs it (the owning class's `connection_manager`). */
  connectionManager: string;
  /** `<aggregate>` of the owning class, else of the nearest base's class; undefined = the manager's default connection. */
  aggregate: AggregateDecl | undefined;
  /** Binds the SQL uses that no `kind="sql"` input declares (a load warning): each run fails before sending SQL. */
  undeclaredBinds?: readonly string[];
}
