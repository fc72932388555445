/** The shipped query configuration loads cleanly and every graph on the home page returns data from the demo fabric, on every backend. */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryEngine, queryEngineClassTypes, type Ownership, type QueryEngine, type QueryResult, type ResultData } from '../../query-engine/index.js';
import { formatIssue, loadConfig, objectsOfType } from '../../grammar/index.js';
import { DEMO_VO_OWNERSHIP, gratiaMigrations, seedDemoData, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const CONFIG = join(import.meta.dirname, '../../config');
const FILES = ['generic_queries.xml', 'gratia_bar_queries.xml', 'gratia_pie_queries.xml', 'gratia_cumulative_queries.xml', 'vo_ownership.xml'].map((f) => join(CONFIG, f));
const NOW = new Date(Date.UTC(2024, 2, 15, 12, 0, 0));
const DAY = 86400;

/** The Gratia-web families the shipped graphs must cover, each with one of its queries. */
const FAMILIES: Record<string, string> = {
  vo: 'vo_hours_bar_smry',
  facility: 'facility_hours_bar_smry',
  user: 'dn_hours_bar',
  probe: 'probe_hours_bar_smry',
  project: 'project_hours_bar',
  'resource type': 'resource_type_hours_bar',
  glidein: 'glidein_vo_hours_bar',
  'virtual machines': 'vm_hours_bar',
  'job count': 'vo_job_cnt',
  'failed jobs': 'failed_job_cnt',
  cores: 'facility_cores_bar',
  'pie: VO': 'osg_vo_hours',
  'cumulative: VO': 'vo_success_cumulative_smry',
  opportunistic: 'osg_sharing_vos',
};

const values = (d: ResultData): number => {
  const all = d.kind === 'pivot-group' ? d.pivots.flatMap((p) => p.groups.map((g) => g.value)) : d.entries.map((e) => e.value);
  return all.reduce<number>((sum, v) => sum + (typeof v === 'number' ? v : 0), 0);
};
const size = (d: ResultData) => (d.kind === 'pivot-group' ? d.pivots.length : d.entries.length);

afterAll(removeTempDirs);

const dataByBackend = new Map<string, Map<string, QueryResult>>();

for (const backend of testBackends()) {
  describe(`the shipped queries on ${backend.name}`, () => {
    let db: Awaited<ReturnType<typeof backend.create>>;
    let store: Store;
    let engine: QueryEngine;
    let config: ReturnType<typeof loadConfig>;
    const results = new Map<string, QueryResult>();
    dataByBackend.set(backend.name, results);

    beforeAll(async () => {
      db = await backend.create();
      store = db.open();
      await store.migrate(gratiaMigrations);
      await seedDemoData(store, { days: 30, scale: 0.2, seed: 3, now: NOW });
      const env: Record<string, string> = {};
      const c = db.connection;
      if (c.interface === 'sqlite') {
        // The shipped DBParam.xml as it is: the store is $APPLIANCE_DATA/appliance.db.
        expect(c.file.endsWith('/appliance.db')).toBe(true);
        env.APPLIANCE_DATA = dirname(c.file);
      } else {
        const dir = tempDir();
        writeFileSync(join(dir, 'DBParam.xml'), `<graphtool-config><class name="GratiaConnMan" type="ConnectionManager"><attribute name="default">gratia</attribute>
          <connection name="gratia"><attribute name="Interface">MySQL</attribute><attribute name="Host">${c.host}</attribute><attribute name="Port">${c.port}</attribute>
          <attribute name="Database">${c.database}</attribute><attribute name="AuthDBUsername">${c.user}</attribute><attribute name="AuthDBPassword">${c.password}</attribute></connection>
          </class></graphtool-config>`);
        env.DBPARAM_LOCATION = join(dir, 'DBParam.xml');
      }
      config = loadConfig(FILES, { classTypes: queryEngineClassTypes, env });
      engine = createQueryEngine({ config, clock: () => NOW });
      for (const q of engine.queries()) if (q.displayName) results.set(q.name, await engine.runQuery(q.qualifiedName));
    }, 120_000);

    afterAll(async () => {
      await engine?.close();
      await store?.close();
      await db?.dispose();
    });

    it('loads with no errors and no warnings', () => {
      expect(config.issues.map(formatIssue)).toEqual([]);
    });

    it("ships the demo fabric's VO ownership", () => {
      expect(objectsOfType<Ownership[]>(config, 'VoOwnership').flatMap((o) => o.value)).toEqual(DEMO_VO_OWNERSHIP);
    });

    it('groups the graphs into the home page sections; the base queries are used by them', () => {
      const queries = engine.queries();
      expect([...new Set(queries.map((q) => q.displayName))]).toEqual([undefined, 'Bar Graphs', 'Pie Charts', 'Cumulative Graphs']);
      const bases = queries.filter((q) => !q.displayName).map((q) => q.qualifiedName);
      expect(bases).toEqual(['master_summary', 'simple_master_summary', 'monthly_master_summary', 'glidein_master_summary', 'simple_glidein_master_summary', 'jobs_query'].map((n) => `GratiaGenericQuery.${n}`));
      expect(results.size).toBe(queries.length - bases.length);
      for (const [family, name] of Object.entries(FAMILIES)) expect(results.has(name), family).toBe(true);
    });

    it('runs every graph without an error, each with data', () => {
      for (const [name, r] of results) {
        expect(r.error, `${name}: ${r.error}`).toBeUndefined();
        expect(size(r.data), name).toBeGreaterThan(0);
        expect(r.metadata.title, name).toBeTruthy();
      }
    });

    it('vo_hours_bar_smry: the wall hours of Batch jobs per VO over the last 14 days, as the table has them', async () => {
      const start = Date.UTC(2024, 2, 2) / 1000;
      const { rows } = await store.queryArrays(
        `SELECT VO.VOName, sum(R.Cores * R.WallDuration) / 3600 FROM MasterSummaryData R
         JOIN VONameCorrection VC ON VC.corrid = R.VOcorrid JOIN VO ON VO.VOid = VC.VOid
         WHERE R.ResourceType = 'Batch' AND R.EndTime >= ? AND R.WallDuration > 0 AND VO.VOName NOT IN ('Unknown', 'unknown', 'other')
         GROUP BY VO.VOName`,
        ['2024-03-02 00:00:00'],
      );
      const r = results.get('vo_hours_bar_smry')!;
      if (r.data.kind !== 'pivot-group') throw new Error('expected pivot-group data');
      const byVo = new Map(r.data.pivots.map((p) => [p.pivot, p.groups.reduce((s, g) => s + (g.value as number), 0)]));
      expect(byVo.size).toBe(rows.length);
      for (const [vo, hours] of rows) expect(byVo.get(vo as string), String(vo)).toBeCloseTo(Number(hours), 6);
      const groups = r.data.pivots.flatMap((p) => p.groups.map((g) => g.group as number));
      expect(Math.min(...groups)).toBeGreaterThanOrEqual(start);
      expect(groups.every((g) => Number.isInteger(g) && g % DAY === 0)).toBe(true);
    });

    it('opportunistic-filter splits the same hours into owned and opportunistic (OWNED + OPPORTUNISTIC = BOTH)', async () => {
      const both = results.get('vo_hours_bar_smry')!;
      const owned = await engine.runQuery('vo_hours_bar_smry', { 'opportunistic-filter': 'OWNED' });
      const opp = await engine.runQuery('vo_hours_bar_smry', { 'opportunistic-filter': 'OPPORTUNISTIC' });
      expect(owned.error ?? opp.error).toBeUndefined();
      expect(values(owned.data) + values(opp.data)).toBeCloseTo(values(both.data), 6);
      expect(values(owned.data)).toBeGreaterThan(0);
      expect(values(opp.data)).toBeGreaterThan(0);
      // Only VOs that own a site have owned usage.
      const owners = new Set(DEMO_VO_OWNERSHIP.map((o) => o.vo));
      if (owned.data.kind !== 'pivot-group') throw new Error('expected pivot-group data');
      for (const p of owned.data.pivots) expect(owners.has(String(p.pivot).toLowerCase()), String(p.pivot)).toBe(true);
      expect(owned.sql).toMatch(/\(FALSE OR \(R\.VOcorrid IN \(\?/);
    });
  });
}

describe.skipIf(testBackends().length < 2)('SQLite and MariaDB', () => {
  it('give the same data for every shipped graph', () => {
    const round = (d: ResultData) => JSON.stringify(d, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v));
    const sqlite = dataByBackend.get('sqlite')!;
    const mysql = dataByBackend.get('mysql')!;
    expect(sqlite.size).toBeGreaterThan(40);
    for (const [name, r] of sqlite) expect(round(r.data), name).toBe(round(mysql.get(name)!.data));
  });
});
