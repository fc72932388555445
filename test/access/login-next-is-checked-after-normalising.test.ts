/** The login form's `next` redirect stays on this site even when dot segments would normalise it to `//host`. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { client, fakeClock, inputValue, startAccessApp, type AccessApp } from './support/access-app.js';
import { PASSWORDS, standardSettings } from './support/users-fixture.js';

afterAll(removeTempDirs);

describe('login redirect after normalising', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: accessMigrations });
  let app: AccessApp;

  beforeEach(async () => {
    app = await startAccessApp(fresh().store, standardSettings(), fakeClock().clock);
  });
  afterEach(() => app.close());

  it.each([['/.%2e/%2e%2e//evil.example'], ['/%2e%2e//evil.example/x'], ['/a/..//evil.example'], ['/./%2E%2E/%2F/evil.example']])(
    'posting next=%s logs in and redirects to a path of this site',
    async (next) => {
      const browser = client(app.url);
      const form = await (await browser.send('/login')).text();
      const res = await browser.send('/login', { form: { _csrf: inputValue(form, '_csrf') ?? '', next, username: 'bob', password: PASSWORDS.bob } });
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      expect(location).toMatch(/^\/(?![/\\])/);
      expect(new URL(location, app.url).origin).toBe(app.url);
    },
  );

  it('keeps an ordinary path with its query', async () => {
    const browser = client(app.url);
    const form = await (await browser.send('/login')).text();
    const res = await browser.send('/login', { form: { _csrf: inputValue(form, '_csrf') ?? '', next: '/gratia/./html/vo?x=1', username: 'bob', password: PASSWORDS.bob } });
    expect(res.headers.get('location')).toBe('/gratia/html/vo?x=1');
  });
});
