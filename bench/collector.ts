/**
 * `npm run bench -- collector`: ingest rates through the HTTP endpoints beside the raw store insert rate of the
 * same samples in the same run. Each ingest path is one section (`SECTIONS`); adding a path is one entry there.
 */
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { accessMigrations, createAccess, usersClassType } from '../access/index.js';
import {
  collectorMigrations, createCollector, createLineProtocolRouter, defaultCollectorSettings, readRecords, RECORD_COLUMNS, recordRow, recordSample,
  SAMPLE_COLUMNS, sampleRow,
} from '../collector/index.js';
import { packageRoot, silentLogger } from '../common/index.js';
import { createServer } from '../graph-server/index.js';
import { openStore, type SqliteSynchronous, type SqlValue, type Store, type StoreConnection } from '../store/index.js';
import { integerOptions, type Benchmark } from './support/benchmark.js';
import { benchMysqlUrl, freshMysql, freshSqlite, SQLITE_SETTINGS } from './support/databases.js';
import { formatCount, formatMs, printTable, quantile } from './support/timing.js';
import { LINES_PER_REQUEST } from './collector/line-protocol-lines.js';
import { postLoadInWorker } from './collector/load-in-worker.js';
import { benchRecords } from './collector/records.js';

/** Targets from the collector issue. */
const BATCHED_TARGET_RATIO = 0.5;
const SINGLE_TARGET_RPS = 3_000;
const CONCURRENCY = 16;
/** The module the load worker takes request bodies from. */
const RECORDS = new URL('./collector/records.ts', import.meta.url).href;
const LINES = new URL('./collector/line-protocol-lines.ts', import.meta.url).href;

type Options = Record<'records' | 'single' | 'raw' | 'lines', number>;

/** What a section gets: the running app, its store, the options, and the raw insert rate of this backend. */
export interface SectionContext {
  url: string;
  store: Store;
  options: Options;
  /** Sample rows per second through `store.insertMany`. */
  rawRowsPerSecond: number;
  /** Records per second stored raw: each its `probe_records` row and its sample row, as the record path writes them. */
  rawRecordsPerSecond: number;
}

/** One measured line of the report. */
export interface SectionResult {
  work: string;
  items: number;
  unit: string;
  ms: number;
  p99Ms: number;
  /** The rate over the baseline it is held to (default: the raw sample-row rate). */
  ratio?: number;
  /** The target this line is held to, and whether it was met. */
  target?: { text: string; met: boolean };
}

export interface Section {
  name: string;
  run(ctx: SectionContext): Promise<SectionResult>;
}

/** The ingest paths measured, in order. */
export const SECTIONS: Section[] = [
  {
    name: 'records, 1,000 per request',
    // Held to the raw insert of the same rows (probe record + sample per record), not of sample rows alone.
    async run({ url, options, rawRecordsPerSecond }) {
      const requests = Math.max(1, Math.floor(options.records / 1000));
      const r = await postLoadInWorker({ url: `${url}/rsv/records`, count: requests, concurrency: CONCURRENCY, contentType: 'text/plain', bodyModule: RECORDS, bodyExport: 'benchRecordThousand', offset: 10_000 });
      const rate = (requests * 1000 * 1000) / r.ms;
      return {
        work: this.name, items: requests * 1000, unit: 'records', ms: r.ms, p99Ms: quantile(r.latencies, 0.99),
        ratio: rate / rawRecordsPerSecond,
        target: { text: `>= ${BATCHED_TARGET_RATIO} x raw records`, met: rate >= BATCHED_TARGET_RATIO * rawRecordsPerSecond },
      };
    },
  },
  {
    name: 'records, 1 per request',
    async run({ url, options }) {
      const r = await postLoadInWorker({ url: `${url}/rsv/records`, count: options.single, concurrency: CONCURRENCY, contentType: 'text/plain', bodyModule: RECORDS, bodyExport: 'benchRecord', offset: 50_000_000 });
      const rps = (options.single * 1000) / r.ms;
      return {
        work: this.name, items: options.single, unit: 'requests', ms: r.ms, p99Ms: quantile(r.latencies, 0.99),
        target: { text: `>= ${formatCount(SINGLE_TARGET_RPS)} requests/s`, met: rps >= SINGLE_TARGET_RPS },
      };
    },
  },
  {
    name: 'line protocol, 5,000 lines per POST /write',
    async run({ url, options, rawRowsPerSecond }) {
      const requests = Math.max(1, Math.floor(options.lines / LINES_PER_REQUEST));
      const r = await postLoadInWorker({ url: `${url}/write?db=telegraf&precision=s`, count: requests, concurrency: CONCURRENCY, contentType: 'text/plain; charset=utf-8', bodyModule: LINES, bodyExport: 'benchLineProtocolBatch', offset: 0 });
      const rate = (requests * LINES_PER_REQUEST * 1000) / r.ms;
      return {
        work: this.name, items: requests * LINES_PER_REQUEST, unit: 'lines', ms: r.ms, p99Ms: quantile(r.latencies, 0.99),
        target: { text: `>= ${BATCHED_TARGET_RATIO} x raw`, met: rate >= BATCHED_TARGET_RATIO * rawRowsPerSecond },
      };
    },
  },
];

const RAW_COLUMNS = ['id', 'node', 'metric', 'time', 'value', 'source', 'summary', 'details'];
const RAW_RECORD_FIRST = 200_000_000;

/** The raw store insert rate: the same sample rows through `store.insertMany`, 1,000 per call, into a scratch copy of the table. */
async function rawInsertRate(store: Store, rows: number): Promise<number> {
  await store.execute('DELETE FROM samples');
  const start = performance.now();
  for (let done = 0; done < rows; done += 1000) {
    const batch: SqlValue[][] = [];
    for (let i = done; i < Math.min(rows, done + 1000); i++) {
      batch.push([900_000_000 + i, `ce${i % 500}.example.edu`, 'org.osg.general.ping-host', new Date(Date.UTC(2026, 0, 1) + i * 1000), i % 4, 'rsv', `OK: probe ${i}`, `Host ce${i % 500} answered\nsecond line`]);
    }
    await store.insertMany('samples', RAW_COLUMNS, batch);
  }
  const ms = performance.now() - start;
  await store.execute('DELETE FROM samples');
  return (rows * 1000) / ms;
}

/**
 * The raw store insert rate of records: the rows the record path writes for each record (its `probe_records` row,
 * raw text and key included, and its sample row), built beforehand by the collector's own parser, then inserted
 * 1,000 records per transaction with `insertMany`. Only the inserts are timed.
 */
async function rawRecordRate(store: Store, records: number): Promise<number> {
  await store.execute('DELETE FROM probe_records');
  await store.execute('DELETE FROM samples');
  const now = new Date();
  const batches: { records: SqlValue[][]; samples: SqlValue[][] }[] = [];
  for (let done = 0; done < records; done += 1000) {
    const keyed = readRecords(Buffer.from(benchRecords(RAW_RECORD_FIRST + done, Math.min(1000, records - done))), {
      format: 'wlcg', query: {}, now, maxRecords: 1000, detailsTrimLength: 10_000, defaultGatheredAt: 'bench',
    });
    const ids = keyed.map((_, i) => 900_000_000 + done + i);
    batches.push({ records: keyed.map((k, i) => recordRow(k, now, ids[i]!)), samples: keyed.map((k, i) => sampleRow(recordSample(k.record, ids[i]!))) });
  }
  const start = performance.now();
  for (const b of batches) {
    await store.transaction(async (tx) => {
      await tx.insertMany('probe_records', RECORD_COLUMNS, b.records);
      await tx.insertMany('samples', SAMPLE_COLUMNS, b.samples);
    });
  }
  const ms = performance.now() - start;
  await store.execute('DELETE FROM probe_records');
  await store.execute('DELETE FROM samples');
  return (records * 1000) / ms;
}

/**
 * The machine's ceiling for the single-record line: a bare `node:http` server that reads each body and answers 200 with
 * no work, under the same load (same worker, bodies, concurrency). The 3,000/s target is absolute; this says how much
 * of it the machine leaves for the appliance on the day.
 */
async function bareHttpRate(count: number): Promise<{ rps: number; p99Ms: number }> {
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"received":1,"accepted":1,"duplicates":0}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rsv/records`;
    const r = await postLoadInWorker({ url, count, concurrency: CONCURRENCY, contentType: 'text/plain', bodyModule: RECORDS, bodyExport: 'benchRecord', offset: 0 });
    return { rps: (count * 1000) / r.ms, p99Ms: quantile(r.latencies, 0.99) };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

async function runBackend(backend: string, connection: StoreConnection, o: Options): Promise<string[][]> {
  const store = openStore(connection);
  await store.migrate([...accessMigrations, ...collectorMigrations]);
  const access = createAccess({ store, settings: usersClassType.defaults() });
  const registry = new Registry();
  // The load client is anonymous on loopback, as a probe on the host is; the exemption is off by default now.
  const collector = createCollector({ store, access, registry, settings: { ...defaultCollectorSettings(), allowLoopbackWrites: true }, cleanUpIntervalMs: 0 });
  const app = createServer({
    logger: silentLogger, metrics: registry, access, viewsDir: join(packageRoot(), 'views'),
    health: async () => ({ status: 'ok' }), home: async () => [], reload: async () => ({ applied: true, issues: [] }), routers: [collector.router(), createLineProtocolRouter({ sink: collector.repository })],
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rows: string[][] = [];
  try {
    process.stderr.write(`  ${backend}: raw store insert of ${formatCount(o.raw)} sample rows\n`);
    const raw = await rawInsertRate(store, o.raw);
    rows.push([backend, 'raw store insert (1,000 per call)', formatCount(o.raw), `${formatCount(raw)} rows/s`, '', '', '']);
    process.stderr.write(`  ${backend}: raw store insert of ${formatCount(o.raw)} records (probe record + sample rows)\n`);
    const rawRecords = await rawRecordRate(store, o.raw);
    rows.push([backend, 'raw insert of records (probe record + sample)', formatCount(o.raw), `${formatCount(rawRecords)} records/s`, (rawRecords / raw).toFixed(2), '', '']);
    for (const section of SECTIONS) {
      process.stderr.write(`  ${backend}: ${section.name}\n`);
      const r = await section.run({ url, store, options: o, rawRowsPerSecond: raw, rawRecordsPerSecond: rawRecords });
      const rate = (r.items * 1000) / r.ms;
      const target = r.target ? `${r.target.text}: ${r.target.met ? 'met' : 'MISSED'}` : '';
      rows.push([backend, r.work, formatCount(r.items), `${formatCount(rate)} ${r.unit}/s`, (r.ratio ?? rate / raw).toFixed(2), formatMs(r.p99Ms), target]);
    }
  } finally {
    await collector.stop();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await store.close();
  }
  return rows;
}

/** Per measured line, the rate at synchronous=full over the rate at normal, from the table's rows. */
function durabilityCost(table: readonly string[][]): string {
  const rate = (row: readonly string[]) => Number(row[3]!.replace(/[^\d.]/g, ''));
  const parts: string[] = [];
  for (const full of table.filter((r) => r[0] === 'sqlite full (default)')) {
    const normal = table.find((r) => r[0] === 'sqlite normal' && r[1] === full[1]);
    if (normal) parts.push(`${full[1]}: ${(rate(full) / rate(normal)).toFixed(2)}`);
  }
  return `durability: SQLite rate at synchronous=full (default) / at synchronous=normal (previous default): ${parts.join('; ')}`;
}

export const benchmark: Benchmark = {
  description: 'collector ingest over HTTP (RSV records batched and one per request, line protocol 5,000 lines per request) vs the raw store insert rates of sample rows and of records (--records N --single N --lines N --raw N)',
  async run(args) {
    const o = integerOptions(args, { records: 100_000, single: 20_000, lines: 100_000, raw: 100_000 });
    if (o.records < 1000 || o.single < 1 || o.raw < 1000 || o.lines < LINES_PER_REQUEST) throw new Error(`--records and --raw need at least 1000, --lines at least ${LINES_PER_REQUEST}, --single at least 1`);
    const mysqlUrl = benchMysqlUrl();
    console.log(`collector benchmark: keep-alive HTTP, concurrency ${CONCURRENCY}; the client runs in a worker thread`);
    if (!mysqlUrl) console.log('MariaDB skipped: set APPLIANCE_BENCH_MYSQL (or APPLIANCE_TEST_MYSQL) to mysql://USER:PASSWORD@HOST:PORT/DATABASE');
    const table: string[][] = [['backend', 'work', 'items', 'rate', 'rate/raw', 'p99 latency', 'target']];
    process.stderr.write('  machine: bare node:http server, 1 request per record, no work\n');
    const bare = await bareHttpRate(o.single);
    table.push(['(peer) node:http', 'bare answer, 1 per request, no work', formatCount(o.single), `${formatCount(bare.rps)} requests/s`, '', formatMs(bare.p99Ms), '']);
    // SQLite under both sync settings in this one run, so the cost of the durable default is visible beside the old one.
    const runs: { backend: 'sqlite' | 'mysql'; sync?: SqliteSynchronous }[] = SQLITE_SETTINGS.map((sync) => ({ backend: 'sqlite' as const, sync }));
    if (mysqlUrl) runs.push({ backend: 'mysql' });
    for (const { backend, sync } of runs) {
      const db = backend === 'sqlite' ? freshSqlite('collector', sync) : await freshMysql(mysqlUrl!, 'collector');
      const label = sync ? `sqlite ${sync}${sync === 'full' ? ' (default)' : ''}` : backend;
      try {
        table.push(...(await runBackend(label, db.connection, o)));
      } finally {
        await db.dispose();
      }
    }
    console.log('');
    printTable(table);
    console.log('');
    console.log(durabilityCost(table));
    const single = table.filter((r) => r[1] === 'records, 1 per request').map((r) => `${r[0]} ${(Number(r[3]!.replace(/[^\d.]/g, '')) / bare.rps).toFixed(2)}`);
    console.log(`single-record requests / bare node:http on the same load (the machine's ceiling today, ${formatCount(bare.rps)}/s): ${single.join('; ')}`);
  },
};
