/** The daily MasterSummaryData rows of a set of job records, computed as Gratia's `add_JUR_to_summary` does. */
import type { SqlValue } from '../types.js';
import { MASTER_SUMMARY_DIMENSIONS, MASTER_SUMMARY_MEASURES } from '../gratia-schema.js';
import type { DemoJob } from './jobs.js';

/** The ids the summary refers to: correction rows by `(VOName, ReportableVOName)`, project rows by raw name. */
export interface SummaryIds {
  corrid(voName: string, reportable: string): number;
  /** `null` stands for a record without a project (`ProjectName IS NULL`). */
  projectCorrid(project: string | null): number;
}

/** The MasterSummaryData columns in the order `summarize` fills them. */
export const SUMMARY_COLUMNS = [...MASTER_SUMMARY_DIMENSIONS, ...MASTER_SUMMARY_MEASURES] as const;

const UTC_DAY_MS = 86_400_000;

/**
 * One row per distinct dimension tuple: EndTime = DATE(job EndTime), the correction of (VOName, ReportableVOName),
 * the Meta probe, CommonName, the DN, ResourceType, HostDescription (`''` when absent), the exit code, the Meta
 * Grid and Cores = Processors; Njobs and the durations summed.
 */
export function summarize(jobs: readonly DemoJob[], ids: SummaryIds): SqlValue[][] {
  const rows = new Map<string, SqlValue[]>();
  for (const j of jobs) {
    const day = new Date(Math.floor((j.end * 1000) / UTC_DAY_MS) * UTC_DAY_MS).toISOString().slice(0, 10) + ' 00:00:00';
    const dims: SqlValue[] = [
      day,
      ids.corrid(j.correction.voName, j.correction.reportable),
      j.probe.name,
      j.commonName,
      j.keyInfo,
      j.resourceType,
      j.hostDescription ?? '',
      String(j.exitCode),
      j.probe.grid,
      j.processors,
      ids.projectCorrid(j.project),
    ];
    const key = dims.join('\u0000');
    const row = rows.get(key);
    if (row) {
      row[11] = (row[11] as number) + 1;
      row[12] = (row[12] as number) + j.wall;
      row[13] = (row[13] as number) + j.cpuUser;
      row[14] = (row[14] as number) + j.cpuSystem;
    } else {
      rows.set(key, [...dims, 1, j.wall, j.cpuUser, j.cpuSystem]);
    }
  }
  return [...rows.values()];
}
