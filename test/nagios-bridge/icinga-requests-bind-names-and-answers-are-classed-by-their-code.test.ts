/** Icinga 2 requests (names only in filter_vars) and the classing of its answers, with the bodies Debian's Icinga 2.13 sends. */
import { describe, expect, it } from 'vitest';
import { checkResultRequest, classifyAnswer, commandRequest, splitPerfdata, type IcingaRequest } from '../../nagios-bridge/transports/index.js';
import type { BridgeCommand, PassiveResult } from '../../nagios-bridge/index.js';

const result = (over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host: 'ce1.example.org', service: 'org.osg.general.ping-host', state: 2, output: 'CRITICAL: x', checkTime: 1795311451, source: 'nrdp', ...over,
});
const req = checkResultRequest(result());
const answer = (status: number, body: unknown) => ({ status, body: typeof body === 'string' ? body : JSON.stringify(body) });
const classify = (a: ReturnType<typeof answer> | { unreachable: string }, r: IcingaRequest = req) => classifyAnswer(r, a, 'icinga:5665');

describe('Icinga 2 requests', () => {
  it('posts a service result with the names bound as filter variables and the original check time', () => {
    expect(checkResultRequest(result({ longOutput: 'two\nthree', perfdata: "rta=1ms;2;3 'packet loss'=0%" }))).toEqual({
      action: 'process-check-result',
      object: 'ce1.example.org!org.osg.general.ping-host',
      body: {
        type: 'Service',
        filter: 'host.name == bridge_host && service.name == bridge_service',
        filter_vars: { bridge_host: 'ce1.example.org', bridge_service: 'org.osg.general.ping-host' },
        exit_status: 2,
        plugin_output: 'CRITICAL: x\ntwo\nthree',
        performance_data: ['rta=1ms;2;3', "'packet loss'=0%"],
        execution_start: 1795311451,
        execution_end: 1795311451,
      },
    });
  });

  it('never splices a name into the filter, whatever it holds', () => {
    const evil = 'x" || true || "';
    const body = checkResultRequest(result({ host: evil, service: evil })).body;
    expect(body.filter).toBe('host.name == bridge_host && service.name == bridge_service');
    expect(body.filter_vars).toEqual({ bridge_host: evil, bridge_service: evil });
  });

  it('sends a host UNREACHABLE as DOWN (Icinga takes 0 and 1 for hosts) and no perfdata field without perfdata', () => {
    const { body } = checkResultRequest({ kind: 'host', host: 'se1', state: 2, output: 'UNREACHABLE', checkTime: 5, source: 'cmd.cgi' });
    expect(body).toMatchObject({ type: 'Host', filter: 'host.name == bridge_host', filter_vars: { bridge_host: 'se1' }, exit_status: 1 });
    expect(body).not.toHaveProperty('performance_data');
  });

  it('splits perfdata at spaces outside quoted labels', () => {
    expect(splitPerfdata("  a=1;2;3   'b c'=4%  d=5 ")).toEqual(['a=1;2;3', "'b c'=4%", 'd=5']);
    expect(splitPerfdata('')).toEqual([]);
  });

  it('builds schedule-downtime, remove-downtime on Downtime objects, and acknowledge-problem', () => {
    const base = { kind: 'command', host: 'h', service: 's', submittedAt: 1 } as const;
    expect(commandRequest({ ...base, action: 'schedule_downtime', start: 10, end: 20, fixed: false, duration: 5, author: 'a', comment: 'c' }).body).toEqual({
      type: 'Service', filter: 'host.name == bridge_host && service.name == bridge_service', filter_vars: { bridge_host: 'h', bridge_service: 's' },
      start_time: 10, end_time: 20, fixed: false, duration: 5, author: 'a', comment: 'c',
    });
    const rm = (over: Partial<BridgeCommand>) => commandRequest({ ...base, service: undefined, action: 'remove_downtime', ...over } as BridgeCommand);
    expect(rm({})).toMatchObject({ action: 'remove-downtime', body: { type: 'Downtime', filter: 'downtime.host_name == bridge_host', filter_vars: { bridge_host: 'h' } } });
    expect(rm({ service: 's', start: 10, comment: 'c' }).body).toEqual({
      type: 'Downtime',
      filter: 'downtime.host_name == bridge_host && downtime.service_name == bridge_service && downtime.start_time == bridge_start && downtime.comment == bridge_comment',
      filter_vars: { bridge_host: 'h', bridge_service: 's', bridge_start: 10, bridge_comment: 'c' },
    });
    expect(rm({ downtimeId: '7' }).body).toMatchObject({ filter: 'downtime.host_name == bridge_host && downtime.legacy_id == bridge_id', filter_vars: { bridge_id: 7 } });
    expect(rm({ downtimeId: 'h!s!uuid' }).body).toMatchObject({ filter: 'downtime.host_name == bridge_host && downtime.name == bridge_id', filter_vars: { bridge_id: 'h!s!uuid' } });
    expect(commandRequest({ ...base, action: 'acknowledge', author: 'a', comment: 'c', sticky: true, notify: false, persistent: true })).toMatchObject({
      action: 'acknowledge-problem', body: { type: 'Service', author: 'a', comment: 'c', sticky: true, notify: false, persistent: true },
    });
  });
});

describe('Icinga 2 answers', () => {
  it('counts a per-result 200 as applied', () => {
    expect(classify(answer(200, { results: [{ code: 200, status: "Successfully processed check result for object 'h!s'." }] }))).toEqual({ status: 'ok' });
  });

  it('takes 409 (2.14: a newer result is already there; an acknowledgement of an OK object) as final', () => {
    expect(classify(answer(409, { results: [{ code: 409, status: 'Newer check result already present.' }] }))).toEqual({
      status: 'final', reason: 'Icinga answered 409 for ce1.example.org!org.osg.general.ping-host: Newer check result already present.',
    });
  });

  it('takes 400 and a per-object 403 as final', () => {
    expect(classify(answer(400, { results: [{ code: 400, status: "Invalid 'exit_status' for Host h1." }] })).status).toBe('final');
    expect(classify(answer(500, { results: [{ code: 403, status: "Passive checks are disabled for object 'h!s'." }] })).status).toBe('final');
  });

  it('retries an object Icinga does not have (yet), as 2.13 answers it with filter_vars (500, no results) and with a name (404)', () => {
    for (const a of [answer(500, { results: [] }), answer(404, { error: 404, status: 'No objects found.' })]) {
      const o = classify(a);
      expect(o.status).toBe('retryable');
      expect(o).toMatchObject({ reason: expect.stringMatching(/^Icinga has no object ce1\.example\.org!org\.osg\.general\.ping-host \(yet\)/) as string });
    }
  });

  it('counts a removal that finds no downtime as done: there is nothing left to remove', () => {
    const rm = commandRequest({ kind: 'command', action: 'remove_downtime', host: 'h', submittedAt: 1 });
    expect(classify(answer(500, { results: [] }), rm)).toEqual({ status: 'ok' });
  });

  it('retries bad credentials, a missing permission, 503 and no answer, each saying what to fix', () => {
    expect(classify(answer(401, { error: 401, status: 'Unauthorized. Please check your user credentials.' }))).toEqual({
      status: 'retryable', reason: "Icinga refused the API user's credentials (401): Unauthorized. Please check your user credentials.; fix user and password of the target",
    });
    expect(classify(answer(403, { error: 403, status: "No permission for 'actions/process-check-result'." }))).toMatchObject({ status: 'retryable', reason: expect.stringContaining('grant the permission actions/process-check-result') as string });
    expect(classify(answer(503, 'Service Unavailable')).status).toBe('retryable');
    expect(classify(answer(500, { results: [{ code: 500, status: 'internal' }] })).status).toBe('retryable');
    expect(classify({ unreachable: 'connect ECONNREFUSED 127.0.0.1:5665' })).toEqual({ status: 'retryable', reason: 'Icinga at icinga:5665 did not answer: connect ECONNREFUSED 127.0.0.1:5665' });
  });
});
