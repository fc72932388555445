/**
 * Gratia-web's own query files (fixtures, unedited) load and every query runs on the demo data, on SQLite and MariaDB,
 * with the fixtures' DBParam.xml connections pointed at a test store. Nothing is skipped: queries that cannot give
 * data here are listed with the reason, and the test checks that reason is what happens.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionManagerType, createQueryEngine, linkQueries, queryEngineClassTypes, type ConnectionManagerConfig, type OimData, type QueryEngine, type QueryResult, type ResultData } from '../../query-engine/index.js';
import { configErrors, formatIssue, loadConfig, objectsOfType } from '../../grammar/index.js';
import { DEMO_VO_OWNERSHIP, gratiaMigrations, seedDemoData, type Store, type StoreConnection } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/gratia-web');
const NOW = new Date(Date.UTC(2024, 2, 15, 12, 0, 0));

/**
 * Base queries whose tables the appliance does not have, with the tables their SQL names and why. The storage and
 * transfer summaries (StorageElement, StorageElementRecord, MasterTransferSummary) are in the store since gratia
 * migration 2, so their bases run (on empty tables: nothing collects them yet).
 */
const NEEDS_MISSING_TABLES: Record<string, { tables: string[]; why: string }> = {
  'GratiaGenericQuery.simple_query': { tables: ['JobUsageSimple'], why: 'JobUsageSimple/CEProbes/CETable are the summary tables of Gratia before MasterSummaryData' },
};

/** Queries whose SQL runs but whose results function or transform the appliance cannot run (a load warning says why). */
const UNSUPPORTED_RESULTS = [
  'osg_size', 'size_by_classification', 'size_by_resource_classification', 'osg_site_size', // GIP sizes, OIM percentages, WLCG federations
  'monthly_field', 'monthly_nonhep_field', 'monthly_nonphysics_field', 'unclassified_users', 'science_field_user_count', // GW's science feeds
  'facility_usage_statistics', // its source was never published
];

/** Queries that run cleanly but find nothing in the demo data, and why. */
const EMPTY_ON_DEMO: Record<string, string> = {
  vo_efficiency_summary: 'its default vo is dzero, which the demo has no jobs for',
  vo_wall_efficiency_summary: 'its default vo is dzero',
  dn_wall_summary: 'its default vo is dzero',
  dn_wasted_summary: 'its default vo is dzero',
};

const SYNTAX_ERROR = /syntax error|error in your SQL syntax/;
const missingTable = (message: string) => /no such table: (\w+)|Table '[^.]+\.(\w+)' doesn't exist/.exec(message)?.slice(1).find(Boolean);

afterAll(removeTempDirs);

/** A DBParam.xml with the fixtures' managers and connection names, every connection pointing at `conn`. */
function testDbParam(conn: StoreConnection): string {
  const fixture = loadConfig(join(FIXTURES, 'DBParam.xml'), { classTypes: [connectionManagerType], env: {} });
  const attrs =
    conn.interface === 'sqlite'
      ? `<attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${conn.file}</attribute>`
      : `<attribute name="Interface">MySQL</attribute><attribute name="Host">${conn.host}</attribute><attribute name="Port">${conn.port}</attribute>` +
        `<attribute name="Database">${conn.database}</attribute><attribute name="AuthDBUsername">${conn.user}</attribute><attribute name="AuthDBPassword">${conn.password}</attribute>`;
  const managers = objectsOfType<ConnectionManagerConfig>(fixture, 'ConnectionManager').map(({ name, value }) => {
    const connections = [...value.connections.keys()].map((c) => `<connection name="${c}">${attrs}</connection>`).join('\n');
    return `<class name="${name}" type="ConnectionManager"><attribute name="default">${value.default ?? ''}</attribute>\n${connections}\n</class>`;
  });
  return `<graphtool-config>\n${managers.join('\n')}\n</graphtool-config>\n`;
}

/** OIM's feeds as the mapping transforms read them, made from the demo's own sites, VOs and projects. */
async function oimFromStore(store: Store): Promise<OimData> {
  const names = async (sql: string) => (await store.queryArrays(sql)).rows.map((r) => String(r[0]));
  const sites = await names('SELECT SiteName FROM Site ORDER BY SiteName');
  const vos = await names('SELECT VOName FROM VO ORDER BY VOName');
  const projects = await names('SELECT DISTINCT ReportableProjectName FROM ProjectNameCorrection ORDER BY 1');
  return {
    resourceGroups: sites.map((s) => ({ name: `${s}-group`, resources: [{ name: s, wlcgAccountingName: `${s}-wlcg` }] })),
    voNames: vos,
    voFieldsOfScience: vos.map((vo, i) => ({ vo, field: i % 2 ? 'High Energy Physics' : 'Biology' })),
    fieldsOfScience: vos.map((vo, i) => ({ vo, field: i % 2 ? 'High Energy Physics' : 'Biology' })),
    projectFieldsOfScience: projects.map((project) => ({ project, field: 'Chemistry' })),
  };
}

const isEmpty = (d: ResultData) => (d.kind === 'pivot-group' ? d.pivots.length === 0 : d.entries.length === 0);

/** One derived query per abstract base query, filling its empty group/column slots, so every base's SQL runs. */
function probes(abstract: { className: string; name: string; slots: string[] }[]): string {
  const queries = abstract.map(({ className, name, slots }) => {
    const fillers = [slots.includes('group') ? `<filler name="group">'all'</filler>` : '', `<filler name="column">count(*)</filler>`].join('');
    return `<query name="probe__${className}__${name}" base="${className}.${name}"><sql>${fillers}</sql></query>`;
  });
  return `<graphtool-config>
  <import module="gratia.config" data_file="generic_queries.xml"/>
  <class type="SqlQueries" name="CompatProbes"><attribute name="connection_manager">GratiaConnMan</attribute>
  ${queries.join('\n  ')}
  </class>
</graphtool-config>`;
}

const resultsByBackend = new Map<string, Map<string, QueryResult>>();

for (const backend of testBackends()) {
  describe(`Gratia-web's query files on ${backend.name}`, () => {
    let db: Awaited<ReturnType<typeof backend.create>>;
    let engine: QueryEngine;
    let config: ReturnType<typeof loadConfig>;
    const results = new Map<string, QueryResult>();
    resultsByBackend.set(backend.name, results);

    beforeAll(async () => {
      db = await backend.create();
      const store = db.open();
      await store.migrate(gratiaMigrations);
      await seedDemoData(store, { days: 30, scale: 0.2, seed: 7, now: NOW });
      const oim = await oimFromStore(store);
      await store.close();

      const dir = tempDir({ 'DBParam.xml': testDbParam(db.connection) });
      const options = { classTypes: queryEngineClassTypes, env: { DBPARAM_LOCATION: join(dir, 'DBParam.xml') }, moduleMap: { 'gratia.config': FIXTURES } };
      const bare = loadConfig([join(FIXTURES, 'gratia_bar_queries.xml'), join(FIXTURES, 'gratia_pie_queries.xml')], options);
      const abstract = linkQueries(bare)
        .queries.map((q) => ({ className: q.className, name: q.name, slots: ['group', 'column'].filter((s) => q.template.some((p) => typeof p !== 'string' && p.slot === s) && !(s in q.fillers)) }))
        .filter((q) => q.slots.length > 0);
      writeFileSync(join(dir, 'probes.xml'), probes(abstract));
      config = loadConfig([join(FIXTURES, 'gratia_bar_queries.xml'), join(FIXTURES, 'gratia_pie_queries.xml'), join(dir, 'probes.xml')], options);
      engine = createQueryEngine({ config, clock: () => NOW, ownership: DEMO_VO_OWNERSHIP, oim, wlcgResources: ['Nebraska', 'MWT2', 'AGLT2', 'UCSDT2'] });
      for (const q of engine.queries()) results.set(q.qualifiedName, await engine.runQuery(q.qualifiedName));
    }, 180_000);

    afterAll(async () => {
      await engine?.close();
      await db?.dispose();
    });

    it('loads every file unedited: no errors; the warnings are the functions and transforms it cannot run', () => {
      expect(configErrors(config).map(formatIssue)).toEqual([]);
      const warned = config.issues.filter((i) => i.message.includes('is not supported, so this query will report an error'));
      expect(new Set(warned.map((i) => /^query "([^"]+)"/.exec(i.message)![1]))).toEqual(new Set(UNSUPPORTED_RESULTS));
      expect(results.size).toBeGreaterThan(120);
    });

    it('runs every query without a SQL error', () => {
      const failures = [...results].filter(([, r]) => r.runs.some((run) => run.error) && !r.name.startsWith('probe__'));
      const abstract = failures.filter(([name]) => results.has(`CompatProbes.probe__${name.replace('.', '__')}`));
      // Base queries are templates: run as they are, their empty group/column slots leave `SELECT , ...`, as in GraphTool.
      for (const [, r] of abstract) expect(r.error).toMatch(SYNTAX_ERROR);
      expect(failures.map(([name]) => name)).toEqual(abstract.map(([name]) => name));
      expect(abstract.length).toBe(17);
    });

    it("runs each base query's SQL through a derived query; the ones on tables the appliance lacks fail on exactly those", () => {
      const probeResults = [...results].filter(([name]) => name.startsWith('CompatProbes.'));
      expect(probeResults).toHaveLength(17);
      for (const [name, r] of probeResults) {
        const base = name.replace('CompatProbes.probe__', '').replace('__', '.');
        const missing = NEEDS_MISSING_TABLES[base];
        // `FROM MasterTransferSummary R FORCE INDEX (index01)` runs on both: SQLite drops the hint, MariaDB finds Gratia's index name.
        if (missing) {
          expect(r.errorStage, name).toBe('sql');
          expect(missing.tables, `${name}: ${r.error}`).toContain(missingTable(r.error ?? ''));
        } else {
          expect(r.error, name).toBeUndefined();
        }
      }
    });

    it('parses every other query: only the unsupported functions and transforms report an error, with the reason', () => {
      for (const [name, r] of results) {
        if (name.startsWith('CompatProbes.') || r.runs.some((run) => run.error)) continue;
        if (UNSUPPORTED_RESULTS.includes(r.name)) {
          expect(r.errorStage, name).toBe('results');
          expect(r.error, name).toMatch(/is not supported: .{20,}/);
        } else {
          expect(r.error, `${name}: ${r.error}`).toBeUndefined();
        }
      }
    });

    it('finds data for every query that runs, except the ones listed with why', () => {
      const empty = [...results]
        .filter(([name, r]) => !name.startsWith('CompatProbes.') && !r.error && isEmpty(r.data))
        .map(([, r]) => r.name)
        .filter((n) => !(backend.name === 'sqlite' && n === 'job_avg'));
      expect(empty.sort()).toEqual(Object.keys(EMPTY_ON_DEMO).sort());
    });

    it("keeps Gratia-web's own bug: osg_user_count names R, which its SQL never defines, once the facility filter is not .*", async () => {
      const r = await engine.runQuery('osg_user_count', { facility: 'Nebraska' });
      expect(r.errorStage).toBe('sql');
      expect(r.error).toMatch(/R\.ResourceType/);
    });
  });
}

describe.skipIf(testBackends().length < 2)('SQLite and MariaDB', () => {
  it('give the same data for every query', () => {
    const sqlite = resultsByBackend.get('sqlite')!;
    const mysql = resultsByBackend.get('mysql')!;
    const round = (d: ResultData) => JSON.parse(JSON.stringify(d, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v))) as unknown;
    const differ = [...sqlite].filter(([name, r]) => JSON.stringify(round(r.data)) !== JSON.stringify(round(mysql.get(name)!.data))).map(([name]) => name);
    // job_avg compares sum(Njobs) with its untyped (string) inputs min_jobs and max_avg: MariaDB converts the string to a
    // number, SQLite orders every number before every string, so HAVING keeps nothing there.
    expect(differ).toEqual(['GratiaBarQueries.job_avg']);
  });
});
