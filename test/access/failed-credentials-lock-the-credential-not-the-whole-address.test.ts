/** Bad passwords or tokens from one address (a NAT) lock that credential, not the valid credentials of others there. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { basic, fakeClock, startAccessApp, type AccessApp } from './support/access-app.js';
import { PASSWORDS, standardSettings } from './support/users-fixture.js';

afterAll(removeTempDirs);

describe('throttling by credential behind one address', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: accessMigrations });
  let app: AccessApp;
  const nat = '198.51.100.1';

  beforeEach(async () => {
    await fresh().store.execute('DELETE FROM api_tokens');
    app = await startAccessApp(fresh().store, standardSettings(), fakeClock().clock);
  });
  afterEach(() => app.close());

  // The test app trusts loopback proxies, so X-Forwarded-For is the address the request comes from.
  const whoami = (authorization: string) => fetch(`${app.url}/whoami`, { headers: { authorization, 'x-forwarded-for': nat } });

  it('five bad tokens from an address do not refuse a valid token or a valid password from it', async () => {
    const { token } = await app.access.tokens.create('probe', 'bob', 'operator');
    for (let i = 0; i < 5; i++) expect((await whoami(`Bearer fa_not-a-token-${i}`)).status).toBe(401);
    expect((await whoami(`Bearer ${token}`)).status).toBe(200);
    expect((await whoami(basic('carol', PASSWORDS.carol))).status).toBe(200);
  });

  it('bad tokens past the address limit refuse further bad tokens, never a valid password from that address', async () => {
    for (let i = 0; i < 50; i++) expect((await whoami(`Bearer fa_not-a-token-${i}`)).status).toBe(401);
    const locked = await whoami('Bearer fa_not-a-token-51');
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('too many bad API tokens from this address; try again later');
    // carol never logged in before, so no recent verification lets her through: only the bad tokens' own count applies.
    expect((await whoami(basic('carol', PASSWORDS.carol))).status).toBe(200);
  });

  it("five bad passwords for one user lock that user, not another user's valid password from the same address", async () => {
    for (let i = 0; i < 5; i++) expect((await whoami(basic('alice', `guess${i}`))).status).toBe(401);
    expect((await whoami(basic('alice', PASSWORDS.alice))).status).toBe(429);
    expect((await whoami(basic('bob', PASSWORDS.bob))).status).toBe(200);
  });
});
