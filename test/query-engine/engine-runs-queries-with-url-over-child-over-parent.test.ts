/** The engine runs a derived query: URL over child default over parent default, values bound, and the whole result model. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { createQueryEngine, queryEngineClassTypes, type QueryEngine } from '../../query-engine/index.js';
import { configErrors, loadConfig } from '../../grammar/index.js';
import { openStore } from '../../store/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const NOW = new Date(Date.UTC(2016, 5, 13, 12, 30, 0));
const DAY = 86400;
const D0 = Date.UTC(2016, 5, 10) / 1000;

const config = (db: string) => ({
  'DBParam.xml': `<graphtool-config><class name="CM" type="ConnectionManager"><attribute name="default">main</attribute>
    <connection name="main"><attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${db}</attribute></connection></class></graphtool-config>`,
  'queries.xml': `<graphtool-config><import file="DBParam.xml"/>
  <class type="SqlQueries" name="Base">
    <attribute name="connection_manager">CM</attribute>
    <query name="usage">
      <inputs>
        <input name="span" type="int" kind="sql">86400</input>
        <input name="starttime" type="datetime" partial="down" kind="sql">time.time()-3*86400</input>
        <input name="endtime" type="datetime" partial="up" kind="sql">time.time()</input>
        <input name="vo" kind="sql">.*</input>
        <input name="note">parent note</input>
      </inputs>
      <sql>SELECT <slot name="group"/>, truncate(day / :span, 0) * :span AS time, <slot name="column"/> FROM usage
           WHERE day &gt;= unix_timestamp(:starttime) AND day &lt; unix_timestamp(:endtime) AND vo regexp :vo
           GROUP BY <slot name="group"/>, time ORDER BY 1 DESC, 2</sql>
      <results module="graphtool.database.query_handler" function="results_parser">
        <inputs><input name="pivots">0</input><input name="grouping">1</input><input name="results">2</input></inputs>
      </results>
      <attribute name="graph_type">GratiaStackedBar</attribute>
      <attribute name="pivot_name"/>
      <attribute name="title"/>
    </query>
  </class>
  <class type="SqlQueries" name="Graphs">
    <attribute name="connection_manager">CM</attribute>
    <attribute name="display_name">Usage Graphs</attribute>
    <query name="vo_hours" base="Base.usage">
      <inputs><input name="vo" kind="sql">cms|atlas</input><input name="span" kind="sql">86400</input></inputs>
      <sql><filler name="group">vo</filler><filler name="column">sum(hours)</filler></sql>
      <results><inputs><input name="grouping_transform">make_int</input></inputs></results>
      <attribute name="title">Hours by VO</attribute>
      <attribute name="pivot_name">VO</attribute>
      <attribute name="column_names">Wall Time</attribute>
      <attribute name="column_units">Hours</attribute>
    </query>
  </class>
</graphtool-config>`,
});

let engine: QueryEngine;

beforeAll(async () => {
  const dir = tempDir();
  const db = join(dir, 'usage.db');
  const store = openStore({ interface: 'sqlite', file: db });
  await store.execute('CREATE TABLE usage (vo VARCHAR(40), day BIGINT, hours DOUBLE)');
  await store.insertMany('usage', ['vo', 'day', 'hours'], [
    ['cms', D0, 10], ['cms', D0, 5], ['cms', D0 + DAY, 7], ['atlas', D0 + DAY, 3], ['ligo', D0 + DAY, 4], ['uscms', D0 + 2 * DAY, 1],
    ['cms', D0 - 10 * DAY, 100],
  ]);
  await store.close();
  const cfgDir = tempDir(config(db));
  const loaded = loadConfig(join(cfgDir, 'queries.xml'), { classTypes: queryEngineClassTypes, env: {} });
  expect(configErrors(loaded)).toEqual([]);
  engine = createQueryEngine({ config: loaded, clock: () => NOW });
});

afterAll(async () => {
  await engine.close();
  removeTempDirs();
});

describe('a derived query through the engine', () => {
  it("uses the child's defaults over the parent's, and the parent's type and partial on them", async () => {
    const r = await engine.runQuery('vo_hours');
    // vo=cms|atlas (child) is an exact IN list after GraphTool's regexp reduction, so uscms is not matched.
    expect(r.params).toEqual([86400, 86400, '2016-06-10 00:00:00', '2016-06-13 23:59:59', 'cms', 'atlas']);
    expect(r.sqlVars.span).toEqual({ type: 'int', value: 86400 });
    expect(r.data).toEqual({
      kind: 'pivot-group',
      pivots: [
        { pivot: 'cms', groups: [{ group: D0, value: 15 }, { group: D0 + DAY, value: 7 }] },
        { pivot: 'atlas', groups: [{ group: D0 + DAY, value: 3 }] },
      ],
    });
  });

  it('takes URL values over every default, typed by the chain', async () => {
    const r = await engine.runQuery('vo_hours', { vo: 'ligo|uscms', starttime: '2016-06-11 13:14:15', span: '172800' });
    // partial="down" rounds to midnight because the URL's span is at least a day.
    expect(r.sqlVars.starttime).toEqual({ type: 'datetime', value: new Date(Date.UTC(2016, 5, 11)) });
    expect(r.params.slice(0, 3)).toEqual([172800, 172800, '2016-06-11 00:00:00']);
    const bin = (t: number) => Math.floor(t / 172800) * 172800;
    expect(r.data).toEqual({
      kind: 'pivot-group',
      pivots: [
        { pivot: 'uscms', groups: [{ group: bin(D0 + 2 * DAY), value: 1 }] },
        { pivot: 'ligo', groups: [{ group: bin(D0 + DAY), value: 4 }] },
      ],
    });
  });

  it('passes URL keys no input declares to the results function (here a grouping transform)', async () => {
    const r = await engine.runQuery('vo_hours', { vo: 'atlas', grouping_transform: 'make_string' });
    expect(r.data).toEqual({ kind: 'pivot-group', pivots: [{ pivot: 'atlas', groups: [{ group: String(D0 + DAY), value: 3 }] }] });
    expect(r.given).toEqual({ vo: 'atlas', grouping_transform: 'make_string' });
  });

  it('returns the result model the renderers read', async () => {
    const r = await engine.runQuery('Graphs.vo_hours', { vo: 'cms', extra: 'x' });
    expect(r).toMatchObject({ name: 'vo_hours', className: 'Graphs', displayName: 'Usage Graphs', kind: 'pivot-group', given: { vo: 'cms', extra: 'x' } });
    expect(r.error).toBeUndefined();
    // The template as GraphTool showed it in <sql>: filled, unbound.
    expect(r.sqlTemplate).toContain(' SELECT   vo  , truncate(day / :span, 0) * :span AS time,   sum(hours)   FROM usage');
    expect(r.sqlTemplate).toContain('vo regexp :vo');
    expect(r.sql).toContain('vo IN (?)');
    expect(Object.keys(r.sqlVars).sort()).toEqual(['endtime', 'span', 'starttime', 'vo']);
    expect(r.inputs.note).toEqual({ type: 'string', value: 'parent note' });
    expect(r.metadata).toMatchObject({
      title: 'Hours by VO',
      pivot_name: 'VO',
      column_names: 'Wall Time',
      column_units: 'Hours',
      graph_type: 'GratiaStackedBar',
      display_name: 'Usage Graphs',
      connection_manager: 'CM',
      name: 'vo_hours',
      kind: 'pivot-group',
      sql_vars: { span: '86400', starttime: '2016-06-10 00:00:00', endtime: '2016-06-13 23:59:59', vo: 'cms' },
      given_kw: { vo: 'cms', extra: 'x', note: 'parent note', span: '86400' },
    });
    expect(r.metadata).not.toHaveProperty('error');
    expect(r.runs).toEqual([{ connection: 'main', sql: r.sql, params: r.params, rows: 2, ms: expect.any(Number) as number }]);
  });

  it('lists the queries with their class, display name, title and inputs', () => {
    const info = engine.queries().find((q) => q.qualifiedName === 'Graphs.vo_hours')!;
    expect(info).toMatchObject({ name: 'vo_hours', className: 'Graphs', displayName: 'Usage Graphs', title: 'Hours by VO', graphType: 'GratiaStackedBar' });
    expect(info.inputs.map((i) => `${i.name}=${i.default}`)).toEqual(['vo=cms|atlas', 'span=86400', 'starttime=time.time()-3*86400', 'endtime=time.time()', 'note=parent note']);
    expect(info.resultsInputs.map((i) => i.name)).toEqual(['grouping_transform', 'pivots', 'grouping', 'results']);
    expect(engine.queries().map((q) => q.qualifiedName)).toEqual(['Base.usage', 'Graphs.vo_hours']);
  });

  it('refuses a URL value that does not fit its input, naming the input', async () => {
    const err = await engine.runQuery('vo_hours', { span: 'daily' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'bad_request', message: 'input "span": "daily" is not an integer', context: { input: 'span' } });
    const bad = await engine.runQuery('vo_hours', { starttime: 'last tuesday' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'bad_request', context: { input: 'starttime' } });
  });

  it('answers an unknown query with not_found and the close names', async () => {
    await expect(engine.runQuery('vo_hour')).rejects.toMatchObject({ code: 'not_found', message: 'no query "vo_hour"; did you mean "vo_hours"?' });
  });
});
