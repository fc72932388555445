import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { connectionManagerType, type ConnectionManagerConfig } from '../../query-engine/index.js';
import { formatIssue, graphToolPassThroughTypes, loadConfig, type ClassTypeHandler } from '../../grammar/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const types: ClassTypeHandler[] = [...graphToolPassThroughTypes, connectionManagerType];
const wrap = (body: string) => `<graphtool-config>\n${body}\n</graphtool-config>\n`;

function issuesOf(files: Record<string, string>, env: Record<string, string> = {}) {
  const dir = tempDir(files);
  const config = loadConfig(dir, { classTypes: types, env });
  return { dir, config, lines: config.issues.map(formatIssue).map((l) => l.replace(dir + '/', '')) };
}

describe('bad configuration files are reported as file:line:col', () => {
  const cases: { name: string; files: Record<string, string>; expected: (string | RegExp)[] }[] = [
    {
      name: 'malformed XML',
      files: { 'a.xml': '<graphtool-config>\n  <class type="SqlQueries" name="X">\n</graphtool-config>\n' },
      expected: ["a.xml:3:1: malformed XML: Expected closing tag 'class' (opened in line 2, col 3) instead of closing tag 'graphtool-config'."],
    },
    {
      name: 'elements left open at the end of the file',
      files: { 'a.xml': '<graphtool-config>\n  <class type="SqlQueries" name="X">\n  <attribute name="a">\n' },
      expected: ['a.xml:3:3: malformed XML: <graphtool-config>, <class>, <attribute> not closed before the end of the file'],
    },
    {
      name: 'an unknown class type (a warning: the class is left out, the rest loads), with a suggestion',
      files: { 'a.xml': wrap('  <class type="SqlQuery" name="X"/>') },
      expected: ['a.xml:2:3: warning: class "X": unknown class type "SqlQuery", so this class is not loaded; did you mean "SqlQueries"?'],
    },
    {
      name: 'a class without a name',
      files: { 'a.xml': wrap('  <class type="SqlQueries"/>') },
      expected: ['a.xml:2:3: <class> needs both type="..." and name="..."'],
    },
    {
      name: 'an import of a missing file',
      files: { 'a.xml': wrap('  <import file="nothere.xml"/>') },
      expected: [/^a\.xml:2:3: cannot read .*nothere\.xml: no such file$/],
    },
    {
      name: 'an unset environment variable',
      files: { 'a.xml': wrap('  <import file="$NOT_SET_ANYWHERE/x.xml"/>') },
      expected: ['a.xml:2:3: environment variable $NOT_SET_ANYWHERE is not set'],
    },
    {
      name: 'entity declarations (no external entities, no XML bombs)',
      files: { 'a.xml': '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<graphtool-config>&e;</graphtool-config>' },
      expected: ['a.xml:1:14: entity declarations are not allowed in configuration files'],
    },
    {
      name: 'a file without graphtool-config',
      files: { 'a.xml': '<other/>' },
      expected: ['a.xml:1:1: no <graphtool-config> element in this file'],
    },
    {
      name: 'connection problems',
      files: {
        'db.xml': wrap(
          [
            '  <class name="CM" type="ConnectionManager">',
            '    <attribute name="default">nope</attribute>',
            '    <connection name="a"><attribute name="Interface">Sybase</attribute></connection>',
            '    <connection name="b"><attribute name="Interface">sqlite</attribute></connection>',
            '    <connection name="c"><attribute name="Interface">MySQL</attribute><attribute name="Database">g</attribute><attribute name="Port">x</attribute></connection>',
            '  </class>',
          ].join('\n'),
        ),
      },
      expected: [
        'db.xml:4:5: connection "a": unknown Interface "Sybase"; use MySQL or sqlite',
        'db.xml:5:5: connection "b": an sqlite connection needs a DatabaseFile attribute',
        'db.xml:6:5: connection "c": Port "x" is not a number',
        'db.xml:3:5: warning: ConnectionManager "CM": default connection "nope" is not defined; queries using it will fail',
      ],
    },
  ];

  it.each(cases)('$name', ({ files, expected }) => {
    const { lines } = issuesOf(files);
    expect(lines).toHaveLength(expected.length);
    expected.forEach((e, i) => (typeof e === 'string' ? expect(lines[i]).toBe(e) : expect(lines[i]).toMatch(e)));
  });

  it('reports the errors of every file in one load, not just the first', () => {
    const { lines } = issuesOf({
      'a.xml': wrap('  <class type="Nope" name="A"/>'),
      'b.xml': '<graphtool-config><class',
      'c.xml': wrap('  <class type="AlsoNope" name="C"/>'),
    });
    expect(lines.map((l) => l.split(':')[0])).toEqual(['a.xml', 'b.xml', 'c.xml']);
  });
});

describe('GraphTool loading semantics', () => {
  it('handles imports before classes, shares one namespace, and keeps the first definition of a name', () => {
    const dir = tempDir({
      'main.xml': wrap('  <class type="SqlQueries" name="Q"><attribute name="from">main</attribute></class>\n  <import module="gratia.config" data_file="lib.xml"/>'),
      'lib.xml': wrap('  <class type="SqlQueries" name="Q"><attribute name="from">lib</attribute></class>\n  <class type="SqlQueries" name="L"/>'),
    });
    const config = loadConfig(join(dir, 'main.xml'), { classTypes: types });
    expect(config.issues).toEqual([]);
    expect(config.objects.get('Q')?.cls.attributes.from?.value).toBe('lib');
    expect([...config.objects.keys()]).toEqual(['Q', 'L']);
  });

  it('resolves module imports through the module map, and reads each file once', () => {
    const lib = tempDir({ 'shared.xml': wrap('  <class type="SqlQueries" name="S"/>') });
    const dir = tempDir({
      'a.xml': wrap('  <import module="site.config" data_file="shared.xml"/>'),
      'b.xml': wrap('  <import module="site.config" data_file="shared.xml"/>'),
    });
    const config = loadConfig(dir, { classTypes: types, moduleMap: { 'site.config': lib } });
    expect(config.issues).toEqual([]);
    expect(config.files.filter((f) => f.endsWith('shared.xml'))).toHaveLength(1);
    expect(config.objects.has('S')).toBe(true);
  });

  it('expands $VAR, ${VAR} and ${VAR:-default} in imports and connection attributes', () => {
    const dir = tempDir({
      'sub/inc.xml': wrap('  <class type="SqlQueries" name="I"/>'),
      'a.xml': wrap(
        '  <import file="${BASE}/sub/inc.xml"/>\n  <class name="CM" type="ConnectionManager"><attribute name="default">g</attribute>' +
          '<connection name="g"><attribute name="Interface"> sqlite </attribute><attribute name="DatabaseFile"> $DATA/x.db </attribute>' +
          '<attribute name="Other">${UNSET_VAR:-fallback}</attribute></connection></class>',
      ),
    });
    const config = loadConfig(join(dir, 'a.xml'), { classTypes: types, env: { BASE: dir, DATA: '/srv/data' } });
    expect(config.issues).toEqual([]);
    const cm = config.objects.get('CM')?.value as ConnectionManagerConfig;
    expect(cm.connections.get('g')?.attrs).toMatchObject({ DatabaseFile: '/srv/data/x.db', Other: 'fallback', Interface: 'sqlite' });
    expect(config.objects.has('I')).toBe(true);
  });

  it('reads only direct <attribute> children of a class, text stripped', () => {
    const dir = tempDir({
      'a.xml': wrap('  <class type="SqlQueries" name="Q">\n    <attribute name="display_name">  VO graphs \n</attribute>\n    <query name="q"><attribute name="title">nested</attribute></query>\n  </class>'),
    });
    const config = loadConfig(dir, { classTypes: types });
    expect(Object.keys(config.objects.get('Q')!.cls.attributes)).toEqual(['display_name']);
    expect(config.objects.get('Q')!.cls.attributes.display_name?.value).toBe('VO graphs');
  });
});

describe('real configuration files load', () => {
  const shared = new URL('../../../shared/fixtures/', import.meta.url).pathname;

  it('Gratia-web: every class is defined; only the files Gratia-web had elsewhere are missing', () => {
    const config = loadConfig(join(shared, 'gratia-web'), { classTypes: types, env: { DBPARAM_LOCATION: join(shared, 'gratia-web/DBParam.xml') } });
    for (const name of ['GratiaConnMan', 'GratiaGenericQuery', 'GratiaBarQueries', 'GratiaPieQueries', 'web']) expect(config.objects.has(name)).toBe(true);
    const errors = config.issues.filter((i) => i.severity === 'error').map(formatIssue);
    expect(errors.every((e) => /website\.xml:\d+:\d+: cannot read .*(gratia_graphs|text_queries|vo_ownership_queries|rsv_queries)\.xml/.test(e))).toBe(true);
  });

  it('the GraphTool example loads once GRAPHTOOL_USER_ROOT is set', () => {
    const config = loadConfig(join(shared, 'graphtool-example'), { classTypes: types, env: { GRAPHTOOL_USER_ROOT: '/tmp' } });
    expect(config.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(config.objects.has('ExampleQueries')).toBe(true);
  });
});
