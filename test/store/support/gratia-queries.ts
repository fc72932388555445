/** GraphTool-shaped queries over the seeded Gratia rows, each with its answer worked out in plain TypeScript. */
import type { Row, SqlValue } from '../../../store/index.js';
import { PROBES, VOS, type SummaryRow } from './gratia-rows.js';

export interface RowQuery {
  name: string;
  sql: string;
  params: SqlValue[];
  /** The rows MySQL answers, computed from the seeded rows without SQL. */
  expected: (rows: readonly SummaryRow[]) => Row[];
}

const FROM = '2023-12-25 00:00:00';
const TO = '2024-01-10 00:00:00';
const epoch = (sqlTime: string) => Date.parse(sqlTime.replace(' ', 'T') + 'Z') / 1000;
const inRange = (r: SummaryRow) => r.EndTime >= FROM && r.EndTime < TO;

/** Groups `rows` by `key`, folding each group with `fold`, in key order (keys compared as given). */
function groupBy<K extends string | number>(rows: readonly SummaryRow[], key: (r: SummaryRow) => K, fold: (k: K, group: SummaryRow[]) => Row): Row[] {
  const groups = new Map<K, SummaryRow[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => fold(k, groups.get(k)!));
}

const sum = (rows: readonly SummaryRow[], f: (r: SummaryRow) => number) => rows.reduce((acc, r) => acc + f(r), 0);

/** GraphTool's time bucketing: `truncate(unix_timestamp(EndTime)/:span, 0)*:span`. */
const bucketing = (span: number): RowQuery => ({
  name: `time buckets of ${span} s`,
  sql: `SELECT truncate(unix_timestamp(EndTime)/?, 0)*? AS time, sum(WallDuration*Cores) AS wall, count(*) AS n
        FROM MasterSummaryData WHERE EndTime >= ? AND EndTime < ? GROUP BY time ORDER BY time`,
  params: [span, span, FROM, TO],
  expected: (rows) =>
    groupBy(rows.filter(inRange), (r) => Math.trunc(epoch(r.EndTime) / span) * span, (time, g) => ({
      time,
      wall: sum(g, (r) => r.WallDuration * r.Cores),
      n: g.length,
    })),
});

const voName = (corrid: number) => VOS.find((v) => v.corrid === corrid)!.VOName;

export const ROW_QUERIES: RowQuery[] = [
  // Hourly bins collapse to midnight: MasterSummaryData.EndTime is a day.
  bucketing(3600),
  bucketing(86400),
  // Weekly bins start on the epoch's weekday (Thursday) and cross the year end.
  bucketing(7 * 86400),
  {
    name: "Gratia-web's master_summary by VO: joins, REGEXP filters, hours per day",
    sql: `SELECT VO.VOName, truncate(unix_timestamp(EndTime)/?, 0)*? as time, sum(Cores*WallDuration)/3600 AS hours
          FROM MasterSummaryData R JOIN Probe P on R.ProbeName = P.probename JOIN Site S on S.siteid = P.siteid
            JOIN VONameCorrection VC ON (VC.corrid=R.VOcorrid) JOIN VO on (VC.void = VO.void)
          WHERE R.EndTime >= ? AND R.EndTime < ? AND VO.VOName regexp ? AND (R.ResourceType regexp ? or R.ResourceType = '')
            AND (NOT (VO.VOName regexp ?)) AND R.WallDuration < 1100000000 AND R.ProbeName regexp ?
          GROUP BY VO.VOName, time ORDER BY VO.VOName, time`,
    params: [86400, 86400, FROM, TO, '.*', '^Batch$', 'Unknown|unknown|other', 'FNAL'],
    expected: (rows) =>
      groupBy(
        rows.filter((r) => inRange(r) && (r.ResourceType === 'Batch' || r.ResourceType === '') && /fnal/i.test(r.ProbeName)),
        (r) => `${voName(r.VOcorrid)}|${String(epoch(r.EndTime)).padStart(12, '0')}`,
        (_, g) => ({ VOName: voName(g[0]!.VOcorrid), time: epoch(g[0]!.EndTime), hours: sum(g, (r) => r.Cores * r.WallDuration) / 3600 }),
      ),
  },
  {
    // Gratia-web's files hint MySQL's optimizer (FORCE INDEX, USE INDEX FOR ..., IGNORE KEY); SQLite has no such
    // syntax and plans on its own, so the emulation drops the hints and the rows are the same.
    name: 'index hints: FORCE INDEX, USE INDEX FOR GROUP BY, IGNORE KEY, on a table with and without an alias',
    sql: `SELECT VO.VOName, sum(R.Njobs) AS jobs
          FROM MasterSummaryData R FORCE INDEX (PRIMARY) JOIN VONameCorrection VC USE INDEX FOR JOIN (PRIMARY) ON (VC.corrid=R.VOcorrid)
            JOIN VO IGNORE KEY (PRIMARY) on (VC.void = VO.void)
          WHERE R.EndTime >= ? AND R.EndTime < ?
          GROUP BY VO.VOName ORDER BY VO.VOName`,
    params: [FROM, TO],
    expected: (rows) => groupBy(rows.filter(inRange), (r) => voName(r.VOcorrid), (VOName, g) => ({ VOName, jobs: sum(g, (r) => r.Njobs) })),
  },
  {
    name: 'monthly buckets through date_format',
    sql: `SELECT unix_timestamp(date_format(EndTime, "%Y-%m-01 00:00:00")) AS time, sum(Njobs) AS jobs
          FROM MasterSummaryData GROUP BY time ORDER BY time`,
    params: [],
    expected: (rows) =>
      groupBy(rows, (r) => epoch(`${r.EndTime.slice(0, 7)}-01 00:00:00`), (time, g) => ({ time, jobs: sum(g, (r) => r.Njobs) })),
  },
  {
    name: 'per day and VO through date()',
    sql: `SELECT date(EndTime) AS day, VOcorrid, count(*) AS n, sum(Njobs) AS jobs FROM MasterSummaryData
          WHERE EndTime >= ? AND EndTime < ? GROUP BY day, VOcorrid ORDER BY day, VOcorrid`,
    params: [FROM, TO],
    expected: (rows) =>
      groupBy(rows.filter(inRange), (r) => `${r.EndTime.slice(0, 10)}|${r.VOcorrid}`, (_, g) => ({
        day: g[0]!.EndTime.slice(0, 10),
        VOcorrid: g[0]!.VOcorrid,
        n: g.length,
        jobs: sum(g, (r) => r.Njobs),
      })),
  },
  {
    name: 'per probe with count(distinct), max(EndTime) and HAVING',
    sql: `SELECT ProbeName, count(DISTINCT VOcorrid) AS vos, sum(Njobs) AS jobs, max(EndTime) AS last
          FROM MasterSummaryData GROUP BY ProbeName HAVING sum(Njobs) > ? ORDER BY ProbeName`,
    params: [10],
    expected: (rows) =>
      groupBy(rows, (r) => r.ProbeName, (probe, g) => ({
        ProbeName: probe,
        vos: new Set(g.map((r) => r.VOcorrid)).size,
        jobs: sum(g, (r) => r.Njobs),
        last: g.map((r) => r.EndTime).sort().at(-1)!,
      })).filter((r) => (r.jobs as number) > 10),
  },
  {
    name: 'per site and resource type with if(), ifnull() and concat()',
    sql: `SELECT S.SiteName AS site, if(R.ResourceType = '', 'Unset', R.ResourceType) AS kind,
            concat(S.SiteName, '/', ifnull(NULL, R.Cores)) AS label_of_first, sum(R.Cores) AS cores
          FROM MasterSummaryData R JOIN Probe P ON R.ProbeName = P.probename JOIN Site S ON S.siteid = P.siteid
          WHERE R.Cores = ? GROUP BY site, kind, label_of_first ORDER BY site, kind`,
    params: [4],
    expected: (rows) => {
      const site = (probe: string) => PROBES.find((p) => p.probename === probe)!.SiteName;
      return groupBy(
        rows.filter((r) => r.Cores === 4),
        (r) => `${site(r.ProbeName)}|${r.ResourceType === '' ? 'Unset' : r.ResourceType}`,
        (_, g) => ({
          site: site(g[0]!.ProbeName),
          kind: g[0]!.ResourceType === '' ? 'Unset' : g[0]!.ResourceType,
          label_of_first: `${site(g[0]!.ProbeName)}/4`,
          cores: sum(g, (r) => r.Cores),
        }),
      );
    },
  },
];
