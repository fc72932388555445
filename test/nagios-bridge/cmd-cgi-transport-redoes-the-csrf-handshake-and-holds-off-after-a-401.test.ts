/**
 * The cmd.cgi transport's state across requests, against a stand-in cmd.cgi whose form id can change (Debian's real
 * one is in test/integration/nagios-bridge-cmd-cgi-target-*): a refused id is renewed from the refusal's Set-Cookie,
 * and refused credentials stop all requests for a while instead of one per result.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCmdCgiTransport } from '../../nagios-bridge/index.js';
import type { PassiveResult } from '../../nagios-bridge/index.js';

const OK = "<P><DIV CLASS='infoMessage'>Your command request was successfully submitted to Nagios for processing.<BR><BR>";
const CSRF = '<p>Error: Invalid or missing CSRF cookie!</p>';

interface Seen {
  cookie?: string;
  formId?: string;
  authorization?: string;
}

/** A cmd.cgi stand-in: takes a commit whose cookie and nagFormId equal `state.id`; `issue: false` sends no Set-Cookie. */
async function standIn(state: { id: string; issue: boolean; status?: number }): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(parts).toString());
      const cookie = req.headers.cookie;
      seen.push({ ...(cookie ? { cookie } : {}), ...(form.get('nagFormId') ? { formId: form.get('nagFormId')! } : {}), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      if (state.status) {
        res.writeHead(state.status, { 'WWW-Authenticate': 'Basic realm="Nagios4"' }).end();
        return;
      }
      if (state.issue) res.setHeader('Set-Cookie', `NagFormId=${state.id}; SameSite=Strict; HttpOnly`);
      const taken = cookie === `NagFormId=${state.id}` && form.get('nagFormId') === state.id;
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<html><body>${taken ? OK : CSRF}</body></html>`);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin/nagios4/cmd.cgi`, seen, server };
}

const result = (service: string): PassiveResult => ({ kind: 'service', host: 'ce1', service, state: 0, output: 'OK', checkTime: 1_700_000_000, source: 'rsv' });

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

describe('cmd.cgi transport', () => {
  it('does the handshake with one commit first, sends the rest with the id, and renews an id cmd.cgi stops taking', async () => {
    const state = { id: 'aa01', issue: true };
    const cgi = await standIn(state);
    servers.push(cgi.server);
    const transport = createCmdCgiTransport({ url: cgi.url, user: 'rsv', password: 'pw' });
    try {
      expect(await transport.deliver([result('a'), result('b'), result('c')])).toEqual([{ status: 'ok' }, { status: 'ok' }, { status: 'ok' }]);
      expect(cgi.seen.map((s) => s.formId ?? '-')).toEqual(['-', 'aa01', 'aa01', 'aa01']);
      expect(cgi.seen[0]!.authorization).toBe(`Basic ${Buffer.from('rsv:pw').toString('base64')}`);

      state.id = 'bb02';
      cgi.seen.length = 0;
      expect(await transport.deliver([result('d')])).toEqual([{ status: 'ok' }]);
      expect(cgi.seen.map((s) => s.formId)).toEqual(['aa01', 'bb02']);
    } finally {
      transport.close();
    }
  });

  it('keeps the result (retryable) when the refusal issues no new id to retry with', async () => {
    const cgi = await standIn({ id: 'cc03', issue: false });
    servers.push(cgi.server);
    const transport = createCmdCgiTransport({ url: cgi.url, user: 'rsv', password: 'pw' });
    try {
      expect(await transport.deliver([result('a')])).toEqual([
        { status: 'retryable', reason: 'cmd.cgi refused the CSRF form id (NagFormId cookie and nagFormId parameter), and its answer issued no new NagFormId cookie to retry with' },
      ]);
    } finally {
      transport.close();
    }
  });

  it('after a 401 makes no request until the hold is over, then tries again', async () => {
    const state = { id: 'dd04', issue: true, status: 401 as number | undefined };
    const cgi = await standIn(state);
    servers.push(cgi.server);
    let now = 1_000_000;
    const transport = createCmdCgiTransport({ url: cgi.url, user: 'rsv', password: 'wrong', authHoldMs: 5_000, concurrency: 1, now: () => now });
    const reason = `${cgi.url} refused user "rsv" (HTTP 401): check the target's user and password`;
    try {
      expect(await transport.deliver([result('a'), result('b'), result('c')])).toEqual([0, 1, 2].map(() => ({ status: 'retryable', reason })));
      expect(cgi.seen).toHaveLength(1);
      now += 4_999;
      expect(await transport.deliver([result('a')])).toEqual([{ status: 'retryable', reason }]);
      expect(cgi.seen).toHaveLength(1);
      now += 1;
      state.status = undefined;
      expect(await transport.deliver([result('a')])).toEqual([{ status: 'ok' }]);
    } finally {
      transport.close();
    }
  });
});
