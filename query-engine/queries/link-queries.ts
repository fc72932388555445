/** Follows every query's `base="Class.query"` chain once all files are loaded, and merges it by GraphTool's rules. */
import { AppError, errorMessage } from '../../common/index.js';
import { closeNames, didYouMean, objectsOfType, type ConfigIssue, type IssueSeverity, type LoadedConfig, type SourcePos } from '../../grammar/index.js';
import { type ConnectionManagerConfig } from '../config/index.js';
import { DEFAULT_CHECK_NOW, resolveInputs, type InputDef } from '../inputs/index.js';
import { fillTemplate, lexSql, templateSlots, type SqlToken } from '../sql/index.js';
import type { QueryDecl, QueryDefinition, SqlQueriesClass } from './types.js';

/** Every linked query, findable by `Class.query` or by its bare name. */
export interface QueryCatalog {
  /** In definition order. */
  readonly queries: readonly QueryDefinition[];
  /** By `Class.query`, or by bare name: the last class defining the name wins, as with GraphTool's generators. */
  find(name: string): QueryDefinition | undefined;
}

const catalogs = new WeakMap<LoadedConfig, QueryCatalog>();

type Report = (pos: SourcePos, message: string, severity?: IssueSeverity) => void;

/** Whether the class's connection_manager names a ConnectionManager; reports it when not. */
function checkManager(cls: SqlQueriesClass, config: LoadedConfig, managers: Map<string, ConnectionManagerConfig>, report: Report): boolean {
  const ref = cls.connectionManager;
  if (!ref) return false; // reported when the class was built
  if (managers.has(ref.name)) {
    const manager = managers.get(ref.name)!;
    for (const c of cls.aggregate?.connections ?? []) {
      if (!manager.connections.has(c.name)) {
        report(c.pos, `SqlQueries "${cls.name}": <aggregate> connection "${c.name}" is not defined in ConnectionManager "${ref.name}"; its queries will report an error${didYouMean(closeNames(c.name, manager.connections.keys()))}`, 'warning');
      }
    }
    return true;
  }
  const other = config.objects.get(ref.name);
  report(
    ref.pos,
    other
      ? `SqlQueries "${cls.name}": connection_manager "${ref.name}" is a ${other.type}, not a ConnectionManager`
      : `SqlQueries "${cls.name}": connection_manager "${ref.name}" is not defined${didYouMean(closeNames(ref.name, managers.keys()))}`,
  );
  return false;
}

/** Binds the SQL uses that no `kind="sql"` input of the chain declares: they would reach the database as text. */
function undeclaredBinds(tokens: readonly SqlToken[], chain: readonly (readonly InputDef[])[]): string[] {
  const declared = new Set(chain.flatMap((level) => level.filter((d) => d.kind === 'sql').map((d) => d.name)));
  return [...new Set(tokens.flatMap((t) => (t.kind === 'bind' && !declared.has(t.name) ? [t.name] : [])))];
}

/**
 * Why the chain's defaults fail. The typing error names the level whose type refused the value; the value itself is
 * the nearest level's default, so that is the one quoted.
 */
function chainDefaultError(err: unknown, chain: readonly (readonly InputDef[])[]): string {
  const input = err instanceof AppError ? err.context.input : undefined;
  const declared = typeof input === 'string' ? chain.flat().find((d) => d.name === input) : undefined;
  const cause = err instanceof Error ? err.cause : undefined;
  if (!declared || !(cause instanceof Error)) return errorMessage(err);
  return `input "${declared.name}": default "${declared.default.trim()}": ${cause.message}`;
}

/**
 * Links the `SqlQueries` classes of a loaded configuration. Problems (a dangling or looping base, a filler for a
 * slot no base has, a class whose connection_manager is not a ConnectionManager, ...) are appended to
 * `config.issues` with their positions, once: the catalog is remembered per configuration. Queries with errors
 * are left out of the catalog.
 */
export function linkQueries(config: LoadedConfig): QueryCatalog {
  const cached = catalogs.get(config);
  if (cached) return cached;
  const report: Report = (pos, message, severity = 'error') => config.issues.push({ pos, message, severity } satisfies ConfigIssue);
  const classes = new Map(objectsOfType<SqlQueriesClass>(config, 'SqlQueries').map((o) => [o.name, o.value]));
  const managers = new Map(objectsOfType<ConnectionManagerConfig>(config, 'ConnectionManager').map((o) => [o.name, o.value]));
  const state = new Map<string, 'visiting' | QueryDefinition | null>();
  /** Queries with an error reported as their class was read: chains through them are not checked again. */
  const brokenInputs = new Set<string>();

  const findBase = (decl: QueryDecl): QueryDecl | undefined => {
    const ref = decl.base!;
    const where = `query "${decl.name}": base "${ref}"`;
    const parts = ref.split('.');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      report(decl.pos, `${where} must name a query as Class.query`);
      return undefined;
    }
    const [className, queryName] = parts as [string, string];
    const cls = classes.get(className);
    if (!cls) {
      const other = config.objects.get(className);
      report(decl.pos, other ? `${where}: "${className}" is a ${other.type}, not a SqlQueries class` : `${where} not found: no SqlQueries class "${className}"${didYouMean(closeNames(className, classes.keys()))}`);
      return undefined;
    }
    const base = cls.queries.get(queryName);
    if (!base) report(decl.pos, `${where} not found${didYouMean(closeNames(queryName, cls.queries.keys()).map((q) => `${className}.${q}`))}`);
    return base;
  };

  const merge = (decl: QueryDecl, cls: SqlQueriesClass, stack: string[]): QueryDefinition | null => {
    const qualifiedName = `${cls.name}.${decl.name}`;
    const where = `query "${decl.name}"`;
    let base: QueryDefinition | null = null;
    if (decl.base !== undefined) {
      const baseDecl = findBase(decl);
      if (!baseDecl) return null;
      base = resolve(baseDecl, stack);
      if (!base) return null;
    }
    const template = base ? base.template : decl.sql?.pieces;
    if (!template) {
      report(decl.pos, `${where}: needs an <sql> element with the query's SQL`);
      return null;
    }
    const results = decl.results?.fn ?? base?.results;
    if (!results) {
      if (!decl.hasErrors) report(decl.pos, `${where}: names no results function; add <results module="..." function="...">`);
      return null;
    }
    const fillers: Record<string, string> = { ...base?.fillers };
    if (base) {
      if (!decl.sql) report(decl.pos, `${where}: has no <sql>; GraphTool needed one, so the base's SQL is used with the base's fillers`, 'warning');
      const slots = templateSlots(template);
      for (const f of decl.sql?.fillers ?? []) {
        if (!slots.includes(f.name)) {
          report(f.pos, `${where}: filler "${f.name}" fills no slot of the base's SQL (slots: ${slots.join(', ') || 'none'}); slot names are case-sensitive`, 'warning');
        }
        fillers[f.name] = f.value;
      }
    } else if (decl.sql?.fillers.length) {
      report(decl.sql.fillers[0]!.pos, `${where}: <filler>s are ignored in a query without base="..."`, 'warning');
    }
    const inputChain = [decl.inputs, ...(base?.inputChain ?? [])];
    const resultsInputChain = decl.results ? [decl.results.inputs, ...(base?.resultsInputChain ?? [])] : (base?.resultsInputChain ?? [[]]);
    const metadata: Record<string, string> = { ...decl.attributes };
    // The base's keys before the class's: a base class's display_name beats this class's, as in GraphTool.
    for (const source of [base?.metadata ?? {}, cls.attributes]) {
      for (const [k, v] of Object.entries(source)) if (!Object.hasOwn(metadata, k)) metadata[k] = v;
    }
    metadata.name = decl.name;
    const sqlTemplate = fillTemplate(template, fillers);
    const sqlTokens = lexSql(sqlTemplate, inputChain.flatMap((level) => level.filter((d) => d.kind === 'sql').map((d) => d.name)));

    const chainHasErrors = decl.hasErrors || (base !== null && base.chain.some((q) => brokenInputs.has(q)));
    if (decl.hasErrors) brokenInputs.add(qualifiedName);
    let ok = true;
    // A warning, reported where a bind first goes undeclared: the query stays, and its runs fail before any SQL is sent
    // (rendering refuses a bind without a value), as GraphTool's sent the text to MySQL and failed there.
    const binds = undeclaredBinds(sqlTokens, inputChain);
    const fresh = binds.filter((b) => !(base?.undeclaredBinds ?? []).includes(b));
    if (fresh.length) {
      report(decl.pos, `${where}: the SQL uses ${fresh.map((b) => `:${b}`).join(', ')}, which no kind="sql" input of this query or its bases declares, so this query will report an error`, 'warning');
    }
    if (!chainHasErrors) {
      for (const chain of [inputChain, resultsInputChain]) {
        try {
          resolveInputs(chain, {}, { now: DEFAULT_CHECK_NOW });
        } catch (err) {
          report(decl.pos, `${where}: ${chainDefaultError(err, chain)}`);
          ok = false;
        }
      }
    }
    if (!ok) return null;
    return {
      name: decl.name,
      className: cls.name,
      qualifiedName,
      pos: decl.pos,
      chain: [qualifiedName, ...(base?.chain ?? [])],
      displayName: metadata.display_name || undefined,
      template,
      fillers,
      sqlTemplate,
      sqlTokens,
      inputChain,
      resultsInputChain,
      results,
      metadata,
      connectionManager: cls.connectionManager?.name ?? '',
      aggregate: cls.aggregate ?? base?.aggregate,
      ...(binds.length ? { undeclaredBinds: binds } : {}),
    };
  };

  const resolve = (decl: QueryDecl, stack: string[]): QueryDefinition | null => {
    const key = `${decl.className}.${decl.name}`;
    const known = state.get(key);
    if (known === 'visiting') {
      report(decl.pos, `query "${decl.name}": base chain loops: ${[...stack.slice(stack.indexOf(key)), key].join(' → ')}`);
      return null;
    }
    if (known !== undefined) return known;
    state.set(key, 'visiting');
    const def = merge(decl, classes.get(decl.className)!, [...stack, key]);
    state.set(key, def);
    return def;
  };

  const queries: QueryDefinition[] = [];
  const byName = new Map<string, QueryDefinition>();
  const byQualified = new Map<string, QueryDefinition>();
  for (const cls of classes.values()) {
    const runnable = checkManager(cls, config, managers, report);
    for (const decl of cls.queries.values()) {
      const def = resolve(decl, []);
      // A query with a reported error anywhere in its chain stays out: the configuration is not applied anyway.
      if (!def || !runnable || def.chain.some((q) => brokenInputs.has(q))) continue;
      queries.push(def);
      byQualified.set(def.qualifiedName, def);
      byName.set(def.name, def);
    }
  }
  const catalog: QueryCatalog = { queries, find: (name) => byQualified.get(name) ?? byName.get(name) };
  catalogs.set(config, catalog);
  return catalog;
}
