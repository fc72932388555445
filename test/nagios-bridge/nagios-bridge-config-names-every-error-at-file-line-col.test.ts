/** The `NagiosBridge` class type: targets, routes and limits from XML; every problem at file:line:col. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { nagiosBridgeClassType, nagiosBridgeSettingsOf } from '../../nagios-bridge/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const load = (body: string) => {
  const dir = tempDir({ 'bridge.xml': `<graphtool-config>\n${body}\n</graphtool-config>\n` });
  const config = loadConfig(join(dir, 'bridge.xml'), { classTypes: [nagiosBridgeClassType], env: { NAGIOS_RW: '/var/lib/nagios4/rw' } });
  return { config, issues: config.issues.map(formatIssue).map((s) => s.replace(`${dir}/`, '')) };
};

describe('NagiosBridge configuration', () => {
  it('builds targets, anchored routes and limits', () => {
    const { config, issues } = load(`<class type="NagiosBridge" name="nagios">
  <attribute name="dead_letter_after">2h</attribute>
  <attribute name="max_queued">5000</attribute>
  <attribute name="batch_size">50</attribute>
  <attribute name="delivery_lease">5s</attribute>
  <target name="local" type="command_file" path="$NAGIOS_RW/nagios.cmd" spool="/var/lib/nagios4/spool/checkresults"/>
  <target name="other" type="command_file" path="/srv/nagios.cmd"/>
  <route target="other" host="ce\\d+\\.example\\.org" service="org\\.osg\\..*"/>
  <attribute name="cmd_cgi_realm">Nagios4</attribute>
  <submitter user="rsv" hosts="rsv\\.example\\.edu"/>
  <nagios_target name="typo"/>
</class>`);
    expect(issues).toEqual([
      'bridge.xml:12:3: warning: NagiosBridge "nagios": unknown element <nagios_target> (known: attribute, target, route, submitter, nrdp_token)',
    ]);
    const s = nagiosBridgeSettingsOf(config);
    expect(s.deadLetterAfterMs).toBe(7_200_000);
    expect(s.maxQueued).toBe(5000);
    expect(s.batchSize).toBe(50);
    expect(s.deliveryLeaseMs).toBe(5_000);
    expect(s.entries.realm).toBe('Nagios4');
    expect(s.targets.map((t) => (t.type === 'command_file' ? [t.name, t.path, t.spool] : [t.name, t.type]))).toEqual([
      ['local', '/var/lib/nagios4/rw/nagios.cmd', '/var/lib/nagios4/spool/checkresults'],
      ['other', '/srv/nagios.cmd', undefined],
    ]);
    const [route] = s.routes;
    expect(route!.host!.test('ce1.example.org')).toBe(true);
    expect(route!.host!.test('ce10.example.org.evil')).toBe(false);
    expect(route!.service!.test('org.osg.general.ping-host')).toBe(true);
    expect(route!.service!.test('x.org.osg.a')).toBe(false);
  });

  it('keeps a delivery lease of at least a second, 30 s by default', () => {
    const { config, issues } = load(`<class type="NagiosBridge" name="nagios">
  <attribute name="delivery_lease">500ms</attribute>
</class>`);
    expect(issues).toEqual(['bridge.xml:3:3: NagiosBridge "nagios": delivery_lease must be at least 1s (it is renewed every third of it)']);
    expect(nagiosBridgeSettingsOf(config).deliveryLeaseMs).toBe(30_000);
  });

  it('reports every problem with its place', () => {
    const { issues } = load(`<class type="NagiosBridge" name="nagios">
  <attribute name="dead_letter_after">soon</attribute>
  <attribute name="max_queued">-3</attribute>
  <target name="local" type="nsca" path="nagios.cmd"/>
  <target name="a" type="command_file" path="/a.cmd"/>
  <target name="a" type="command_file" path="/b.cmd"/>
  <route target="nowhere" host="(a"/>
  <route target="missing" host="x(?=y)"/>
  <route target="ghost"/>
</class>`);
    expect(issues).toEqual([
      'bridge.xml:3:3: NagiosBridge "nagios": dead_letter_after "soon" is not a duration; write e.g. 500ms, 30s, 5m, 24h, 7d',
      'bridge.xml:4:3: NagiosBridge "nagios": max_queued "-3" is not a whole number from 1 to 10000000',
      'bridge.xml:5:3: NagiosBridge "nagios": <target name="local">: type "nsca" is not one of command_file, icinga2, cmd_cgi, nrdp',
      `bridge.xml:5:3: NagiosBridge "nagios": <target name="local">: path="nagios.cmd" must be the absolute path of Nagios's command_file`,
      'bridge.xml:7:3: NagiosBridge "nagios": a second <target name="a">; target names must be unique',
      expect.stringMatching(/^bridge\.xml:8:3: NagiosBridge "nagios": <route target="nowhere">: host: input "host": "\(a" is not a valid regular expression/) as string,
      'bridge.xml:9:3: NagiosBridge "nagios": <route target="missing">: host: input "host": lookahead (?= is not supported (patterns use RE2 syntax)',
      'bridge.xml:10:3: NagiosBridge "nagios": <route> names target "ghost", which no <target> defines',
    ]);
  });
});
