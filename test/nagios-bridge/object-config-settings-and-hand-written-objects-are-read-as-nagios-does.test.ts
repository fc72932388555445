/** The generator's attributes of the NagiosBridge class (errors at file:line:col) and the reader of hand-written Nagios objects. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { nagiosBridgeClassType, nagiosBridgeSettingsOf, readHandWrittenObjects } from '../../nagios-bridge/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const load = (attrs: string) => {
  const dir = tempDir({ 'bridge.xml': `<graphtool-config>\n<class type="NagiosBridge" name="nagios">\n<target name="t" type="command_file" path="/x"/>\n${attrs}\n</class>\n</graphtool-config>\n` });
  const config = loadConfig(join(dir, 'bridge.xml'), { classTypes: [nagiosBridgeClassType], env: { NAGIOS_ETC: '/srv/nagios' } });
  return { settings: nagiosBridgeSettingsOf(config).objects, issues: config.issues.map(formatIssue).map((s) => s.replace(`${dir}/`, '')) };
};

describe('object-config attributes of the NagiosBridge class', () => {
  it('reads the retirement times, freshness, paths and templates', () => {
    const { settings, issues } = load(
      [
        '<attribute name="retire_after">3d</attribute>', '<attribute name="remove_after">60d</attribute>', '<attribute name="freshness_margin">90s</attribute>',
        '<attribute name="default_interval">15m</attribute>', '<attribute name="nagios_cfg">$NAGIOS_ETC/nagios.cfg</attribute>',
        '<attribute name="check_dummy">/opt/plugins/check_dummy</attribute>', '<attribute name="host_template">generic-host</attribute>',
        '<attribute name="service_template">generic-service</attribute>',
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    expect(settings).toEqual({
      retireAfterMs: 3 * 86_400_000, removeAfterMs: 60 * 86_400_000, freshnessMarginMs: 90_000, defaultIntervalMs: 900_000,
      nagiosCfg: '/srv/nagios/nagios.cfg', checkDummy: '/opt/plugins/check_dummy', hostTemplate: 'generic-host', serviceTemplate: 'generic-service',
    });
  });

  it('defaults to 7 days to retire, 30 to remove, and Debian\'s nagios.cfg', () => {
    expect(load('').settings).toEqual({
      retireAfterMs: 7 * 86_400_000, removeAfterMs: 30 * 86_400_000, freshnessMarginMs: 300_000, defaultIntervalMs: 3600_000,
      nagiosCfg: '/etc/nagios4/nagios.cfg', checkDummy: '/usr/lib/nagios/plugins/check_dummy',
    });
  });

  it('names every bad value at its line', () => {
    const { issues } = load(
      [
        '<attribute name="retire_after">soon</attribute>', '<attribute name="remove_after">2d</attribute>', '<attribute name="nagios_cfg">nagios.cfg</attribute>',
        '<attribute name="check_dummy">/opt/check dummy</attribute>', '<attribute name="host_template">a, b</attribute>',
      ].join('\n'),
    );
    expect(issues).toEqual([
      'bridge.xml:4:1: NagiosBridge "nagios": retire_after "soon" is not a duration in whole seconds or more; write e.g. 30s, 5m, 24h, 7d',
      'bridge.xml:5:1: NagiosBridge "nagios": remove_after must be longer than retire_after (a probe is retired before it is ever removed)',
      'bridge.xml:6:1: NagiosBridge "nagios": nagios_cfg "nagios.cfg" must be an absolute path',
      'bridge.xml:7:1: NagiosBridge "nagios": check_dummy "/opt/check dummy" must not hold white space or any of ; $ ! " \' ` \\',
      'bridge.xml:8:1: NagiosBridge "nagios": host_template "a, b" is not one Nagios template name (letters, digits, . _ - @ : /)',
    ]);
  });
});

describe('hand-written Nagios objects', () => {
  it('finds hosts and services through cfg_file, cfg_dir, include_file, templates, host lists and hostgroups', () => {
    const dir = tempDir({
      'nagios.cfg': ['# main', 'cfg_file=objects/hosts.cfg', 'cfg_dir=conf.d', 'cfg_file=generated.cfg', 'illegal_object_name_chars=`~!$%^&*|\'"<>?,()=', ''].join('\n'),
      'objects/hosts.cfg': [
        'define host {', '  name tmpl-host', '  register 0', '  hostgroups grid ; comment', '}',
        'define host {', '  use tmpl-host', '  host_name ce1.example.org', '}',
        'define host{', '  host_name se1.example.org', '  hostgroups storage', '}',
        'define host {', '  name not-a-host', '  host_name template-only', '  register 0', '}',
        'include_file=../extra/more.cfg',
      ].join('\n'),
      'extra/more.cfg': 'define host {\n  host_name included.example.org\n}\n',
      'conf.d/services.cfg': [
        'define service {', '  name tmpl-svc', '  service_description org.osg.general.ping-host', '  register 0', '}',
        'define service {', '  use tmpl-svc', '  host_name ce1.example.org, se1.example.org', '}',
        'define service {', '  hostgroup_name grid,storage', '  host_name !se1.example.org', '  service_description disk\\; root', '}',
        'define service {', '  host_name *', '  service_description ping', '}',
      ].join('\n'),
      'conf.d/sub/groups.cfg': 'define hostgroup {\n  hostgroup_name storage\n  members se2.example.org\n}\n',
      'conf.d/ignored.txt': 'define host {\n  host_name not-read\n}\n',
      'generated.cfg': 'define host {\n  host_name generated.example.org\n}\n',
    });
    const hand = readHandWrittenObjects(join(dir, 'nagios.cfg'), join(dir, 'generated.cfg'));
    expect([...hand.hosts].sort()).toEqual(['ce1.example.org', 'included.example.org', 'se1.example.org']);
    expect([...hand.services].map((k) => k.replace('\u0000', '/')).sort()).toEqual([
      'ce1.example.org/disk; root', 'ce1.example.org/org.osg.general.ping-host', 'se1.example.org/org.osg.general.ping-host', 'se2.example.org/disk; root',
    ]);
    expect([...hand.everyHostServices]).toEqual(['ping']);
    expect(hand.files).toEqual([join(dir, 'objects/hosts.cfg'), join(dir, 'conf.d/services.cfg'), join(dir, 'conf.d/sub/groups.cfg')]);
    expect(hand.filesRead).toContain(join(dir, 'extra/more.cfg'));
    expect(hand.illegalObjectNameChars).toBe('`~!$%^&*|\'"<>?,()=');
  });
});
