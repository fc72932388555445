/** `appliance demo` data: deterministic, summarised exactly as Gratia does, and shaped for every Gratia-web graph family. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, toSqlDateTime } from '../../common/index.js';
import { DEMO_TABLES, DEMO_VO_OWNERSHIP, seedDemoData, type DemoSummary } from '../../store/demo/index.js';
import { gratiaMigrations, type Row, type SqlValue, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';

const NOW = new Date('2024-03-14T15:30:00Z'); // a Thursday afternoon: the window holds a weekend and a partial today
const DAYS = 6;
const OPTIONS = { days: DAYS, scale: 0.2, seed: 7, now: NOW } as const;
const DAY_MS = 86_400_000;

const ORDER: Record<(typeof DEMO_TABLES)[number], string> = {
  Site: 'siteid', Probe: 'probeid', VO: 'VOid', VONameCorrection: 'corrid', ProjectNameCorrection: 'ProjectNameCorrid',
  JobUsageRecord: 'dbid', JobUsageRecord_Meta: 'dbid', Resource: 'dbid, Description', Memory: 'dbid', MasterSummaryData: 'SummaryID',
};

const FAC = "(CASE R.ResourceType WHEN 'BatchPilot' THEN R.HostDescription WHEN 'Batch' THEN S.SiteName ELSE '' END)";

/** Gratia-web's `GratiaGenericQuery.master_summary`, with `:opportunistic-filter` as `BOTH` makes it (`TRUE`). */
const MASTER_SUMMARY = `
  SELECT <group>, truncate( unix_timestamp(EndTime) / :span, 0 ) * :span as time, <column>
  FROM MasterSummaryData R JOIN Probe P on R.ProbeName = P.probename JOIN Site S on S.siteid = P.siteid
    JOIN VONameCorrection VC ON (VC.corrid=R.VOcorrid) JOIN VO on (VC.void = VO.void)
  WHERE R.EndTime >= :starttime AND R.EndTime < :endtime AND <facility> regexp :facility AND
    VO.VOName regexp :vo AND VC.VOName regexp :role AND (NOT (VC.VOName regexp :exclude-role)) AND
    (R.ResourceType regexp :resource-type or R.ResourceType = '') AND R.CommonName regexp :user AND
    (:includeFailed='true' OR ApplicationExitCode=0) AND (:includeSuccess ='true' OR ApplicationExitCode!=0) AND
    (NOT (<facility> regexp :exclude-facility)) AND (NOT (R.CommonName regexp :exclude-user)) AND
    (NOT (VO.VOName regexp :exclude-vo)) AND R.WallDuration < 1100000000 AND R.ProbeName regexp :probe AND TRUE
    AND WallDuration > 0
  GROUP BY <group>, time`;

const DEFAULTS: Record<string, SqlValue> = {
  span: 86400, starttime: '', endtime: toSqlDateTime(NOW), includeFailed: 'true', includeSuccess: 'true', facility: '.*',
  probe: '.*', user: '.*', vo: '.*', role: '.*', 'exclude-role': 'NONE', 'exclude-user': 'NONE',
  'exclude-vo': 'Unknown|unknown|other', 'exclude-facility': 'NONE|Generic|Obsolete', 'resource-type': '^Batch$',
};

/** Runs the master_summary shape with its slots filled and `:name` inputs bound in order. */
async function masterSummary(
  store: Store,
  slots: { group: string; column?: string; facility?: string },
  inputs: Record<string, SqlValue>,
): Promise<{ group: string; day: string; value: number }[]> {
  const params: SqlValue[] = [];
  const all = { ...DEFAULTS, ...inputs };
  const sql = MASTER_SUMMARY.replaceAll('<group>', slots.group)
    .replace('<column>', `${slots.column ?? 'sum(Cores*WallDuration)/3600'} AS value`)
    .replaceAll('<facility>', slots.facility ?? FAC)
    .replace(/:([a-zA-Z][\w-]*)/g, (_, name: string) => {
      if (!(name in all)) throw new Error(`no input ${name}`);
      params.push(all[name]!);
      return '?';
    });
  const rows = await store.query(sql, params);
  return rows.map((r) => {
    const values = Object.values(r);
    return {
      group: values.slice(0, -2).map(String).join(' / '),
      day: new Date(Number(r.time) * 1000).toISOString().slice(0, 10),
      value: Number(r.value),
    };
  });
}

/** Gratia's add_JUR_to_summary, as one grouped query over the job records. */
const SUMMARY_OF_JOBS = `
  SELECT date_format(J.EndTime, '%Y-%m-%d 00:00:00') AS EndTime, VC.corrid AS VOcorrid, M.ProbeName AS ProbeName,
    IFNULL(J.CommonName, '') AS CommonName, IFNULL(J.KeyInfoContent, '') AS DistinguishedName,
    IFNULL(J.ResourceType, '') AS ResourceType, IFNULL(J.HostDescription, '') AS HostDescription,
    IFNULL(EC.Value, IF(EBS.Value = 'TRUE' OR EBS.Value = '1', IFNULL(ES.Value, 0) + 128, IFNULL(J.Status, 0))) AS ApplicationExitCode,
    IFNULL(M.Grid, '') AS Grid, IFNULL(J.Processors, 1) AS Cores, PNC.ProjectNameCorrid AS ProjectNameCorrid,
    SUM(J.Njobs) AS Njobs, SUM(J.WallDuration) AS WallDuration, SUM(J.CpuUserDuration) AS CpuUserDuration,
    SUM(J.CpuSystemDuration) AS CpuSystemDuration
  FROM JobUsageRecord J JOIN JobUsageRecord_Meta M ON J.dbid = M.dbid
    JOIN VONameCorrection VC ON J.VOName = VC.VOName AND J.ReportableVOName = VC.ReportableVOName
    JOIN ProjectNameCorrection PNC ON (J.ProjectName = PNC.ProjectName OR (J.ProjectName IS NULL AND PNC.ProjectName IS NULL))
    LEFT JOIN Resource EC ON J.dbid = EC.dbid AND EC.Description = 'ExitCode'
    LEFT JOIN Resource ES ON J.dbid = ES.dbid AND ES.Description = 'ExitSignal'
    LEFT JOIN Resource EBS ON J.dbid = EBS.dbid AND EBS.Description = 'ExitBySignal'
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`;

const SUMMARY_COLUMNS = [
  'EndTime', 'VOcorrid', 'ProbeName', 'CommonName', 'DistinguishedName', 'ResourceType', 'HostDescription',
  'ApplicationExitCode', 'Grid', 'Cores', 'ProjectNameCorrid', 'Njobs', 'WallDuration', 'CpuUserDuration', 'CpuSystemDuration',
];

/** Rows as sorted text lines, so two backends' number and string types compare alike. */
const lines = (rows: Row[]) => rows.map((r) => SUMMARY_COLUMNS.map((c) => (c.endsWith('Duration') || c === 'Njobs' ? Number(r[c]) : String(r[c]))).join('|')).sort();

async function dump(store: Store): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const t of DEMO_TABLES) out[t] = await store.query(`SELECT * FROM ${t} ORDER BY ${ORDER[t]}`);
  return out;
}

function windowDays(): string[] {
  const first = Math.floor(NOW.getTime() / DAY_MS) - (DAYS - 1);
  return Array.from({ length: DAYS }, (_, i) => new Date((first + i) * DAY_MS).toISOString().slice(0, 10));
}

for (const backend of testBackends()) {
  describe(`demo data on ${backend.name}`, () => {
    const created: { dispose: () => Promise<void>; store: Store }[] = [];
    let store: Store;
    let twin: Store;
    let other: Store;
    let later: Store;
    let summary: DemoSummary;

    const fresh = async (): Promise<Store> => {
      const db = await backend.create();
      const s = db.open();
      created.push({ dispose: db.dispose, store: s });
      await s.migrate(gratiaMigrations);
      return s;
    };

    beforeAll(async () => {
      [store, twin, other, later] = [await fresh(), await fresh(), await fresh(), await fresh()];
      summary = await seedDemoData(store, OPTIONS);
      await seedDemoData(twin, OPTIONS);
      await seedDemoData(other, { ...OPTIONS, seed: 'another seed' });
      await seedDemoData(later, { ...OPTIONS, now: new Date(NOW.getTime() + 3 * 3_600_000) });
    });

    afterAll(async () => {
      for (const c of created) {
        await c.store.close();
        await c.dispose();
      }
    });

    it('gives identical rows in every table for the same seed and now', async () => {
      const [a, b] = [await dump(store), await dump(twin)];
      expect(a.JobUsageRecord!.length).toBeGreaterThan(500);
      expect(a.MasterSummaryData!.length).toBeGreaterThan(100);
      for (const t of DEMO_TABLES) expect(b[t], t).toEqual(a[t]);
      expect(summary.rows.JobUsageRecord).toBe(a.JobUsageRecord!.length);
      expect(summary.rows.MasterSummaryData).toBe(a.MasterSummaryData!.length);
    });

    it('gives different job records for a different seed', async () => {
      const [a, c] = [await dump(store), await dump(other)];
      expect(c.JobUsageRecord).not.toEqual(a.JobUsageRecord);
      expect(c.MasterSummaryData).not.toEqual(a.MasterSummaryData);
    });

    it('gives the same past days when seeded later on the same day (apart from probes that fell silent)', async () => {
      const today = `${windowDays()[DAYS - 1]!} 00:00:00`;
      const silent = (await later.query<{ name: string }>('SELECT probename AS name FROM Probe WHERE currenttime < ?', [
        toSqlDateTime(new Date(NOW.getTime() - DAY_MS)),
      ])).map((r) => r.name);
      expect(silent.length).toBeGreaterThan(0);
      const past = async (s: Store) =>
        s.query(
          `SELECT M.ProbeName, J.GlobalJobId, J.LocalJobId, J.CommonName, J.VOName, J.WallDuration, J.CpuUserDuration, J.StartTime, J.EndTime, J.Processors
           FROM JobUsageRecord J JOIN JobUsageRecord_Meta M ON M.dbid = J.dbid
           WHERE J.EndTime < ? AND M.ProbeName NOT IN (${silent.map(() => '?').join(', ')}) ORDER BY M.ProbeName, J.GlobalJobId`,
          [today, ...silent],
        );
      const [a, b] = [await past(store), await past(later)];
      expect(a.length).toBeGreaterThan(300);
      expect(b).toEqual(a);
      const endedToday = async (s: Store) => Number((await s.query('SELECT COUNT(*) AS n FROM JobUsageRecord WHERE EndTime >= ?', [today]))[0]!.n);
      expect(await endedToday(later)).toBeGreaterThan(await endedToday(store));
    });

    it('keeps MasterSummaryData exactly the daily summary of JobUsageRecord joined with its Meta', async () => {
      const fromJobs = lines(await store.query(SUMMARY_OF_JOBS));
      const stored = lines(await store.query(`SELECT ${SUMMARY_COLUMNS.join(', ')} FROM MasterSummaryData`));
      expect(stored.length).toBeGreaterThan(100);
      expect(stored).toEqual(fromJobs);
    });

    it('has 15+ VOs with several reported names each, plus the Unknown and other VOs the default queries exclude', async () => {
      const vos = (await store.query('SELECT VOName FROM VO')).map((r) => String(r.VOName));
      expect(vos.filter((v) => !/^(Unknown|unknown|other)$/.test(v)).length).toBeGreaterThanOrEqual(15);
      expect(vos).toEqual(expect.arrayContaining(['Unknown', 'other']));
      const corrections = await store.query(
        'SELECT VC.VOName AS raw, VC.ReportableVOName AS reportable, VO.VOName AS vo FROM VONameCorrection VC JOIN VO ON VO.VOid = VC.VOid',
      );
      const cms = corrections.filter((r) => r.vo === 'cms').map((r) => String(r.raw));
      expect(cms).toEqual(expect.arrayContaining(['uscms', '/cms/Role=production/Capability=NULL']));
      expect(new Set(corrections.map((r) => r.vo)).size).toBe(vos.length);
      expect(corrections.length).toBeGreaterThan(vos.length + 10);
      const projects = (await store.query('SELECT ReportableProjectName AS p FROM ProjectNameCorrection')).map((r) => String(r.p));
      expect(projects).toEqual(expect.arrayContaining(['FermiCloud', 'OSG-Staff']));
    });

    it('writes Batch, BatchPilot and OneVM records with failed and multi-core jobs, and Gratia DNs', async () => {
      const types = await store.query('SELECT ResourceType AS t, COUNT(*) AS n FROM MasterSummaryData GROUP BY ResourceType');
      expect(Object.fromEntries(types.map((r) => [r.t, Number(r.n) > 0]))).toEqual({ Batch: true, BatchPilot: true, OneVM: true });
      const [shape] = await store.query(
        "SELECT SUM(CASE WHEN ApplicationExitCode != '0' THEN Njobs ELSE 0 END) AS failed, SUM(CASE WHEN Cores >= 8 THEN Njobs ELSE 0 END) AS wide, " +
          "SUM(CASE WHEN CommonName LIKE '/DC=%/CN=%' THEN 1 ELSE 0 END) AS dns, COUNT(*) AS n FROM MasterSummaryData",
      );
      expect(Number(shape!.failed)).toBeGreaterThan(0);
      expect(Number(shape!.wide)).toBeGreaterThan(0);
      expect(Number(shape!.dns)).toBe(Number(shape!.n));
      const grids = (await store.query('SELECT DISTINCT Grid FROM JobUsageRecord_Meta')).map((r) => String(r.Grid)).sort();
      expect(grids).toEqual(['Local', 'OSG', 'OSG-ITB']);
    });

    it('puts the glidein facility of every pilot record in HostDescription, naming a known site', async () => {
      const sites = new Set((await store.query('SELECT SiteName FROM Site')).map((r) => String(r.SiteName)));
      const rows = await masterSummary(store, { group: 'R.HostDescription', facility: 'R.HostDescription' }, {
        starttime: toSqlDateTime(summary.start), 'resource-type': 'BatchPilot', 'exclude-facility': 'NONE',
      });
      const facilities = new Set(rows.map((r) => r.group));
      expect(facilities.size).toBeGreaterThanOrEqual(5);
      for (const f of facilities) expect(sites.has(f), f).toBe(true);
    });

    it('records FermiCloud VMs as OneVM jobs: VM id, CPUs as Processors, wall equal to CPU time', async () => {
      const vms = await store.query(
        "SELECT LocalJobId, Processors, WallDuration, CpuUserDuration, ProjectName FROM JobUsageRecord WHERE ResourceType = 'OneVM'",
      );
      expect(vms.length).toBeGreaterThan(DAYS);
      for (const vm of vms) {
        expect(String(vm.LocalJobId)).toMatch(/^\d+$/);
        expect(Number(vm.Processors)).toBeGreaterThanOrEqual(1);
        expect(Number(vm.WallDuration)).toBe(Number(vm.CpuUserDuration));
        expect(vm.ProjectName).toBe('FermiCloud');
      }
    });

    it('covers every day of the window up to today, and nothing ends after now', async () => {
      const days = (await store.query("SELECT DISTINCT date_format(EndTime, '%Y-%m-%d') AS d FROM MasterSummaryData ORDER BY d")).map((r) =>
        String(r.d),
      );
      expect(days).toEqual(windowDays());
      const [last] = await store.query('SELECT MAX(EndTime) AS t, MIN(EndTime) AS f FROM JobUsageRecord');
      expect(String(last!.t) <= toSqlDateTime(NOW)).toBe(true);
      expect(String(last!.f) >= toSqlDateTime(summary.start)).toBe(true);
      expect(summary.start.toISOString().slice(0, 10)).toBe(windowDays()[0]);
    });

    it("answers Gratia-web's vo_hours_bar_smry with many VOs of very different sizes on every day", async () => {
      const rows = await masterSummary(store, { group: 'VO.VOName' }, { starttime: toSqlDateTime(summary.start) });
      const vos = new Set(rows.map((r) => r.group));
      expect(vos.size).toBeGreaterThanOrEqual(10);
      expect(vos.has('Unknown') || vos.has('other')).toBe(false);
      for (const day of windowDays()) {
        expect(rows.filter((r) => r.day === day && r.value > 0).length, day).toBeGreaterThanOrEqual(8);
      }
      const totals = [...vos].map((vo) => rows.filter((r) => r.group === vo).reduce((s, r) => s + r.value, 0)).sort((a, b) => b - a);
      expect(totals[0]!).toBeGreaterThan(20 * totals[totals.length - 1]!);
      const unfiltered = await masterSummary(store, { group: 'VO.VOName' }, { starttime: toSqlDateTime(summary.start), 'exclude-vo': 'NONE' });
      expect(new Set(unfiltered.map((r) => r.group))).toEqual(new Set([...vos, 'Unknown', 'other']));
    });

    it('answers the seed-example ONEVM.* query with FermiCloud VM rows', async () => {
      const rows = await masterSummary(store, { group: 'VO.VOName, S.SiteName' }, {
        starttime: toSqlDateTime(summary.start), 'resource-type': 'ONEVM.*', 'exclude-vo': 'unknown|other',
      });
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.group).toMatch(/ \/ FermiCloud$/);
      expect(rows.reduce((s, r) => s + r.value, 0)).toBeGreaterThan(24);
    });

    it('shows opportunistic usage: VOs run both at sites they own and at sites they do not', async () => {
      const owned = new Set(DEMO_VO_OWNERSHIP.map((o) => `${o.vo} / ${o.resource}`));
      const rows = await masterSummary(store, { group: `VO.VOName, ${FAC}` }, {
        starttime: toSqlDateTime(summary.start), 'resource-type': 'Batch',
      });
      const hours = (opportunistic: boolean) =>
        rows.filter((r) => owned.has(r.group.replace(/^[^/]+/, (vo) => vo.toLowerCase())) !== opportunistic).reduce((s, r) => s + r.value, 0);
      expect(hours(false)).toBeGreaterThan(0);
      expect(hours(true)).toBeGreaterThan(0.05 * hours(false));
    });

    it('has a site outage of two days, a VO that starts half way, and quieter weekends', async () => {
      const days = windowDays();
      const bySite = await masterSummary(store, { group: FAC }, { starttime: toSqlDateTime(summary.start), 'resource-type': 'Batch' });
      const gap = [...new Set(bySite.map((r) => r.group))].filter((site) => {
        const active = days.map((d) => bySite.some((r) => r.group === site && r.day === d && r.value > 0));
        return active[0] && active[days.length - 1] && active.filter((a) => !a).length === 2;
      });
      expect(gap.length).toBeGreaterThanOrEqual(1);

      const lsst = (await masterSummary(store, { group: 'VO.VOName' }, { starttime: toSqlDateTime(summary.start), vo: '^lsst$', 'resource-type': '.*' }))
        .map((r) => r.day);
      expect(lsst.length).toBeGreaterThan(0);
      expect(lsst.every((d) => d >= days[Math.floor(DAYS / 2)]!)).toBe(true);

      const jobs = await store.query(
        "SELECT date_format(EndTime, '%Y-%m-%d') AS d, dayofweek(EndTime) AS w, SUM(Njobs) AS n FROM MasterSummaryData WHERE EndTime < ? GROUP BY 1, 2",
        [`${days[days.length - 1]!} 00:00:00`],
      );
      const mean = (weekend: boolean) => {
        const picked = jobs.filter((r) => [1, 7].includes(Number(r.w)) === weekend);
        return picked.reduce((s, r) => s + Number(r.n), 0) / picked.length;
      };
      expect(mean(true)).toBeLessThan(0.95 * mean(false));
    });

    it('leaves a probe silent for days while the others reported minutes ago', async () => {
      const probes = await store.query<{ name: string; t: string; n: number; last: string | null }>(
        'SELECT P.probename AS name, P.currenttime AS t, P.nRecords AS n, (SELECT MAX(J.EndTime) FROM JobUsageRecord_Meta M JOIN JobUsageRecord J ON J.dbid = M.dbid WHERE M.ProbeName = P.probename) AS last FROM Probe P',
      );
      const twoDaysAgo = toSqlDateTime(new Date(NOW.getTime() - 2 * DAY_MS));
      const silent = probes.filter((p) => p.t < twoDaysAgo);
      expect(silent.length).toBeGreaterThanOrEqual(1);
      for (const p of silent) if (p.last !== null) expect(p.last <= p.t, p.name).toBe(true);
      const hourAgo = toSqlDateTime(new Date(NOW.getTime() - 3_600_000));
      expect(probes.filter((p) => p.t >= hourAgo).length).toBeGreaterThan(probes.length / 2);
      const counted = await store.query('SELECT ProbeName AS name, COUNT(*) AS n FROM JobUsageRecord_Meta GROUP BY ProbeName');
      for (const c of counted) expect(Number(probes.find((p) => p.name === c.name)!.n), String(c.name)).toBe(Number(c.n));
    });

    it('refuses to seed a store that already holds demo data, adding nothing', async () => {
      const before = await dump(store);
      const error = await seedDemoData(store, { ...OPTIONS, seed: 99 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('conflict');
      expect((error as AppError).message).toMatch(/already holds demo data/);
      const after = await dump(store);
      for (const t of DEMO_TABLES) expect(after[t]!.length, t).toBe(before[t]!.length);
    });

    it('rejects out-of-range options before touching the store', async () => {
      for (const bad of [{ days: 0 }, { days: 2.5 }, { scale: 0 }, { scale: Number.NaN }, { seed: '' }, { now: new Date('nope') }]) {
        const error = await seedDemoData(other, bad).catch((e: unknown) => e);
        expect(error, JSON.stringify(bad)).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('bad_request');
      }
    });
  });
}
