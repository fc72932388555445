/** The cmd.cgi entry: RSV's exact request, 401 with a Basic challenge first, then Basic; decoding as cmd.cgi; POST forms; cgi.cfg-style authorization. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { entrySettings } from '../../nagios-bridge/entries/index.js';
import { basic } from '../access/support/access-app.js';
import { PASSWORDS, standardSettings } from '../access/support/users-fixture.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { FIXED_EPOCH, rsvQuery, startEntriesApp, type EntriesApp } from './support/entries-app.js';

afterAll(removeTempDirs);

const SUCCESS_LINE = "<P><DIV CLASS='infoMessage'>Your command request was successfully submitted to Nagios for processing.<BR><BR>";
const RSV_PATH = '/nagios/cgi-bin/cmd.cgi';

describe('cmd.cgi entry', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: accessMigrations });
  let app: EntriesApp;
  const settings = entrySettings({
    serviceCommandUsers: ['bob', 'alice'],
    hostCommandUsers: ['alice'],
    submitters: { bob: { hosts: 'osg-.*\\.wisc\\.edu|rsv\\.example\\.edu', services: 'org\\.osg\\..*' } },
    rsvPlusAsSpace: false,
  });

  beforeEach(async () => {
    app = await startEntriesApp(fresh().store, standardSettings(), settings);
  });
  afterEach(() => app.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(app.url + path, { headers });
  const bob = { authorization: basic('bob', PASSWORDS.bob) };

  it('answers RSV\'s first, credential-less request with 401 and a quoted Basic realm, then takes it with Basic', async () => {
    const query = rsvQuery('org.osg.general.ping-host', 'rsv.example.edu', 0, 'Host osg-edu is alive');
    expect(query).toBe(
      'cmd_typ=30&cmd_mod=2&service=org.osg.general.ping-host&host=rsv.example.edu&plugin_state=0&plugin_output=Host%2Bosg-edu%2Bis%2Balive&btnSubmit=Commited',
    );
    const first = await get(`${RSV_PATH}?${query}`);
    expect(first.status).toBe(401);
    // RSV's regex needs `Basic realm="..."` with the quotes.
    expect(first.headers.get('www-authenticate')).toBe('Basic realm="Nagios Access"');
    expect(app.submitted).toEqual([]);

    const second = await get(`${RSV_PATH}?${query}`, bob);
    expect(second.status).toBe(200);
    expect(second.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await second.text()).split('\n')).toContain(SUCCESS_LINE);
    // Exactly what cmd.cgi decodes it to ("+" to space first, then %2B to "+"): Nagios logs `Host+osg-edu+is+alive`.
    expect(app.submitted).toEqual([
      [{ kind: 'service', host: 'rsv.example.edu', service: 'org.osg.general.ping-host', state: 0, output: 'Host+osg-edu+is+alive', checkTime: FIXED_EPOCH, source: 'cmd.cgi', submittedBy: 'bob' }],
    ]);
  });

  it('turns RSV\'s "+" back into spaces when rsv_plus_as_space is on, for RSV\'s requests only', async () => {
    const plus = await startEntriesApp(fresh().store, standardSettings(), { ...settings, rsvPlusAsSpace: true });
    try {
      const details = 'Host osg-edu is alive\nand responding to pings!';
      const rsv = await fetch(`${plus.url}${RSV_PATH}?${rsvQuery('org.osg.general.ping-host', 'rsv.example.edu', 0, details)}`, { headers: bob });
      expect(rsv.status).toBe(200);
      const other = await fetch(`${plus.url}${RSV_PATH}?cmd_typ=30&cmd_mod=2&host=rsv.example.edu&service=org.osg.x&plugin_state=1&plugin_output=a%2Bb+c`, { headers: bob });
      expect(other.status).toBe(200);
      expect(plus.submitted.map((b) => b[0]!.output)).toEqual(['Host osg-edu is alive and responding to pings!', 'a+b c']);
    } finally {
      await plus.close();
    }
  });

  it('decodes "+" before %XX on every path and for POST forms, and keeps performance_data', async () => {
    const body = 'cmd_typ=30&cmd_mod=2&host=osg-edu.cs.wisc.edu&service=org.osg.certificates.cacert-expiry&plugin_state=2&plugin_output=CRITICAL%3A+CA+expired+%E2%9C%97&performance_data=days%3D0';
    for (const path of ['/nagios4/cgi-bin/cmd.cgi', '/cgi-bin/nagios4/cmd.cgi']) {
      const res = await fetch(app.url + path, { method: 'POST', headers: { ...bob, 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' }, body });
      expect(res.status, path).toBe(200);
    }
    const res = await get(`${RSV_PATH}?cmd_typ=87&cmd_mod=2&host=osg-edu.cs.wisc.edu&plugin_state=1&plugin_output=DOWN+now|rta=5ms`, { authorization: basic('alice', PASSWORDS.alice) });
    expect(res.status).toBe(200);
    const service = { kind: 'service', host: 'osg-edu.cs.wisc.edu', service: 'org.osg.certificates.cacert-expiry', state: 2, output: 'CRITICAL: CA expired ✗', perfdata: 'days=0', checkTime: FIXED_EPOCH, source: 'cmd.cgi', submittedBy: 'bob' };
    expect(app.submitted).toEqual([[service], [service], [{ kind: 'host', host: 'osg-edu.cs.wisc.edu', state: 1, output: 'DOWN now', perfdata: 'rta=5ms', checkTime: FIXED_EPOCH, source: 'cmd.cgi', submittedBy: 'alice' }]]);
  });

  it('works the same when the app ran authenticate before the router', async () => {
    const early = await startEntriesApp(fresh().store, standardSettings(), settings, { mountAuthenticateFirst: true });
    try {
      const query = rsvQuery('org.osg.general.ping-host', 'rsv.example.edu', 0, 'ok');
      expect((await fetch(`${early.url}${RSV_PATH}?${query}`)).status).toBe(401);
      expect((await fetch(`${early.url}${RSV_PATH}?${query}`, { headers: bob })).status).toBe(200);
      expect(early.submitted).toHaveLength(1);
    } finally {
      await early.close();
    }
  });

  it('authorizes like cgi.cfg: read-only users, the command lists, and per-user host and service patterns', async () => {
    const svc = (host: string, service: string) => `${RSV_PATH}?cmd_typ=30&cmd_mod=2&host=${host}&service=${service}&plugin_state=0&plugin_output=ok`;
    const carol = await get(svc('rsv.example.edu', 'org.osg.a'), { authorization: basic('carol', PASSWORDS.carol) });
    expect(carol.status).toBe(403);
    expect(await carol.text()).toContain("<DIV CLASS='errorMessage'>It appears as though you do not have permission to submit the command you requested...</DIV>");

    const cases: [string, Record<string, string>][] = [
      // bob is not in authorized_for_all_host_commands.
      [`${RSV_PATH}?cmd_typ=87&cmd_mod=2&host=rsv.example.edu&plugin_state=0&plugin_output=up`, bob],
      // Patterns are anchored: "xosg-edu.cs.wisc.edu" and "org.osg.a.evil" prefixes do not pass.
      [svc('xosg-edu.cs.wisc.edu', 'org.osg.a'), bob],
      [svc('osg-edu.cs.wisc.edu.evil.org', 'org.osg.a'), bob],
      [svc('rsv.example.edu', 'xorg.osg.a'), bob],
    ];
    for (const [path, headers] of cases) {
      const res = await get(path, headers);
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain("<P><DIV CLASS='errorMessage'>Sorry, but you are not authorized to commit the specified command.</DIV></P>");
    }
    // alice has no <submitter> limits.
    expect((await get(svc('xosg-edu.cs.wisc.edu', 'anything'), { authorization: basic('alice', PASSWORDS.alice) })).status).toBe(200);
    expect(app.submitted.map((b) => b[0]!.submittedBy)).toEqual(['alice']);
  });

  it('says success only after submit resolved: a failing queue gives the commit-failed page and 503', async () => {
    app.failSubmits(true);
    const res = await get(`${RSV_PATH}?${rsvQuery('org.osg.general.ping-host', 'rsv.example.edu', 0, 'ok')}`, bob);
    expect(res.status).toBe(503);
    const page = await res.text();
    expect(page).toContain("<DIV CLASS='errorMessage'>An error occurred while attempting to commit your command for processing.");
    expect(page).not.toContain('successfully submitted');
    expect(page).not.toContain('SQLITE');
  });
});
