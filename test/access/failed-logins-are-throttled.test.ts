/** Five failed logins for one user (fifty from one address) within five minutes get 429 for a minute; verified passwords are cached. */
import bcrypt from 'bcryptjs';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { basic, client, fakeClock, inputValue, startAccessApp, type AccessApp } from './support/access-app.js';
import { PASSWORDS, standardSettings } from './support/users-fixture.js';

afterAll(removeTempDirs);

describe('failed-login throttling', () => {
  // The throttle and the cache live in memory; the store plays no part.
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: accessMigrations });
  let app: AccessApp;
  let time: ReturnType<typeof fakeClock>;

  beforeEach(async () => {
    time = fakeClock();
    app = await startAccessApp(fresh().store, standardSettings(), time.clock);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await app.close();
  });

  // The app trusts loopback proxies, so X-Forwarded-For sets the client address a test speaks from.
  const asUser = (user: string, password: string, from: string) =>
    fetch(app.url + '/whoami', { headers: { authorization: basic(user, password), 'x-forwarded-for': from } });

  it('answers 429 with Retry-After after five failures for one user, even to the right password, for a minute', async () => {
    for (let i = 0; i < 4; i++) expect((await asUser('bob', 'guess' + i, `10.0.0.${i}`)).status).toBe(401);
    expect((await asUser('bob', 'guess4', '10.0.0.4')).status).toBe(401);
    const locked = await asUser('bob', PASSWORDS.bob, '10.0.0.9');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('60');
    expect(await locked.text()).toBe('too many failed logins; try again later\n');
    // Other users are not affected by bob's lock.
    expect((await asUser('carol', PASSWORDS.carol, '10.0.0.9')).status).toBe(200);
    time.advance(60_000);
    expect((await asUser('bob', PASSWORDS.bob, '10.0.0.9')).status).toBe(200);
  });

  it('locks one client address that guesses passwords across many users (50 failures)', async () => {
    for (let i = 0; i < 50; i++) expect((await asUser(`spray${i}`, 'guess', '192.0.2.7')).status).toBe(401);
    expect((await asUser('carol', PASSWORDS.carol, '192.0.2.7')).status).toBe(429);
    expect((await asUser('carol', PASSWORDS.carol, '192.0.2.8')).status).toBe(200);
    // Bad tokens are counted on their own (a token is no password guess): the password lock does not refuse them.
    const bearer = await fetch(app.url + '/whoami', { headers: { authorization: 'Bearer fa_guess', 'x-forwarded-for': '192.0.2.7' } });
    expect(bearer.status).toBe(401);
  });

  it('counts only failures within five minutes', async () => {
    for (let i = 0; i < 4; i++) await asUser('bob', 'guess', `10.1.0.${i}`);
    time.advance(5 * 60_000 + 1);
    await asUser('bob', 'guess', '10.1.0.9');
    expect((await asUser('bob', PASSWORDS.bob, '10.1.0.9')).status).toBe(200);
  });

  it('throttles the login form the same way, with the form and a message', async () => {
    const browser = client(app.url);
    const html = await (await browser.send('/login')).text();
    const token = inputValue(html, '_csrf')!;
    for (let i = 0; i < 5; i++) {
      const res = await browser.send('/login', { form: { _csrf: token, username: 'bob', password: 'guess' } });
      expect(res.status).toBe(401);
    }
    const locked = await browser.send('/login', { form: { _csrf: token, username: 'bob', password: PASSWORDS.bob } });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('60');
    expect(await locked.text()).toContain('Too many failed logins. Try again in 60 seconds.');
  });

  it('lets a script whose password was verified just before the lock keep working', async () => {
    expect((await asUser('bob', PASSWORDS.bob, '10.2.0.1')).status).toBe(200);
    for (let i = 0; i < 5; i++) await asUser('bob', 'guess', '10.2.0.66');
    expect((await asUser('bob', PASSWORDS.bob, '10.2.0.1')).status).toBe(200);
    expect((await asUser('bob', 'guess', '10.2.0.1')).status).toBe(429);
  });

  it('checks a repeated Basic password with bcrypt once, and again after two minutes', async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    for (let i = 0; i < 3; i++) expect((await asUser('bob', PASSWORDS.bob, '10.3.0.1')).status).toBe(200);
    expect(compare).toHaveBeenCalledTimes(1);
    // A wrong password is never answered from the cache.
    expect((await asUser('bob', PASSWORDS.bob + 'x', '10.3.0.1')).status).toBe(401);
    expect(compare).toHaveBeenCalledTimes(2);
    time.advance(2 * 60_000);
    expect((await asUser('bob', PASSWORDS.bob, '10.3.0.1')).status).toBe(200);
    expect(compare).toHaveBeenCalledTimes(3);
  });
});
