/**
 * cmd.cgi submits a result on a GET, which the app's CSRF check lets through as a safe method: a page on another
 * site could submit a passive result with `<img src=".../cmd.cgi?cmd_typ=30&...">`, the browser adding the Basic
 * credentials it holds (or, on a link, the SameSite=Lax session cookie). Such a GET is now a 403 and nothing is
 * submitted; scripts (no browser headers) and same-origin pages are unchanged.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { entrySettings } from '../../nagios-bridge/entries/index.js';
import { basic } from '../access/support/access-app.js';
import { PASSWORDS, standardSettings } from '../access/support/users-fixture.js';
import { rsvQuery, startEntriesApp, type EntriesApp } from '../nagios-bridge/support/entries-app.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';

afterAll(removeTempDirs);

describe('GET cmd.cgi from another site', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: accessMigrations });
  let app: EntriesApp;
  const settings = entrySettings({ serviceCommandUsers: ['bob'], hostCommandUsers: [], submitters: {}, rsvPlusAsSpace: false });
  const url = () => `${app.url}/nagios/cgi-bin/cmd.cgi?${rsvQuery('org.osg.x', 'ce.example.edu', 2, 'forged')}`;
  const bob = { authorization: basic('bob', PASSWORDS.bob) };

  beforeEach(async () => {
    app = await startEntriesApp(fresh().store, standardSettings(), settings, { mountAuthenticateFirst: true });
  });
  afterEach(() => app.close());

  it.each([
    ['an <img> on another site', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' }],
    ['a sibling subdomain', { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' }],
    ['an older browser naming another Origin', { origin: 'https://evil.example' }],
  ])('with Basic credentials from %s is a 403 and submits nothing', async (_what, headers) => {
    const res = await fetch(url(), { headers: { ...bob, ...headers } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('A page on another site cannot submit results with your login or password.');
    expect(app.submitted).toEqual([]);
  });

  it.each([
    ['a script (no browser headers)', {}],
    ['a page of the appliance itself', { 'sec-fetch-site': 'same-origin' }],
  ])('with Basic credentials from %s still submits', async (_what, headers) => {
    const res = await fetch(url(), { headers: { ...bob, ...headers } });
    expect(res.status).toBe(200);
    expect(app.submitted.flat().map((r) => r.host)).toEqual(['ce.example.edu']);
  });
});
