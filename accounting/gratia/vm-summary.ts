/**
 * Gratia's daily summary of VM records, recomputed rather than added to: the `MasterSummaryData` rows of one probe on
 * one day are deleted and rebuilt from the `JobUsageRecord` rows stored for that probe and day. A re-import, a late
 * record or a correction therefore leaves the same summary as one clean import, whatever the order
 * (Gratia's `add_JUR_to_summary` adds each record once; a rewritten record would be added twice).
 */
import { DateTime } from 'luxon';
import { toSqlDateTime } from '../../common/index.js';
import { MASTER_SUMMARY_DIMENSIONS, MASTER_SUMMARY_MEASURES, type Queryable } from '../../store/index.js';
import { VM_RESOURCE_TYPE } from './vm-job-rows.js';

/** A summary group the writer touched: one probe (`onevm:<endpoint>`) on one local day (`YYYY-MM-DD`). */
export interface SummaryDay {
  probeName: string;
  day: string;
}

/** The UTC instants a local day runs between (23 or 25 hours on a DST change). */
export function dayBounds(day: string, timeZone: string): { start: number; end: number } {
  const start = DateTime.fromISO(day, { zone: timeZone }).startOf('day');
  if (!start.isValid) throw new Error(`not a day in ${timeZone}: ${day}`);
  return { start: Math.floor(start.toSeconds()), end: Math.floor(start.plus({ days: 1 }).toSeconds()) };
}

const sqlTime = (epoch: number) => toSqlDateTime(new Date(epoch * 1000));

/*
 * The dimensions as Gratia fills them from a record: EndTime = the (local) day, the record's name correction, the
 * Meta probe, CommonName, the DN (KeyInfo), ResourceType, HostDescription, Status as the exit code, the Meta grid,
 * Cores = Processors, the project's correction (0 when none is filed).
 */
const RECOMPUTE = `
INSERT INTO MasterSummaryData (${[...MASTER_SUMMARY_DIMENSIONS, ...MASTER_SUMMARY_MEASURES].join(', ')})
SELECT ?, VC.corrid, M.ProbeName, J.CommonName, COALESCE(J.KeyInfoContent, ''), J.ResourceType, COALESCE(J.HostDescription, ''),
  COALESCE(J.Status, '0'), M.Grid, J.Processors,
  COALESCE((SELECT MIN(P.ProjectNameCorrid) FROM ProjectNameCorrection P WHERE P.ProjectName = J.ProjectName OR (P.ProjectName IS NULL AND J.ProjectName IS NULL)), 0),
  SUM(J.Njobs), SUM(J.WallDuration), SUM(J.CpuUserDuration), SUM(J.CpuSystemDuration)
FROM JobUsageRecord J
  JOIN JobUsageRecord_Meta M ON M.dbid = J.dbid
  JOIN VONameCorrection VC ON VC.VOName = J.VOName AND VC.ReportableVOName = J.ReportableVOName
WHERE J.ResourceType = ? AND M.ProbeName = ? AND J.EndTime >= ? AND J.EndTime <= ? AND J.StartTime >= ? AND J.StartTime < ?
GROUP BY VC.corrid, M.ProbeName, J.CommonName, COALESCE(J.KeyInfoContent, ''), J.ResourceType, COALESCE(J.HostDescription, ''),
  COALESCE(J.Status, '0'), M.Grid, J.Processors, J.ProjectName`;

/** Rebuilds the summary rows of each group from the stored records (a record belongs to the day its start falls in). */
export async function recomputeSummary(tx: Queryable, groups: readonly SummaryDay[], timeZone: string): Promise<void> {
  for (const g of groups) {
    const { start, end } = dayBounds(g.day, timeZone);
    const summaryDay = `${g.day} 00:00:00`;
    await tx.execute('DELETE FROM MasterSummaryData WHERE ResourceType = ? AND ProbeName = ? AND EndTime = ?', [VM_RESOURCE_TYPE, g.probeName, summaryDay]);
    await tx.execute(RECOMPUTE, [summaryDay, VM_RESOURCE_TYPE, g.probeName, sqlTime(start), sqlTime(end), sqlTime(start), sqlTime(end)]);
  }
}
