/** Query inheritance as GraphTool's `make_query_chain` merged it: SQL pieces and fillers, inputs, results, metadata, aggregate. */
import { afterAll, describe, expect, it } from 'vitest';
import { linkQueries, queryEngineClassTypes } from '../../query-engine/index.js';
import { configErrors, formatIssue, loadConfig } from '../../grammar/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const DBPARAM = `<graphtool-config>
  <class name="CM" type="ConnectionManager">
    <attribute name="default">main</attribute>
    <connection name="main"><attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">/tmp/none.db</attribute></connection>
    <connection name="other"><attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">/tmp/none2.db</attribute></connection>
  </class>
</graphtool-config>`;

/** Three levels over three files given leaf first, so each base is defined after the query that names it: linking must wait. */
const FILES = {
  'DBParam.xml': DBPARAM,
  'leaf.xml': `<graphtool-config>
  <class type="SqlQueries" name="Leaf">
    <attribute name="connection_manager">CM</attribute>
    <attribute name="display_name">Leaf Graphs</attribute>
    <attribute name="owner">leaf-class</attribute>
    <query name="leaf" base="Mid.mid">
      <inputs><input name="vo" kind="sql">cms</input></inputs>
      <sql><filler name="group">VO.Name</filler><filler name="where">AND x &gt; 1</filler></sql>
      <attribute name="title">Leaf title</attribute>
    </query>
    <query name="plain" base="Base.root">
      <sql><filler name="group">g</filler><filler name="column">c</filler></sql>
    </query>
  </class>
</graphtool-config>`,
  'mid.xml': `<graphtool-config>
  <class type="SqlQueries" name="Mid">
    <attribute name="connection_manager">CM</attribute>
    <attribute name="display_name">Mid Graphs</attribute>
    <aggregate><connection>main</connection><connection>other</connection></aggregate>
    <query name="mid" base="Base.root">
      <inputs><input name="span" type="int" kind="sql">3600</input><input name="extra">e</input></inputs>
      <sql><filler name="group">MidGroup</filler><filler name="column">sum(v)</filler></sql>
      <results><inputs><input name="grouping_transform">make_int</input></inputs></results>
      <attribute name="title">Mid title</attribute>
      <attribute name="pivot_name">VO</attribute>
    </query>
  </class>
</graphtool-config>`,
  'base.xml': `<graphtool-config>
  <import file="DBParam.xml"/>
  <class type="SqlQueries" name="Base">
    <attribute name="connection_manager">CM</attribute>
    <query name="root">
      <inputs>
        <input name="span" type="int" kind="sql">86400</input>
        <input name="vo" kind="sql">.*</input>
        <input name="starttime" type="datetime" partial="down" kind="sql">time.time()-86400</input>
      </inputs>
      <sql>SELECT <slot name="group"/>, t, <slot name="column"/> FROM T WHERE vo regexp :vo AND t &gt;= :starttime AND s = :span <slot name="where"/></sql>
      <results module="graphtool.database.query_handler" function="results_parser">
        <inputs><input name="pivots">0</input><input name="grouping">1</input><input name="results">2</input></inputs>
      </results>
      <attribute name="graph_type">GratiaStackedBar</attribute>
      <attribute name="title"/>
      <attribute name="pivot_name"/>
    </query>
  </class>
</graphtool-config>`,
};

function load(files: Record<string, string>, entries = ['leaf.xml', 'mid.xml', 'base.xml']) {
  const dir = tempDir(files);
  const config = loadConfig(entries.map((e) => `${dir}/${e}`), { classTypes: queryEngineClassTypes, env: {} });
  const catalog = linkQueries(config);
  return { dir, config, catalog, issues: config.issues.map(formatIssue).map((l) => l.replace(`${dir}/`, '')) };
}

describe('a three-level base chain over files loaded in any order', () => {
  const { catalog, issues } = load(FILES);
  const leaf = catalog.find('leaf')!;
  const mid = catalog.find('Mid.mid')!;

  it('loads without issues and links every query', () => {
    expect(issues).toEqual([]);
    expect(catalog.queries.map((q) => q.qualifiedName)).toEqual(['Leaf.leaf', 'Leaf.plain', 'Mid.mid', 'Base.root']);
    expect(leaf.chain).toEqual(['Leaf.leaf', 'Mid.mid', 'Base.root']);
  });

  it("copies the root's pieces and fills them, a child's filler over its parent's, unfilled slots empty", () => {
    expect(mid.fillers).toEqual({ group: 'MidGroup', column: 'sum(v)' });
    expect(leaf.fillers).toEqual({ group: 'VO.Name', column: 'sum(v)', where: 'AND x > 1' });
    // GraphTool's str(Sql): every piece wrapped in single spaces.
    expect(leaf.sqlTemplate).toBe(' SELECT   VO.Name  , t,   sum(v)   FROM T WHERE vo regexp :vo AND t >= :starttime AND s = :span   AND x > 1 ');
    expect(mid.sqlTemplate).toContain(' s = :span    ');
  });

  it('keeps each level\'s inputs, child first, for URL > child default > parent default', () => {
    expect(leaf.inputChain.map((level) => level.map((d) => `${d.name}=${d.default}`))).toEqual([
      ['vo=cms'],
      ['span=3600', 'extra=e'],
      ['span=86400', 'vo=.*', 'starttime=time.time()-86400'],
    ]);
    expect(leaf.inputChain[2]![2]).toMatchObject({ type: 'datetime', partial: 'down', kind: 'sql' });
  });

  it("adds results inputs along the chain and takes the nearest level's results function", () => {
    expect(leaf.resultsInputChain.map((level) => level.map((d) => d.name))).toEqual([['grouping_transform'], ['pivots', 'grouping', 'results']]);
    expect(leaf.results).toMatchObject({ module: 'graphtool.database.query_handler', fn: 'results_parser' });
    expect(leaf.results.run).toBeTypeOf('function');
  });

  it("merges metadata: own attributes, then the base's, then the owning class's, so a base class's display_name wins", () => {
    expect(leaf.metadata).toEqual({
      title: 'Leaf title',
      pivot_name: 'VO',
      graph_type: 'GratiaStackedBar',
      connection_manager: 'CM',
      display_name: 'Mid Graphs',
      owner: 'leaf-class',
      name: 'leaf',
    });
    expect(leaf.displayName).toBe('Mid Graphs');
    // Base has no display_name, so Leaf's own applies to a query derived straight from it.
    expect(catalog.find('plain')!.displayName).toBe('Leaf Graphs');
  });

  it("runs on its own class's connection manager with its class's aggregate, else the nearest base class's", () => {
    expect(leaf.connectionManager).toBe('CM');
    expect(leaf.aggregate?.connections.map((c) => c.name)).toEqual(['main', 'other']);
    expect(catalog.find('plain')!.aggregate).toBeUndefined();
  });
});

describe('names', () => {
  it('finds a query by Class.query, or by bare name with the last class defining it winning', () => {
    const { catalog, issues } = load({
      'DBParam.xml': DBPARAM,
      'a.xml': `<graphtool-config><import file="DBParam.xml"/>
        <class type="SqlQueries" name="First"><attribute name="connection_manager">CM</attribute>
          <query name="q"><sql>SELECT 1, 2</sql><results function="simple_results_parser"/><attribute name="title">first</attribute></query></class>
        <class type="SqlQueries" name="Second"><attribute name="connection_manager">CM</attribute>
          <query name="q"><sql>SELECT 1, 2</sql><results function="simple_results_parser"/><attribute name="title">second</attribute></query></class>
      </graphtool-config>`,
    }, ['a.xml']);
    expect(issues).toEqual([]);
    expect(catalog.find('q')!.metadata.title).toBe('second');
    expect(catalog.find('First.q')!.metadata.title).toBe('first');
    expect(catalog.find('Third.q')).toBeUndefined();
  });

  it('links once per configuration: a second call adds no issues twice', () => {
    const { config } = load({ 'DBParam.xml': DBPARAM, 'a.xml': `<graphtool-config><import file="DBParam.xml"/>
      <class type="SqlQueries" name="A"><attribute name="connection_manager">CM</attribute><query name="q" base="A.nothere"><sql/></query></class></graphtool-config>` }, ['a.xml']);
    const before = config.issues.length;
    expect(before).toBe(1);
    linkQueries(config);
    expect(config.issues).toHaveLength(before);
    expect(configErrors(config)).toHaveLength(1);
  });
});
