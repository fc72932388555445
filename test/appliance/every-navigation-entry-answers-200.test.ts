/** `appliance serve` with the shipped configuration answers every entry of the navigation bar with a page (a 200), so no section links to a 404; the home page links the topology. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type RunningAppliance } from '../../appliance.js';
import { APPLIANCE_NAV } from '../../graph-server/index.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

let app: RunningAppliance;

beforeAll(async () => {
  app = await startAppliance(0, { configDir: copyShippedConfig(), dataDir: join(tempDir(), 'data'), seedDemo: false });
}, 120_000);
afterAll(async () => {
  await app?.stop();
  removeTempDirs();
});

describe('the navigation bar', () => {
  it('every APPLIANCE_NAV href is a page of the running appliance, with that section highlighted', async () => {
    expect(APPLIANCE_NAV.length).toBeGreaterThan(0);
    for (const section of APPLIANCE_NAV) {
      const res = await fetch(new URL(section.href.slice(1), app.url), { headers: { accept: 'text/html' } });
      expect(res.status, section.href).toBe(200);
      expect(res.headers.get('content-type'), section.href).toMatch(/^text\/html/);
      expect(await res.text(), section.href).toContain(`<a href="${section.href}" class="current" aria-current="page">${section.title}</a>`);
    }
  });

  it('the topology pages read the shipped demo topology, and the home page links them', async () => {
    const page = await (await fetch(new URL('topology/', app.url), { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('<tr data-site="Nebraska">');
    expect(page).toContain('<tr data-cluster="Nebraska-workers">');
    const home = await (await fetch(app.url, { headers: { accept: 'text/html' } })).text();
    expect(home).toMatch(/<h2>Topology<\/h2>[\s\S]*href="\/topology\/"/);
    const api = (await (await fetch(new URL('api/v1/topology/sources', app.url))).json()) as { sources: unknown[] };
    expect(api.sources).toEqual([]);
  });
});
