/** When the bridge cannot take a result, each entry says so in its own protocol: unrouted is a 422 naming it, a full outbox a 503 with Retry-After. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { UnroutedResultError } from '../../nagios-bridge/index.js';
import { entrySettings } from '../../nagios-bridge/entries/index.js';
import { QueueFullError } from '../../queue/index.js';
import { basic } from '../access/support/access-app.js';
import { PASSWORDS, standardSettings } from '../access/support/users-fixture.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { startEntriesApp, type EntriesApp } from './support/entries-app.js';
import { form, NCPA_TOKEN } from './support/nrdp-fixtures.js';

afterAll(removeTempDirs);

const CGI = '/nagios/cgi-bin/cmd.cgi?cmd_typ=30&cmd_mod=2&host=h1&service=s1&plugin_state=0&plugin_output=fine';
const NRDP_JSON = JSON.stringify({ checkresults: [{ checkresult: { type: 'service' }, hostname: 'h1', servicename: 's1', state: '0', output: 'fine' }] });
const unrouted = new UnroutedResultError({ kind: 'service', host: 'h1', service: 's1', state: 0, output: 'fine', checkTime: 1, source: 'cmd.cgi' });

describe('entries when the bridge refuses', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: accessMigrations });
  let app: EntriesApp;
  const settings = entrySettings({ serviceCommandUsers: ['*'], hostCommandUsers: ['*'], nrdpTokens: [{ name: 'ncpa', secret: NCPA_TOKEN }] });
  beforeEach(async () => {
    app = await startEntriesApp(fresh().store, standardSettings(), settings);
  });
  afterEach(() => app.close());
  const bob = { authorization: basic('bob', PASSWORDS.bob) };
  const nrdp = () => fetch(`${app.url}/nrdp/`, form({ cmd: 'submitcheck', token: NCPA_TOKEN, JSONDATA: NRDP_JSON }));

  it('cmd.cgi: an unrouted result is a 422 page naming it, not a success page', async () => {
    app.failSubmits(unrouted);
    const res = await fetch(`${app.url}${CGI}`, { headers: bob });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('routes take results for service &quot;s1&quot; on host &quot;h1&quot;; nothing was queued');
    expect(page).not.toContain('successfully submitted');
  });

  it('cmd.cgi: a full outbox is a 503 with Retry-After', async () => {
    app.failSubmits(new QueueFullError('nagios:local', 10, 7));
    const res = await fetch(`${app.url}${CGI}`, { headers: bob });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('NRDP: an unrouted result is status -1 "NO TARGET" with 422; a full outbox 503 with Retry-After', async () => {
    app.failSubmits(unrouted);
    let res = await nrdp();
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ result: { status: -1, message: 'NO TARGET' } });
    app.failSubmits(new QueueFullError('nagios:local', 10, 3));
    res = await nrdp();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
  });
});
