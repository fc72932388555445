/** The RSV part of the `NagiosBridge` class: off unless configured, host naming, output, start, lease; every problem at file:line:col; on for the quick start alone. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { bridgeSettingsFor, nagiosBridgeClassType, nagiosBridgeSettingsOf } from '../../nagios-bridge/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const load = (body: string) => {
  const dir = tempDir({ 'bridge.xml': `<graphtool-config>\n${body}\n</graphtool-config>\n` });
  const config = loadConfig(join(dir, 'bridge.xml'), { classTypes: [nagiosBridgeClassType] });
  return { config, issues: config.issues.map(formatIssue).map((s) => s.replace(`${dir}/`, '')) };
};
const TARGET = '<target name="local" type="command_file" path="/var/lib/nagios4/rw/nagios.cmd"/>';

describe('NagiosBridge RSV forwarding settings', () => {
  it('is off in a class that does not turn it on, naming hosts by serviceURI, output from detailsData, starting now', () => {
    const { config, issues } = load(`<class type="NagiosBridge" name="nagios">${TARGET}</class>`);
    expect(issues).toEqual([]);
    expect(nagiosBridgeSettingsOf(config).rsv).toEqual({ forward: false, hostFrom: 'service_uri', output: 'details', start: 'now', leaseMs: 30_000 });
  });

  it('reads every attribute, and rsv_host alone means a fixed host as RSV_HOST does', () => {
    const { config, issues } = load(`<class type="NagiosBridge" name="nagios">
  <attribute name="forward_rsv_records">true</attribute>
  <attribute name="rsv_host">rsv-central.example.edu</attribute>
  <attribute name="rsv_output">summary</attribute>
  <attribute name="rsv_start">beginning</attribute>
  <attribute name="rsv_lease">5s</attribute>
  ${TARGET}
</class>`);
    expect(issues).toEqual([]);
    expect(nagiosBridgeSettingsOf(config).rsv).toEqual({ forward: true, hostFrom: 'fixed', fixedHost: 'rsv-central.example.edu', output: 'summary', start: 'beginning', leaseMs: 5000 });
    const byName = load(`<class type="NagiosBridge" name="n"><attribute name="rsv_host_from">host_name</attribute>${TARGET}</class>`);
    expect(nagiosBridgeSettingsOf(byName.config).rsv.hostFrom).toBe('host_name');
  });

  it('reports every problem with its place', () => {
    const { issues } = load(`<class type="NagiosBridge" name="nagios">
  <attribute name="forward_rsv_records">sometimes</attribute>
  <attribute name="rsv_host_from">fixed</attribute>
  <attribute name="rsv_output">both</attribute>
  <attribute name="rsv_start">yesterday</attribute>
  <attribute name="rsv_lease">long</attribute>
  ${TARGET}
</class>
<class type="NagiosBridge" name="second">
  <attribute name="rsv_host">bad;host</attribute>
  <attribute name="rsv_host_from">service_uri</attribute>
  ${TARGET}
</class>`);
    expect(issues).toEqual([
      'bridge.xml:3:3: NagiosBridge "nagios": forward_rsv_records "sometimes" is not a boolean; use true or false',
      'bridge.xml:5:3: NagiosBridge "nagios": rsv_output "both" is not one of details, summary',
      'bridge.xml:6:3: NagiosBridge "nagios": rsv_start "yesterday" is not one of now, beginning',
      'bridge.xml:4:3: NagiosBridge "nagios": rsv_host_from "fixed" needs rsv_host="NAME" (RSV_HOST of rsv-nagios.conf)',
      'bridge.xml:7:3: NagiosBridge "nagios": rsv_lease "long" is not a duration; write e.g. 500ms, 30s, 5m, 24h, 7d',
      'bridge.xml:11:3: NagiosBridge "second": rsv_host must not contain ";"',
      'bridge.xml:11:3: NagiosBridge "second": rsv_host names a fixed host, but rsv_host_from is "service_uri"; drop one of them',
    ]);
  });

  it('forwards RSV records with the quick start alone, and as its class says when there is one', () => {
    const none = load('');
    expect(bridgeSettingsFor(none.config, '/var/lib/nagios4/rw/nagios.cmd').rsv.forward).toBe(true);
    expect(bridgeSettingsFor(none.config, undefined).rsv.forward).toBe(false);
    const withClass = load(`<class type="NagiosBridge" name="nagios">${TARGET}</class>`);
    expect(bridgeSettingsFor(withClass.config, '/var/lib/nagios4/rw/nagios.cmd').rsv.forward).toBe(false);
  });
});
