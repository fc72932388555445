/** `<aggregate>` and connections: parallel runs with rows concatenated, `conn=`, lazy reuse, failures per connection. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryEngine, queryEngineClassTypes } from '../../query-engine/index.js';
import { configErrors, loadConfig, type LoadedConfig } from '../../grammar/index.js';
import { openStore, type ArrayResult, type Store, type StoreConnection } from '../../store/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const DAY0 = 1465516800;

const sqlite = (name: string, file: string) =>
  `<connection name="${name}"><attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${file}</attribute></connection>`;

const QUERY = `<query name="q">
  <inputs><input name="vo" kind="sql">.*</input></inputs>
  <sql>SELECT vo, day, sum(hours) FROM usage WHERE vo regexp :vo GROUP BY vo, day ORDER BY vo, day</sql>
  <results module="graphtool.database.query_handler" function="results_parser">
    <inputs><input name="pivots">0</input><input name="grouping">1</input><input name="results">2</input></inputs>
  </results>
</query>`;

function files(dir: string): Record<string, string> {
  return {
    'DBParam.xml': `<graphtool-config>
  <class name="CM" type="ConnectionManager">
    <attribute name="default">a</attribute>
    <attribute name="appliance_store">a</attribute>
    ${sqlite('a', join(dir, 'a.db'))} ${sqlite('b', join(dir, 'b.db'))} ${sqlite('bad', join(dir, 'bad.db'))}
    <connection name="ora"><attribute name="Interface">Oracle</attribute><attribute name="Database">x</attribute></connection>
  </class>
  <class name="Pair" type="ConnectionManager">
    <attribute name="default">a</attribute>
    ${sqlite('a', join(dir, 'a.db'))} ${sqlite('b', join(dir, 'b.db'))}
  </class>
</graphtool-config>`,
    'queries.xml': `<graphtool-config><import file="DBParam.xml"/>
  <class type="SqlQueries" name="Default"><attribute name="connection_manager">CM</attribute>${QUERY}</class>
  <class type="SqlQueries" name="Agg"><attribute name="connection_manager">CM</attribute>
    <aggregate><connection>a</connection><connection>b</connection></aggregate>${QUERY}
    <query name="derived" base="Default.q"><sql/></query>
  </class>
  <class type="SqlQueries" name="All"><attribute name="connection_manager">Pair</attribute><aggregate all="true"/>${QUERY}</class>
  <class type="SqlQueries" name="Broken"><attribute name="connection_manager">CM</attribute>
    <aggregate><connection>bad</connection><connection>b</connection></aggregate>${QUERY}</class>
  <class type="SqlQueries" name="Oracle"><attribute name="connection_manager">CM</attribute>
    <aggregate><connection>ora</connection></aggregate>${QUERY}</class>
</graphtool-config>`,
  };
}

let dir: string;
let config: LoadedConfig;
let applianceStore: Store;

beforeAll(async () => {
  dir = tempDir();
  for (const [name, rows] of [
    ['a', [['cms', DAY0, 10], ['atlas', DAY0, 1]]],
    ['b', [['cms', DAY0, 5], ['ligo', DAY0, 2]]],
  ] as const) {
    const s = openStore({ interface: 'sqlite', file: join(dir, `${name}.db`) });
    await s.execute('CREATE TABLE usage (vo VARCHAR(40), day BIGINT, hours DOUBLE)');
    await s.insertMany('usage', ['vo', 'day', 'hours'], rows.map((r) => [...r]));
    await s.close();
  }
  const cfg = tempDir(files(dir));
  config = loadConfig(join(cfg, 'queries.xml'), { classTypes: queryEngineClassTypes, env: {} });
  applianceStore = openStore({ interface: 'sqlite', file: join(dir, 'a.db') });
});

afterAll(async () => {
  await applianceStore.close();
  removeTempDirs();
});

/** Counts opens and closes of the stores the engine asks for. */
function countingOpen() {
  const opened: string[] = [];
  const closed: string[] = [];
  const open = (conn: StoreConnection): Store => {
    const store = openStore(conn);
    const name = conn.interface === 'sqlite' ? conn.file.split('/').pop()! : conn.database;
    opened.push(name);
    const close = store.close.bind(store);
    return Object.assign(store, { close: async () => { closed.push(name); await close(); } });
  };
  return { open, opened, closed };
}

const pivots = (r: { data: unknown }) => r.data;

describe('where a query runs', () => {
  it('loads: the Oracle connection is only a warning', () => {
    expect(configErrors(config)).toEqual([]);
    expect(config.issues.map((i) => i.message)).toEqual(['connection "ora": the Oracle interface is not supported; queries on this connection will fail']);
  });

  it("runs an aggregate on each connection and concatenates the rows (the parser sums a (pivot, group) seen twice)", async () => {
    const engine = createQueryEngine({ config });
    const r = await engine.runQuery('Agg.q');
    expect(r.runs.map((x) => [x.connection, x.rows])).toEqual([['a', 2], ['b', 2]]);
    expect(pivots(r)).toEqual({
      kind: 'pivot-group',
      pivots: [
        { pivot: 'atlas', groups: [{ group: DAY0, value: 1 }] },
        { pivot: 'cms', groups: [{ group: DAY0, value: 15 }] },
        { pivot: 'ligo', groups: [{ group: DAY0, value: 2 }] },
      ],
    });
    // all="true": every connection of the class's manager.
    expect((await engine.runQuery('All.q')).runs.map((x) => x.connection)).toEqual(['a', 'b']);
    // With no aggregate, the manager's default; a derived query takes its own class's aggregate.
    expect((await engine.runQuery('Default.q')).runs.map((x) => x.connection)).toEqual(['a']);
    expect((await engine.runQuery('Agg.derived')).runs.map((x) => x.connection)).toEqual(['a', 'b']);
    await engine.close();
  });

  it('runs on the one connection conn= names, and refuses a connection the manager does not have', async () => {
    const engine = createQueryEngine({ config });
    const r = await engine.runQuery('Agg.q', { conn: 'b' });
    expect(r.runs.map((x) => x.connection)).toEqual(['b']);
    expect(r.metadata.given_kw).toMatchObject({ conn: 'b' });
    await expect(engine.runQuery('Agg.q', { conn: 'c' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/^input "conn": no connection "c" in ConnectionManager "CM"; did you mean "a" or "b"/) as unknown as string,
      context: { input: 'conn' },
    });
    await engine.close();
  });

  it('keeps the rows of the connections that answered and reports the first failure, as GraphTool did', async () => {
    const engine = createQueryEngine({ config });
    const r = await engine.runQuery('Broken.q');
    expect(r.error).toMatch(/^SQL error: no such table: usage/);
    expect(r.errorStage).toBe('sql');
    expect(r.metadata.error).toBe(r.error);
    expect(r.runs.map((x) => [x.connection, x.rows, x.errorStage])).toEqual([['bad', 0, 'sql'], ['b', 2, undefined]]);
    expect(pivots(r)).toEqual({
      kind: 'pivot-group',
      pivots: [{ pivot: 'cms', groups: [{ group: DAY0, value: 5 }] }, { pivot: 'ligo', groups: [{ group: DAY0, value: 2 }] }],
    });
    await engine.close();
  });

  it('reports a connection whose interface is not supported in the result, not as a thrown error', async () => {
    const engine = createQueryEngine({ config });
    const r = await engine.runQuery('Oracle.q');
    expect(r).toMatchObject({ error: 'connection "ora": the Oracle interface is not supported; use MySQL or sqlite', errorStage: 'connection' });
    expect(r.data).toEqual({ kind: 'pivot-group', pivots: [] });
    await engine.close();
  });
});

describe('connections', () => {
  it('are opened on first use, once, reused, and closed by close()', async () => {
    const c = countingOpen();
    const engine = createQueryEngine({ config, openStore: c.open });
    expect(c.opened).toEqual([]);
    await engine.runQuery('Agg.q');
    await Promise.all([engine.runQuery('Agg.q'), engine.runQuery('Agg.q', { conn: 'b' }), engine.runQuery('All.q')]);
    // All.q runs on the Pair manager: its connections are its own, even on the same files.
    expect(c.opened.sort()).toEqual(['a.db', 'a.db', 'b.db', 'b.db']);
    await engine.close();
    expect(c.closed.sort()).toEqual(['a.db', 'a.db', 'b.db', 'b.db']);
  });

  it("use the appliance's own store for the manager's appliance_store connection, and never close it", async () => {
    const c = countingOpen();
    const engine = createQueryEngine({ config, openStore: c.open, applianceStore });
    const r = await engine.runQuery('Agg.q');
    expect(r.runs.map((x) => x.rows)).toEqual([2, 2]);
    expect(c.opened).toEqual(['b.db']);
    await engine.close();
    expect(await applianceStore.query('SELECT count(*) AS n FROM usage')).toEqual([{ n: 2 }]);
  });

  it('run an aggregate in parallel', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (conn: StoreConnection): Store => {
      const name = conn.interface === 'sqlite' ? conn.file : conn.database;
      return {
        backend: 'sqlite',
        description: `slow ${name}`,
        async queryArrays(): Promise<ArrayResult> {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 50));
          inFlight -= 1;
          return { columns: ['vo', 'day', 'h'], rows: [[name.endsWith('a.db') ? 'cms' : 'atlas', DAY0, 1]] };
        },
        close: async () => {},
      } as unknown as Store;
    };
    const engine = createQueryEngine({ config, openStore: slow });
    const r = await engine.runQuery('Agg.q');
    expect(most).toBe(2);
    expect(r.runs.map((x) => x.rows)).toEqual([1, 1]);
    await engine.close();
  });
});
