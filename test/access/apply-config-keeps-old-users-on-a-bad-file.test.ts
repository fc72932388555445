/** Reloading access settings is all-or-nothing: a bad users file is reported whole and the old users stay. */
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations, checkAccessSettings, createAccess } from '../../access/index.js';
import { AppError } from '../../common/index.js';
import { formatIssue } from '../../grammar/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { basic, fakeClock, startAccessApp, type AccessApp } from './support/access-app.js';
import { bcryptLines, PASSWORDS, standardSettings, writeUsersFile } from './support/users-fixture.js';

afterAll(removeTempDirs);

describe('applyConfig', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: accessMigrations });
  let app: AccessApp;

  beforeEach(async () => {
    app = await startAccessApp(fresh().store, standardSettings(), fakeClock().clock);
  });
  afterEach(() => app.close());

  const status = async (user: string, password: string) => (await fetch(app.url + '/whoami', { headers: { authorization: basic(user, password) } })).status;
  const badFile = () => writeUsersFile(bcryptLines({ dave: 'dave-pw' }) + 'broken line\nerin:plaintext\n');

  it('throws a config error listing every problem with file:line and keeps the old users and settings', async () => {
    const file = badFile();
    let thrown: unknown;
    try {
      app.access.applyConfig(standardSettings({ usersFile: file, anonymousRead: true }));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    const err = thrown as AppError;
    expect(err.code).toBe('config');
    expect(err.message).toContain(`${file}:2:1: malformed line: expected user:hash`);
    expect(err.message).toContain(`${file}:3:6: user "erin": not a recognised password hash`);
    expect(await status('bob', PASSWORDS.bob)).toBe(200);
    expect(await status('dave', 'dave-pw')).toBe(401);
    // The rest of the rejected settings did not apply either.
    expect((await fetch(app.url + '/data')).status).toBe(401);
  });

  it('swaps in a good file at once: new users work, removed users stop working', async () => {
    app.access.applyConfig(standardSettings({ usersFile: writeUsersFile(bcryptLines({ dave: 'dave-pw' })) }));
    expect(await status('dave', 'dave-pw')).toBe(200);
    expect(await status('bob', PASSWORDS.bob)).toBe(401);
  });

  it('reads the file on applyConfig only, and re-reads the same file when it changed on disk', async () => {
    const settings = standardSettings();
    app.access.applyConfig(settings);
    writeFileSync(settings.usersFile!, bcryptLines({ bob: 'new-bob-pw' }));
    expect(await status('bob', PASSWORDS.bob)).toBe(200);
    app.access.applyConfig(settings);
    expect(await status('bob', 'new-bob-pw')).toBe(200);
    expect(await status('bob', PASSWORDS.bob)).toBe(401);
  });

  it('checks settings without applying them', async () => {
    const file = badFile();
    const issues = app.access.checkSettings(standardSettings({ usersFile: file }));
    expect(issues.map(formatIssue)).toEqual([
      `${file}:2:1: malformed line: expected user:hash`,
      `${file}:3:6: user "erin": not a recognised password hash (plain-text passwords are not accepted); use htpasswd -B (bcrypt)`,
    ]);
    expect(checkAccessSettings(standardSettings({ usersFile: file }))).toEqual(issues);
    expect(checkAccessSettings(standardSettings({ usersFile: undefined }))).toEqual([]);
    expect(await status('bob', PASSWORDS.bob)).toBe(200);
  });

  it('refuses to start with a bad users file', () => {
    expect(() => createAccess({ store: fresh().store, settings: standardSettings({ usersFile: badFile() }) })).toThrow(/has 2 problems/);
  });
});
