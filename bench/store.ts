/** `npm run bench -- store`: MasterSummaryData inserts and a grouped range query, through the store vs the raw driver. */
import { gratiaMigrations, openStore, type Row, type SqliteSynchronous, type SqlValue, type Store, type StoreConnection } from '../store/index.js';
import { integerOptions, type Benchmark } from './support/benchmark.js';
import { benchMysqlUrl, freshMysql, freshSqlite, rawMysqlPool, rawSqliteDatabase, SQLITE_SETTINGS, type FreshDatabase, type MysqlConnection } from './support/databases.js';
import { DAYS, FIRST_DAY, GENERATED_COLUMNS, masterSummaryBatch } from './support/master-summary-rows.js';
import { formatCount, formatMs, formatRate, interleaved, median, nowMs, printTable } from './support/timing.js';

/** The target: the store may cost at most this much more than the driver it wraps. */
const TARGET_RATIO = 1.2;
const TABLE = 'MasterSummaryData';
const RANGE_DAYS = 14;

/** One way to reach a database: the store, or the driver used directly. */
interface Side {
  insert(rows: SqlValue[][]): Promise<void>;
  query(sql: string, params: SqlValue[]): Promise<Row[]>;
  close(): Promise<void>;
}

/** A query to time, with the raw driver's spelling of it where its SQL dialect differs from the store's. */
interface TimedQuery {
  name: string;
  sql: string;
  rawSql?: { sqlite?: string; mysql?: string };
}

const QUERIES: TimedQuery[] = [
  {
    name: 'core-seconds by VO and day',
    sql: `SELECT VOcorrid, date(EndTime) AS day, sum(WallDuration * Cores) AS core_seconds, count(*) AS n
          FROM ${TABLE} WHERE EndTime >= ? AND EndTime < ? GROUP BY VOcorrid, day ORDER BY VOcorrid, day`,
  },
  {
    // GraphTool's own bucketing; plain SQLite has no unix_timestamp/truncate, so its raw side uses strftime.
    name: 'the same, GraphTool time buckets',
    sql: `SELECT VOcorrid, truncate(unix_timestamp(EndTime)/86400, 0)*86400 AS time, sum(WallDuration * Cores) AS core_seconds, count(*) AS n
          FROM ${TABLE} WHERE EndTime >= ? AND EndTime < ? GROUP BY VOcorrid, time ORDER BY VOcorrid, time`,
    rawSql: {
      sqlite: `SELECT VOcorrid, CAST(strftime('%s', EndTime) AS INTEGER) / 86400 * 86400 AS time, sum(WallDuration * Cores) AS core_seconds, count(*) AS n
               FROM ${TABLE} WHERE EndTime >= ? AND EndTime < ? GROUP BY VOcorrid, time ORDER BY VOcorrid, time`,
    },
  },
];

const insertColumns = GENERATED_COLUMNS.join(', ');

function storeSide(store: Store): Side {
  return {
    insert: async (rows) => void (await store.insertMany(TABLE, GENERATED_COLUMNS, rows)),
    query: (sql, params) => store.query(sql, params),
    close: () => store.close(),
  };
}

/** better-sqlite3 as an importer would use it: one prepared INSERT, run per row inside one transaction per batch. */
function rawSqliteSide(file: string, synchronous: SqliteSynchronous): Side {
  const db = rawSqliteDatabase(file, synchronous);
  const insert = db.prepare(`INSERT INTO ${TABLE} (${insertColumns}) VALUES (${GENERATED_COLUMNS.map(() => '?').join(', ')})`);
  const insertAll = db.transaction((rows: SqlValue[][]) => {
    for (const row of rows) insert.run(row);
  });
  // The driver is synchronous; Promise.resolve only gives it the Side shape (the store pays the same wrapping).
  return {
    insert: (rows) => Promise.resolve(insertAll(rows)),
    query: (sql, params) => Promise.resolve(db.prepare(sql).all(params) as Row[]),
    close: () => Promise.resolve(void db.close()),
  };
}

/** mysql2 as an importer would use it: one multi-row INSERT per batch on a pool with the store's session settings. */
function rawMysqlSide(conn: MysqlConnection): Side {
  const pool = rawMysqlPool(conn);
  return {
    insert: async (rows) => void (await pool.query(`INSERT INTO ${TABLE} (${insertColumns}) VALUES ?`, [rows])),
    query: async (sql, params) => (await pool.query(sql, params))[0] as Row[],
    close: () => pool.end(),
  };
}

interface Measured {
  what: string;
  rows: number;
  storeMs: number;
  rawMs: number;
}

interface Options {
  rows: number;
  batch: number;
  repeat: number;
}

/** Inserts the same batches through both sides, alternating which goes first, and times only the insert calls. */
async function measureInserts(store: Side, raw: Side, o: Options, progress: (done: number) => void): Promise<Measured> {
  let storeMs = 0;
  let rawMs = 0;
  for (let from = 0, k = 0; from < o.rows; from += o.batch, k++) {
    const rows = masterSummaryBatch(from, Math.min(o.batch, o.rows - from));
    const order = k % 2 === 0 ? (['store', 'raw'] as const) : (['raw', 'store'] as const);
    for (const side of order) {
      const start = nowMs();
      await (side === 'store' ? store : raw).insert(rows);
      const ms = nowMs() - start;
      if (side === 'store') storeMs += ms;
      else rawMs += ms;
    }
    progress(from + rows.length);
  }
  return { what: `insert, ${formatCount(o.batch)} rows per call`, rows: o.rows, storeMs, rawMs };
}

async function measureQuery(backend: 'sqlite' | 'mysql', q: TimedQuery, store: Side, raw: Side, o: Options): Promise<Measured> {
  const from = new Date(FIRST_DAY + Math.floor((DAYS - RANGE_DAYS) / 2) * 86_400_000);
  const params: SqlValue[] = [from, new Date(from.getTime() + RANGE_DAYS * 86_400_000)].map((d) => d.toISOString().slice(0, 19).replace('T', ' '));
  const rawSql = q.rawSql?.[backend] ?? q.sql;
  // Warm both (statement caches, buffer pool), and check they did the same work.
  const [mine, theirs] = [await store.query(q.sql, params), await raw.query(rawSql, params)];
  if (JSON.stringify(mine) !== JSON.stringify(theirs)) throw new Error(`${q.name}: the store and the driver answered differently`);
  const scanned = mine.reduce((n, r) => n + Number(r.n), 0);
  const times = await interleaved(o.repeat, { store: () => store.query(q.sql, params), raw: () => raw.query(rawSql, params) });
  return { what: `${q.name} (${RANGE_DAYS} days)`, rows: scanned, storeMs: median(times.store), rawMs: median(times.raw) };
}

/** Two fresh databases with the Gratia schema (migrated through the store), one per side. */
async function runBackend(backend: 'sqlite' | 'mysql', o: Options, mysqlUrl?: string, synchronous: SqliteSynchronous = 'full'): Promise<Measured[]> {
  const dbs: FreshDatabase<StoreConnection>[] =
    backend === 'sqlite' ? [freshSqlite('store', synchronous), freshSqlite('raw', synchronous)] : [await freshMysql(mysqlUrl!, 'store'), await freshMysql(mysqlUrl!, 'raw')];
  const [storeDb, rawDb] = dbs as [FreshDatabase<StoreConnection>, FreshDatabase<StoreConnection>];
  const sides: Side[] = [];
  try {
    for (const db of dbs) {
      const s = openStore(db.connection);
      await s.migrate(gratiaMigrations);
      await s.close();
    }
    const store = storeSide(openStore(storeDb.connection));
    sides.push(store);
    const raw = rawDb.connection.interface === 'sqlite' ? rawSqliteSide(rawDb.connection.file, synchronous) : rawMysqlSide(rawDb.connection);
    sides.push(raw);

    let reported = 0;
    const inserts = await measureInserts(store, raw, o, (done) => {
      if (done - reported >= o.rows / 10 || done === o.rows) {
        reported = done;
        process.stderr.write(`  ${backend}: ${formatCount(done)} of ${formatCount(o.rows)} rows inserted on each side\n`);
      }
    });
    for (const side of [store, raw]) {
      const [count] = await side.query(`SELECT count(*) AS n FROM ${TABLE}`, []);
      if (Number(count!.n) !== o.rows) throw new Error(`expected ${o.rows} rows after the inserts, found ${String(count!.n)}`);
    }
    const results = [inserts];
    for (const q of QUERIES) results.push(await measureQuery(backend, q, store, raw, o));
    return results;
  } finally {
    for (const side of sides) await side.close();
    for (const db of dbs) await db.dispose();
  }
}

export const benchmark: Benchmark = {
  description: 'MasterSummaryData inserts and a 14-day grouped query: store vs raw driver (--rows N --batch N --repeat N)',
  async run(args) {
    const o = integerOptions(args, { rows: 1_000_000, batch: 10_000, repeat: 7 });
    if (o.rows < 1 || o.batch < 1 || o.repeat < 1) throw new Error('--rows, --batch and --repeat must be at least 1');
    const mysqlUrl = benchMysqlUrl();
    const backends = mysqlUrl ? (['sqlite', 'mysql'] as const) : (['sqlite'] as const);
    console.log(`store benchmark: ${formatCount(o.rows)} MasterSummaryData rows over ${DAYS} days, ${formatCount(o.batch)} per insert call; query times are the median of ${o.repeat}`);
    if (!mysqlUrl) console.log('MariaDB skipped: set APPLIANCE_BENCH_MYSQL (or APPLIANCE_TEST_MYSQL) to mysql://USER:PASSWORD@HOST:PORT/DATABASE');

    const table: string[][] = [['backend', 'work', 'rows', 'store', 'store rate', 'raw driver', 'raw rate', 'store/raw']];
    const misses: string[] = [];
    // SQLite runs under both sync settings in this one run, so the cost of the durable default is visible.
    const runs = backends.flatMap((b): { backend: 'sqlite' | 'mysql'; sync?: SqliteSynchronous }[] => (b === 'sqlite' ? SQLITE_SETTINGS.map((sync) => ({ backend: b, sync })) : [{ backend: b }]));
    const insertRate = new Map<string, number>();
    for (const { backend, sync } of runs) {
      const label = sync ? `${backend} synchronous=${sync}${sync === 'full' ? ' (default)' : ''}` : backend;
      for (const m of await runBackend(backend, o, mysqlUrl, sync)) {
        const ratio = m.storeMs / m.rawMs;
        if (ratio > TARGET_RATIO) misses.push(`${label} ${m.what}: ${ratio.toFixed(2)}`);
        if (m.what.startsWith('insert') && sync) insertRate.set(sync, m.rows / m.storeMs);
        table.push([label, m.what, formatCount(m.rows), formatMs(m.storeMs), formatRate(m.rows, m.storeMs), formatMs(m.rawMs), formatRate(m.rows, m.rawMs), ratio.toFixed(2)]);
      }
    }
    console.log('');
    printTable(table);
    console.log('');
    const [full, normal] = [insertRate.get('full'), insertRate.get('normal')];
    if (full && normal) console.log(`durability: SQLite store inserts at synchronous=full run at ${(full / normal).toFixed(2)} x the rate of synchronous=normal (the previous default)`);
    console.log(misses.length ? `target store/raw <= ${TARGET_RATIO} MISSED: ${misses.join('; ')}` : `target store/raw <= ${TARGET_RATIO}: met`);
  },
};
