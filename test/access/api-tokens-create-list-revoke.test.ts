/** API tokens on every store backend: created by admins (secret shown once, only its hash stored), used as Bearer, revoked. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { basic, client, fakeClock, startAccessApp, type AccessApp } from './support/access-app.js';
import { PASSWORDS, standardSettings } from './support/users-fixture.js';

afterAll(removeTempDirs);

interface Created {
  id: string;
  token: string;
  name: string;
  user: string | null;
  role: string;
}

describe.each(testBackends())('API tokens on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: accessMigrations });
  let app: AccessApp;
  let time: ReturnType<typeof fakeClock>;
  const admin = { authorization: basic('alice', PASSWORDS.alice) };

  beforeEach(async () => {
    time = fakeClock();
    await fresh().store.execute('DELETE FROM api_tokens');
    app = await startAccessApp(fresh().store, standardSettings(), time.clock);
  });
  afterEach(() => app.close());

  const api = (path: string, init: { method?: string; headers?: Record<string, string>; json?: unknown } = {}) =>
    fetch(app.url + path, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const create = async (json: unknown) => {
    const res = await api('/api/v1/tokens', { headers: admin, json });
    expect(res.status).toBe(201);
    return (await res.json()) as Created;
  };

  it('creates a token an admin asked for, which then authenticates as its user and role', async () => {
    const created = await create({ name: 'rsv probe', user: 'bob', role: 'operator' });
    expect(created).toMatchObject({ name: 'rsv probe', user: 'bob', role: 'operator' });
    expect(created.token).toMatch(/^fa_[A-Za-z0-9_-]{43}$/);
    const who = await api('/whoami', { headers: bearer(created.token) });
    expect(await who.json()).toEqual({ user: 'bob', role: 'operator', via: 'bearer' });
    expect((await api('/admin', { headers: bearer(created.token) })).status).toBe(403);
    // Bearer requests are exempt from CSRF: a browser never sends them by itself.
    expect((await api('/ops', { method: 'POST', headers: bearer(created.token) })).status).toBe(200);
  });

  it('defaults the user to the creator', async () => {
    const created = await create({ name: 'mine', role: 'viewer' });
    expect(created.user).toBe('alice');
  });

  it('stores only the SHA-256 of the secret', async () => {
    const created = await create({ name: 'grafana', service: true, role: 'viewer' });
    const rows = await fresh().store.query<Record<string, unknown>>('SELECT * FROM api_tokens');
    expect(rows).toHaveLength(1);
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(created.token);
    expect(everything).not.toContain(created.token.slice(3));
    const { createHash } = await import('node:crypto');
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));
  });

  it('lists tokens without secrets', async () => {
    const a = await create({ name: 'one', user: 'carol', role: 'viewer' });
    time.advance(1000);
    await create({ name: 'two', service: true, role: 'operator' });
    const res = await api('/api/v1/tokens', { headers: admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tokens: Record<string, unknown>[] };
    expect(body.tokens).toEqual([
      { id: a.id, name: 'one', user: 'carol', role: 'viewer', createdBy: 'alice', createdAt: '2026-03-01T10:00:00.000Z', lastUsedAt: null, revokedAt: null },
      expect.objectContaining({ name: 'two', user: null, role: 'operator', createdAt: '2026-03-01T10:00:01.000Z' }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/fa_|token_hash|hash/);
  });

  it('revokes a token: it then answers 401, and revoking an unknown id is 404', async () => {
    const created = await create({ name: 'temp', user: 'carol', role: 'viewer' });
    expect((await api('/whoami', { headers: bearer(created.token) })).status).toBe(200);
    const del = await api(`/api/v1/tokens/${created.id}`, { method: 'DELETE', headers: admin });
    expect(del.status).toBe(204);
    const after = await api('/whoami', { headers: bearer(created.token) });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe('Basic realm="Fabric Appliance"');
    expect(await after.text()).toBe('unknown or revoked API token\n');
    const listed = (await (await api('/api/v1/tokens', { headers: admin })).json()) as { tokens: { revokedAt: string | null }[] };
    expect(listed.tokens[0]!.revokedAt).toBe('2026-03-01T10:00:00.000Z');
    const missing = await api('/api/v1/tokens/doesnotexist', { method: 'DELETE', headers: admin });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'no API token with id "doesnotexist"' } });
  });

  it('refuses an unknown token with 401', async () => {
    const res = await api('/whoami', { headers: bearer('fa_' + 'x'.repeat(43)) });
    expect(res.status).toBe(401);
  });

  it('marks a token used at most once a minute', async () => {
    const created = await create({ name: 'busy', user: 'carol', role: 'viewer' });
    const lastUsed = async () => ((await app.access.tokens.list())[0]!.lastUsedAt);
    await api('/whoami', { headers: bearer(created.token) });
    expect(await lastUsed()).toBe('2026-03-01T10:00:00.000Z');
    time.advance(30_000);
    await api('/whoami', { headers: bearer(created.token) });
    expect(await lastUsed()).toBe('2026-03-01T10:00:00.000Z');
    time.advance(30_000);
    await api('/whoami', { headers: bearer(created.token) });
    expect(await lastUsed()).toBe('2026-03-01T10:01:00.000Z');
  });

  it('lets only admins use the token API, and checks what they send', async () => {
    expect((await api('/api/v1/tokens')).status).toBe(401);
    const operator = await api('/api/v1/tokens', { headers: { authorization: basic('bob', PASSWORDS.bob) }, json: { name: 'x', role: 'viewer' } });
    expect(operator.status).toBe(403);
    const cases: [unknown, string][] = [
      [{ role: 'viewer' }, 'name: give the token a name of 1 to 100 characters'],
      [{ name: 'x', role: 'root' }, 'role: one of viewer, operator, admin'],
      [{ name: 'x', user: 'has space', role: 'viewer' }, 'user: a user name without spaces or colons'],
    ];
    for (const [json, message] of cases) {
      const res = await api('/api/v1/tokens', { headers: admin, json });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'bad_request', message } });
    }
    const broken = await fetch(app.url + '/api/v1/tokens', { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: '{nope' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    expect(await app.access.tokens.list()).toEqual([]);
  });

  it('needs the session CSRF token when an admin uses the token API from the browser', async () => {
    const browser = client(app.url);
    const login = await browser.send('/login', { json: { username: 'alice', password: PASSWORDS.alice } });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    expect((await browser.send('/api/v1/tokens', { json: { name: 'x', role: 'viewer' } })).status).toBe(403);
    const ok = await browser.send('/api/v1/tokens', { json: { name: 'x', role: 'viewer', _csrf: csrfToken } });
    expect(ok.status).toBe(201);
    const { id } = (await ok.json()) as Created;
    expect((await browser.send(`/api/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await browser.send(`/api/v1/tokens/${id}`, { method: 'DELETE', headers: { 'x-csrf-token': csrfToken } })).status).toBe(204);
  });

  it('gives the CLI create, list and revoke', async () => {
    const created = await app.access.tokens.create('nagios consumer', 'bob', 'operator');
    expect(await (await api('/whoami', { headers: bearer(created.token) })).json()).toEqual({ user: 'bob', role: 'operator', via: 'bearer' });
    expect(await app.access.tokens.list()).toEqual([expect.objectContaining({ id: created.id, name: 'nagios consumer', createdBy: null })]);
    expect(await app.access.tokens.revoke(created.id)).toBe(true);
    expect(await app.access.tokens.revoke('nope')).toBe(false);
    expect((await api('/whoami', { headers: bearer(created.token) })).status).toBe(401);
  });
});
