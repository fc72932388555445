/** A small, deterministic Gratia data set (sites, probes, VOs, daily summaries across a year end) for query tests. */
import type { Store } from '../../../store/index.js';

export interface SummaryRow {
  EndTime: string;
  VOcorrid: number;
  ProbeName: string;
  ResourceType: string;
  Cores: number;
  Njobs: number;
  /** Whole minutes, so sums are exact in any order on every backend. */
  WallDuration: number;
}

export const VOS = [
  { VOid: 1, VOName: 'cms', corrid: 11, raw: '/cms/Role=pilot' },
  { VOid: 2, VOName: 'atlas', corrid: 12, raw: '/atlas' },
  { VOid: 3, VOName: 'Fermilab', corrid: 13, raw: 'fermilab' },
] as const;

export const PROBES = [
  { probename: 'condor:red.unl.edu', siteid: 1, SiteName: 'Nebraska' },
  { probename: 'condor:fermicloud.fnal.gov', siteid: 2, SiteName: 'FNAL' },
  { probename: 'opennebula:one.fnal.gov', siteid: 2, SiteName: 'FNAL' },
] as const;

const RESOURCE_TYPES = ['Batch', 'BatchPilot', 'OneVM', ''] as const;

/** `count` summary rows over the 27 days from 2023-12-20, one per distinct dimension combination. */
export function summaryRows(count = 120): SummaryRow[] {
  let seed = 12345;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    // The high bits: this generator's low bits repeat with short periods.
    return Math.floor(seed / 65536) % n;
  };
  const seen = new Set<string>();
  const rows: SummaryRow[] = [];
  while (rows.length < count) {
    const day = new Date(Date.UTC(2023, 11, 20 + next(27)));
    const row: SummaryRow = {
      EndTime: day.toISOString().slice(0, 10) + ' 00:00:00',
      VOcorrid: VOS[next(VOS.length)]!.corrid,
      ProbeName: PROBES[next(PROBES.length)]!.probename,
      ResourceType: RESOURCE_TYPES[next(RESOURCE_TYPES.length)]!,
      Cores: [1, 2, 4, 8][next(4)]!,
      Njobs: 1 + next(50),
      WallDuration: 60 * (1 + next(600)),
    };
    const key = `${row.EndTime}|${row.VOcorrid}|${row.ProbeName}|${row.ResourceType}|${row.Cores}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  return rows;
}

/** Loads sites, probes, VOs and `rows` into a migrated Gratia store. */
export async function seedGratia(store: Store, rows: readonly SummaryRow[]): Promise<void> {
  await store.insertMany('Site', ['siteid', 'SiteName'], [[1, 'Nebraska'], [2, 'FNAL']]);
  await store.insertMany('Probe', ['siteid', 'probename'], PROBES.map((p) => [p.siteid, p.probename]));
  await store.insertMany('VO', ['VOid', 'VOName'], VOS.map((v) => [v.VOid, v.VOName]));
  await store.insertMany('VONameCorrection', ['corrid', 'VOName', 'ReportableVOName', 'VOid'], VOS.map((v) => [v.corrid, v.raw, v.VOName, v.VOid]));
  await store.insertMany(
    'MasterSummaryData',
    ['EndTime', 'VOcorrid', 'ProbeName', 'ResourceType', 'Cores', 'Njobs', 'WallDuration', 'CpuUserDuration'],
    rows.map((r) => [r.EndTime, r.VOcorrid, r.ProbeName, r.ResourceType, r.Cores, r.Njobs, r.WallDuration, r.WallDuration / 2]),
  );
}
