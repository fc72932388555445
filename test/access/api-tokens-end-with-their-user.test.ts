/** A token acts for a user of the users file, never above that user's current role, and ends when the user is removed. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { basic, fakeClock, startAccessApp, type AccessApp } from './support/access-app.js';
import { bcryptLines, PASSWORDS, standardSettings, writeUsersFile } from './support/users-fixture.js';

afterAll(removeTempDirs);

describe.each(testBackends())('API tokens end with their user on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: accessMigrations });
  let app: AccessApp;
  const admin = { authorization: basic('alice', PASSWORDS.alice) };

  beforeEach(async () => {
    await fresh().store.execute('DELETE FROM api_tokens');
    app = await startAccessApp(fresh().store, standardSettings(), fakeClock().clock);
  });
  afterEach(() => app.close());

  const post = (path: string, headers: Record<string, string>, json?: unknown) =>
    fetch(app.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(json ?? {}) });
  const whoami = async (token: string) => {
    const res = await fetch(`${app.url}/whoami`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: res.status === 200 ? ((await res.json()) as unknown) : await res.text() };
  };

  it('refuses a token for a user who is not in the users file, over the API and from the CLI', async () => {
    const res = await post('/api/v1/tokens', admin, { name: 'ghost', user: 'ghost', role: 'admin' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'bad_request', message: 'user: "ghost" is not a user of the users file; add the user first, or make a service token' },
    });
    await expect(app.access.tokens.create('ghost', 'ghost', 'admin')).rejects.toThrow(/"ghost" is not a user of the users file/);
    expect(await app.access.tokens.list()).toEqual([]);
  });

  it('refuses a token with more rights than its user has', async () => {
    const res = await post('/api/v1/tokens', admin, { name: 'carol-ops', user: 'carol', role: 'operator' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('role: "carol" has the viewer role, so their token cannot have the operator role');
  });

  it('refuses at use a stored token whose user is unknown (as older versions created them)', async () => {
    await fresh().store.execute(
      "INSERT INTO api_tokens (id, name, user_name, role, token_hash, created_at) VALUES ('old1', 'old', 'ghost', 'admin', ?, '2026-01-01 00:00:00')",
      [(await import('node:crypto')).createHash('sha256').update('fa_ghost-token').digest('hex')],
    );
    expect(await whoami('fa_ghost-token')).toEqual({ status: 401, body: 'the API token\'s user "ghost" is no longer a user of this appliance\n' });
  });

  it('ends a token when its user is removed and the configuration reloaded, and lowers it with the user', async () => {
    const { token } = await app.access.tokens.create('bob-probe', 'bob', 'operator');
    expect((await post('/ops', { authorization: `Bearer ${token}` })).status).toBe(200);

    // bob is now a viewer: his operator token can read but no longer operate.
    const settings = standardSettings();
    app.access.applyConfig({ ...settings, roles: { alice: 'admin' } });
    expect(await whoami(token)).toEqual({ status: 200, body: { user: 'bob', role: 'viewer', via: 'bearer' } });
    expect((await post('/ops', { authorization: `Bearer ${token}` })).status).toBe(403);

    // bob leaves the users file: his token stops at once.
    const { bob: _gone, ...others } = PASSWORDS;
    app.access.applyConfig({ ...settings, usersFile: writeUsersFile(bcryptLines(others)) });
    expect((await whoami(token)).status).toBe(401);
    expect((await post('/ops', { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('makes a service token, tied to no user, only when asked for one', async () => {
    const res = await post('/api/v1/tokens', admin, { name: 'telegraf', service: true, role: 'operator' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { token: string; user: unknown };
    expect(created.user).toBeNull();
    expect(await whoami(created.token)).toEqual({ status: 200, body: { user: null, role: 'operator', via: 'bearer' } });
    expect((await post('/api/v1/tokens', admin, { name: 'x', service: true, user: 'bob', role: 'viewer' })).status).toBe(400);
  });
});
