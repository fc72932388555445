/** `npm run bench -- query`: the shipped vo_hours_bar_smry over MasterSummaryData, through the query engine vs its own SQL on the raw driver. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createQueryEngine, queryEngineClassTypes, type QueryEngine, type QueryResult } from '../query-engine/index.js';
import { configErrors, formatIssue, loadConfig } from '../grammar/index.js';
import { gratiaMigrations, openStore, type SqlValue, type Store, type StoreConnection } from '../store/index.js';
// The raw SQLite side sends better-sqlite3 exactly what the store sends it: the same translation and the same
// emulated MySQL functions. These are the store's internals, reached past its index on purpose.
import { binaryColumnNames } from '../store/migrations.js';
import { registerMySqlFunctions } from '../store/sqlite/mysql-functions.js';
import { translateMySql } from '../store/sqlite/translate.js';
import { integerOptions, type Benchmark } from './support/benchmark.js';
import { benchMysqlUrl, freshMysql, freshSqlite, rawMysqlPool, rawSqliteDatabase, type FreshDatabase, type MysqlConnection } from './support/databases.js';
import { DAYS, FIRST_DAY, GENERATED_COLUMNS, masterSummaryBatch } from './support/master-summary-rows.js';
import { formatCount, formatMs, interleaved, median, printTable } from './support/timing.js';

/** The target: the engine (inputs, rendering, the store, the results parser) may cost this much more than the bare statement. */
const TARGET_RATIO = 1.15;
const QUERY = 'vo_hours_bar_smry';
const CONFIG = join(import.meta.dirname, '../config');
const VOS = 60;
const DAY_MS = 86_400_000;

/** Runs the engine's own statement on the driver directly. */
interface RawSide {
  run(sql: string, params: readonly SqlValue[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

function rawSqlite(file: string): RawSide {
  const db = rawSqliteDatabase(file);
  registerMySqlFunctions(db);
  const binary = new Set(binaryColumnNames(gratiaMigrations));
  const prepared = new Map<string, Database.Statement>();
  return {
    run: async (sql, params) => {
      let stmt = prepared.get(sql);
      if (!stmt) {
        stmt = db.prepare(translateMySql(sql, binary)).raw(true);
        prepared.set(sql, stmt);
      }
      return stmt.all([...params]) as unknown[][];
    },
    close: async () => {
      db.close();
    },
  };
}

function rawMysql(conn: MysqlConnection): RawSide {
  const pool = rawMysqlPool(conn);
  return {
    run: async (sql, params) => (await pool.query({ sql, values: [...params], rowsAsArray: true }))[0] as unknown[][],
    close: () => pool.end(),
  };
}

/** The summary rows, and the sites, probes and VOs they name, as a Gratia collector would have them. */
async function fill(store: Store, rows: number, batch: number, label: string): Promise<void> {
  await store.migrate(gratiaMigrations);
  for (let from = 0; from < rows; from += batch) {
    await store.insertMany('MasterSummaryData', GENERATED_COLUMNS, masterSummaryBatch(from, Math.min(batch, rows - from)));
    if ((from / batch) % 20 === 19) process.stderr.write(`  ${label}: ${formatCount(from + batch)} of ${formatCount(rows)} rows\n`);
  }
  const probes = (await store.queryArrays('SELECT DISTINCT ProbeName FROM MasterSummaryData ORDER BY 1')).rows.map((r) => String(r[0]));
  const siteOf = (probe: string) => /\.(site\d+)\./.exec(probe)?.[1] ?? 'unknown-site';
  const sites = [...new Set(probes.map(siteOf))];
  await store.insertMany('Site', ['siteid', 'SiteName'], sites.map((s, i) => [i + 1, s]));
  await store.insertMany('Probe', ['probeid', 'siteid', 'probename'], probes.map((p, i) => [i + 1, sites.indexOf(siteOf(p)) + 1, p]));
  const vos = Array.from({ length: VOS }, (_, i) => [i + 1, `vo${String(i + 1).padStart(2, '0')}`] as const);
  await store.insertMany('VO', ['VOid', 'VOName'], vos.map(([id, name]) => [id, name]));
  await store.insertMany('VONameCorrection', ['corrid', 'VOName', 'ReportableVOName', 'VOid'], vos.map(([id, name]) => [id, name, name, id]));
}

/** The shipped base and bar queries, their GratiaConnMan pointed at `conn`. */
function engineFor(conn: StoreConnection, dir: string): QueryEngine {
  const attrs =
    conn.interface === 'sqlite'
      ? `<attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${conn.file}</attribute>`
      : `<attribute name="Interface">MySQL</attribute><attribute name="Host">${conn.host}</attribute><attribute name="Port">${conn.port}</attribute>` +
        `<attribute name="Database">${conn.database}</attribute><attribute name="AuthDBUsername">${conn.user}</attribute><attribute name="AuthDBPassword">${conn.password}</attribute>`;
  writeFileSync(join(dir, 'DBParam.xml'), `<graphtool-config><class name="GratiaConnMan" type="ConnectionManager"><attribute name="default">gratia</attribute><connection name="gratia">${attrs}</connection></class></graphtool-config>`);
  const config = loadConfig([join(CONFIG, 'generic_queries.xml'), join(CONFIG, 'gratia_bar_queries.xml')], {
    classTypes: queryEngineClassTypes,
    env: { DBPARAM_LOCATION: join(dir, 'DBParam.xml') },
  });
  const errors = configErrors(config);
  if (errors.length) throw new Error(`the shipped queries do not load:\n${errors.map(formatIssue).join('\n')}`);
  return createQueryEngine({ config });
}

interface Measured {
  range: string;
  scanned: number;
  resultRows: number;
  engineMs: number;
  rawMs: number;
}

/** Alternates which side goes first; checks both answered the same rows; medians of `repeat` runs. */
async function measure(engine: QueryEngine, raw: RawSide, days: number, repeat: number, count: (r: QueryResult) => Promise<number>): Promise<Measured> {
  const start = new Date(FIRST_DAY + Math.floor((DAYS - days) / 2) * DAY_MS);
  // Full date-times: GraphTool evaluates a bare 2024-01-10 as the sum 2024-1-10.
  const text = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
  const params = { starttime: text(start), endtime: text(new Date(start.getTime() + (days - 1) * DAY_MS)) };
  const warm = await engine.runQuery(QUERY, params);
  if (warm.error) throw new Error(`${QUERY}: ${warm.error}`);
  const rows = await raw.run(warm.sql, warm.params);
  if (rows.length !== warm.runs[0]!.rows) throw new Error(`${QUERY}: the engine read ${warm.runs[0]!.rows} rows, the driver ${rows.length}`);
  const times = await interleaved(repeat, { engine: () => engine.runQuery(QUERY, params), raw: () => raw.run(warm.sql, warm.params) });
  return { range: `${days} days`, scanned: await count(warm), resultRows: rows.length, engineMs: median(times.engine), rawMs: median(times.raw) };
}

async function runBackend(backend: 'sqlite' | 'mysql', o: { rows: number; batch: number; repeat: number }, mysqlUrl?: string): Promise<Measured[]> {
  const db: FreshDatabase<StoreConnection> = backend === 'sqlite' ? freshSqlite('query') : await freshMysql(mysqlUrl!, 'query');
  const dir = mkdtempSync(join(tmpdir(), 'appliance-bench-query-'));
  let engine: QueryEngine | undefined;
  let raw: RawSide | undefined;
  const store = openStore(db.connection);
  try {
    await fill(store, o.rows, o.batch, backend);
    engine = engineFor(db.connection, dir);
    raw = db.connection.interface === 'sqlite' ? rawSqlite(db.connection.file) : rawMysql(db.connection);
    const count = async (r: QueryResult) => {
      const [from, to] = [r.sqlVars.starttime, r.sqlVars.endtime].map((v) => (v?.type === 'datetime' ? v.value.toISOString().slice(0, 19).replace('T', ' ') : ''));
      const { rows } = await store.queryArrays("SELECT count(*) FROM MasterSummaryData WHERE EndTime >= ? AND EndTime < ? AND ResourceType = 'Batch'", [from!, to!]);
      return Number(rows[0]![0]);
    };
    return [await measure(engine, raw, 14, o.repeat, count), await measure(engine, raw, DAYS, o.repeat, count)];
  } finally {
    await engine?.close();
    await raw?.close();
    await store.close();
    await db.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  description: `the shipped ${QUERY} (stacked bar) through the query engine vs its SQL on the raw driver (--rows N --batch N --repeat N)`,
  async run(args) {
    const o = integerOptions(args, { rows: 1_000_000, batch: 10_000, repeat: 7 });
    if (o.rows < 1 || o.batch < 1 || o.repeat < 1) throw new Error('--rows, --batch and --repeat must be at least 1');
    const mysqlUrl = benchMysqlUrl();
    const backends = mysqlUrl ? (['sqlite', 'mysql'] as const) : (['sqlite'] as const);
    console.log(`query benchmark: ${QUERY} over ${formatCount(o.rows)} MasterSummaryData rows (${DAYS} days); times are the median of ${o.repeat} runs, load excluded`);
    if (!mysqlUrl) console.log('MariaDB skipped: set APPLIANCE_BENCH_MYSQL (or APPLIANCE_TEST_MYSQL) to mysql://USER:PASSWORD@HOST:PORT/DATABASE');

    const table: string[][] = [['backend', 'range', 'Batch rows in range', 'result rows', 'engine', 'raw driver', 'engine/raw']];
    const misses: string[] = [];
    for (const backend of backends) {
      for (const m of await runBackend(backend, o, mysqlUrl)) {
        const ratio = m.engineMs / m.rawMs;
        if (ratio > TARGET_RATIO) misses.push(`${backend} ${m.range}: ${ratio.toFixed(2)}`);
        table.push([backend, m.range, formatCount(m.scanned), formatCount(m.resultRows), formatMs(m.engineMs), formatMs(m.rawMs), ratio.toFixed(3)]);
      }
    }
    console.log('');
    printTable(table);
    console.log('');
    console.log(misses.length ? `target engine/raw <= ${TARGET_RATIO} MISSED: ${misses.join('; ')}` : `target engine/raw <= ${TARGET_RATIO}: met`);
  },
};
