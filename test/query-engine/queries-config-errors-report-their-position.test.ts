/** Every query configuration problem is reported at its file:line:col, errors and warnings apart, all of them at once. */
import { afterAll, describe, expect, it } from 'vitest';
import { linkQueries, queryEngineClassTypes } from '../../query-engine/index.js';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const DBPARAM = `<graphtool-config>
<class name="CM" type="ConnectionManager"><attribute name="default">main</attribute>
<connection name="main"><attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">/tmp/x.db</attribute></connection></class>
</graphtool-config>`;

/** A file importing DBParam.xml; `body` starts on line 3, inside a class `Q` whose connection manager is CM. */
const queries = (body: string) =>
  `<graphtool-config><import file="DBParam.xml"/>
<class type="SqlQueries" name="Q"><attribute name="connection_manager">CM</attribute>
${body}
</class></graphtool-config>`;

/** A base query on line 3 (`Q.base`, slots group/column/where), for derived ones to name. */
const BASE = `<query name="base"><inputs><input name="vo" kind="sql">.*</input></inputs><sql>SELECT <slot name="group"/>, <slot name="column"/> FROM T WHERE v regexp :vo <slot name="where"/></sql><results function="simple_results_parser"/></query>`;

function issues(files: Record<string, string>): string[] {
  const dir = tempDir({ 'DBParam.xml': DBPARAM, ...files });
  const config = loadConfig(`${dir}/a.xml`, { classTypes: queryEngineClassTypes, env: {} });
  linkQueries(config);
  return config.issues.map(formatIssue).map((l) => l.replace(`${dir}/`, ''));
}

describe('query configuration problems, each with its position', () => {
  const cases: { name: string; body: string; expected: (string | RegExp)[] }[] = [
    {
      name: 'a dangling base, with the close names',
      body: `${BASE}\n<query name="d" base="Q.bsae"><sql/></query>`,
      expected: ['a.xml:4:1: query "d": base "Q.bsae" not found; did you mean "Q.base"?'],
    },
    {
      name: 'a base naming no SqlQueries class',
      body: `<query name="d" base="Nowhere.q"><sql/></query>\n<query name="e" base="CM.q"><sql/></query>\n<query name="f" base="justaname"><sql/></query>`,
      expected: [
        'a.xml:3:1: query "d": base "Nowhere.q" not found: no SqlQueries class "Nowhere"',
        'a.xml:4:1: query "e": base "CM.q": "CM" is a ConnectionManager, not a SqlQueries class',
        'a.xml:5:1: query "f": base "justaname" must name a query as Class.query',
      ],
    },
    {
      name: 'a base chain that loops, reported once',
      body: `<query name="a" base="Q.b"><sql/></query>\n<query name="b" base="Q.c"><sql/></query>\n<query name="c" base="Q.a"><sql/></query>`,
      expected: ['a.xml:3:1: query "a": base chain loops: Q.a → Q.b → Q.c → Q.a'],
    },
    {
      name: 'a filler for a slot no base has (a warning; slot names are case-sensitive)',
      body: `${BASE}\n<query name="d" base="Q.base"><sql><filler name="group">x</filler>\n<filler name="Where">AND 1</filler></sql></query>`,
      expected: ['a.xml:5:1: warning: query "d": filler "Where" fills no slot of the base\'s SQL (slots: group, column, where); slot names are case-sensitive'],
    },
    {
      name: 'an unknown results function (a warning: only this query fails, when it runs), with the close names',
      body: `<query name="q"><sql>SELECT 1</sql><results module="graphtool.database.query_handler" function="results_parsr"/></query>`,
      expected: [
        'a.xml:3:36: warning: query "q": unknown results function "graphtool.database.query_handler.results_parsr", so this query will report an error; did you mean ' +
          '"graphtool.database.query_handler.results_parser" or "gratia.database.query_handler.results_parser" or "graphtool.database.query_handler.simple_results_parser"?',
      ],
    },
    {
      name: 'a known results function the appliance cannot run (a warning with the reason)',
      body: `<query name="q"><sql>SELECT 1</sql><results module="gratia.database.metrics" function="osg_size"/></query>`,
      expected: [
        'a.xml:3:36: warning: query "q": results function "gratia.database.metrics.osg_size" is not supported, so this query will report an error: it runs other GraphTool queries on data the appliance does not collect: GIP batch-system sizes and KSI2K scores (GIPQueries) and osg_avail_size',
      ],
    },
    {
      name: 'unknown and unsupported transforms (warnings)',
      body: `${BASE}\n<query name="d" base="Q.base"><sql/><results><inputs>\n<input name="pivot_transform">make_itn</input>\n<input name="grouping_transform">science_filter</input></inputs></results></query>`,
      expected: [
        'a.xml:5:1: warning: query "d": input "pivot_transform": unknown transform "make_itn", so this query will report an error; did you mean "make_int"?',
        /^a\.xml:6:1: warning: query "d": input "grouping_transform": transform "science_filter" is not supported, so this query will report an error: GW's ScienceFilter/,
      ],
    },
    {
      name: 'input defaults that do not fit their type, or are not safe expressions',
      body: `<query name="q"><inputs>\n<input name="span" type="int" kind="sql">a day</input>\n<input name="t" type="datetime" kind="sql">__import__('os').system('x')</input>\n<input name="b" type="bool">yes</input>\n<input name="p" partial="down">1</input></inputs><sql>SELECT 1</sql><results function="simple_results_parser"/></query>`,
      expected: [
        'a.xml:4:1: query "q": input "span": default "a day": "a day" is not an integer',
        /^a\.xml:5:1: query "q": input "t": default "__import__\('os'\)\.system\('x'\)": /,
        'a.xml:6:1: query "q": input "b": default "yes": "yes" is not a boolean; valid inputs are \'true\' or \'false\'',
        'a.xml:7:1: query "q": input "p": partial="down" needs type="datetime"',
      ],
    },
    {
      name: 'a dynamic SQL hook other than the opportunistic filter',
      body: `<query name="q"><inputs>\n<input name="sql_dynamic_modif_func">os.system</input></inputs><sql>SELECT 1</sql><results function="simple_results_parser"/></query>`,
      expected: ['a.xml:4:1: query "q": input "sql_dynamic_modif_func": "os.system" is not a known SQL hook; the only one is "oim_vo_ownership.alter_sql"'],
    },
    {
      name: 'a bind no sql input declares (a warning: the query fails when it runs, before any SQL is sent)',
      body: `<query name="q"><inputs><input name="vo">cms</input></inputs><sql>SELECT 1 FROM T WHERE v = :vo AND w = :wrong-name</sql><results function="simple_results_parser"/></query>`,
      expected: ['a.xml:3:1: warning: query "q": the SQL uses :vo, :wrong-name, which no kind="sql" input of this query or its bases declares, so this query will report an error'],
    },
    {
      name: 'a base query without SQL or without a results function',
      body: `<query name="nosql"><results function="simple_results_parser"/></query>\n<query name="nofn"><sql>SELECT 1</sql></query>\n<query name="emptyfn"><sql>SELECT 1</sql><results module="m"/></query>`,
      // The function is checked as the class is read; the others once bases are linked.
      expected: [
        'a.xml:5:42: query "emptyfn": <results module="m"> names no function="..."',
        'a.xml:3:1: query "nosql": needs an <sql> element with the query\'s SQL',
        'a.xml:4:1: query "nofn": names no results function; add <results module="..." function="...">',
      ],
    },
    {
      name: 'a query without a name, an unknown query class, a query defined twice',
      body: `<query><sql>SELECT 1</sql></query>\n<query name="q" class="FancyQuery"><sql>SELECT 1</sql><results function="simple_results_parser"/></query>\n<query name="q"><sql>SELECT 2</sql><results function="simple_results_parser"/></query>`,
      expected: [
        'a.xml:3:1: class "Q": <query> needs a name="..."',
        'a.xml:4:1: query "q": unknown query class "FancyQuery"; the only query class is "SqlQuery"',
        'a.xml:5:1: warning: query "q" is defined twice in class "Q"; this later definition wins, as in GraphTool',
      ],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const lines = issues({ 'a.xml': queries(c.body) });
      expect(lines).toHaveLength(c.expected.length);
      c.expected.forEach((e, i) => (typeof e === 'string' ? expect(lines[i]).toBe(e) : expect(lines[i]).toMatch(e)));
    });
  }

  it('a derived query reports nothing more when its base uses an undeclared bind (one warning, at its cause)', () => {
    const lines = issues({ 'a.xml': queries(`<query name="base"><sql>SELECT :nope</sql><results function="simple_results_parser"/></query>\n<query name="d" base="Q.base"><sql/></query>`) });
    expect(lines).toEqual(['a.xml:3:1: warning: query "base": the SQL uses :nope, which no kind="sql" input of this query or its bases declares, so this query will report an error']);
  });

  it('keeps a query out of the catalog when it or a base has an error, and the others in', () => {
    const dir = tempDir({
      'DBParam.xml': DBPARAM,
      'a.xml': queries(`<query name="bad"><inputs><input name="n" type="int" kind="sql">x</input></inputs><sql>SELECT :n, 1</sql><results function="simple_results_parser"/></query>
<query name="child" base="Q.bad"><sql/></query>\n${BASE}\n<query name="good" base="Q.base"><sql><filler name="group">a</filler></sql></query>`),
    });
    const config = loadConfig(`${dir}/a.xml`, { classTypes: queryEngineClassTypes, env: {} });
    expect(linkQueries(config).queries.map((q) => q.qualifiedName)).toEqual(['Q.base', 'Q.good']);
    expect(config.issues.map((i) => i.message)).toEqual(['query "bad": input "n": default "x": "x" is not an integer']);
  });

  it("a child's default that its base's type refuses is reported at the child", () => {
    const lines = issues({
      'a.xml': queries(`<query name="base"><inputs><input name="span" type="int" kind="sql">3600</input></inputs><sql>SELECT :span</sql><results function="simple_results_parser"/></query>\n<query name="d" base="Q.base"><inputs><input name="span" kind="sql">hourly</input></inputs><sql/></query>`),
    });
    expect(lines).toEqual(['a.xml:4:1: query "d": input "span": default "hourly": "hourly" is not an integer']);
  });
});

describe('the class itself', () => {
  it('needs a connection_manager that names a ConnectionManager', () => {
    const lines = issues({
      'a.xml': `<graphtool-config><import file="DBParam.xml"/>
<class type="SqlQueries" name="A"/>
<class type="SqlQueries" name="B"><attribute name="connection_manager">CN</attribute></class>
<class type="SqlQueries" name="C"><attribute name="connection_manager">A</attribute></class>
<class type="SqlQueries" name="D" default_query_class="Other"><attribute name="connection_manager">CM</attribute>
<aggregate><connection>main</connection><connection>mian</connection></aggregate></class>
</graphtool-config>`,
    });
    expect(lines).toEqual([
      'a.xml:2:1: SqlQueries "A": the connection_manager attribute is required (the ConnectionManager whose connections run its queries)',
      'a.xml:5:1: SqlQueries "D": unknown default_query_class "Other"; the only query class is "SqlQuery"',
      'a.xml:3:35: SqlQueries "B": connection_manager "CN" is not defined; did you mean "CM"?',
      'a.xml:4:35: SqlQueries "C": connection_manager "A" is a SqlQueries, not a ConnectionManager',
      'a.xml:6:41: warning: SqlQueries "D": <aggregate> connection "mian" is not defined in ConnectionManager "CM"; its queries will report an error; did you mean "main"?',
    ]);
  });

  it('VoOwnership: resources and owners with their problems', () => {
    const lines = issues({
      'a.xml': `<graphtool-config>
<class type="VoOwnership" name="O">
  <resource name="Nebraska"><owner vo="cms"/><owner/><owner vo="x" percent="lots"/></resource>
  <resource><owner vo="cms"/></resource>
  <site name="x"/>
</class></graphtool-config>`,
    });
    expect(lines).toEqual([
      'a.xml:3:46: VoOwnership "O": resource "Nebraska": <owner> needs a vo="..."',
      'a.xml:3:54: VoOwnership "O": resource "Nebraska": owner "x": percent="lots" is not a number from 0 to 100',
      'a.xml:4:3: VoOwnership "O": <resource> needs a name="..." (the site or resource the VOs own)',
      'a.xml:5:3: VoOwnership "O": unexpected <site>; use <resource name="..."><owner vo="..."/></resource>',
    ]);
  });
});
