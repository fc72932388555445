/** `appliance serve` mounts the Nagios pages: readable with the shipped configuration (the bridge off, and said so), linked from the navigation and the home page; actions need admin. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAppliance, type RunningAppliance } from '../../appliance.js';
import { usersFileLine } from '../../access/index.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

let app: RunningAppliance;
const viewer = { Authorization: `Basic ${Buffer.from('viewer:viewer-secret').toString('base64')}` };

beforeAll(async () => {
  const usersFile = join(tempDir(), 'users');
  writeFileSync(usersFile, `${usersFileLine('viewer', 'viewer-secret')}\n`);
  app = await startAppliance(0, { configDir: copyShippedConfig(), dataDir: join(tempDir(), 'data'), usersFile, seedDemo: false });
}, 120_000);
afterAll(async () => {
  await app?.stop();
  removeTempDirs();
});

describe('the Nagios pages in the appliance', () => {
  it('serves the overview, says the bridge is off, and links it from the navigation and the home page', async () => {
    const overview = await fetch(new URL('nagios/', app.url), { headers: { accept: 'text/html' } });
    expect(overview.status).toBe(200);
    const text = await overview.text();
    expect(text).toContain('The bridge is off');
    expect(text).toContain('<a href="/nagios/" class="current" aria-current="page">Nagios</a>');
    const home = await (await fetch(app.url, { headers: { accept: 'text/html' } })).text();
    expect(home).toMatch(/<h2>Nagios<\/h2>[\s\S]*href="\/nagios\/dead-letters"/);
    for (const path of ['nagios/dead-letters', 'nagios/trace', 'nagios/config', 'api/v1/nagios/dead-letters']) expect((await fetch(new URL(path, app.url))).status, path).toBe(200);
  });

  it('actions need the admin role: 401 anonymous, 403 for a viewer', async () => {
    const form = { method: 'POST', body: new URLSearchParams({ retry: '1' }) };
    expect((await fetch(new URL('nagios/dead-letters/command-file', app.url), form)).status).toBe(401);
    expect((await fetch(new URL('nagios/dead-letters/command-file', app.url), { ...form, headers: viewer })).status).toBe(403);
    expect((await fetch(new URL('api/v1/nagios/dead-letters/command-file/retry', app.url), { method: 'POST', headers: { ...viewer, 'content-type': 'application/json' }, body: '{"all":true}' })).status).toBe(403);
  });
});
