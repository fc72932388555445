/** `<target type="cmd_cgi">` and `<target type="nrdp">` from XML: every attribute read, every problem at file:line:col. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { nagiosBridgeClassType, nagiosBridgeSettingsOf } from '../../nagios-bridge/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const load = (targets: string) => {
  const dir = tempDir({ 'bridge.xml': `<graphtool-config>\n<class type="NagiosBridge" name="nagios">\n${targets}\n</class>\n</graphtool-config>\n` });
  const config = loadConfig(join(dir, 'bridge.xml'), { classTypes: [nagiosBridgeClassType], env: { SECRETS: '/etc/appliance' } });
  return { config, issues: config.issues.map(formatIssue).map((s) => s.replace(`${dir}/`, '')) };
};

describe('remote NagiosBridge targets', () => {
  it('reads cmd_cgi and nrdp targets with their defaults', () => {
    const { config, issues } = load(`  <target name="remote" type="cmd_cgi" url="https://nagios.example/nagios4/cgi-bin/cmd.cgi" user="rsv" password_file="$SECRETS/cmd-cgi.pw" ca_file="/etc/ssl/nagios-ca.pem" timeout="5s" concurrency="8"/>
  <target name="plain" type="cmd_cgi" url="http://10.0.0.2/cgi-bin/nagios4/cmd.cgi" user="rsv" password="pa$$word" insecure="true"/>
  <target name="xi" type="nrdp" url="https://xi.example/nrdp/" token_file="/etc/appliance/nrdp.token"/>`);
    expect(issues).toEqual([]);
    const { targets } = nagiosBridgeSettingsOf(config);
    expect(targets.map(({ pos: _p, ...t }) => t)).toEqual([
      { name: 'remote', type: 'cmd_cgi', url: 'https://nagios.example/nagios4/cgi-bin/cmd.cgi', caFile: '/etc/ssl/nagios-ca.pem', insecure: false, timeoutMs: 5000, user: 'rsv', passwordFile: '/etc/appliance/cmd-cgi.pw', concurrency: 8 },
      { name: 'plain', type: 'cmd_cgi', url: 'http://10.0.0.2/cgi-bin/nagios4/cmd.cgi', insecure: true, timeoutMs: 30_000, user: 'rsv', password: 'pa$$word', concurrency: 4 },
      { name: 'xi', type: 'nrdp', url: 'https://xi.example/nrdp/', insecure: false, timeoutMs: 30_000, tokenFile: '/etc/appliance/nrdp.token' },
    ]);
  });

  it('reports every problem with its place', () => {
    const { issues, config } = load(`  <target name="a" type="cmd_cgi" url="ftp://nagios/cmd.cgi" user="rsv"/>
  <target name="b" type="cmd_cgi" url="https://u:p@nagios/cmd.cgi" user="has space" password="x" password_file="/x" timeout="2h" concurrency="0" insecure="maybe"/>
  <target name="c" type="nrdp" url="https://nagios/nrdp/" token_file="nrdp.token" path="/x"/>
  <target name="d" type="nrdp" url="http://nagios/nrdp/" token="t" ca_file="/ca.pem"/>`);
    expect(issues).toEqual([
      'bridge.xml:3:3: NagiosBridge "nagios": <target name="a">: url="ftp://nagios/cmd.cgi" must be an http:// or https:// URL',
      'bridge.xml:3:3: NagiosBridge "nagios": <target name="a">: give exactly one of password="..." or password_file="/path" (the file is better for secrets)',
      'bridge.xml:4:3: NagiosBridge "nagios": <target name="b">: url="https://u:p@nagios/cmd.cgi" holds credentials; give them as attributes (user/password_file, token_file)',
      'bridge.xml:4:3: NagiosBridge "nagios": <target name="b">: insecure="maybe" must be true or false',
      'bridge.xml:4:3: NagiosBridge "nagios": <target name="b">: timeout="2h" must be a duration from 100ms to 10m, e.g. 30s',
      `bridge.xml:4:3: NagiosBridge "nagios": <target name="b">: user="has space" must be the cmd.cgi user's name (no ':' or spaces)`,
      'bridge.xml:4:3: NagiosBridge "nagios": <target name="b">: give exactly one of password="..." or password_file="/path" (the file is better for secrets)',
      'bridge.xml:4:3: NagiosBridge "nagios": <target name="b">: concurrency="0" is not a whole number from 1 to 64',
      'bridge.xml:5:3: warning: NagiosBridge "nagios": <target name="c">: unknown attribute "path" (known: name, type, url, token, token_file, ca_file, insecure, timeout)',
      'bridge.xml:5:3: NagiosBridge "nagios": <target name="c">: token_file="nrdp.token" must be an absolute path',
      'bridge.xml:6:3: warning: NagiosBridge "nagios": <target name="d">: ca_file is for https:// URLs; url is http://',
    ]);
    expect(nagiosBridgeSettingsOf(config).targets.map((t) => t.name)).toEqual(['d']);
  });

  it("reads cmd.cgi's date format and time zone for downtimes, and names a bad one", () => {
    const good = load(`  <target name="r" type="cmd_cgi" url="https://n/cgi-bin/nagios4/cmd.cgi" user="rsv" password="x" date_format="iso8601" time_zone="Europe/Zurich"/>`);
    expect(good.issues).toEqual([]);
    expect(nagiosBridgeSettingsOf(good.config).targets[0]).toMatchObject({ dateFormat: 'iso8601', timeZone: 'Europe/Zurich' });
    const bad = load(`  <target name="r" type="cmd_cgi" url="https://n/cgi-bin/nagios4/cmd.cgi" user="rsv" password="x" date_format="yyyy" time_zone="Mars/Olympus"/>`);
    expect(bad.issues).toEqual([
      'bridge.xml:3:3: NagiosBridge "nagios": <target name="r">: date_format="yyyy" must be one of us, euro, iso8601, strict-iso8601 (the remote nagios.cfg\'s date_format)',
      'bridge.xml:3:3: NagiosBridge "nagios": <target name="r">: time_zone="Mars/Olympus" is not a time zone name (e.g. UTC, Europe/Zurich)',
    ]);
  });
});
