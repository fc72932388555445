/** The remote cmd.cgi transport's request (fields, escapes, limits, the form id) and how it reads cmd.cgi's pages and statuses. */
import { describe, expect, it } from 'vitest';
import { classifyCmdCgiAnswer, CMD_CGI_MAX_PARAM_BYTES, cmdCgiForm, issuedFormId } from '../../nagios-bridge/transports/index.js';
import type { PassiveResult } from '../../nagios-bridge/index.js';

const result = (over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host: 'ce1.example.org', service: 'org.osg.general.ping-host', state: 2, output: 'CRITICAL: x', checkTime: 1_700_000_000, source: 'rsv', ...over,
});
const URL = 'https://nagios.example/nagios4/cgi-bin/cmd.cgi';
const page = (line: string, status = 200) => ({ status, headers: {}, body: `<html><head><title>External Command Interface</title></head><body>\n${line}\n</body></html>` });

describe('cmd.cgi request', () => {
  it('commits a service result with the long output after escaped newlines, perfdata apart and the form id before the outputs', () => {
    const form = cmdCgiForm(result({ longOutput: 'line two\nC:\\three', perfdata: 'rta=0.5ms;1;2' }), 'c0ffee');
    expect(form).toEqual([
      ['cmd_typ', '30'],
      ['cmd_mod', '2'],
      ['host', 'ce1.example.org'],
      ['service', 'org.osg.general.ping-host'],
      ['plugin_state', '2'],
      ['nagFormId', 'c0ffee'],
      ['plugin_output', 'CRITICAL: x\\nline two\\nC:\\\\three'],
      ['performance_data', 'rta=0.5ms;1;2'],
      ['btnSubmit', 'Commit'],
    ]);
  });

  it('commits a host result as cmd_typ 87 without a service, and no nagFormId before the handshake', () => {
    const form = cmdCgiForm({ kind: 'host', host: 'se1', state: 1, output: 'DOWN', checkTime: 1, source: 'nrdp' }, undefined);
    expect(form.map(([k]) => k)).toEqual(['cmd_typ', 'cmd_mod', 'host', 'plugin_state', 'plugin_output', 'performance_data', 'btnSubmit']);
    expect(form[0]).toEqual(['cmd_typ', '87']);
  });

  it('refuses for good what cmd.cgi can never take, naming the field', () => {
    expect(() => cmdCgiForm(result({ output: 'x'.repeat(CMD_CGI_MAX_PARAM_BYTES + 1) }), 'a')).toThrow(`plugin_output is ${CMD_CGI_MAX_PARAM_BYTES + 1} bytes; cmd.cgi takes at most ${CMD_CGI_MAX_PARAM_BYTES}`);
    expect(() => cmdCgiForm(result({ output: 'é'.repeat(512) }), 'a')).toThrow('plugin_output is 1024 bytes');
    expect(cmdCgiForm(result({ output: 'x'.repeat(CMD_CGI_MAX_PARAM_BYTES) }), 'a')[6]![1]).toHaveLength(CMD_CGI_MAX_PARAM_BYTES);
    expect(() => cmdCgiForm(result({ perfdata: 'p'.repeat(2000) }), 'a')).toThrow('performance_data is 2000 bytes');
    expect(() => cmdCgiForm(result({ service: 'a;b' }), 'a')).toThrow('would end the external command');
    expect(() => cmdCgiForm({ kind: 'host', host: 'h', state: 3, output: 'x', checkTime: 1, source: 'nrdp' }, 'a')).toThrow('a host result has state 3');
  });

  it("takes the id from cmd.cgi's Set-Cookie", () => {
    expect(issuedFormId(['NagFormId=3d1b58ba507ed7ab; SameSite=Strict; HttpOnly'])).toBe('3d1b58ba507ed7ab');
    expect(issuedFormId(['other=1', 'NagFormId=abc; HttpOnly'])).toBe('abc');
    expect(issuedFormId(undefined)).toBeUndefined();
    expect(issuedFormId(['NagFormId=; HttpOnly'])).toBeUndefined();
  });
});

describe("cmd.cgi's answer", () => {
  const classify = (answer: { status: number; headers: Record<string, string>; body: string }) => classifyCmdCgiAnswer(answer, URL, 'rsv');

  it('counts only the success line as delivered', () => {
    expect(classify(page("<P><DIV CLASS='infoMessage'>Your command request was successfully submitted to Nagios for processing.<BR><BR>"))).toEqual({ kind: 'ok' });
  });

  it.each([
    ['<p>Error: Invalid or missing CSRF cookie!</p>', 'csrf', 'cmd.cgi refused the CSRF form id (NagFormId cookie and nagFormId parameter)'],
    ["<P><DIV CLASS='errorMessage'>Sorry, but you are not authorized to commit the specified command.</DIV></P>", 'retryable', 'cmd.cgi says user "rsv" is not authorized for this command: the user lacks authorized_for_all_service_commands / _host_commands (or is no contact of the object), or Nagios does not define this host or service'],
    ["<P><DIV CLASS='errorMessage'>Sorry Dave, I can't let you do that...</DIV></P>", 'retryable', 'cmd.cgi refuses every command: its cgi.cfg has use_authentication=0'],
    ["<P><DIV CLASS='errorMessage'>It appears as though you do not have permission to submit the command you requested...</DIV></P>", 'retryable', 'user "rsv" is read-only in cmd.cgi\'s cgi.cfg (authorized_for_read_only)'],
    ["<P><DIV CLASS='errorMessage'>Plugin output cannot be blank</DIV></P>", 'final', 'cmd.cgi refuses blank plugin output'],
    ["<P><DIV CLASS='errorMessage'>Sorry, but Nagios is currently not checking for external commands, so your command will not be committed!</DIV></P>", 'retryable', 'the remote Nagios is not checking external commands (check_external_commands=0)'],
    ["<P><DIV CLASS='errorMessage'>Error: Could not stat() command file '/var/lib/nagios4/rw/nagios.cmd'!</DIV></P>", 'retryable', "cmd.cgi cannot find Nagios's command file (is Nagios running?)"],
    ["<P><DIV CLASS='errorMessage'>An error occurred while attempting to commit your command for processing.<BR><BR>", 'retryable', "cmd.cgi could not write the command to Nagios's command file"],
    ["<P><DIV CLASS='errorMessage'>Something new went <b>wrong</b></DIV></P>", 'retryable', 'cmd.cgi answered "Something new went wrong"'],
  ])('reads the page %s', (line, kind, reason) => {
    expect(classify(page(line))).toEqual({ kind, reason });
  });

  it('retries a page without a cmd.cgi message (a login form, a proxy page), naming it', () => {
    expect(classify({ status: 200, headers: {}, body: '<html><title>Sign in</title></html>' })).toEqual({ kind: 'retryable', reason: `${URL} answered a page without cmd.cgi's success line ("Sign in"); is the url cmd.cgi's?` });
  });

  it('keeps results for refused credentials (an admin fixes them; the dead-letter age bounds the wait) and for server faults', () => {
    expect(classify(page('', 401))).toEqual({ kind: 'retryable', auth: true, reason: `${URL} refused user "rsv" (HTTP 401): check the target's user and password` });
    expect(classify(page('', 403))).toMatchObject({ kind: 'retryable', auth: true });
    expect(classify(page('', 404))).toEqual({ kind: 'retryable', reason: `${URL} does not exist (HTTP 404): check the target's url` });
    expect(classify(page('', 502))).toEqual({ kind: 'retryable', reason: `${URL} answered HTTP 502` });
  });
});
