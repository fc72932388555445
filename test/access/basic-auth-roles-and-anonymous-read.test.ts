/** Basic credentials from the users file, role checks (401/403/pass), anonymous_read, and the CSRF exemption for scripts. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { basic, fakeClock, startAccessApp, type AccessApp } from './support/access-app.js';
import { PASSWORDS, standardSettings } from './support/users-fixture.js';

afterAll(removeTempDirs);

describe('Basic authentication and roles', () => {
  // Basic credentials never touch the store, so one backend is enough here.
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: accessMigrations });
  let app: AccessApp;

  beforeEach(async () => {
    app = await startAccessApp(fresh().store, standardSettings(), fakeClock().clock);
  });
  afterEach(() => app.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(app.url + path, { headers });
  const post = (path: string, headers: Record<string, string> = {}) => fetch(app.url + path, { method: 'POST', headers });

  it('accepts the right password, with the role from the settings', async () => {
    const res = await get('/whoami', { authorization: basic('bob', PASSWORDS.bob) });
    expect(await res.json()).toEqual({ user: 'bob', role: 'operator', via: 'basic' });
    const carol = await get('/whoami', { authorization: basic('carol', PASSWORDS.carol) });
    expect(await carol.json()).toEqual({ user: 'carol', role: 'viewer', via: 'basic' });
  });

  it('answers 401 with the Basic challenge for a wrong password, an unknown user, malformed or unknown credentials', async () => {
    const cases = [
      [basic('bob', 'wrong'), 'wrong user name or password'],
      [basic('nobody', 'wrong'), 'wrong user name or password'],
      ['Basic !!!not-base64', 'malformed Basic credentials: expected base64 of user:password'],
      ['Basic ' + Buffer.from('no-colon').toString('base64'), 'malformed Basic credentials: expected base64 of user:password'],
      ['Digest username="bob"', 'unsupported authorization scheme "digest"; use Basic, Bearer or Token'],
    ] as const;
    for (const [authorization, message] of cases) {
      // Even a public route: presented credentials that are wrong are never treated as anonymous.
      const res = await get('/whoami', { authorization });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Fabric Appliance"');
      expect(await res.text()).toBe(message + '\n');
    }
    const json = await get('/api/v1/tokens', { authorization: basic('bob', 'wrong') });
    expect(await json.json()).toEqual({ error: { code: 'unauthorized', message: 'wrong user name or password' } });
  });

  it('checks roles: 401 with a challenge when anonymous, 403 naming the role when too low, through when enough', async () => {
    const anonymous = await get('/admin');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="Fabric Appliance"');
    expect(await anonymous.text()).toMatch(/needs the admin role/);

    const operator = await get('/admin', { authorization: basic('bob', PASSWORDS.bob), accept: 'application/json' });
    expect(operator.status).toBe(403);
    expect(await operator.json()).toEqual({ error: { code: 'forbidden', message: 'this needs the admin role; bob has the operator role' } });

    expect((await get('/admin', { authorization: basic('alice', PASSWORDS.alice) })).status).toBe(200);
    // An admin has every right an operator has.
    expect((await post('/ops', { authorization: basic('alice', PASSWORDS.alice) })).status).toBe(200);
    expect((await post('/ops', { authorization: basic('carol', PASSWORDS.carol) })).status).toBe(403);
  });

  it('lets anonymous reads through only when anonymous_read is on, and a reload switches it', async () => {
    expect((await get('/data')).status).toBe(401);
    expect((await get('/data', { authorization: basic('carol', PASSWORDS.carol) })).status).toBe(200);
    app.access.applyConfig(standardSettings({ anonymousRead: true }));
    const open = await get('/data');
    expect(open.status).toBe(200);
    expect(await open.json()).toEqual({ data: [1, 2, 3] });
    // Reading is all it opens.
    expect((await get('/admin')).status).toBe(401);
  });

  it('exempts Basic requests from the CSRF token, but not when a browser says another site sent them', async () => {
    const auth = { authorization: basic('bob', PASSWORDS.bob) };
    expect((await post('/ops', auth)).status).toBe(200);
    expect((await post('/ops', { ...auth, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    const forged = await post('/ops', { ...auth, 'sec-fetch-site': 'cross-site' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toMatch(/another site/);
    expect((await post('/ops', { ...auth, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('/ops', { ...auth, origin: app.url })).status).toBe(200);
  });
});
