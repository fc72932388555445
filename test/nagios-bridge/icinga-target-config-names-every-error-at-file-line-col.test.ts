/** `<target type="icinga2">` in the NagiosBridge class: its attributes and defaults, and every problem at file:line:col. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { nagiosBridgeClassType, nagiosBridgeSettingsOf } from '../../nagios-bridge/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const load = (targets: string) => {
  const dir = tempDir({ 'bridge.xml': `<graphtool-config>\n<class type="NagiosBridge" name="nagios">\n${targets}\n</class>\n</graphtool-config>\n` });
  const config = loadConfig(join(dir, 'bridge.xml'), { classTypes: [nagiosBridgeClassType], env: { ICINGA_CA: '/var/lib/icinga2/certs/ca.crt' } });
  return { config, issues: config.issues.map(formatIssue).map((s) => s.replace(`${dir}/`, '')) };
};

describe('icinga2 target configuration', () => {
  it('reads url, user, password file, CA, parallel and timeout, with defaults', () => {
    const { config, issues } = load(`  <target name="icinga" type="icinga2" url="https://icinga.example.org:5665" user="bridge" password_file="/etc/appliance/icinga.pw" ca_file="$ICINGA_CA" parallel="16" timeout="10s"/>
  <target name="lab" type="icinga2" url="https://10.0.0.5:5665/" user="root" password="pa$$word" insecure="true"/>`);
    expect(issues).toEqual([]);
    expect(nagiosBridgeSettingsOf(config).targets.map(({ pos: _pos, ...t }) => t)).toEqual([
      { name: 'icinga', type: 'icinga2', url: 'https://icinga.example.org:5665', user: 'bridge', passwordFile: '/etc/appliance/icinga.pw', caFile: '/var/lib/icinga2/certs/ca.crt', insecure: false, parallel: 16, timeoutMs: 10_000 },
      { name: 'lab', type: 'icinga2', url: 'https://10.0.0.5:5665', user: 'root', password: 'pa$$word', insecure: true, parallel: 8, timeoutMs: 30_000 },
    ]);
  });

  it('reports every problem with its place', () => {
    const { issues } = load(`  <target name="a" type="icinga2" url="http://icinga:5665" user="bridge" password="x"/>
  <target name="b" type="icinga2" url="https://icinga:5665/v1/actions" user="a b" password="x" password_file="/pw"/>
  <target name="c" type="icinga2" url="https://icinga:5665" user="bridge" password_file="pw" ca_file="ca.crt" insecure="maybe" parallel="0" timeout="forever" path="/x"/>`);
    expect(issues).toEqual([
      'bridge.xml:3:3: NagiosBridge "nagios": <target name="a">: url="http://icinga:5665" must be the https:// address of Icinga\'s API, e.g. https://icinga.example.org:5665 (the API speaks HTTPS only)',
      'bridge.xml:4:3: NagiosBridge "nagios": <target name="b">: url="https://icinga:5665/v1/actions" must be the API\'s base (scheme, host and port) without a path; the bridge adds /v1/actions/...',
      'bridge.xml:4:3: NagiosBridge "nagios": <target name="b">: user="a b" must be the name of an Icinga ApiUser (no \':\' or spaces)',
      'bridge.xml:4:3: NagiosBridge "nagios": <target name="b">: give exactly one of password="..." or password_file="/path" (the file is better for secrets)',
      'bridge.xml:5:3: warning: NagiosBridge "nagios": <target name="c">: unknown attribute "path" (known: name, type, url, user, password, password_file, ca_file, insecure, parallel, timeout)',
      'bridge.xml:5:3: NagiosBridge "nagios": <target name="c">: password_file="pw" must be an absolute path',
      'bridge.xml:5:3: NagiosBridge "nagios": <target name="c">: ca_file="ca.crt" must be the absolute path of Icinga\'s CA certificate',
      'bridge.xml:5:3: NagiosBridge "nagios": <target name="c">: insecure="maybe" must be true or false',
      'bridge.xml:5:3: NagiosBridge "nagios": <target name="c">: parallel="0" is not a whole number from 1 to 64',
      'bridge.xml:5:3: NagiosBridge "nagios": <target name="c">: timeout="forever" must be a duration from 100ms to 10m, e.g. 30s',
    ]);
  });
});
