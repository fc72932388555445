/** `npm run bench -- queue`: the work queue's full cycle (enqueue, claim, complete in batches) vs the raw driver's single-row insert, enqueue-to-claim latency, and enqueue cost by queue depth. */
import type Database from 'better-sqlite3';
import type mysql from 'mysql2/promise';
import { silentLogger } from '../common/index.js';
import { createConsumer, createQueue, queueMigrations } from '../queue/index.js';
import { openStore, type Store, type StoreConnection } from '../store/index.js';
import { integerOptions, type Benchmark } from './support/benchmark.js';
import { benchMysqlUrl, freshMysql, freshSqlite, rawMysqlPool, rawSqliteDatabase, type FreshDatabase } from './support/databases.js';
import { formatCount, formatMs, nowMs, printTable, quantile } from './support/timing.js';

/** A cycle is three writes (enqueue, claim, complete): the issue asks for at least this share of one raw insert's rate. */
const CYCLE_TARGET_RATIO = 0.3;
const LATENCY_TARGET_MS = 20;
/** A deep queue may make a one-item enqueue at most this much slower than an empty one (the limit check reads one row). */
const DEPTH_TARGET_RATIO = 2;
/** Rows per enqueue while filling the deep queue. */
const FILL_BATCH = 1_000;
const BATCH = 100;
/** The latency consumer's poll: only the in-process wake-up can make its claim quick. */
const IDLE_POLL_MS = 60_000;

interface Options {
  items: number;
  raw: number;
  latency: number;
  depth: number;
  enqueues: number;
}

/** Rows per second of one-row INSERTs, each its own autocommit transaction, straight through the driver. */
async function rawInsertRate(connection: StoreConnection, n: number): Promise<number> {
  const payload = JSON.stringify({ node: 'wn-001.example.org', check: 'disk', n: 0 });
  if (connection.interface === 'sqlite') {
    const db: Database.Database = rawSqliteDatabase(connection.file);
    db.exec('CREATE TABLE raw_items (id INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL, created_at INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO raw_items (queue, payload, state, created_at) VALUES (?, ?, ?, ?)');
    const start = nowMs();
    for (let i = 0; i < n; i++) insert.run('bench', payload, 'queued', Date.now());
    const ms = nowMs() - start;
    db.close();
    return (n * 1000) / ms;
  }
  const pool: mysql.Pool = rawMysqlPool(connection);
  await pool.query('CREATE TABLE raw_items (id BIGINT AUTO_INCREMENT PRIMARY KEY, queue VARCHAR(64) NOT NULL, payload MEDIUMTEXT NOT NULL, state VARCHAR(8) NOT NULL, created_at BIGINT NOT NULL) ENGINE=InnoDB');
  const start = nowMs();
  for (let i = 0; i < n; i++) await pool.query('INSERT INTO raw_items (queue, payload, state, created_at) VALUES (?, ?, ?, ?)', ['bench', payload, 'queued', Date.now()]);
  const ms = nowMs() - start;
  await pool.end();
  return (n * 1000) / ms;
}

/** Items per second through enqueue (BATCH per call), claim (BATCH per claim) and complete (one call per claim). */
async function cycleRate(store: Store, n: number): Promise<number> {
  const queue = createQueue<{ n: number }>({ store, name: 'cycle', limit: n + BATCH });
  const start = nowMs();
  for (let i = 0; i < n; i += BATCH) {
    await queue.enqueue(Array.from({ length: Math.min(BATCH, n - i) }, (_, k) => ({ payload: { n: i + k }, partition: `node-${(i + k) % 50}` })), new Date());
  }
  for (let done = 0; done < n; ) {
    const items = await queue.claim('bench', BATCH, 60_000, new Date());
    if (!items.length) throw new Error(`the queue ran dry after ${done} of ${n} items`);
    done += await queue.complete(items, new Date());
  }
  return (n * 1000) / (nowMs() - start);
}

/** Milliseconds from calling enqueue to the idle consumer's handler starting, one item at a time. */
async function enqueueToClaim(store: Store, samples: number): Promise<number[]> {
  const queue = createQueue<{ i: number }>({ store, name: 'latency' });
  let arrived: ((at: number) => void) | undefined;
  const logger = { ...silentLogger, warn: (message: string, fields?: Record<string, unknown>) => process.stderr.write(`  warning: ${message} ${JSON.stringify(fields ?? {})}\n`) };
  // Idle means the loop armed its minute's poll: after a batch it claims once more (empty) before that, and an
  // enqueue meanwhile would measure that claim, not the wake-up.
  let idle: (() => void) | undefined;
  const scheduler = {
    setTimeout: (fn: () => void, ms: number) => {
      if (ms === IDLE_POLL_MS) idle?.();
      return setTimeout(fn, ms);
    },
    clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
  };
  const wentIdle = () => new Promise<void>((resolve) => (idle = resolve));
  const consumer = createConsumer({ queue, owner: 'bench', pollMs: IDLE_POLL_MS, scheduler, logger, handler: async () => arrived?.(nowMs()) });
  let ready = wentIdle();
  consumer.start();
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      await ready;
      ready = wentIdle();
      const handled = new Promise<number>((resolve) => (arrived = resolve));
      const start = nowMs();
      await queue.enqueue([{ payload: { i } }], new Date());
      times.push((await handled) - start);
    }
    await ready;
  } finally {
    await consumer.stop();
  }
  return times;
}

/**
 * p50 milliseconds of a one-item enqueue (its own transaction) into an empty queue and into one filled to `depth`,
 * `samples` of each, alternating: both then run under the same background load (MariaDB flushing the fill's pages
 * slowed whichever was measured right after it 3-fold), and in one table of `depth` rows, so what differs is the depth.
 */
async function enqueueByDepth(store: Store, depth: number, samples: number): Promise<{ empty: number; deep: number }> {
  const empty = createQueue<{ n: number }>({ store, name: 'empty', limit: samples });
  const deep = createQueue<{ n: number }>({ store, name: 'deep', limit: depth + samples });
  for (let i = 0; i < depth; i += FILL_BATCH) {
    await deep.enqueue(Array.from({ length: Math.min(FILL_BATCH, depth - i) }, (_, k) => ({ payload: { n: i + k } })), new Date());
  }
  const times = { empty: [] as number[], deep: [] as number[] };
  for (let i = 0; i < samples; i++) {
    for (const [key, queue] of [['empty', empty], ['deep', deep]] as const) {
      const start = nowMs();
      await queue.enqueue([{ payload: { n: i } }], new Date());
      times[key].push(nowMs() - start);
    }
  }
  return { empty: quantile(times.empty, 0.5), deep: quantile(times.deep, 0.5) };
}

const HEADER = ['backend', 'work', 'items', 'rate', 'rate/raw', 'target'];

async function runBackend(label: string, db: FreshDatabase<StoreConnection>, o: Options): Promise<{ misses: string[] }> {
  process.stderr.write(`  ${label}: raw single-row inserts (${formatCount(o.raw)})\n`);
  const raw = await rawInsertRate(db.connection, o.raw);
  const store = openStore(db.connection);
  try {
    await store.migrate(queueMigrations);
    process.stderr.write(`  ${label}: full cycle of ${formatCount(o.items)} items\n`);
    const cycle = await cycleRate(store, o.items);
    process.stderr.write(`  ${label}: enqueue to claim, ${o.latency} samples\n`);
    const latency = await enqueueToClaim(store, o.latency);
    process.stderr.write(`  ${label}: one-item enqueues at depth 0 and ${formatCount(o.depth)}, ${o.enqueues} each\n`);
    const { empty: shallow, deep } = await enqueueByDepth(store, o.depth, o.enqueues);
    const p99 = quantile(latency, 0.99);
    const ratioMet = cycle >= CYCLE_TARGET_RATIO * raw;
    const latencyMet = p99 <= LATENCY_TARGET_MS;
    const depthMet = deep <= DEPTH_TARGET_RATIO * shallow;
    const misses = [
      ...(ratioMet ? [] : [`${label} cycle/raw ${(cycle / raw).toFixed(2)}`]),
      ...(latencyMet ? [] : [`${label} p99 ${formatMs(p99)}`]),
      ...(depthMet ? [] : [`${label} enqueue at depth ${formatCount(o.depth)} ${(deep / shallow).toFixed(2)} x depth 0`]),
    ];
    const rows = [
        [label, 'raw driver single-row insert', formatCount(o.raw), `${formatCount(raw)} rows/s`, '', ''],
        [label, `queue cycle (batches of ${BATCH})`, formatCount(o.items), `${formatCount(cycle)} items/s`, (cycle / raw).toFixed(2), `>= ${CYCLE_TARGET_RATIO} x raw: ${ratioMet ? 'met' : 'MISSED'}`],
        [label, 'enqueue to claim, idle consumer', String(o.latency), `p50 ${formatMs(quantile(latency, 0.5))}, p99 ${formatMs(p99)}`, '', `p99 <= ${LATENCY_TARGET_MS} ms: ${latencyMet ? 'met' : 'MISSED'}`],
        [label, `one-item enqueue, empty queue (<= ${o.enqueues})`, String(o.enqueues), `p50 ${formatMs(shallow)}`, '', ''],
        [label, `one-item enqueue at depth ${formatCount(o.depth)}`, String(o.enqueues), `p50 ${formatMs(deep)}`, `${(deep / shallow).toFixed(2)} x empty`, `<= ${DEPTH_TARGET_RATIO} x empty: ${depthMet ? 'met' : 'MISSED'}`],
    ];
    // Printed as soon as measured, so a backend's figures are out before its store closes.
    printTable([HEADER, ...rows]);
    return { misses };
  } finally {
    await store.close();
  }
}

export const benchmark: Benchmark = {
  description:
    'work queue full cycle (enqueue, claim, complete in batches) vs the raw driver single-row insert rate, enqueue-to-claim p99, and one-item enqueue at depth 0 vs --depth (--items N --raw N --latency N --depth N --enqueues N)',
  async run(args) {
    const o = integerOptions(args, { items: 20_000, raw: 5_000, latency: 300, depth: 100_000, enqueues: 200 });
    if (o.items < BATCH || o.raw < 100 || o.latency < 10 || o.enqueues < 10) throw new Error(`--items needs at least ${BATCH}, --raw at least 100, --latency and --enqueues at least 10`);
    const mysqlUrl = benchMysqlUrl();
    console.log(`queue benchmark: ${BATCH} items per enqueue, claim and complete; the raw side is one autocommit INSERT per row`);
    if (!mysqlUrl) console.log('MariaDB skipped: set APPLIANCE_BENCH_MYSQL (or APPLIANCE_TEST_MYSQL) to mysql://USER:PASSWORD@HOST:PORT/DATABASE');
    const misses: string[] = [];
    const backends: [string, () => Promise<FreshDatabase<StoreConnection>>][] = [['sqlite', async () => freshSqlite('queue')]];
    // MariaDB first: closing the SQLite store did not return when this was written (its WAL checkpointer's close), and the process then ends without the rest.
    if (mysqlUrl) backends.unshift(['mysql', () => freshMysql(mysqlUrl, 'queue')]);
    for (const [label, create] of backends) {
      const db = await create();
      try {
        const r = await runBackend(label, db, o);
        misses.push(...r.misses);
      } finally {
        await db.dispose();
      }
    }
    console.log(
      misses.length
        ? `target queue MISSED: ${misses.join('; ')}`
        : `target cycle >= ${CYCLE_TARGET_RATIO} x raw insert, enqueue-to-claim p99 <= ${LATENCY_TARGET_MS} ms and enqueue at depth ${formatCount(o.depth)} <= ${DEPTH_TARGET_RATIO} x enqueue at depth 0: met`,
    );
  },
};
