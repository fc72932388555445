/** Login form to cookie session and back out, with CSRF on every unsafe session request, on every store backend. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { client, fakeClock, inputValue, startAccessApp, type AccessApp } from './support/access-app.js';
import { PASSWORDS, standardSettings } from './support/users-fixture.js';

afterAll(removeTempDirs);

describe.each(testBackends())('login sessions on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: accessMigrations });
  let app: AccessApp;
  let time: ReturnType<typeof fakeClock>;

  beforeEach(async () => {
    time = fakeClock();
    await fresh().store.execute('DELETE FROM web_sessions');
    app = await startAccessApp(fresh().store, standardSettings({ sessionHours: 2 }), time.clock);
  });
  afterEach(() => app.close());

  /** Fetches the form, then posts it as a browser would. */
  async function logIn(user: string, password: string, next = '') {
    const browser = client(app.url);
    const page = await browser.send(`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    const html = await page.text();
    const res = await browser.send('/login', {
      form: { _csrf: inputValue(html, '_csrf') ?? '', next: inputValue(html, 'next') ?? '', username: user, password },
    });
    return { browser, res };
  }

  const sessionCount = async () => Number((await fresh().store.query<{ n: number }>('SELECT count(*) AS n FROM web_sessions'))[0]!.n);

  it('renders the form with a CSRF token that matches its double-submit cookie', async () => {
    const browser = client(app.url);
    const res = await browser.send('/login?next=/gratia/html/vo');
    expect(res.status).toBe(200);
    const html = await res.text();
    const token = inputValue(html, '_csrf');
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(browser.jar.cookies.get('fa_login_csrf')).toBe(token);
    expect(inputValue(html, 'next')).toBe('/gratia/html/vo');
    expect(html).toContain('name="username"');
    expect(html).toContain('type="password"');
  });

  it('logs in: a session row, an HttpOnly SameSite=Lax cookie, a redirect to next, and the layout shows the user', async () => {
    const { browser, res } = await logIn('bob', PASSWORDS.bob, '/gratia/html/vo?x=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/gratia/html/vo?x=1');
    const cookie = browser.jar.lastSetCookie.find((c) => c.startsWith('fa_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    expect(cookie).toMatch(/Max-Age=7200/);
    expect(await sessionCount()).toBe(1);
    // The row holds a hash of the cookie, never the cookie itself.
    const rows = await fresh().store.query<{ id_hash: string; user_name: string; role: string }>('SELECT id_hash, user_name, role FROM web_sessions');
    expect(rows[0]).toMatchObject({ user_name: 'bob', role: 'operator' });
    expect(rows[0]!.id_hash).not.toBe(browser.jar.cookies.get('fa_session'));

    expect(await (await browser.send('/whoami')).json()).toEqual({ user: 'bob', role: 'operator', via: 'session' });
    const page = await (await browser.send('/login')).text();
    expect(page).toContain('bob (operator)');
    expect(page).toContain('action="/logout"');
  });

  it('sets the Secure flag when the request came over HTTPS', async () => {
    const browser = client(app.url);
    const html = await (await browser.send('/login')).text();
    await browser.send('/login', {
      headers: { 'x-forwarded-proto': 'https' },
      form: { _csrf: inputValue(html, '_csrf')!, username: 'bob', password: PASSWORDS.bob },
    });
    expect(browser.jar.lastSetCookie.find((c) => c.startsWith('fa_session='))).toMatch(/; Secure/);
  });

  it.each([['//evil.example/x'], ['/\\evil.example'], ['https://evil.example/'], ['javascript:alert(1)'], ['/%0d%0aSet-Cookie:x']])(
    'keeps the redirect on this site: next=%s',
    async (next) => {
      const { res } = await logIn('bob', PASSWORDS.bob, next);
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      expect(location.startsWith('/') && !location.startsWith('//') && !location.includes('\\')).toBe(true);
      expect(new URL(location, app.url).origin).toBe(app.url);
    },
  );

  it('refuses a wrong password and an unknown user alike: 401, the form again with one message, no session', async () => {
    const wrong = await logIn('bob', 'not-it');
    const unknown = await logIn('mallory', 'not-it');
    for (const { res } of [wrong, unknown]) {
      expect(res.status).toBe(401);
      // No Basic challenge here: the browser would put its own password dialog over the form.
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(await res.text()).toContain('Wrong user name or password.');
    }
    expect(await sessionCount()).toBe(0);
  });

  it('refuses a login post without the form token (login CSRF)', async () => {
    const browser = client(app.url);
    const res = await browser.send('/login', { form: { username: 'bob', password: PASSWORDS.bob } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('The login form has expired');
    expect(await sessionCount()).toBe(0);
    // A token without its cookie (another site's form) is refused as well.
    const other = client(app.url);
    const forged = await other.send('/login', { form: { _csrf: 'guessed-token-value', username: 'bob', password: PASSWORDS.bob } });
    expect(forged.status).toBe(403);
  });

  it('logs in with JSON, answering the user, role and the CSRF token', async () => {
    const browser = client(app.url);
    const res = await browser.send('/login', { json: { username: 'alice', password: PASSWORDS.alice } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: string; role: string; csrfToken: string; expiresAt: string };
    expect(body).toMatchObject({ user: 'alice', role: 'admin', expiresAt: '2026-03-01T12:00:00.000Z' });
    const bad = await client(app.url).send('/login', { json: { username: 'alice', password: 'nope' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: { code: 'unauthorized', message: 'Wrong user name or password.' } });
  });

  it('requires the session CSRF token on unsafe requests: refused without, accepted as form field or header', async () => {
    const { browser } = await logIn('bob', PASSWORDS.bob);
    const page = await (await browser.send('/login')).text();
    const token = inputValue(page, '_csrf')!;

    const without = await browser.send('/ops', { form: { action: 'restart' } });
    expect(without.status).toBe(403);
    expect(await without.text()).toMatch(/CSRF token/);
    const wrong = await browser.send('/ops', { form: { action: 'restart', _csrf: token + 'x' } });
    expect(wrong.status).toBe(403);

    const field = await browser.send('/ops', { form: { action: 'restart', _csrf: token } });
    expect(field.status).toBe(200);
    expect(await field.json()).toEqual({ done: true, by: 'bob' });
    const header = await browser.send('/ops', { method: 'POST', headers: { 'x-csrf-token': token } });
    expect(header.status).toBe(200);
  });

  it('logs out only with the CSRF token, deleting the session so the cookie no longer works', async () => {
    const { browser } = await logIn('bob', PASSWORDS.bob);
    const cookie = browser.jar.cookies.get('fa_session')!;
    const token = inputValue(await (await browser.send('/login')).text(), '_csrf')!;
    expect((await browser.send('/logout', { form: {} })).status).toBe(403);
    expect(await sessionCount()).toBe(1);

    const out = await browser.send('/logout', { form: { _csrf: token } });
    expect(out.status).toBe(303);
    expect(await sessionCount()).toBe(0);
    expect(browser.jar.cookies.has('fa_session')).toBe(false);
    // Replaying the old cookie gets an anonymous request, not bob.
    const replay = client(app.url);
    replay.jar.cookies.set('fa_session', cookie);
    expect(await (await replay.send('/whoami')).json()).toEqual({ user: null, role: null, via: 'anonymous' });
  });

  it('ends a session after session_hours: the request is anonymous and the row is deleted', async () => {
    const { browser } = await logIn('bob', PASSWORDS.bob);
    time.advance(2 * 3600_000 - 1000);
    expect(((await (await browser.send('/whoami')).json()) as { via: string }).via).toBe('session');
    time.advance(1000);
    const after = await browser.send('/whoami');
    expect(await after.json()).toEqual({ user: null, role: null, via: 'anonymous' });
    expect(browser.jar.cookies.has('fa_session')).toBe(false);
    expect(await sessionCount()).toBe(0);
    expect((await browser.send('/admin')).status).toBe(401);
  });

  it('prunes expired sessions on demand, keeping live ones', async () => {
    await logIn('bob', PASSWORDS.bob);
    time.advance(3600_000);
    const { browser } = await logIn('alice', PASSWORDS.alice);
    expect(await sessionCount()).toBe(2);
    expect(await app.access.pruneSessions(new Date(time.now().getTime() + 5400_000))).toBe(1);
    expect(await sessionCount()).toBe(1);
    expect(((await (await browser.send('/whoami')).json()) as { user: string }).user).toBe('alice');
  });

  it('takes the role from the current settings, and drops the session of a user no longer in the users file', async () => {
    const { browser } = await logIn('carol', PASSWORDS.carol);
    expect(((await (await browser.send('/whoami')).json()) as { role: string }).role).toBe('viewer');
    const settings = standardSettings({ roles: { carol: 'operator' } });
    app.access.applyConfig(settings);
    expect(((await (await browser.send('/whoami')).json()) as { role: string }).role).toBe('operator');
    app.access.applyConfig(standardSettings({ usersFile: undefined }));
    expect(((await (await browser.send('/whoami')).json()) as { via: string }).via).toBe('anonymous');
    expect(await sessionCount()).toBe(0);
  });
});
