/** The OpenNebulaSource class: defaults, every attribute, and each bad value reported at its file:line:col. */
import { afterAll, describe, expect, it } from 'vitest';
import { openNebulaSourceClassType, openNebulaSourcesOf } from '../../accounting/opennebula-source.js';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

function load(xml: string) {
  const dir = tempDir({ 'sources.xml': `<graphtool-config>\n${xml}\n</graphtool-config>\n`, 'one_auth': 'oneadmin:pw\n' });
  const config = loadConfig(dir, { classTypes: [openNebulaSourceClassType], env: { ONE_AUTH: `${dir}/one_auth` } });
  return { sources: openNebulaSourcesOf(config), issues: config.issues.map((i) => formatIssue(i).replace(`${dir}/`, '')) };
}

describe('OpenNebulaSource', () => {
  it('reads two endpoints, with defaults for what is not given', () => {
    const { sources, issues } = load(`<class type="OpenNebulaSource" name="fermicloud">
  <attribute name="url">https://one.example.gov:2633/RPC2</attribute>
  <attribute name="session_file">$ONE_AUTH</attribute>
  <attribute name="schedule">0 */10 * * * *</attribute>
  <attribute name="filter">-2</attribute>
  <attribute name="first_start">2026-01-01T00:00:00Z</attribute>
  <attribute name="overlap_seconds">900</attribute>
  <attribute name="timeout_seconds">60</attribute>
  <attribute name="max_response_mb">512</attribute>
  <attribute name="lease_seconds">300</attribute>
  <attribute name="retry_seconds">30</attribute>
  <attribute name="retry_cap_seconds">1800</attribute>
</class>
<class type="OpenNebulaSource" name="zone-2">
  <attribute name="url">http://127.0.0.1:2633/RPC2</attribute>
  <attribute name="session">serveradmin:secret</attribute>
</class>`);
    expect(issues).toEqual([]);
    expect(sources.map((s) => s.name)).toEqual(['fermicloud', 'zone-2']);
    expect(sources[0]).toMatchObject({
      url: 'https://one.example.gov:2633/RPC2', schedule: '0 */10 * * * *', filter: -2, firstStart: 1_767_225_600, overlapSeconds: 900,
      timeoutMs: 60_000, maxResponseBytes: 512 * 1024 * 1024, leaseMs: 300_000, retryBaseMs: 30_000, retryCapMs: 1_800_000,
    });
    expect(sources[0]?.sessionFile).toMatch(/one_auth$/);
    expect(sources[1]).toMatchObject({ session: 'serveradmin:secret', schedule: '*/15 * * * *', filter: -2, firstStart: 0, overlapSeconds: 3600, timeoutMs: 120_000, leaseMs: 600_000 });
  });

  it('reports each bad value at its position', () => {
    const { issues } = load(`<class type="OpenNebulaSource" name="bad name!">
  <attribute name="url">ftp://one/RPC2</attribute>
  <attribute name="session">nocolon</attribute>
  <attribute name="schedule">every tuesday</attribute>
  <attribute name="filter">all</attribute>
  <attribute name="first_start">yesterday</attribute>
  <attribute name="timeout_seconds">600</attribute>
  <attribute name="lease_seconds">60</attribute>
  <attribute name="ca_file">/nonexistent/ca.pem</attribute>
  <attribute name="colour">blue</attribute>
</class>
<class type="OpenNebulaSource" name="empty">
</class>`);
    expect(issues).toEqual([
      'sources.xml:2:1: OpenNebulaSource "bad name!": the name is the endpoint\'s key: 1 to 64 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
      'sources.xml:3:3: OpenNebulaSource "bad name!": url "ftp://one/RPC2" must be http: or https: (http://host:2633/RPC2)',
      'sources.xml:4:3: OpenNebulaSource "bad name!": session is not of the form user:password',
      expect.stringMatching(/^sources\.xml:5:3: OpenNebulaSource "bad name!": schedule "every tuesday" is not a cron pattern: /),
      'sources.xml:6:3: OpenNebulaSource "bad name!": filter "all" is not a whole number from -4 to 2147483647',
      'sources.xml:7:3: OpenNebulaSource "bad name!": first_start "yesterday" is neither epoch seconds nor an ISO 8601 time with its zone (2026-01-01T00:00:00Z)',
      'sources.xml:10:3: OpenNebulaSource "bad name!": cannot read ca_file /nonexistent/ca.pem: ENOENT',
      'sources.xml:11:3: warning: OpenNebulaSource "bad name!": unknown attribute "colour"',
      'sources.xml:9:3: OpenNebulaSource "bad name!": lease_seconds must be longer than timeout_seconds, so a pull\'s call ends before its lease can pass to another appliance',
      'sources.xml:13:1: OpenNebulaSource "empty": url is required (http://host:2633/RPC2)',
      'sources.xml:13:1: OpenNebulaSource "empty": give exactly one of session and session_file (the user:password OpenNebula accepts)',
    ]);
  });
});
