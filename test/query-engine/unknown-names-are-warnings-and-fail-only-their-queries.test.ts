/**
 * A site-local results function, transform or class type the appliance does not know is a load warning at its
 * file:line:col; only the queries that use it fail, when they run, with that reason; everything else loads and runs.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryEngine, linkQueries, queryEngineClassTypes, type QueryEngine } from '../../query-engine/index.js';
import { configErrors, formatIssue, loadConfig, type LoadedConfig } from '../../grammar/index.js';
import { openStore } from '../../store/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const PARSER = 'module="graphtool.database.query_handler" function="simple_results_parser"';
const INPUTS = '<input name="pivots">0</input><input name="results">1</input>';

/** Line 4 onwards is the class body; each query on its own line so the positions below are plain. */
const queriesXml = (db: string) => `<graphtool-config>
<class name="CM" type="ConnectionManager"><attribute name="default">main</attribute><connection name="main"><attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${db}</attribute></connection></class>
<class type="SqlQueries" name="Q"><attribute name="connection_manager">CM</attribute>
<query name="good"><sql>SELECT vo, sum(hours) FROM usage GROUP BY vo</sql><results ${PARSER}><inputs>${INPUTS}</inputs></results></query>
<query name="local_parser"><sql>SELECT vo, sum(hours) FROM usage GROUP BY vo</sql><results module="mysite.parsers" function="my_parser"/></query>
<query name="derived" base="Q.local_parser"><sql/></query>
<query name="local_transform"><sql>SELECT vo, sum(hours) FROM usage GROUP BY vo</sql><results ${PARSER}><inputs>${INPUTS}
<input name="pivot_transform">my_site_transform</input></inputs></results></query>
<query name="undeclared"><inputs><input name="starttime" kind="sql">0</input></inputs><sql>SELECT vo, sum(hours) FROM usage WHERE hours > :starttime-86400 GROUP BY vo</sql><results ${PARSER}><inputs>${INPUTS}</inputs></results></query>
</class>
<class type="SiteDashboard" name="Dash"><attribute name="title">ours</attribute></class>
</graphtool-config>`;

let config: LoadedConfig;
let engine: QueryEngine;
let lines: string[];

beforeAll(async () => {
  const dir = tempDir();
  const db = join(dir, 'u.db');
  const s = openStore({ interface: 'sqlite', file: db });
  await s.execute('CREATE TABLE usage (vo VARCHAR(40), hours DOUBLE)');
  await s.insertMany('usage', ['vo', 'hours'], [['cms', 3], ['atlas', 2]]);
  await s.close();
  const cfg = tempDir({ 'q.xml': queriesXml(db) });
  config = loadConfig(join(cfg, 'q.xml'), { classTypes: queryEngineClassTypes, env: {} });
  linkQueries(config);
  lines = config.issues.map(formatIssue).map((l) => l.replace(`${cfg}/`, ''));
  engine = createQueryEngine({ config });
});

afterAll(async () => {
  await engine.close();
  removeTempDirs();
});

describe('unknown names in a configuration', () => {
  it('are warnings at their file:line:col, and nothing is an error', () => {
    expect(configErrors(config)).toEqual([]);
    expect(lines).toEqual([
      'q.xml:5:83: warning: query "local_parser": unknown results function "mysite.parsers.my_parser", so this query will report an error',
      expect.stringMatching(/^q\.xml:8:1: warning: query "local_transform": input "pivot_transform": unknown transform "my_site_transform", so this query will report an error/),
      // Link-time warnings come after the load's.
      expect.stringMatching(/^q\.xml:11:1: warning: class "Dash": unknown class type "SiteDashboard", so this class is not loaded/),
      'q.xml:9:1: warning: query "undeclared": the SQL uses :starttime-86400, which no kind="sql" input of this query or its bases declares, so this query will report an error',
    ]);
  });

  it('keep every query in the catalog; the others run as before', async () => {
    expect(engine.queries().map((q) => q.name)).toEqual(['good', 'local_parser', 'derived', 'local_transform', 'undeclared']);
    const good = await engine.runQuery('good');
    expect(good.error).toBeUndefined();
    expect(good.data).toEqual({ kind: 'pivot', entries: [{ pivot: 'atlas', value: 2 }, { pivot: 'cms', value: 3 }] });
  });

  it('fail the queries that use them when they run, with the reason and the warning position, as a 500', async () => {
    for (const name of ['local_parser', 'derived']) {
      const r = await engine.runQuery(name);
      expect(r.errorStage, name).toBe('results');
      expect(r.errorStatus, name).toBe(500);
      expect(r.error, name).toBe('unknown results function "mysite.parsers.my_parser" (configuration warning at ' + `${config.files[0]}:5:83)`);
      expect(r.metadata.error).toBe(r.error);
    }
    const t = await engine.runQuery('local_transform');
    expect(t.errorStatus).toBe(500);
    expect(t.error).toBe(`input "pivot_transform": unknown transform "my_site_transform" (configuration warning at ${config.files[0]}:8:1)`);
    const u = await engine.runQuery('undeclared');
    expect(u.errorStatus).toBe(500);
    expect(u.error).toBe('the query needs a value for ":starttime-86400", which is not one of its sql inputs');
    // Nothing was sent to the database: the run stopped while rendering.
    expect(u.runs[0]!.sql).toBe('');
  });

  it('a URL naming a known transform runs the query; one naming an unknown transform is the client\'s 400', async () => {
    const ok = await engine.runQuery('local_transform', { pivot_transform: 'make_string' });
    expect(ok.error).toBeUndefined();
    const bad = await engine.runQuery('local_transform', { pivot_transform: 'nope' }).then(() => undefined, (e: unknown) => e);
    expect(bad).toMatchObject({ code: 'bad_request', context: { input: 'pivot_transform' } });
  });
});
