/**
 * Writes what an import changed into Gratia's tables, inside the import's transaction: the job records of removed
 * slices go, those of written slices are replaced (same key → same `GlobalJobId` and the same `dbid`), and the
 * summary of every probe-day the change touched is recomputed from the stored records.
 */
import type { SqlValue, Transaction } from '../../store/index.js';
import { sliceKey, type UsageSlice } from '../usage-slice.js';
import type { SliceChange } from '../usage-store.js';
import { ensureProbes, ensureProject, ensureVos } from './gratia-reference.js';
import { defaultVmGratiaSettings, vmProbeName, vmSiteName, vmVoName, type VmGratiaSettings } from './vm-gratia-settings.js';
import { diskValues, JOB_COLUMNS, jobValues, MEASURE_COLUMNS, memoryValues, META_COLUMNS, metaValues, vmRecordId, VM_RESOURCE_TYPE } from './vm-job-rows.js';
import { recomputeSummary, type SummaryDay } from './vm-summary.js';

const CHUNK = 200;
const CHILD_TABLES = ['JobUsageRecord_Meta', 'Memory', 'Disk', 'JobUsageRecord'] as const;

export interface ApplySliceChangeOptions {
  settings?: VmGratiaSettings;
  /** The import's time (epoch seconds): the records' CreateTime and ServerDate, the probes' last contact. */
  now?: number;
}

/** What one change did to the Gratia tables. */
export interface GratiaChange {
  /** Job records deleted (slices that no longer exist). */
  deleted: number;
  /** Job records written (new or replaced). */
  written: number;
  /** Probe-days whose summary was recomputed. */
  summaryDays: SummaryDay[];
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The stored dbid of each record id that exists. */
async function storedIds(tx: Transaction, recordIds: readonly string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < recordIds.length; i += CHUNK) {
    const part = recordIds.slice(i, i + CHUNK);
    const rows = await tx.query(`SELECT dbid, GlobalJobId FROM JobUsageRecord WHERE ResourceType = ? AND GlobalJobId IN (${marks(part.length)})`, [VM_RESOURCE_TYPE, ...part]);
    for (const r of rows) ids.set(String(r.GlobalJobId), Number(r.dbid));
  }
  return ids;
}

async function deleteRecords(tx: Transaction, dbids: readonly number[]): Promise<void> {
  for (let i = 0; i < dbids.length; i += CHUNK) {
    const part = dbids.slice(i, i + CHUNK);
    for (const table of CHILD_TABLES) await tx.execute(`DELETE FROM ${table} WHERE dbid IN (${marks(part.length)})`, part);
  }
}

/** The last version of each slice key (a change may carry a key twice; the later one wins, as in the usage table). */
function latestByKey(slices: readonly UsageSlice[]): UsageSlice[] {
  return [...new Map(slices.map((s) => [sliceKey(s), s])).values()];
}

/**
 * Applies a `writeSegments` result to the Gratia tables in `tx`. Idempotent by key: applying the changes of any
 * sequence of imports leaves the records and the summary of the last state of every slice.
 */
export async function applySliceChange(tx: Transaction, change: SliceChange, options: ApplySliceChangeOptions = {}): Promise<GratiaChange> {
  const settings = options.settings ?? defaultVmGratiaSettings();
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const written = latestByKey(change.written);
  const writtenIds = new Set(written.map(vmRecordId));
  const gone = latestByKey(change.removed).map(vmRecordId).filter((id) => !writtenIds.has(id));

  const existing = await storedIds(tx, [...gone, ...writtenIds]);
  await deleteRecords(tx, [...existing.values()]);

  if (written.length > 0) {
    const probes = new Map(written.map((s) => [vmProbeName(s.endpoint), vmSiteName(settings, s.endpoint)]));
    const probeIds = await ensureProbes(tx, probes, now);
    await ensureVos(tx, written.map((s) => vmVoName(settings, s.groupName)));
    await ensureProject(tx, settings.projectName);

    // A rewritten record keeps its dbid; a new one takes the next auto-increment id.
    const kept = written.filter((s) => existing.has(vmRecordId(s)));
    const fresh = written.filter((s) => !existing.has(vmRecordId(s)));
    await tx.insertMany('JobUsageRecord', ['dbid', ...JOB_COLUMNS], kept.map((s) => [existing.get(vmRecordId(s))!, ...jobValues(s, settings)]));
    await tx.insertMany('JobUsageRecord', JOB_COLUMNS, fresh.map((s) => jobValues(s, settings)));
    const dbids = new Map([...existing, ...(await storedIds(tx, fresh.map(vmRecordId)))]);

    const meta: SqlValue[][] = [];
    const memory: SqlValue[][] = [];
    const disk: SqlValue[][] = [];
    for (const s of written) {
      const dbid = dbids.get(vmRecordId(s))!;
      meta.push(metaValues(s, dbid, probeIds.get(vmProbeName(s.endpoint))!, settings, now));
      memory.push(memoryValues(s, dbid));
      disk.push(diskValues(s, dbid));
    }
    await tx.insertMany('JobUsageRecord_Meta', META_COLUMNS, meta);
    await tx.insertMany('Memory', MEASURE_COLUMNS, memory);
    await tx.insertMany('Disk', MEASURE_COLUMNS, disk);
  }

  const days = new Map<string, SummaryDay>();
  for (const s of [...change.removed, ...change.written]) {
    const g = { probeName: vmProbeName(s.endpoint), day: s.day };
    days.set(`${g.probeName}\u0000${g.day}`, g);
  }
  const summaryDays = [...days.values()].sort((a, b) => (a.probeName + a.day).localeCompare(b.probeName + b.day));
  await recomputeSummary(tx, summaryDays, settings.timeZone);
  return { deleted: gone.filter((id) => existing.has(id)).length, written: written.length, summaryDays };
}
