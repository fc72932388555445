/**
 * The seed's own example (unedited): `GratiaCustomizedQueries` over a second connection, `gratia-psacct`, deriving
 * `osg_sharing_vos_customized_psacct` from the shipped `GratiaGenericQuery.master_summary`. On every backend, with
 * the second connection pointed at a store of its own that holds FermiCloud VM usage of May/June 2012.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryEngine, queryEngineClassTypes, type QueryEngine, type QueryResult } from '../../query-engine/index.js';
import { configErrors, formatIssue, loadConfig } from '../../grammar/index.js';
import { gratiaMigrations, seedDemoData, type StoreConnection } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const SEED = join(import.meta.dirname, '../../../shared/fixtures/seed-example');
const SHIPPED = join(import.meta.dirname, '../../config');
const NOW = new Date(Date.UTC(2024, 2, 15, 12));
/** The psacct database's data ends here, so the seed's fixed range (2012-05-22 to 2012-06-04) is inside it. */
const PSACCT_END = new Date(Date.UTC(2012, 5, 5, 6));

function connectionXml(name: string, conn: StoreConnection): string {
  const attrs =
    conn.interface === 'sqlite'
      ? `<attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${conn.file}</attribute>`
      : `<attribute name="Interface">MySQL</attribute><attribute name="Database">${conn.database}</attribute><attribute name="Host">${conn.host}</attribute>` +
        `<attribute name="Port">${conn.port}</attribute><attribute name="AuthDBUsername">${conn.user}</attribute><attribute name="AuthDBPassword">${conn.password}</attribute>`;
  return `<connection name="${name}">${attrs}</connection>`;
}

afterAll(removeTempDirs);

for (const backend of testBackends()) {
  describe(`the seed example on ${backend.name}`, () => {
    const dbs: Awaited<ReturnType<typeof backend.create>>[] = [];
    let engine: QueryEngine;
    let config: ReturnType<typeof loadConfig>;
    let result: QueryResult;
    let direct: Map<string, number>;

    beforeAll(async () => {
      const [main, psacct] = [await backend.create(), await backend.create()];
      dbs.push(main, psacct);
      for (const [db, now, seed] of [[main, NOW, 'main'], [psacct, PSACCT_END, 'psacct']] as const) {
        const store = db.open();
        await store.migrate(gratiaMigrations);
        await seedDemoData(store, { days: 40, scale: 0.3, seed, now });
        if (db === psacct) {
          // What the query must find: non-owner VM hours at FermiCloud per VO, straight from the table.
          const { rows } = await store.queryArrays(
            `SELECT lower(VO.VOName), sum(R.Cores*R.WallDuration)/3600 FROM MasterSummaryData R
             JOIN VONameCorrection VC ON VC.corrid = R.VOcorrid JOIN VO ON VO.VOid = VC.VOid
             WHERE R.ResourceType = 'OneVM' AND R.EndTime >= '2012-05-22 00:00:00' AND R.EndTime < '2012-06-04 23:59:59'
               AND R.WallDuration > 0 AND lower(VO.VOName) NOT IN ('fermilab', 'unknown', 'other') GROUP BY 1`,
          );
          direct = new Map(rows.map((r) => [String(r[0]), Number(r[1])]));
        }
        await store.close();
      }
      // The seed's DBParam-addition.xml, added to GratiaConnMan: same connection names, pointed at the test stores.
      const dir = tempDir();
      writeFileSync(
        join(dir, 'DBParam.xml'),
        `<graphtool-config><class name="GratiaConnMan" type="ConnectionManager"><attribute name="default">gratia</attribute>
          ${connectionXml('gratia', main.connection)}\n${connectionXml('gratia-psacct', psacct.connection)}</class></graphtool-config>`,
      );
      // The VO ownership is the shipped one (the demo fabric's): FermiCloud belongs to fermilab.
      config = loadConfig([join(SEED, 'gratia_customized_queries.xml'), join(SHIPPED, 'vo_ownership.xml')], {
        classTypes: queryEngineClassTypes,
        env: { DBPARAM_LOCATION: join(dir, 'DBParam.xml') },
        moduleMap: { 'gratia.config': SHIPPED },
      });
      engine = createQueryEngine({ config, clock: () => NOW });
      result = await engine.runQuery('osg_sharing_vos_customized_psacct');
    }, 120_000);

    afterAll(async () => {
      await engine?.close();
      for (const db of dbs) await db.dispose();
    });

    it('loads with no errors, deriving from the shipped master_summary', () => {
      expect(configErrors(config).map(formatIssue)).toEqual([]);
      const info = engine.queries().find((q) => q.name === 'osg_sharing_vos_customized_psacct')!;
      expect(info).toMatchObject({ className: 'GratiaCustomizedQueries', displayName: 'Customized Graphs', graphType: 'GratiaStackedBar' });
      expect(info.inputs.find((i) => i.name === 'resource-type')!.default).toBe('ONEVM.*');
      expect(info.resultsInputs.map((i) => `${i.name}=${i.default}`)).toEqual(['grouping_transform=make_int', 'pivots=0,1', 'grouping=2', 'results=3']);
    });

    it('runs on gratia-psacct only, with its fillers, and binds its inputs', () => {
      expect(result.error).toBeUndefined();
      expect(result.runs.map((r) => r.connection)).toEqual(['gratia-psacct']);
      expect(result.sqlTemplate).toContain('VO.VOName, S.SiteName');
      expect(result.sqlTemplate).toContain('sum(Cores*WallDuration)/3600');
      expect(result.sqlTemplate).toContain('AND WallDuration > 0');
      expect(result.params).toEqual(expect.arrayContaining(['2012-05-22 00:00:00', '2012-06-04 23:59:59', 'ONEVM.*', 'FermiCloud', 'OpenNebula']));
      expect(result.metadata).toMatchObject({ title: 'Opportunistic Wall Hours by VO (Customized)', pivot_name: 'Usage Type', graph_type: 'GratiaStackedBar', kind: 'pivot-group' });
    });

    it("matches Gratia's OneVM rows with ONEVM.* (MySQL's REGEXP ignores case) and keeps only opportunistic usage, by VO", () => {
      if (result.data.kind !== 'pivot-group') throw new Error('expected pivot-group data');
      const byVo = new Map(result.data.pivots.map((p) => [p.pivot as string, p.groups.reduce((sum, g) => sum + (g.value as number), 0)]));
      // FermiCloud belongs to fermilab: its VMs are owned usage and dropped; nova's and dune's are opportunistic.
      expect([...byVo.keys()].sort()).toEqual([...direct.keys()].sort());
      expect(byVo.size).toBeGreaterThan(0);
      for (const [vo, hours] of direct) expect(byVo.get(vo)).toBeCloseTo(hours, 6);
      for (const p of result.data.pivots) {
        for (const g of p.groups) {
          expect(Number.isInteger(g.group)).toBe(true);
          expect(g.group as number).toBeGreaterThanOrEqual(Date.UTC(2012, 4, 22) / 1000);
          expect(g.group as number).toBeLessThanOrEqual(Date.UTC(2012, 5, 4) / 1000);
        }
      }
    });

    it('gives the same rows for an exact ^OneVM$ and nothing for another resource type', async () => {
      expect((await engine.runQuery('osg_sharing_vos_customized_psacct', { 'resource-type': '^OneVM$' })).data).toEqual(result.data);
      const batch = await engine.runQuery('osg_sharing_vos_customized_psacct', { 'resource-type': '^Batch$' });
      expect(batch.data).toEqual({ kind: 'pivot-group', pivots: [] });
    });

    it('runs on the main connection when conn=gratia says so (its data is from 2024: nothing in 2012)', async () => {
      const r = await engine.runQuery('osg_sharing_vos_customized_psacct', { conn: 'gratia' });
      expect(r.runs.map((x) => [x.connection, x.error])).toEqual([['gratia', undefined]]);
      expect(r.data).toEqual({ kind: 'pivot-group', pivots: [] });
    });
  });
}
