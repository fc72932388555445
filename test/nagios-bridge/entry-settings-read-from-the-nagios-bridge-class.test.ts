/** The entries' settings from a `NagiosBridge` class: attributes, <submitter> and <nrdp_token> elements, each bad value reported at its position. */
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadConfig, objectsOfType } from '../../grammar/index.js';
import { readEntrySettings, type EntrySettings } from '../../nagios-bridge/entries/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

function load(body: string, env: Record<string, string> = {}) {
  const dir = tempDir({ 'bridge.xml': `<graphtool-config>\n<class type="NagiosBridge" name="nagios">\n${body}\n</class>\n</graphtool-config>\n` });
  const config = loadConfig(dir, { classTypes: [{ type: 'NagiosBridge', build: readEntrySettings }], env });
  return {
    settings: objectsOfType<EntrySettings>(config, 'NagiosBridge')[0]!.value,
    issues: config.issues.map(formatIssue).map((l) => l.replace(dir + '/', '')),
  };
}

describe('entry settings of the NagiosBridge class', () => {
  it('reads the command lists, limits and tokens (secrets from the environment)', () => {
    const { settings, issues } = load(
      [
        '<attribute name="cmd_cgi_realm">Nagios4</attribute>',
        '<attribute name="authorized_for_all_service_commands">rsv, alice</attribute>',
        '<attribute name="authorized_for_all_host_commands">*</attribute>',
        '<attribute name="max_output_bytes">4096</attribute>',
        '<attribute name="rsv_plus_as_space">no</attribute>',
        '<submitter user="rsv" hosts="rsv\\.example\\.edu" services="org\\.osg\\..*"/>',
        '<nrdp_token name="ncpa" token="${NCPA_TOKEN}" hosts="node[0-9]+"/>',
      ].join('\n'),
      { NCPA_TOKEN: 'a-secret-of-enough-length' },
    );
    expect(issues).toEqual([]);
    expect(settings).toMatchObject({ realm: 'Nagios4', serviceCommandUsers: ['rsv', 'alice'], hostCommandUsers: ['*'], maxOutputBytes: 4096, rsvPlusAsSpace: false });
    const rsv = settings.submitters.get('rsv')!;
    expect([rsv.hosts!.test('rsv.example.edu'), rsv.hosts!.test('xrsv.example.edu'), rsv.services!.test('org.osg.a'), rsv.services!.test('org.osgx')]).toEqual([true, false, true, false]);
    expect(settings.nrdpTokens.map((t) => [t.name, t.secret, t.hosts!.test('node12'), t.hosts!.test('node12.evil')])).toEqual([['ncpa', 'a-secret-of-enough-length', true, false]]);
  });

  it('defaults: no one authorized, no tokens, 8 KiB of output, RSV\'s "+" turned back into spaces', () => {
    const { settings, issues } = load('');
    expect(issues).toEqual([]);
    expect(settings).toMatchObject({ realm: 'Nagios Access', serviceCommandUsers: [], hostCommandUsers: [], nrdpTokens: [], maxOutputBytes: 8192, rsvPlusAsSpace: true });
  });

  it('reports each bad value at its line, and never widens a bad limit to "anything"', () => {
    const { settings, issues } = load(
      [
        '<attribute name="cmd_cgi_realm">say "hi"</attribute>',
        '<attribute name="max_output_bytes">lots</attribute>',
        '<attribute name="rsv_plus_as_space">maybe</attribute>',
        '<submitter hosts="x"/>',
        '<submitter user="rsv" hosts="(a)\\1"/>',
        '<nrdp_token name="short" token="abc"/>',
        '<nrdp_token name="unset" token="${NOT_SET}"/>',
        '<nrdp_token token="a-secret-of-enough-length"/>',
      ].join('\n'),
    );
    expect(issues).toEqual([
      'bridge.xml:3:1: NagiosBridge "nagios": cmd_cgi_realm must be non-empty and hold no quote, backslash or newline',
      'bridge.xml:4:1: NagiosBridge "nagios": max_output_bytes "lots" is not a number of bytes between 256 and 1048576',
      'bridge.xml:5:1: NagiosBridge "nagios": rsv_plus_as_space "maybe" is not a boolean; use true or false',
      'bridge.xml:6:1: NagiosBridge "nagios": <submitter> needs user="NAME"',
      expect.stringMatching(/^bridge\.xml:7:1: NagiosBridge "nagios": <submitter user="rsv">: hosts="\(a\)\\1" is not a usable pattern: .*backreference \\1/),
      'bridge.xml:8:1: NagiosBridge "nagios": <nrdp_token name="short"> needs token="..." of at least 16 characters',
      'bridge.xml:9:1: environment variable $NOT_SET is not set',
      'bridge.xml:9:1: NagiosBridge "nagios": <nrdp_token name="unset"> needs token="..." of at least 16 characters',
      'bridge.xml:10:1: NagiosBridge "nagios": <nrdp_token> needs name="NAME"',
    ]);
    expect(settings.nrdpTokens).toEqual([]);
    expect(settings.submitters.get('rsv')!.hosts!.test('aa')).toBe(false);
  });
});
