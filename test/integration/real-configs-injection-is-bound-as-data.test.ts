/**
 * Gratia-web's vo_hours_bar_smry (unedited) on every backend: SQL-injection strings in any of its inputs reach the
 * database only as bound values, and a value that does not fit its input's type is a 400 naming the input.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { createQueryEngine, queryEngineClassTypes, type QueryEngine } from '../../query-engine/index.js';
import { configErrors, loadConfig } from '../../grammar/index.js';
import { DEMO_VO_OWNERSHIP, gratiaMigrations, seedDemoData, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/gratia-web');
const NOW = new Date(Date.UTC(2024, 2, 15, 12));
const QUERY = 'vo_hours_bar_smry';

const ATTACKS = [
  "'; DROP TABLE VO; --",
  "' OR '1'='1",
  "\\' OR 1=1 #",
  "cms' UNION SELECT VOName, 1, 1 FROM VO -- ",
  '"); DELETE FROM MasterSummaryData; --',
  ':starttime',
  '%s',
  '?',
  '1) OR (1=1',
];
/** Every text input of master_summary the URL can set, with its SQL role. */
const TEXT_INPUTS = ['facility', 'probe', 'user', 'vo', 'role', 'exclude-role', 'exclude-vo', 'exclude-user', 'exclude-facility', 'resource-type', 'includeFailed', 'includeSuccess'];
/** A database refuses some attacks as patterns (MySQL's REGEXP): the query's error, never a syntax error. */
const REFUSED_PATTERN = /regular expression|regexp|REGEXP|repetition-operator|Got error|nothing to repeat/i;

afterAll(removeTempDirs);

for (const backend of testBackends()) {
  describe(`injection into ${QUERY} on ${backend.name}`, () => {
    let db: Awaited<ReturnType<typeof backend.create>>;
    let store: Store;
    let engine: QueryEngine;
    const counts = async () => (await store.queryArrays('SELECT (SELECT count(*) FROM VO), (SELECT count(*) FROM MasterSummaryData)')).rows[0]!.map(Number);
    let before: number[];

    beforeAll(async () => {
      db = await backend.create();
      store = db.open();
      await store.migrate(gratiaMigrations);
      await seedDemoData(store, { days: 20, scale: 0.1, seed: 11, now: NOW });
      before = await counts();
      const c = db.connection;
      const conn =
        c.interface === 'sqlite'
          ? `<attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${c.file}</attribute>`
          : `<attribute name="Interface">MySQL</attribute><attribute name="Host">${c.host}</attribute><attribute name="Port">${c.port}</attribute><attribute name="Database">${c.database}</attribute>` +
            `<attribute name="AuthDBUsername">${c.user}</attribute><attribute name="AuthDBPassword">${c.password}</attribute>`;
      const dir = tempDir();
      writeFileSync(join(dir, 'DBParam.xml'), `<graphtool-config><class name="GratiaConnMan" type="ConnectionManager"><attribute name="default">gratia</attribute><connection name="gratia">${conn}</connection></class></graphtool-config>`);
      const config = loadConfig(join(FIXTURES, 'gratia_bar_queries.xml'), { classTypes: queryEngineClassTypes, env: { DBPARAM_LOCATION: join(dir, 'DBParam.xml') } });
      expect(configErrors(config)).toEqual([]);
      engine = createQueryEngine({ config, clock: () => NOW, ownership: DEMO_VO_OWNERSHIP });
    }, 120_000);

    afterAll(async () => {
      await engine?.close();
      await store?.close();
      await db?.dispose();
    });

    it('binds every attack in every text input as data: never in the SQL text, never a syntax error, nothing changed', async () => {
      const baseline = await engine.runQuery(QUERY);
      expect(baseline.error).toBeUndefined();
      let bound = 0;
      for (const input of TEXT_INPUTS) {
        for (const attack of ATTACKS) {
          const r = await engine.runQuery(QUERY, { [input]: attack }).catch((err: unknown) => err as Error);
          // A pattern RE2 refuses is a 400 naming the input before any SQL runs, on both backends alike.
          if (r instanceof Error) {
            if (!(r instanceof AppError)) throw r;
            expect(r.code, `${input}=${attack}`).toBe('bad_request');
            expect(r.message, `${input}=${attack}`).toMatch(new RegExp(`^input "${input}": .*\\(patterns use RE2 syntax\\)$`));
            continue;
          }
          // ('?' is in every statement as the placeholder itself.)
          if (attack !== '?') expect(r.sql, `${input}=${attack}`).not.toContain(attack);
          expect(r.params, `${input}=${attack}`).toContain(attack);
          if (r.error !== undefined) expect(r.error, `${input}=${attack}`).toMatch(REFUSED_PATTERN);
          if (r.error === undefined) bound += 1;
          // A filter that matches the attack text literally matches nothing, and an exclusion excludes nothing.
          if (r.error === undefined && !input.startsWith('exclude-') && !input.startsWith('include')) expect(r.data, `${input}=${attack}`).toEqual({ kind: 'pivot-group', pivots: [] });
        }
      }
      expect(bound).toBeGreaterThan(TEXT_INPUTS.length * 5);
      expect(await counts()).toEqual(before);
    });

    it('takes a quote inside a real name as data too', async () => {
      const r = await engine.runQuery(QUERY, { vo: "^cms$' OR '1'='1" });
      expect(r.error).toBeUndefined();
      expect(r.data).toEqual({ kind: 'pivot-group', pivots: [] });
      const cms = await engine.runQuery(QUERY, { vo: 'cms' });
      if (cms.data.kind !== 'pivot-group') throw new Error('expected pivot-group data');
      expect(cms.data.pivots.map((p) => p.pivot)).toEqual(['cms']);
    });

    it('refuses values that do not fit their input, naming it (HTTP 400)', async () => {
      for (const [input, value] of [['span', '86400; DROP TABLE VO'], ['span', '1e3'], ['starttime', "2016-01-01' OR '1'='1"], ['endtime', 'yesterday']] as const) {
        const err = await engine.runQuery(QUERY, { [input]: value }).then(() => undefined, (e: unknown) => e);
        expect(err, `${input}=${value}`).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe('bad_request');
        expect((err as AppError).httpStatus).toBe(400);
        expect((err as AppError).message).toMatch(new RegExp(`^input "${input}": `));
      }
      for (const attack of ATTACKS) {
        await expect(engine.runQuery(QUERY, { 'opportunistic-filter': attack })).rejects.toMatchObject({ code: 'bad_request', context: { input: 'opportunistic-filter' } });
      }
      expect(await counts()).toEqual(before);
    });
  });
}
