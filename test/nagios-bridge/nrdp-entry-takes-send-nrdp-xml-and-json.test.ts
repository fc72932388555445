/** The NRDP entry: send_nrdp-shaped XML and JSON submissions, NRDP's answer shapes, tokens and their limits, hello. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { entrySettings } from '../../nagios-bridge/entries/index.js';
import { standardSettings } from '../access/support/users-fixture.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { FIXED_EPOCH, startEntriesApp, type EntriesApp } from './support/entries-app.js';
import { form, LIMITED_TOKEN, NCPA_TOKEN, nrdpSettings, SEND_NRDP_XML } from './support/nrdp-fixtures.js';

afterAll(removeTempDirs);

describe('NRDP entry', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: accessMigrations });
  let app: EntriesApp;
  beforeEach(async () => {
    app = await startEntriesApp(fresh().store, standardSettings(), nrdpSettings());
  });
  afterEach(() => app.close());

  it('takes send_nrdp XML: Nagios\'s output split, a missing type as a host result, `time` kept, an XML answer', async () => {
    const res = await fetch(`${app.url}/nrdp/`, form({ token: NCPA_TOKEN, cmd: 'submitcheck', XMLDATA: SEND_NRDP_XML }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const body = await res.text();
    expect(body).toContain('<status>0</status>');
    expect(body).toContain('<message>OK</message>');
    expect(body).toContain('<output>3 checks processed.</output>');
    const base = { checkTime: FIXED_EPOCH, source: 'nrdp', submittedBy: 'ncpa' };
    expect(app.submitted).toEqual([
      [
        {
          kind: 'service',
          host: 'osg-edu.cs.wisc.edu',
          service: 'org.osg.general.ping-host',
          state: 2,
          output: 'CRITICAL: host down & not answering',
          longOutput: 'second line\nthird line',
          perfdata: 'rta=5ms;3;5 pl=100%',
          ...base,
        },
        { kind: 'host', host: 'osg-edu.cs.wisc.edu', state: 1, output: 'DOWN', ...base },
        { kind: 'host', host: 'rsv.example.edu', state: 0, output: 'UP', ...base, checkTime: 1772358000 },
      ],
    ]);
  });

  it('takes NRDP JSON (numbers or strings for state) and answers in JSON, also by GET on /nrdp/index.php', async () => {
    const json = JSON.stringify({
      checkresults: [
        { checkresult: { type: 'service' }, hostname: 'h1', servicename: 's1', state: '1', output: 'WARNING: slow|t=3s' },
        { checkresult: {}, hostname: 'h1', state: 0, output: 'UP' },
      ],
    });
    const res = await fetch(`${app.url}/nrdp/`, form({ token: NCPA_TOKEN, cmd: 'submitcheck', JSONDATA: json }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: { status: 0, message: 'OK', meta: { output: '2 checks processed.' } } });
    const get = await fetch(`${app.url}/nrdp/index.php?${new URLSearchParams({ token: NCPA_TOKEN, cmd: 'submitcheck', json })}`);
    expect(await get.json()).toEqual({ result: { status: 0, message: 'OK', meta: { output: '2 checks processed.' } } });
    const base = { checkTime: FIXED_EPOCH, source: 'nrdp', submittedBy: 'ncpa' };
    const batch = [
      { kind: 'service', host: 'h1', service: 's1', state: 1, output: 'WARNING: slow', perfdata: 't=3s', ...base },
      { kind: 'host', host: 'h1', state: 0, output: 'UP', ...base },
    ];
    expect(app.submitted).toEqual([batch, batch]);
  });

  it('answers hello without a token', async () => {
    const res = await fetch(`${app.url}/nrdp/?cmd=hello`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<status>0<\/status>\s*<message>OK<\/message>/);
  });

  it('refuses missing, wrong and unconfigured tokens with status -1 and 401, and results outside a token\'s patterns with 403', async () => {
    const xml = SEND_NRDP_XML;
    const cases: [Record<string, string>, number, string][] = [
      [{ cmd: 'submitcheck', XMLDATA: xml }, 401, 'NO TOKEN'],
      [{ token: 'wrong-token-0123456789abcdef', cmd: 'submitcheck', XMLDATA: xml }, 401, 'BAD TOKEN'],
      [{ token: LIMITED_TOKEN, cmd: 'submitcheck', XMLDATA: xml }, 403, 'NOT AUTHORIZED'],
    ];
    for (const [fields, status, message] of cases) {
      const res = await fetch(`${app.url}/nrdp/`, form(fields));
      expect(res.status, message).toBe(status);
      const body = await res.text();
      expect(body).toContain('<status>-1</status>');
      expect(body).toContain(`<message>${message}</message>`);
    }
    const none = await startEntriesApp(fresh().store, standardSettings(), entrySettings());
    try {
      const res = await fetch(`${none.url}/nrdp/`, form({ token: NCPA_TOKEN, cmd: 'submitcheck', XMLDATA: xml }));
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<message>NO TOKENS</message>');
    } finally {
      await none.close();
    }
    const inside = `<checkresults><checkresult type="service"><hostname>rsv.example.edu</hostname><servicename>org.osg.x</servicename><state>0</state><output>ok</output></checkresult></checkresults>`;
    expect((await fetch(`${app.url}/nrdp/`, form({ token: LIMITED_TOKEN, cmd: 'submitcheck', XMLDATA: inside }))).status).toBe(200);
    expect(app.submitted.map((b) => b.map((r) => r.submittedBy))).toEqual([['limited']]);
  });

  it('says status 0 only after submit resolved: a failing queue gives status -1 and 503', async () => {
    app.failSubmits(true);
    const res = await fetch(`${app.url}/nrdp/`, form({ token: NCPA_TOKEN, cmd: 'submitcheck', XMLDATA: SEND_NRDP_XML }));
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(body).toContain('<status>-1</status>');
    expect(body).toContain('<message>QUEUE FAILED</message>');
    expect(body).not.toContain('SQLITE');
  });
});
