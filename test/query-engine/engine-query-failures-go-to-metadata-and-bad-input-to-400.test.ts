/** A query's own failure (SQL, results, unsupported function) is in `error`/`metadata.error`; the caller's bad input is a 400. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { createQueryEngine, queryEngineClassTypes, type QueryEngine } from '../../query-engine/index.js';
import { loadConfig } from '../../grammar/index.js';
import { openStore } from '../../store/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const results = (fn: string, inputs = '<input name="pivots">0</input><input name="results">1</input>') =>
  `<results module="graphtool.database.query_handler" function="${fn}"><inputs>${inputs}</inputs></results>`;

const QUERIES = `
  <query name="hours">
    <inputs>
      <input name="vo" kind="sql">.*</input>
      <input name="opportunistic-filter" kind="sql">BOTH</input>
      <input name="resource-type" kind="sql">^Batch$</input>
      <input name="sql_dynamic_modif_func">oim_vo_ownership.alter_sql</input>
    </inputs>
    <sql>SELECT vo, sum(hours) FROM usage R WHERE vo regexp :vo AND :opportunistic-filter GROUP BY vo ORDER BY vo</sql>
    ${results('simple_results_parser')}
  </query>
  <query name="no_column"><sql>SELECT vo, sum(nothere) FROM usage GROUP BY vo</sql>${results('simple_results_parser')}</query>
  <query name="sizes"><sql>SELECT vo, sum(hours) FROM usage GROUP BY vo</sql>
    <results module="gratia.database.metrics" function="usage_statistics"/></query>
  <query name="wrong_columns"><sql>SELECT vo, sum(hours) FROM usage GROUP BY vo</sql>${results('simple_results_parser', '<input name="pivots">0</input><input name="results">5</input>')}</query>
`;

let engine: QueryEngine;

beforeAll(async () => {
  const dir = tempDir();
  const db = join(dir, 'u.db');
  const s = openStore({ interface: 'sqlite', file: db });
  await s.execute('CREATE TABLE usage (vo VARCHAR(40), hours DOUBLE)');
  await s.insertMany('usage', ['vo', 'hours'], [['cms', 3], ['atlas', 2]]);
  await s.close();
  const cfg = tempDir({
    'q.xml': `<graphtool-config>
      <class name="CM" type="ConnectionManager"><attribute name="default">main</attribute>
        <connection name="main"><attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${db}</attribute></connection></class>
      <class type="SqlQueries" name="Q"><attribute name="connection_manager">CM</attribute>${QUERIES}</class>
    </graphtool-config>`,
  });
  engine = createQueryEngine({ config: loadConfig(join(cfg, 'q.xml'), { classTypes: queryEngineClassTypes, env: {} }) });
});

afterAll(async () => {
  await engine.close();
  removeTempDirs();
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("the query's own failures are in the result", () => {
  it('a SQL error: metadata.error, empty data of the kind the results function gives', async () => {
    const r = await engine.runQuery('no_column');
    expect(r.error).toBe('SQL error: no such column: nothere');
    expect(r).toMatchObject({ errorStage: 'sql', kind: 'pivot', data: { kind: 'pivot', entries: [] }, metadata: { error: r.error, kind: 'pivot' } });
  });

  it('a results function the appliance cannot run: the SQL still runs, the reason is the error', async () => {
    const r = await engine.runQuery('sizes');
    expect(r.runs[0]!.rows).toBe(2);
    expect(r.errorStage).toBe('results');
    expect(r.error).toBe('results function "gratia.database.metrics.usage_statistics" is not supported: its source is not in the published Gratia-web tree, so its behaviour is unknown');
  });

  it("results inputs of the configuration that do not fit the rows (the config's fault, not the caller's)", async () => {
    const r = await engine.runQuery('wrong_columns');
    expect(r).toMatchObject({ errorStage: 'results', error: 'results input "results": column 5 is out of range: the query returns 2 columns' });
  });

  it('an unsupported transform given in the URL', async () => {
    const r = await engine.runQuery('hours', { pivot_transform: 'science_filter' });
    expect(r.errorStage).toBe('results');
    expect(r.error).toMatch(/^input "pivot_transform": transform "science_filter" is not supported: GW's ScienceFilter/);
  });

  it('OWNED or OPPORTUNISTIC without any VO ownership configured', async () => {
    const r = await engine.runQuery('hours', { 'opportunistic-filter': 'OWNED' });
    expect(r).toMatchObject({ errorStage: 'sql', error: 'opportunistic-filter=OWNED needs the OIM VO ownership data, which is not loaded' });
  });
});

describe("the caller's mistakes are 400s that name the input", () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ['a results input column list', { results: 'one' }, 'results', 'results input "results": "one" is not a comma-separated list of column indexes'],
    ['a results input column out of range', { pivots: '7' }, 'pivots', 'results input "pivots": column 7 is out of range: the query returns 2 columns'],
    ['an unknown transform', { pivot_transform: 'nope' }, 'pivot_transform', 'results input "pivot_transform": unknown transform "nope"'],
    ['the statement timeout', { sql_query_timeout: '10s' }, 'sql_query_timeout', 'input "sql_query_timeout": "10s" is not a whole number of seconds above 0'],
    ['a SQL hook other than the opportunistic filter', { sql_dynamic_modif_func: 'os.system' }, 'sql_dynamic_modif_func', 'input "sql_dynamic_modif_func": "os.system" is not a known SQL hook; the only one is "oim_vo_ownership.alter_sql"'],
    ['an opportunistic-filter value', { 'opportunistic-filter': 'MAYBE' }, 'opportunistic-filter', 'input "opportunistic-filter": "MAYBE" must be one of BOTH, OWNED, OPPORTUNISTIC'],
    // Checked before any SQL runs, so MariaDB's PCRE and SQLite's RE2 give the same answer.
    ['an invalid regular expression', { vo: '(unclosed' }, 'vo', 'input "vo": "(unclosed" is not a valid regular expression: missing closing ) (patterns use RE2 syntax)'],
    ['a backreference in a regular expression', { vo: '(a)\\1' }, 'vo', 'input "vo": backreference \\1 is not supported (patterns use RE2 syntax)'],
    ['a lookahead in a regular expression', { vo: 'cms(?!x)' }, 'vo', 'input "vo": negative lookahead (?! is not supported (patterns use RE2 syntax)'],
  ];
  for (const [what, params, input, message] of cases) {
    it(what, async () => {
      const err = await rejection(engine.runQuery('hours', params));
      expect(err.code).toBe('bad_request');
      expect(err.message).toBe(message);
      expect(err.context.input).toBe(input);
    });
  }

  it('a valid timeout is taken (SQLite runs the statement as it is: it cannot be interrupted)', async () => {
    const r = await engine.runQuery('hours', { sql_query_timeout: '5' });
    expect(r.error).toBeUndefined();
    expect(r.sql).not.toMatch(/max_statement_time|MAX_EXECUTION_TIME/);
    expect(r.data).toEqual({ kind: 'pivot', entries: [{ pivot: 'atlas', value: 2 }, { pivot: 'cms', value: 3 }] });
  });

  it('the opportunistic filter BOTH is TRUE, with no ownership needed', async () => {
    const r = await engine.runQuery('hours');
    expect(r.sql).toContain('AND TRUE GROUP BY');
    expect(r.sqlTemplate).toContain(':opportunistic-filter');
  });
});
