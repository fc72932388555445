/**
 * `/accounting/usage`: the VM usage dashboard. Allocated VM hours by group and day (the OneVM daily summary) and the
 * VMs with the most hours in the range (the job records), drawn with Highcharts served from the appliance; a slot
 * is left for billing's cost by group.
 */
import { createRequire } from 'node:module';
import express, { type RequestHandler, type Router } from 'express';
import { DateTime } from 'luxon';
import type { Queryable } from '../../store/index.js';
import { VM_RESOURCE_TYPE } from './vm-job-rows.js';

const require = createRequire(import.meta.url);
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
/** At most a year on one page: the chart has a column per day. */
const MAX_DAYS = 366;
const TOP_VMS = 10;

export interface UsageRange {
  from: string;
  to: string;
}

/** The range of `?from=YYYY-MM-DD&to=YYYY-MM-DD` (both inclusive days; default the 30 days up to today), or the field at fault. */
export function usageRange(query: Record<string, unknown>, today: string): UsageRange | { field: string; message: string } {
  const pick = (name: 'from' | 'to', fallback: string): string | { field: string; message: string } => {
    const v = query[name];
    if (v === undefined || v === '') return fallback;
    if (typeof v !== 'string' || !DAY_RE.test(v) || !DateTime.fromISO(v, { zone: 'UTC' }).isValid) {
      return { field: name, message: `${name} must be a day written YYYY-MM-DD` };
    }
    return v;
  };
  const to = pick('to', today);
  if (typeof to !== 'string') return to;
  const from = pick('from', DateTime.fromISO(to, { zone: 'UTC' }).minus({ days: 29 }).toISODate()!);
  if (typeof from !== 'string') return from;
  const days = DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days + 1;
  if (days < 1) return { field: 'from', message: 'from must not be after to' };
  if (days > MAX_DAYS) return { field: 'from', message: `the range is at most ${MAX_DAYS} days` };
  return { from, to };
}

export interface UsageChart {
  days: string[];
  series: { name: string; data: number[] }[];
}

export interface TopVm {
  probe: string;
  vmId: string;
  name: string;
  owner: string;
  group: string;
  wallHours: number;
  cpuHours: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** VM hours per group and summary day (the summary's local days). */
export async function usageByGroup(q: Queryable, range: UsageRange): Promise<UsageChart> {
  const rows = await q.query(
    `SELECT VO.VOName AS grp, R.EndTime AS day, SUM(R.WallDuration) AS wall
     FROM MasterSummaryData R JOIN VONameCorrection VC ON VC.corrid = R.VOcorrid JOIN VO ON VO.VOid = VC.VOid
     WHERE R.ResourceType = ? AND R.EndTime >= ? AND R.EndTime <= ?
     GROUP BY VO.VOName, R.EndTime ORDER BY VO.VOName, R.EndTime`,
    [VM_RESOURCE_TYPE, `${range.from} 00:00:00`, `${range.to} 00:00:00`],
  );
  const days: string[] = [];
  for (let d = DateTime.fromISO(range.from, { zone: 'UTC' }); d.toISODate()! <= range.to; d = d.plus({ days: 1 })) days.push(d.toISODate()!);
  const index = new Map(days.map((d, i) => [d, i]));
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const name = String(r.grp);
    const data = groups.get(name) ?? days.map(() => 0);
    groups.set(name, data);
    const i = index.get(String(r.day).slice(0, 10));
    if (i !== undefined) data[i] = round(Number(r.wall) / 3600);
  }
  return { days, series: [...groups].map(([name, data]) => ({ name, data })) };
}

/** The VMs with the most allocated hours in the range (records starting in it), most first. */
export async function topVms(q: Queryable, range: UsageRange, limit = TOP_VMS): Promise<TopVm[]> {
  const end = DateTime.fromISO(range.to, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
  const rows = await q.query(
    `SELECT M.ProbeName AS probe, J.LocalJobId AS vm, MAX(J.JobName) AS name, MAX(J.LocalUserId) AS owner, MAX(J.VOName) AS grp,
       SUM(J.WallDuration) AS wall, SUM(J.CpuUserDuration) AS cpu
     FROM JobUsageRecord J JOIN JobUsageRecord_Meta M ON M.dbid = J.dbid
     WHERE J.ResourceType = ? AND J.StartTime >= ? AND J.StartTime < ?
     GROUP BY M.ProbeName, J.LocalJobId ORDER BY SUM(J.WallDuration) DESC, M.ProbeName, J.LocalJobId LIMIT ?`,
    [VM_RESOURCE_TYPE, `${range.from} 00:00:00`, `${end} 00:00:00`, limit],
  );
  return rows.map((r) => ({
    probe: String(r.probe), vmId: String(r.vm), name: String(r.name), owner: String(r.owner), group: String(r.grp),
    wallHours: round(Number(r.wall) / 3600), cpuHours: round(Number(r.cpu) / 3600),
  }));
}

export interface UsageDashboardOptions {
  store: Queryable;
  requireRead: RequestHandler;
  /** Today in the accounting time zone (`YYYY-MM-DD`). */
  today: () => string;
}

export function usageDashboardRouter(options: UsageDashboardOptions): Router {
  const router = express.Router();
  router.get('/accounting/static/highcharts.js', (_req, res) => {
    res.sendFile(require.resolve('highcharts/highcharts.js'), { maxAge: '1d' });
  });
  router.get('/accounting/usage', options.requireRead, async (req, res, next) => {
    try {
      const range = usageRange(req.query, options.today());
      if ('field' in range) {
        res.status(400).render('accounting-usage', { title: 'VM usage', error: range, query: req.query });
        return;
      }
      const [chart, vms] = await Promise.all([usageByGroup(options.store, range), topVms(options.store, range)]);
      res.set('Cache-Control', 'no-store').render('accounting-usage', { title: 'VM usage', range, chart, vms, empty: chart.series.length === 0 });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
