/** Seeds a migrated store with deterministic demo accounting data: job records and their daily summary. */
import { createHash } from 'node:crypto';
import { AppError, toSqlDateTime } from '../../common/index.js';
import { MASTER_SUMMARY_DIMENSIONS, MASTER_SUMMARY_MEASURES } from '../gratia-schema.js';
import type { Queryable, SqlValue, Store, UpsertAction } from '../types.js';
import { DEMO_RESOURCE_TYPES, generateJobs, type DemoJob, type DemoResourceType, type DemoWindow } from './jobs.js';
import { writeReference } from './reference.js';
import { probeSystem } from './sites.js';
import { SUMMARY_COLUMNS, summarize } from './summary.js';

/** What `seedDemoData` takes; every field has a default. */
export interface DemoOptions {
  /** Calendar days to fill, ending with today (UTC). Default 30. */
  days?: number;
  /** Multiplies the job counts (0.1 for a quick test, 10 for a benchmark). Default 1: about 35 000 jobs in 30 days. */
  scale?: number;
  /** Same seed and same `now` give identical rows. Default 1. */
  seed?: number | string;
  /** The end of the data; nothing ends after it. Default: the current time. */
  now?: Date;
}

/** The tables the demo writes, in the order it writes them. */
export const DEMO_TABLES = [
  'Site', 'Probe', 'VO', 'VONameCorrection', 'ProjectNameCorrection',
  'JobUsageRecord', 'JobUsageRecord_Meta', 'Resource', 'Memory', 'MasterSummaryData',
] as const;
export type DemoTable = (typeof DEMO_TABLES)[number];

/** What a seeding added. */
export interface DemoSummary {
  seed: string;
  days: number;
  scale: number;
  /** UTC midnight of the first day. */
  start: Date;
  /** The `now` the data ends at (whole seconds). */
  end: Date;
  /** Rows added per table (reference rows that already existed are reused, not counted). */
  rows: Record<DemoTable, number>;
  /** Job records per resource type. */
  jobs: Record<DemoResourceType, number>;
}

/** `JobUsageRecord_Meta.recordId` prefix that marks demo records, so a second seeding can see the first. */
export const DEMO_RECORD_PREFIX = 'fabric-demo:';

const JUR_COLUMNS = [
  'dbid', 'ResourceType', 'GlobalJobId', 'LocalJobId', 'LocalUserId', 'GlobalUsername', 'VOName', 'ReportableVOName',
  'CommonName', 'KeyInfoContent', 'Status', 'WallDuration', 'CpuUserDuration', 'CpuSystemDuration', 'NodeCount', 'Njobs',
  'Processors', 'StartTime', 'EndTime', 'MachineName', 'SubmitHost', 'Queue', 'ProjectName', 'Host', 'HostDescription',
] as const;
const META_COLUMNS = ['dbid', 'recordId', 'CreateTime', 'ProbeName', 'probeid', 'SiteName', 'ReportedSiteName', 'Grid', 'ServerDate', 'md5v2'] as const;
const RESOURCE_COLUMNS = ['dbid', 'Value', 'Description'] as const;
const MEMORY_COLUMNS = ['dbid', 'Value', 'StorageUnit', 'Metrics', 'Type'] as const;
const SUM_MEASURES: Record<string, UpsertAction> = Object.fromEntries(MASTER_SUMMARY_MEASURES.map((m) => [m, 'sum']));

const MAX_DAYS = 3660;
const MAX_SCALE = 100;

function normalize(options: DemoOptions): { days: number; scale: number; seed: string; now: Date } {
  const { days = 30, scale = 1, seed = 1, now = new Date() } = options;
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new AppError('bad_request', `demo data: days must be a whole number from 1 to ${MAX_DAYS}, got ${String(days)}`, { field: 'days' });
  }
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) {
    throw new AppError('bad_request', `demo data: scale must be a number above 0 and at most ${MAX_SCALE}, got ${String(scale)}`, { field: 'scale' });
  }
  const seedText = String(seed).trim();
  if ((typeof seed === 'number' && !Number.isFinite(seed)) || seedText === '' || seedText.length > 64) {
    throw new AppError('bad_request', 'demo data: seed must be a finite number or a text of 1 to 64 characters', { field: 'seed' });
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new AppError('bad_request', 'demo data: now must be a valid date', { field: 'now' });
  }
  return { days, scale, seed: seedText, now };
}

/** How many demo job records the store holds. */
export async function countDemoRecords(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM JobUsageRecord_Meta WHERE recordId LIKE ?', [`${DEMO_RECORD_PREFIX}%`]);
  return Number(rows[0]?.n ?? 0);
}

/** Whether a store already holds demo data (`seedDemoData` refuses to add it twice). */
export async function hasDemoData(store: Queryable): Promise<boolean> {
  return (await countDemoRecords(store)) > 0;
}

const sqlTime = (epochSeconds: number) => toSqlDateTime(new Date(epochSeconds * 1000));

/**
 * Fills an already-migrated store with deterministic, realistic Gratia data for the `days` days up to `now`: sites,
 * probes (two of them silent), 20 VOs plus `Unknown`/`other` with name corrections, projects, `Batch`, `BatchPilot`
 * and `OneVM` job records with their Meta and child rows, and MasterSummaryData as Gratia's `add_JUR_to_summary`
 * builds it from them. All of it is one transaction. Reference rows already in the store are reused.
 *
 * Not idempotent by design: a store that already holds demo data is refused with a `conflict` AppError, because the
 * summary adds up and a second run would double every graph.
 */
export async function seedDemoData(store: Store, options: DemoOptions = {}): Promise<DemoSummary> {
  const o = normalize(options);
  const now = Math.floor(o.now.getTime() / 1000);
  const window: DemoWindow = { days: o.days, scale: o.scale, now, firstDay: Math.floor(now / 86_400) * 86_400 - (o.days - 1) * 86_400 };
  // Everything happens inside the transaction (the random streams too), so a retried transaction writes the same rows.
  return store.transaction(async (tx) => {
    const existing = await countDemoRecords(tx);
    if (existing > 0) {
      throw new AppError(
        'conflict',
        `the store already holds demo data (${existing} job records); demo data is seeded once: use a new data directory or an empty database to seed again`,
        { records: existing },
      );
    }
    const ref = await writeReference(tx, now);
    const rows = Object.fromEntries(DEMO_TABLES.map((t) => [t, 0])) as Record<DemoTable, number>;
    Object.assign(rows, ref.added);
    const jobCounts = Object.fromEntries(DEMO_RESOURCE_TYPES.map((t) => [t, 0])) as Record<DemoResourceType, number>;
    const perProbe = new Map<string, number>();

    const [max] = await tx.query<{ m: number | null }>(
      'SELECT GREATEST((SELECT COALESCE(MAX(dbid), 0) FROM JobUsageRecord), (SELECT COALESCE(MAX(dbid), 0) FROM JobUsageRecord_Meta)) AS m',
    );
    let dbid = Number(max?.m ?? 0);
    let sequence = 0;
    for (const { jobs } of generateJobs(o.seed, window)) {
      const jur: SqlValue[][] = [];
      const meta: SqlValue[][] = [];
      const resource: SqlValue[][] = [];
      const memory: SqlValue[][] = [];
      for (const j of jobs) {
        dbid += 1;
        sequence += 1;
        jur.push(jobRow(dbid, j));
        meta.push(metaRow(dbid, j, `${DEMO_RECORD_PREFIX}${o.seed}:${sequence}`, ref.probeId.get(j.probe.name)!, now, sequence));
        resource.push(...resourceRows(dbid, j));
        if (j.memoryKb !== null) memory.push([dbid, j.memoryKb, 'KB', j.resourceType === 'OneVM' ? 'total' : 'max', 'RSS']);
        jobCounts[j.resourceType] += 1;
        perProbe.set(j.probe.name, (perProbe.get(j.probe.name) ?? 0) + 1);
      }
      await tx.insertMany('JobUsageRecord', JUR_COLUMNS, jur);
      await tx.insertMany('JobUsageRecord_Meta', META_COLUMNS, meta);
      await tx.insertMany('Resource', RESOURCE_COLUMNS, resource);
      await tx.insertMany('Memory', MEMORY_COLUMNS, memory);
      // Each day's rows have their own EndTime, so a day's summary never meets another day's in memory.
      const summary = summarize(jobs, ref);
      await tx.upsert('MasterSummaryData', SUMMARY_COLUMNS, summary, { key: MASTER_SUMMARY_DIMENSIONS, update: SUM_MEASURES });
      rows.JobUsageRecord += jur.length;
      rows.JobUsageRecord_Meta += meta.length;
      rows.Resource += resource.length;
      rows.Memory += memory.length;
      rows.MasterSummaryData += summary.length;
    }
    for (const [probe, n] of perProbe) {
      // One connection per ~25 records, as probes send records in bundles.
      await tx.execute('UPDATE Probe SET nRecords = nRecords + ?, nConnections = nConnections + ? WHERE probeid = ?', [
        n, Math.ceil(n / 25), ref.probeId.get(probe)!,
      ]);
    }
    return { seed: o.seed, days: o.days, scale: o.scale, start: new Date(window.firstDay * 1000), end: new Date(now * 1000), rows, jobs: jobCounts };
  });
}

function jobRow(dbid: number, j: DemoJob): SqlValue[] {
  return [
    dbid, j.resourceType, j.globalJobId, j.localJobId, j.localUserId, j.globalUsername, j.correction.voName,
    j.correction.reportable, j.commonName, j.keyInfo, String(j.exitCode), j.wall, j.cpuUser, j.cpuSystem, 1, 1,
    j.processors, sqlTime(j.start), sqlTime(j.end), j.machineName, j.submitHost, j.queue, j.project, j.host, j.hostDescription,
  ];
}

function metaRow(dbid: number, j: DemoJob, recordId: string, probeid: number, now: number, sequence: number): SqlValue[] {
  // The collector received the record a few minutes after the job ended (and never after `now`).
  const received = sqlTime(Math.min(j.end + 120 + ((sequence * 7919) % 3300), now));
  const md5 = createHash('md5').update(`${recordId}|${j.globalJobId}|${j.end}`).digest('hex');
  return [dbid, recordId, received, j.probe.name, probeid, j.probe.site, j.probe.site, j.probe.grid, received, md5];
}

/** Condor reports an exit code, or a signal for killed jobs; the other batch systems leave it to `Status`. */
function resourceRows(dbid: number, j: DemoJob): SqlValue[][] {
  if (probeSystem(j.probe) !== 'condor') return [];
  if (j.exitCode === 137 || j.exitCode === 143) return [[dbid, 'TRUE', 'ExitBySignal'], [dbid, String(j.exitCode - 128), 'ExitSignal']];
  return [[dbid, String(j.exitCode), 'ExitCode']];
}
