/**
 * `npm run bench -- gratia-tree PATH [--db URL] [--days N] [--topology FILE]`: loads a whole Gratia-web configuration
 * tree unedited into one configuration with a topology registry (default: the shipped demo topology), writes the
 * registry's OIM tables, runs every query with its default inputs on the demo store (or the store `--db` names), and
 * prints how many load, run and fail, each failure with its reason; target: >= 90 % run without an error (an empty
 * result counts).
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APPLIANCE_CLASS_TYPES, createApplianceQueryEngine, openMigratedStore, topologyConfigsOf } from '../appliance.js';
import { AppError, errorMessage } from '../common/index.js';
import { configErrors, formatIssue, loadConfig, objectsOfType, type LoadedConfig } from '../grammar/index.js';
import { linkQueries, type QueryResult, type SqlQueriesClass } from '../query-engine/index.js';
import { parseStoreUrl, seedDemoData, type Store, type StoreConnection } from '../store/index.js';
import { Topology, writeOimTables } from '../topology/index.js';
import { classify, shortReason, type Outcome } from './gratia-tree/classify.js';
import { managersUsed, treeDbParam } from './gratia-tree/tree-dbparam.js';
import type { Benchmark } from './support/benchmark.js';

const TARGET = 0.9;
/** The shipped demo topology: the demo store's sites, resources, VOs and ownership. */
const DEMO_TOPOLOGY = resolve(dirname(fileURLToPath(import.meta.url)), '../config/topology.xml');
const USAGE = 'usage: npm run bench -- gratia-tree PATH [--db URL] [--days N] [--topology FILE]';

interface Options {
  tree: string;
  db?: string;
  days: number;
  topology: string;
}

function parseOptions(args: readonly string[]): Options {
  let tree: string | undefined;
  let db: string | undefined;
  let days = 30;
  let topology = DEMO_TOPOLOGY;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--db') db = args[++i];
    else if (arg === '--days') days = Number(args[++i]);
    else if (arg === '--topology') topology = resolve(args[++i] ?? '');
    else if (!arg.startsWith('--') && tree === undefined) tree = arg;
    else throw new AppError('bad_request', `unknown option ${arg}; ${USAGE}`);
  }
  if (!existsSync(topology)) throw new AppError('bad_request', `--topology: ${topology} does not exist`);
  if (!tree) throw new AppError('bad_request', 'gratia-tree needs the PATH of a Gratia-web tree (its src/gratia/config directory, or the checkout holding it)');
  if (!(Number.isInteger(days) && days >= 1 && days <= 400)) throw new AppError('bad_request', '--days needs a whole number from 1 to 400');
  const nested = join(tree, 'src/gratia/config');
  const dir = existsSync(nested) ? nested : tree;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError('bad_request', `${tree} is not a directory`);
  return { tree: resolve(dir), ...(db ? { db } : {}), days, topology };
}

/**
 * The tree's files after a DBParam.xml pointing every manager its classes name at `conn` ($DBPARAM_LOCATION is that
 * file), then the topology file.
 */
function loadTree(tree: string, topology: string, conn: StoreConnection, work: string): LoadedConfig {
  const placeholder = join(work, 'empty.xml');
  writeFileSync(placeholder, '<graphtool-config/>\n');
  // security.xml imports $DBSECURITY_LOCATION, the tree's own DBSecurity.xml, as Gratia-web's deployment set it.
  const env = { DBSECURITY_LOCATION: join(tree, 'DBSecurity.xml'), ...process.env };
  const first = loadConfig(tree, { classTypes: APPLIANCE_CLASS_TYPES, env: { ...env, DBPARAM_LOCATION: placeholder } });
  const dbParam = join(work, 'DBParam.xml');
  writeFileSync(dbParam, treeDbParam(managersUsed(first), conn));
  const config = loadConfig([dbParam, tree, topology], { classTypes: APPLIANCE_CLASS_TYPES, env: { ...env, DBPARAM_LOCATION: dbParam } });
  linkQueries(config);
  return config;
}

/** The select-list slots a template leaves for the queries built on it: unfilled, the SQL reads `SELECT , ...`. */
const SELECT_SLOTS = ['group', 'column'];

/**
 * Every query the tree's SqlQueries classes declare, and the templates: those other queries name as their base, and
 * those whose select-list slots nothing fills (a base no query of this tree derives from).
 */
function declaredQueries(config: LoadedConfig): { declared: string[]; bases: Set<string> } {
  const declared: string[] = [];
  const bases = new Set<string>();
  for (const { value } of objectsOfType<SqlQueriesClass>(config, 'SqlQueries')) {
    for (const q of value.queries.values()) {
      declared.push(`${value.name}.${q.name}`);
      if (q.base) bases.add(q.base);
    }
  }
  for (const q of linkQueries(config).queries) {
    if (q.template.some((p) => typeof p !== 'string' && SELECT_SLOTS.includes(p.slot) && !(p.slot in q.fillers))) bases.add(q.qualifiedName);
  }
  return { declared, bases };
}

const percent = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)} %`);
const isEmpty = (r: QueryResult) => (r.data.kind === 'pivot-group' ? r.data.pivots.length === 0 : r.data.entries.length === 0);

async function run(args: readonly string[]): Promise<void> {
  const options = parseOptions(args);
  const work = mkdtempSync(join(tmpdir(), 'appliance-bench-gratia-tree-'));
  try {
    const conn: StoreConnection = options.db ? parseStoreUrl(options.db) : { interface: 'sqlite', file: join(work, 'demo.db') };
    const { store } = await openMigratedStore(conn);
    try {
      if (!options.db) await seedDemoData(store, { days: options.days });
      const config = loadTree(options.tree, options.topology, conn, work);
      // The registry as `appliance serve` builds it from the configuration, written as OIM's tables.
      const { topology } = Topology.from(topologyConfigsOf(config).map((c) => c.data));
      await writeOimTables(store, topology);
      await report(options, config, store, topology);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs every query of `config` on `store` (through the appliance's engine: OIM feeds and tables from `topology`) and prints the outcome. */
async function report(options: Options, config: LoadedConfig, store: Store, topology: Topology): Promise<void> {
  const errors = configErrors(config);
  const warnings = config.issues.filter((i) => i.severity === 'warning');
  const { declared, bases } = declaredQueries(config);
  const engine = createApplianceQueryEngine(config, store);
  const outcomes: Outcome[] = [];
  let empty = 0;
  const started = performance.now();
  try {
    for (const q of engine.queries()) {
      try {
        const result = await engine.runQuery(q.qualifiedName);
        if (!result.error && isEmpty(result)) empty++;
        outcomes.push({ ...classify(result, bases.has(q.qualifiedName)), name: q.qualifiedName });
      } catch (err) {
        // A default input the engine refuses as a client's error: the query cannot run as configured.
        outcomes.push({ name: q.qualifiedName, error: errorMessage(err), ...(bases.has(q.qualifiedName) ? { apart: 'template' as const } : {}) });
      }
    }
  } finally {
    await engine.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const loadedNames = new Set(outcomes.map((o) => o.name));
  const notLoaded = declared.filter((q) => !loadedNames.has(q));
  const ok = outcomes.filter((o) => o.error === undefined).length;
  const templates = outcomes.filter((o) => o.apart === 'template');
  const oim = outcomes.filter((o) => o.apart === 'oim-feed');
  const counted = outcomes.filter((o) => o.error !== undefined && o.apart === undefined);

  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`Gratia-web tree ${options.tree} on ${options.db ? store.description : `the demo store (${options.days} days)`}`);
  out(`  ${config.files.length} files loaded: ${errors.length} error(s), ${warnings.length} warning(s)`);
  const size = topology.data;
  out(`  topology ${options.topology}: ${size.sites.length} sites, ${topology.resources().length} resources, ${size.vos.length} VOs (OIM feeds and oim.* tables)`);
  for (const e of errors) out(`    ${formatIssue(e)}`);
  out(`  ${declared.length} queries declared, ${outcomes.length} loaded${notLoaded.length ? ` (left out by an error: ${notLoaded.join(', ')})` : ''}`);
  out(`  ran ${outcomes.length} in ${seconds.toFixed(1)} s: ${ok} without an error (${empty} of them empty), ${outcomes.length - ok} failed`);
  out(`    ${templates.length} of the failures are templates (bases other queries fill; run as they are their empty slots are not SQL, as in GraphTool)`);
  out(`    ${oim.length} need OSG's OIM/MyOSG feeds or tables (the topology registry's part)`);
  const section = (title: string, list: readonly Outcome[]) => {
    if (!list.length) return;
    out(`  ${title}:`);
    for (const o of list) out(`    ${o.name}: ${shortReason(o.error ?? '')}`);
  };
  section('failures counted against the target', counted);
  section('needing the OIM/MyOSG feeds', oim);
  section('templates', templates);
  for (const n of notLoaded) counted.push({ name: n, error: 'not loaded' });
  const graphs = declared.length - templates.length;
  const line = (label: string, n: number, d: number) => out(`target >= ${TARGET * 100} % of the tree's queries run without an error${label}: ${n}/${d} = ${percent(n, d)} ... ${d > 0 && n / d >= TARGET ? 'met' : 'MISSED'}`);
  line(' (templates apart)', ok, graphs);
  line(' (templates and OIM-feed queries apart)', ok, graphs - oim.length);
}

export const benchmark: Benchmark = {
  description: 'a whole Gratia-web tree (PATH) loaded unedited and every query run on the demo store: how many load, run, fail (target >= 90 % run)',
  run,
};
