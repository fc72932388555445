/** The NRDP client transport's post (JSONDATA entries, `time`) and how it reads NRDP's answers, JSON or XML. */
import { describe, expect, it } from 'vitest';
import { classifyNrdpAnswer, nrdpCheckResult, nrdpForm, readNrdpReply } from '../../nagios-bridge/transports/index.js';

const URL = 'https://nagios.example/nrdp/';
const json = (status: number, message: string, output?: string, http = 200) => ({
  status: http,
  headers: {},
  body: JSON.stringify({ result: { status, message, ...(output === undefined ? {} : { meta: { output } }) } }),
});

describe('NRDP post', () => {
  it('sends service and host results as NRDP JSON: output|perf then long output, state as text, the check time as time', () => {
    const service = nrdpCheckResult({ kind: 'service', host: 'ce1', service: 'ping', state: 2, output: 'CRITICAL: x', perfdata: 'rta=1ms', longOutput: 'two\nthree', checkTime: 1_700_000_000.7, source: 'rsv' });
    const host = nrdpCheckResult({ kind: 'host', host: 'se1', state: 1, output: 'DOWN', checkTime: 1_700_000_001, source: 'nrdp' });
    expect(service).toEqual({ checkresult: { type: 'service', checktype: '1' }, hostname: 'ce1', servicename: 'ping', state: '2', output: 'CRITICAL: x|rta=1ms\ntwo\nthree', time: '1700000000' });
    expect(host).toEqual({ checkresult: { type: 'host', checktype: '1' }, hostname: 'se1', state: '1', output: 'DOWN', time: '1700000001' });
    const form = nrdpForm('tok', [service, host]);
    expect(form.slice(0, 2)).toEqual([['token', 'tok'], ['cmd', 'submitcheck']]);
    expect(JSON.parse(form[2]![1])).toEqual({ checkresults: [service, host] });
  });

  it('refuses for good a result Nagios could never take', () => {
    expect(() => nrdpCheckResult({ kind: 'service', host: 'ce1', service: 'a\nb', state: 0, output: 'x', checkTime: 1, source: 'rsv' })).toThrow('would end the external command');
    expect(() => nrdpCheckResult({ kind: 'host', host: 'h', state: 3, output: 'x', checkTime: 1, source: 'rsv' })).toThrow('a host result has state 3');
  });
});

describe("NRDP's answer", () => {
  it('reads JSON and XML replies, XML without expanding anything but the five escapes', () => {
    expect(readNrdpReply(json(0, 'OK', '3 checks processed.').body)).toEqual({ status: 0, message: 'OK', output: '3 checks processed.' });
    expect(readNrdpReply('<?xml version="1.0"?>\n<result>\n  <status>-1</status>\n  <message>BAD TOKEN</message>\n</result>\n')).toEqual({ status: -1, message: 'BAD TOKEN' });
    expect(readNrdpReply('<result><status>0</status><message>OK &amp; &lt;fine&gt;</message><meta><output>&xxe;</output></meta></result>')).toEqual({ status: 0, message: 'OK & <fine>', output: '&xxe;' });
    expect(readNrdpReply('<html>502 Bad Gateway</html>')).toBeUndefined();
    expect(readNrdpReply('{"result":{"message":"no status"}}')).toBeUndefined();
  });

  it('classes status 0 as delivered and token refusals as retryable (an admin fixes the token)', () => {
    expect(classifyNrdpAnswer(json(0, 'OK'), URL, 2)).toEqual({ kind: 'ok' });
    expect(classifyNrdpAnswer(json(-1, 'BAD TOKEN', undefined, 401), URL, 2)).toEqual({ kind: 'retryable', auth: true, reason: `NRDP at ${URL} answered status -1 "BAD TOKEN" (check the target's token)` });
    expect(classifyNrdpAnswer(json(-1, 'NO TOKENS'), URL, 2)).toMatchObject({ kind: 'retryable', auth: true });
    expect(classifyNrdpAnswer(json(-1, 'BAD CHECK RESULTS DIR'), URL, 2)).toEqual({ kind: 'retryable', reason: `NRDP at ${URL} answered status -1 "BAD CHECK RESULTS DIR"` });
    expect(classifyNrdpAnswer(json(-1, 'QUEUE FAILED', 'the results were not accepted; send them again', 503), URL, 2)).toMatchObject({ kind: 'retryable' });
  });

  it('blames the result a BAD JSON names, and fails the whole post for good when none is named', () => {
    expect(classifyNrdpAnswer(json(-1, 'BAD JSON', 'checkresults[1]: state "9" is not a service state'), URL, 3)).toEqual({ kind: 'blame', index: 1, reason: `NRDP at ${URL} answered status -1 "BAD JSON": checkresults[1]: state "9" is not a service state` });
    expect(classifyNrdpAnswer(json(-1, 'BAD JSON', 'checkresults[7]: x'), URL, 3)).toMatchObject({ kind: 'final' });
    expect(classifyNrdpAnswer(json(-1, 'BAD XML'), URL, 3)).toEqual({ kind: 'final', reason: `NRDP at ${URL} answered status -1 "BAD XML" (the server cannot read what the bridge sends; resending the same would not help)` });
  });

  it('splits a post refused for an unnamed result (NOT AUTHORIZED, NO TARGET), and retries that refusal for a single result', () => {
    expect(classifyNrdpAnswer(json(-1, 'NOT AUTHORIZED', 'token "x" may not submit results for host "h"', 403), URL, 2)).toMatchObject({ kind: 'split' });
    expect(classifyNrdpAnswer(json(-1, 'NO TARGET', 'no route', 422), URL, 1)).toMatchObject({ kind: 'retryable' });
  });

  it('retries answers that are not NRDP', () => {
    expect(classifyNrdpAnswer({ status: 502, headers: {}, body: '<html>Bad Gateway</html>' }, URL, 1)).toEqual({ kind: 'retryable', reason: `${URL} answered HTTP 502 without an NRDP result; is the url NRDP's?` });
    expect(classifyNrdpAnswer({ status: 401, headers: {}, body: '' }, URL, 1)).toMatchObject({ kind: 'retryable', auth: true });
    expect(classifyNrdpAnswer({ status: 404, headers: {}, body: 'Not Found' }, URL, 1)).toEqual({ kind: 'retryable', reason: `${URL} does not exist (HTTP 404): check the target's url` });
  });
});
