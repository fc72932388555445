/** Bad input on both entries: each case is refused in the client's own protocol (cmd.cgi's error page, NRDP's status -1), naming the field, and nothing is submitted. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { entrySettings } from '../../nagios-bridge/entries/index.js';
import { basic } from '../access/support/access-app.js';
import { PASSWORDS, standardSettings } from '../access/support/users-fixture.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { startEntriesApp, type EntriesApp } from './support/entries-app.js';
import { form, NCPA_TOKEN } from './support/nrdp-fixtures.js';

afterAll(removeTempDirs);

const CGI = '/nagios/cgi-bin/cmd.cgi';
const OK_SERVICE = 'cmd_typ=30&cmd_mod=2&host=h1&service=s1&plugin_state=0&plugin_output=fine';
const MAX = 512;

describe('bad input', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: accessMigrations });
  let app: EntriesApp;
  const settings = entrySettings({ serviceCommandUsers: ['*'], hostCommandUsers: ['*'], maxOutputBytes: MAX, nrdpTokens: [{ name: 'ncpa', secret: NCPA_TOKEN }] });
  beforeEach(async () => {
    app = await startEntriesApp(fresh().store, standardSettings(), settings);
  });
  afterEach(() => app.close());
  const bob = { authorization: basic('bob', PASSWORDS.bob) };

  it('cmd.cgi: a well-formed request passes (the cases below differ from it in one field)', async () => {
    const res = await fetch(`${app.url}${CGI}?${OK_SERVICE}`, { headers: bob });
    expect(res.status).toBe(200);
    expect(app.submitted).toHaveLength(1);
  });

  const cgiCases: [string, string, string][] = [
    ['no cmd_typ', 'cmd_mod=2&host=h1&service=s1&plugin_state=0&plugin_output=x', 'cmd_typ is missing: use 30 (PROCESS_SERVICE_CHECK_RESULT) or 87 (PROCESS_HOST_CHECK_RESULT)'],
    ['unknown cmd_typ', OK_SERVICE.replace('cmd_typ=30', 'cmd_typ=34'), 'cmd_typ &quot;34&quot; is not a command this entry takes'],
    ['cmd_mod=1 (the form)', OK_SERVICE.replace('cmd_mod=2', 'cmd_mod=1'), 'cmd_mod must be 2 (commit the command)'],
    ['no host', OK_SERVICE.replace('host=h1&', ''), 'host is missing'],
    ['no service on a service result', OK_SERVICE.replace('service=s1&', ''), 'service is missing'],
    ['no plugin_state', OK_SERVICE.replace('plugin_state=0&', ''), 'plugin_state is missing'],
    ['state 4', OK_SERVICE.replace('plugin_state=0', 'plugin_state=4'), 'plugin_state &quot;4&quot; is not a service state'],
    ['state -1', OK_SERVICE.replace('plugin_state=0', 'plugin_state=-1'), 'plugin_state &quot;-1&quot; is not a service state'],
    ['state 2abc (atoi would read 2)', OK_SERVICE.replace('plugin_state=0', 'plugin_state=2abc'), 'is not a service state'],
    ['host state 3', 'cmd_typ=87&cmd_mod=2&host=h1&plugin_state=3&plugin_output=x', 'plugin_state &quot;3&quot; is not a host state: use 0 (UP), 1 (DOWN) or 2 (UNREACHABLE)'],
    ['blank output', OK_SERVICE.replace('plugin_output=fine', 'plugin_output=+++'), 'Plugin output cannot be blank'],
    ['no output', OK_SERVICE.replace('&plugin_output=fine', ''), 'Plugin output cannot be blank'],
    ['oversized output', OK_SERVICE.replace('fine', 'x'.repeat(MAX + 1)), `longer than the limit of ${MAX} bytes`],
    ['invalid UTF-8', OK_SERVICE.replace('fine', 'caf%E9'), 'parameter plugin_output is not valid UTF-8'],
    ['a broken % escape', OK_SERVICE.replace('fine', '100%ZZ'), 'parameter plugin_output has a &quot;%&quot; not followed by two hex digits'],
    ['";" in host', OK_SERVICE.replace('host=h1', 'host=h1%3Bs1%3B0%3Bforged'), 'host must not contain &quot;;&quot;'],
    ['"[" in host', OK_SERVICE.replace('host=h1', 'host=h%5B1'), 'host must not contain &quot;[&quot;'],
    ['"]" in service', OK_SERVICE.replace('service=s1', 'service=s%5D1'), 'service must not contain &quot;]&quot;'],
    [
      'a newline in service (a second command)',
      OK_SERVICE.replace('service=s1', 'service=s1%0A%5B1%5D+SHUTDOWN_PROGRAM'),
      'service must not contain a newline',
    ],
    ['a NUL in host', OK_SERVICE.replace('host=h1', 'host=h1%00x'), 'host must not contain control character U+0000'],
    ['a newline in performance_data', `${OK_SERVICE}&performance_data=a%3D1%0A%5B1%5D+SHUTDOWN_PROGRAM`, 'performance_data must be one line'],
    ['host given twice', `${OK_SERVICE}&host=h2`, 'parameter host is given more than once'],
  ];

  it.each(cgiCases)('cmd.cgi refuses %s with 400 and its error page', async (_name, query, message) => {
    const res = await fetch(`${app.url}${CGI}?${query}`, { headers: bob });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).toContain("<P><DIV CLASS='errorMessage'>");
    expect(page).toContain(message);
    expect(app.submitted).toEqual([]);
  });

  it('cmd.cgi: the same refusals for POST forms, an unsupported Content-Type, and an oversized body', async () => {
    const post = (body: string | Buffer, type = 'application/x-www-form-urlencoded') =>
      fetch(app.url + CGI, { method: 'POST', headers: { ...bob, 'content-type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });
    const bad = await post(OK_SERVICE.replace('host=h1', 'host=h1%3Bx'));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('host must not contain &quot;;&quot;');
    const utf8 = await post(Buffer.concat([Buffer.from(OK_SERVICE + '&performance_data=a'), Buffer.from([0xc3, 0x28])]));
    expect(await utf8.text()).toContain('parameter performance_data is not valid UTF-8');
    const json = await post(JSON.stringify({ cmd_typ: 30 }), 'application/json');
    expect(json.status).toBe(415);
    expect(await json.text()).toBe('getcgivars(): Unsupported Content-Type.\n');
    const huge = await post(`${OK_SERVICE}&x=${'a'.repeat(1024 * 1024 + 1)}`);
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('the request body is larger than 1048576 bytes');
    expect(app.submitted).toEqual([]);
  });

  it('cmd.cgi: wrong credentials are a 401, never a fall-back to anonymous', async () => {
    for (const authorization of [basic('bob', 'wrong'), basic('nobody', 'x'), 'Basic !!!']) {
      const res = await fetch(`${app.url}${CGI}?${OK_SERVICE}`, { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+"$/);
    }
    expect(app.submitted).toEqual([]);
  });

  const xml = (inner: string) => `<checkresults>${inner}</checkresults>`;
  const svc = (host: string, service: string, state: string, output: string) =>
    `<checkresult type="service"><hostname>${host}</hostname><servicename>${service}</servicename><state>${state}</state><output>${output}</output></checkresult>`;
  const GOOD = svc('h1', 's1', '0', 'fine');

  const nrdpCases: [string, Record<string, string>, number, string, string][] = [
    ['malformed XML', { XMLDATA: '<checkresults><checkresult>' }, 400, 'BAD XML', 'not closed'],
    [
      'an entity declaration (billion laughs)',
      { XMLDATA: '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' + xml(svc('h1', 's1', '0', '&lol2;')) },
      400,
      'BAD XML',
      'DOCTYPE and entity declarations are not allowed',
    ],
    ['an external entity', { XMLDATA: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + xml(svc('h1', 's1', '0', '&e;')) }, 400, 'BAD XML', 'DOCTYPE'],
    ['another document element', { XMLDATA: '<results/>' }, 400, 'BAD XML', 'the document element must be &lt;checkresults&gt;'],
    ['no results', { XMLDATA: xml('') }, 400, 'BAD XML', 'holds no check results'],
    ['state 7', { XMLDATA: xml(GOOD + svc('h1', 's2', '7', 'x')) }, 400, 'BAD XML', 'checkresult 2: state &quot;7&quot; is not a service state'],
    ['";" in a host name', { XMLDATA: xml(svc('h1;s1;0;forged', 's1', '0', 'x')) }, 400, 'BAD XML', 'checkresult 1: hostname must not contain &quot;;&quot;'],
    ['"[" in a service name', { XMLDATA: xml(svc('h1', '[1] X', '0', 'x')) }, 400, 'BAD XML', 'servicename must not contain &quot;[&quot;'],
    ['a newline in a service name', { XMLDATA: xml(svc('h1', 's1&#10;[1] SHUTDOWN_PROGRAM', '0', 'x')) }, 400, 'BAD XML', 'servicename must not contain a newline'],
    ['an unknown type', { XMLDATA: xml('<checkresult type="hostgroup"><hostname>h</hostname><state>0</state><output>x</output></checkresult>') }, 400, 'BAD XML', 'type &quot;hostgroup&quot; is neither host nor service'],
    ['no output', { XMLDATA: xml(svc('h1', 's1', '0', '')) }, 400, 'BAD XML', 'Plugin output cannot be blank'],
    ['oversized output', { XMLDATA: xml(svc('h1', 's1', '0', 'y'.repeat(MAX + 1))) }, 400, 'BAD XML', `longer than the limit of ${MAX} bytes`],
    ['a time in the future', { XMLDATA: xml(GOOD.replace('</output>', '</output><time>9999999999</time>')) }, 400, 'BAD TIME', 'more than 300 s in the future'],
    ['no data', {}, 400, 'NO DATA', 'send the results as XMLDATA or JSONDATA'],
    ['malformed JSON', { JSONDATA: '{"checkresults": [' }, 400, 'BAD JSON', 'JSON'],
    ['JSON without checkresults', { JSONDATA: '{"results": []}' }, 400, 'BAD JSON', 'expected {&quot;checkresults&quot;: [ ... ]}'],
    ['a JSON state out of range', { JSONDATA: JSON.stringify({ checkresults: [{ checkresult: { type: 'host' }, hostname: 'h', state: 3, output: 'x' }] }) }, 400, 'BAD JSON', 'is not a host state'],
    ['a newline in a JSON host name', { JSONDATA: JSON.stringify({ checkresults: [{ hostname: 'h\n[1] X', state: 0, output: 'x' }] }) }, 400, 'BAD JSON', 'hostname must not contain a newline'],
    ['a JSON object for output', { JSONDATA: JSON.stringify({ checkresults: [{ hostname: 'h', state: 0, output: { a: 1 } }] }) }, 400, 'BAD JSON', 'output must be text'],
  ];

  it.each(nrdpCases)('NRDP refuses %s with status -1', async (_name, fields, status, message, detail) => {
    const res = await fetch(`${app.url}/nrdp/`, form({ token: NCPA_TOKEN, cmd: 'submitcheck', ...fields }));
    expect(res.status).toBe(status);
    const json = 'JSONDATA' in fields;
    const body = await res.text();
    if (json) {
      const parsed = JSON.parse(body) as { result: { status: number; message: string; meta?: { output: string } } };
      expect(parsed.result.status).toBe(-1);
      expect(parsed.result.message).toBe(message);
      expect(parsed.result.meta?.output.replace(/"/g, '&quot;')).toContain(detail);
    } else {
      expect(body).toContain('<status>-1</status>');
      expect(body).toContain(`<message>${message}</message>`);
      expect(body).toContain(detail);
    }
    expect(app.submitted).toEqual([]);
  });

  it('NRDP refuses invalid UTF-8, unknown commands and submitcmd, nothing submitted', async () => {
    const utf8 = await fetch(`${app.url}/nrdp/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new Uint8Array(Buffer.concat([Buffer.from(`token=${NCPA_TOKEN}&cmd=submitcheck&XMLDATA=`), Buffer.from(xml(svc('h1', 's1', '0', 'caf')).replace('caf', 'caf\xe9'), 'latin1')])),
    });
    expect(utf8.status).toBe(400);
    expect(await utf8.text()).toContain('parameter XMLDATA is not valid UTF-8');
    for (const cmd of ['submitcmd', 'nonsense']) {
      const res = await fetch(`${app.url}/nrdp/`, form({ token: NCPA_TOKEN, cmd, command: 'SHUTDOWN_PROGRAM' }));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('<message>NO REQUEST HANDLER</message>');
    }
    expect(app.submitted).toEqual([]);
  });
});
