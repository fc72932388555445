/** The `Users` class type: settings from GraphTool XML, every bad value reported at its file:line:column. */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { usersClassType, type AccessSettings } from '../../access/index.js';
import { formatIssue, loadConfig, objectsOfType } from '../../grammar/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const wrap = (body: string) => `<graphtool-config>\n${body}\n</graphtool-config>\n`;

function load(xml: string, env: Record<string, string> = {}) {
  const dir = tempDir({ 'access.xml': wrap(xml) });
  const config = loadConfig(dir, { classTypes: [usersClassType], env });
  return {
    dir,
    settings: objectsOfType<AccessSettings>(config, 'Users')[0]?.value,
    issues: config.issues.map(formatIssue).map((l) => l.replace(dir + '/', '')),
  };
}

describe('the Users class type', () => {
  it('builds settings from attributes and <role> lists', () => {
    const { dir, settings, issues } = load(
      [
        '<class type="Users" name="Access">',
        '  <attribute name="users_file">$APPLIANCE_USERS_FILE</attribute>',
        '  <attribute name="anonymous_read">true</attribute>',
        '  <attribute name="default_role">operator</attribute>',
        '  <attribute name="session_hours">1.5</attribute>',
        '  <role name="admin">alice</role>',
        '  <role name="viewer">bob, rsv-probe\n carol</role>',
        '</class>',
      ].join('\n'),
      { APPLIANCE_USERS_FILE: 'etc/users' },
    );
    expect(issues).toEqual([]);
    expect(settings).toEqual({
      usersFile: join(dir, 'etc/users'),
      anonymousRead: true,
      defaultRole: 'operator',
      sessionHours: 1.5,
      roles: { alice: 'admin', bob: 'viewer', 'rsv-probe': 'viewer', carol: 'viewer' },
    });
  });

  it('means no users file when the attribute expands to nothing', () => {
    const { settings, issues } = load('<class type="Users" name="Access">\n  <attribute name="users_file">${APPLIANCE_USERS_FILE:-}</attribute>\n</class>');
    expect(issues).toEqual([]);
    expect(settings?.usersFile).toBeUndefined();
  });

  it('defaults to no users file, anonymous reading, viewer, 12 hours', () => {
    const { settings, issues } = load('<class type="Users" name="Access"/>');
    expect(issues).toEqual([]);
    expect(settings).toEqual(usersClassType.defaults());
    expect(settings).toEqual({ usersFile: undefined, anonymousRead: true, defaultRole: 'viewer', sessionHours: 12, roles: {} });
  });

  it('reports every bad value at its own position', () => {
    const { issues } = load(
      [
        '<class type="Users" name="Access">', //                                  2
        '  <attribute name="anonymous_read">maybe</attribute>', //                3
        '  <attribute name="default_role">superuser</attribute>', //              4
        '  <attribute name="session_hours">twelve</attribute>', //                5
        '  <attribute name="sesion_hours">12</attribute>', //                     6
        '  <role name="root">alice</role>', //                                    7
        '  <role>bob</role>', //                                                  8
        '  <role name="admin">carol</role>', //                                   9
        '  <role name="operator">dave, carol</role>', //                          10
        '  <role name="viewer"> </role>', //                                      11
        '  <group name="x"/>', //                                                 12
        '  <attribute name="users_file">$NOT_SET/users</attribute>', //           13
        '</class>',
      ].join('\n'),
    );
    expect(issues).toEqual([
      'access.xml:6:3: warning: Users "Access": unknown attribute "sesion_hours"; did you mean "session_hours"?',
      'access.xml:13:3: environment variable $NOT_SET is not set',
      'access.xml:3:3: Users "Access": anonymous_read "maybe" is not a boolean; use true or false',
      'access.xml:4:3: Users "Access": default_role: unknown role "superuser"; use one of viewer, operator, admin',
      'access.xml:5:3: Users "Access": session_hours "twelve" is not a number of hours between 0 and 8784',
      'access.xml:7:3: Users "Access": <role>: unknown role "root"; use one of viewer, operator, admin',
      'access.xml:8:3: Users "Access": <role> needs name="viewer|operator|admin"',
      'access.xml:10:3: Users "Access": user "carol" is listed as both admin and operator; list each user once',
      'access.xml:11:3: warning: Users "Access": <role name="viewer"> lists no users',
      'access.xml:12:3: warning: Users "Access": unknown element <group>; use <attribute> or <role>',
    ]);
  });

  it.each([['0'], ['-1'], ['9000'], ['1e3']])('refuses session_hours %s', (value) => {
    const { issues } = load(`<class type="Users" name="A">\n  <attribute name="session_hours">${value}</attribute>\n</class>`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^access\.xml:3:3: .*session_hours/);
  });
});
