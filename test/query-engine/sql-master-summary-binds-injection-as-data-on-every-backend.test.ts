/**
 * Contract, on every backend: a master_summary-shaped query (graphtool.md §6) filled, typed, bound and run on the Gratia
 * tables. Injection strings in any input are data; the regexp reduction returns the rows the plain regexp does; the
 * opportunistic filter splits the rows into owned and opportunistic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { resolveInputs, type InputDef, type TypedValue } from '../../query-engine/inputs/index.js';
import type { Ownership } from '../../query-engine/results/index.js';
import { buildOpportunisticFilter, fillTemplate, loadOwnershipLookup, renderSql, type SqlTemplate } from '../../query-engine/sql/index.js';
import { gratiaMigrations, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';

const FAC = "(CASE R.ResourceType WHEN 'BatchPilot' THEN R.HostDescription WHEN 'Batch' THEN S.SiteName ELSE '' END)";

/** `GratiaGenericQuery.master_summary`'s <sql>, as the config loader hands it over (entities decoded). */
const MASTER_SUMMARY_SQL: SqlTemplate = [
  '\n  SELECT ', { slot: 'group' }, ', truncate(unix_timestamp(EndTime)/:span, 0)*:span as time, ', { slot: 'column' },
  `\n  FROM MasterSummaryData R JOIN Probe P on R.ProbeName = P.probename JOIN Site S on S.siteid = P.siteid
    JOIN VONameCorrection VC ON (VC.corrid=R.VOcorrid) JOIN VO on (VC.void = VO.void) `, { slot: 'join' },
  `\n  WHERE R.EndTime >= :starttime AND R.EndTime < :endtime AND ${FAC} regexp :facility
    AND VO.VOName regexp :vo AND VC.VOName regexp :role AND (NOT (VC.VOName regexp :exclude-role))
    AND (R.ResourceType regexp :resource-type or R.ResourceType = '') AND R.CommonName regexp :user
    AND (:includeFailed='true' OR ApplicationExitCode=0) AND (:includeSuccess ='true' OR ApplicationExitCode!=0)
    AND (NOT (${FAC} regexp :exclude-facility)) AND (NOT (R.CommonName regexp :exclude-user))
    AND (NOT (VO.VOName regexp :exclude-vo)) AND R.WallDuration < 1100000000
    AND R.ProbeName regexp :probe AND :opportunistic-filter `, { slot: 'where' },
  '\n  GROUP BY ', { slot: 'group' }, ', time ', { slot: 'having' }, '\n',
];

const sql = (name: string, def: string, more: Partial<InputDef> = {}): InputDef => ({ name, kind: 'sql', default: def, ...more });
const MASTER_SUMMARY_INPUTS: InputDef[] = [
  sql('span', '86400', { type: 'int' }),
  sql('starttime', 'time.time()-13*86400', { type: 'datetime', partial: 'down' }),
  sql('endtime', 'time.time()', { type: 'datetime', partial: 'up' }),
  sql('includeFailed', 'true'), sql('includeSuccess', 'true'),
  sql('facility', '.*'), sql('probe', '.*'), sql('user', '.*'), sql('vo', '.*'), sql('role', '.*'),
  sql('exclude-role', 'NONE'), sql('exclude-user', 'NONE'), sql('exclude-vo', 'Unknown|unknown|other'),
  sql('exclude-facility', 'NONE|Generic|Obsolete'), sql('resource-type', '^Batch$'), sql('opportunistic-filter', 'BOTH'),
  { name: 'sql_dynamic_modif_func', default: 'oim_vo_ownership.alter_sql' },
];
/** `vo_hours_bar_smry`: its fillers (its own inputs are results inputs, not query inputs). */
const FILLERS = { group: 'VO.VOName', column: 'sum(R.Cores*R.WallDuration)/3600', where: 'AND R.WallDuration > 0' };

const ATTACKS = ["'; DROP TABLE VO; --", "' OR '1'='1", "\\' OR 1=1 #", ':starttime', '%s', '?'];
const REGEXP_INPUTS = ['facility', 'probe', 'user', 'vo', 'role', 'resource-type'];
const EXCLUDE_INPUTS = ['exclude-role', 'exclude-user', 'exclude-vo', 'exclude-facility'];
const TYPED_INPUTS = ['span', 'starttime', 'endtime'];
/** Attacks that are not valid regular expressions: the database refuses them as patterns. */
const NOT_A_REGEXP = new Set(['?']);

const DAY1 = 1464739200; // 2016-06-01
const RANGE = { starttime: '2016-06-01 00:00:00', endtime: '2016-06-04 00:00:00' };
const NOW = new Date(Date.UTC(2016, 5, 13, 12));

type ResultRow = [string, number, number];

const TABLE_ROWS = {
  Site: [[1, 'Nebraska'], [2, 'UCSDT2'], [3, 'Generic']],
  Probe: [[1, 1, 'condor:red.unl.edu'], [2, 2, 'condor:osg.ucsd.edu'], [3, 3, 'pbs:generic.example.org']],
  VO: [[1, 'cms'], [2, 'atlas'], [3, 'ligo'], [4, 'Unknown'], [5, 'uscms']],
  VONameCorrection: [[1, 'cms', 'cms', 1], [2, '/cms/Role=production', 'cms', 1], [3, 'atlas', 'atlas', 2], [4, 'ligo', 'ligo', 3], [5, 'unknown', 'Unknown', 4], [6, 'uscms', 'uscms', 5]],
};
// EndTime, VOcorrid, ProbeName, CommonName, ResourceType, HostDescription, ApplicationExitCode, WallDuration, Cores
const MSD_ROWS: [string, number, string, string, string, string, string, number, number][] = [
  ['2016-06-01 00:00:00', 1, 'condor:red.unl.edu', 'alice', 'Batch', '', '0', 3600, 1],
  ['2016-06-02 00:00:00', 2, 'condor:red.unl.edu', 'bob', 'Batch', '', '1', 7200, 2],
  ['2016-06-01 00:00:00', 3, 'condor:osg.ucsd.edu', 'carol', 'Batch', '', '0', 1800, 1],
  ['2016-06-03 00:00:00', 4, 'condor:osg.ucsd.edu', 'dave', 'BatchPilot', 'UCSDT2', '0', 900, 1],
  ['2016-06-02 00:00:00', 5, 'condor:red.unl.edu', 'erin', 'Batch', '', '0', 100, 1],
  ['2016-06-02 00:00:00', 1, 'pbs:generic.example.org', 'frank', 'Batch', '', '0', 360, 1],
  ['2016-06-03 00:00:00', 6, 'condor:red.unl.edu', 'gina', 'Batch', '', '0', 720, 1],
  ['2016-06-05 00:00:00', 1, 'condor:red.unl.edu', 'alice', 'Batch', '', '0', 3600, 1],
];

/** The default query over the range: r4 is BatchPilot, r5 an excluded VO, r6 an excluded facility, r8 after the range. */
const BASELINE: ResultRow[] = [
  ['atlas', DAY1, 0.5],
  ['cms', DAY1, 1],
  ['cms', DAY1 + 86400, 4],
  ['uscms', DAY1 + 2 * 86400, 0.2],
];

const byText = (a: ResultRow, b: ResultRow) => JSON.stringify(a).localeCompare(JSON.stringify(b));

function stringInput(values: Record<string, TypedValue>, name: string): string | undefined {
  const v = values[name];
  return v?.type === 'string' ? v.value : undefined;
}

describe.each(testBackends())('master_summary on $name', (backend) => {
  let store: Store;
  let dispose: () => Promise<void>;
  const counts: Record<string, number> = {};

  beforeAll(async () => {
    const db = await backend.create();
    dispose = db.dispose;
    store = db.open();
    await store.migrate(gratiaMigrations);
    await store.insertMany('Site', ['siteid', 'SiteName'], TABLE_ROWS.Site);
    await store.insertMany('Probe', ['probeid', 'siteid', 'probename'], TABLE_ROWS.Probe);
    await store.insertMany('VO', ['VOid', 'VOName'], TABLE_ROWS.VO);
    await store.insertMany('VONameCorrection', ['corrid', 'VOName', 'ReportableVOName', 'VOid'], TABLE_ROWS.VONameCorrection);
    await store.insertMany(
      'MasterSummaryData',
      ['EndTime', 'VOcorrid', 'ProbeName', 'CommonName', 'ResourceType', 'HostDescription', 'ApplicationExitCode', 'WallDuration', 'Cores', 'Njobs'],
      MSD_ROWS.map((r) => [...r, 1]),
    );
    for (const table of [...Object.keys(TABLE_ROWS), 'MasterSummaryData']) counts[table] = await countRows(table);
  });

  afterAll(async () => {
    await store?.close();
    await dispose?.();
  });

  async function countRows(table: string): Promise<number> {
    const r = await store.queryArrays(`SELECT count(*) FROM ${table}`);
    return Number(r.rows[0]?.[0]);
  }

  /** Types the URL, builds the opportunistic filter, renders and runs the query; rows sorted. */
  async function run(url: Record<string, string>, opts: { reduceRegexp?: boolean; ownership?: Ownership[] } = {}): Promise<ResultRow[]> {
    const { values, sqlVars } = resolveInputs([[], MASTER_SUMMARY_INPUTS], { ...RANGE, ...url }, { now: NOW });
    const lookup = opts.ownership ? await loadOwnershipLookup(store, opts.ownership) : undefined;
    const filter = buildOpportunisticFilter({
      value: stringInput(values, 'opportunistic-filter'),
      resourceType: stringInput(values, 'resource-type'),
      ownership: opts.ownership,
      lookup,
    });
    const rendered = renderSql(fillTemplate(MASTER_SUMMARY_SQL, FILLERS), sqlVars, store.backend, {
      fragments: { 'opportunistic-filter': filter },
      reduceRegexp: opts.reduceRegexp,
    });
    const result = await store.queryArrays(rendered.sql, rendered.params);
    // MySQL returns truncate(...)*span as DECIMAL text; GW's make_int transform turned it into an int.
    return result.rows.map(([vo, time, hours]): ResultRow => [String(vo), Number(time), Number(hours)]).sort(byText);
  }

  it('runs the filled, bound query and returns the expected groups', async () => {
    expect(await run({})).toEqual(BASELINE);
    expect(await run({ vo: 'cms', span: '3600' })).toEqual([['cms', DAY1, 1], ['cms', DAY1 + 86400, 4]]);
    expect(await run({ includeFailed: 'false' })).toEqual(BASELINE.filter(([vo, t]) => !(vo === 'cms' && t === DAY1 + 86400)));
  });

  describe('injection strings are bound as data', () => {
    it.each(REGEXP_INPUTS)('%s: no rows match them', async (input) => {
      for (const attack of ATTACKS) {
        if (NOT_A_REGEXP.has(attack)) {
          await expect(run({ [input]: attack }), `${input}=${attack}`).rejects.toThrow(/regexp|regular expression|repeat|quantifier/i);
        } else {
          expect(await run({ [input]: attack }), `${input}=${attack}`).toEqual([]);
        }
      }
    });

    it.each(EXCLUDE_INPUTS)('%s: they exclude nothing', async (input) => {
      const excludeNothing = await run({ [input]: 'nothing_has_this_name' });
      expect(excludeNothing.length).toBeGreaterThanOrEqual(BASELINE.length);
      for (const attack of ATTACKS) {
        if (NOT_A_REGEXP.has(attack)) {
          await expect(run({ [input]: attack }), `${input}=${attack}`).rejects.toThrow(/regexp|regular expression|repeat|quantifier/i);
        } else {
          expect(await run({ [input]: attack }), `${input}=${attack}`).toEqual(excludeNothing);
        }
      }
    });

    it.each(['includeFailed', 'includeSuccess'])("%s: they are simply not 'true'", async (input) => {
      const notTrue = await run({ [input]: 'false' });
      expect(notTrue.length).toBeLessThan(BASELINE.length);
      for (const attack of ATTACKS) expect(await run({ [input]: attack }), `${input}=${attack}`).toEqual(notTrue);
    });

    it.each(TYPED_INPUTS)('%s: typing refuses them with a 400', async (input) => {
      for (const attack of ATTACKS) {
        const err = await run({ [input]: attack }).then(() => undefined, (e: unknown) => e);
        expect(err, `${input}=${attack}`).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe('bad_request');
        expect((err as AppError).message).toMatch(new RegExp(`^input "${input}": `));
      }
    });

    it('opportunistic-filter: refused with a 400 naming the input', async () => {
      for (const attack of ATTACKS) {
        await expect(run({ 'opportunistic-filter': attack })).rejects.toThrow(`input "opportunistic-filter": "${attack}" must be one of BOTH, OWNED, OPPORTUNISTIC`);
      }
    });

    it('leaves every table in place with all its rows', async () => {
      for (const [table, n] of Object.entries(counts)) expect(await countRows(table), table).toBe(n);
      expect(counts.MasterSummaryData).toBe(MSD_ROWS.length);
      expect(await run({})).toEqual(BASELINE);
    });
  });

  describe('the regexp reduction returns the rows of the plain regexp', () => {
    it.each<[string, Record<string, string>, boolean]>([
      ['all defaults (.* everywhere, NONE|Generic|Obsolete, Unknown|unknown|other)', {}, true],
      ['a .* facility through the parenthesised CASE', { facility: '.*', vo: 'atlas|ligo' }, true],
      ['a word list', { vo: 'atlas|ligo|uscms' }, true],
      ['a single word', { user: 'bob' }, true],
      ['an excluded word list', { 'exclude-facility': 'UCSDT2|Nebraska', 'resource-type': '.*' }, true],
      ['an excluded single word', { 'exclude-facility': 'UCSDT2', 'resource-type': '.*' }, true],
      ['a word list matching nothing', { probe: 'nothing|none' }, false],
      ['a real regexp, left alone', { vo: '^(cms|atlas)$' }, true],
    ])('%s', async (_name, url, someRows) => {
      const reduced = await run(url);
      expect(reduced).toEqual(await run(url, { reduceRegexp: false }));
      expect(reduced.length > 0).toBe(someRows);
    });

    it('but a plain word is an exact match, not a search (GraphTool did this too)', async () => {
      expect(await run({ vo: 'cms' })).toEqual(BASELINE.filter(([vo]) => vo === 'cms'));
      expect(await run({ vo: 'cms' }, { reduceRegexp: false })).toEqual(BASELINE.filter(([vo]) => vo === 'cms' || vo === 'uscms'));
    });
  });

  describe('the opportunistic filter', () => {
    const ownership: Ownership[] = [{ vo: 'CMS', resource: 'Nebraska' }, { vo: 'atlas', resource: 'MWT2' }, { vo: 'osg', resource: 'UCSDT2' }];

    it('OWNED keeps the owners at their sites, OPPORTUNISTIC the rest, together all of BOTH', async () => {
      const owned = await run({ 'opportunistic-filter': 'OWNED' }, { ownership });
      const opportunistic = await run({ 'opportunistic-filter': 'OPPORTUNISTIC' }, { ownership });
      expect(owned).toEqual([['cms', DAY1, 1], ['cms', DAY1 + 86400, 4]]);
      expect(opportunistic).toEqual([['atlas', DAY1, 0.5], ['uscms', DAY1 + 2 * 86400, 0.2]]);
      expect([...owned, ...opportunistic].sort(byText)).toEqual(await run({ 'opportunistic-filter': 'BOTH' }, { ownership }));
    });

    it('BatchPilot rows are owned by their HostDescription', async () => {
      const pilot = { 'resource-type': 'BatchPilot' };
      const ligoAtUcsd: Ownership[] = [{ vo: 'ligo', resource: 'ucsdt2' }];
      expect(await run({ ...pilot, 'opportunistic-filter': 'OWNED' }, { ownership: ligoAtUcsd })).toEqual([['ligo', DAY1 + 2 * 86400, 0.25]]);
      expect(await run({ ...pilot, 'opportunistic-filter': 'OPPORTUNISTIC' }, { ownership: ligoAtUcsd })).toEqual([]);
    });
  });
});
