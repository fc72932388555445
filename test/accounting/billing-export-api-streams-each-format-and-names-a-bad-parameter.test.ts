import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTING_CLASS_TYPES, createExportsPart } from '../../accounting/index.js';
import { loadConfig } from '../../grammar/index.js';
import { openStore, type Store } from '../../store/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';
import { CREATE_TIME, loadScenario } from './export-scenario.js';
import { ACCOUNTING_APP_MIGRATIONS, startAccountingApp, type AccountingApp } from './support/accounting-app.js';

const golden = (name: string) => readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8');

const EXPORT_CLASS = `<graphtool-config>
  <class type="AccountingExport" name="exports">
    <attribute name="site_name">FERMICLOUD</attribute>
    <attribute name="cloud_compute_service">FERMICLOUD-ONE</attribute>
    <attribute name="benchmark_type">HEPSPEC</attribute>
    <attribute name="benchmark">10.5</attribute>
    <attribute name="record_host">acct.example.org</attribute>
    <attribute name="probe_name">onevm:one-a.example.org</attribute>
    <attribute name="endpoint_urls">one-a=https://one-a.example.org:2633, one-b=https://one-b.example.org:2633</attribute>
  </class>
</graphtool-config>
`;

describe('GET /api/v1/billing/export', () => {
  let store: Store;
  let app: AccountingApp;
  let bare: AccountingApp;
  beforeAll(async () => {
    store = openStore({ interface: 'sqlite', file: `${tempDir()}/a.db` });
    // The scenario's own (accounting) migrations first: the app's list holds later accounting versions.
    await loadScenario(store);
    await store.migrate(ACCOUNTING_APP_MIGRATIONS);
    const config = loadConfig(tempDir({ 'exports.xml': EXPORT_CLASS }), { classTypes: [...ACCOUNTING_CLASS_TYPES] });
    expect(config.issues).toEqual([]);
    const clock = () => new Date(CREATE_TIME * 1000);
    app = await startAccountingApp(store, { config, parts: [createExportsPart], clock });
    bare = await startAccountingApp(store, { parts: [createExportsPart], clock });
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    await store.close();
    removeTempDirs();
  });

  const get = (path: string, on = app) => fetch(`${on.url}/api/v1/billing/export?${path}`);

  it('streams CSV as a download, rows as computed by hand', async () => {
    const res = await get('period=2026-10&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="usage-2026-10-usage.csv"');
    const body = await res.text();
    expect(body).toContain('\r\n2026-10,one-b,105,three-months,bob,cms,disk,137134080000,MB*s\r\n');
    expect(body.split('\r\n')).toHaveLength(1 + 18 + 1);
  });

  it('serves APEL v0.2 and OGF UR from the configured site exactly as the golden files', async () => {
    expect(await (await get('period=2026-10&format=apel&version=0.2')).text()).toBe(golden('apel-v0.2-2026-10.txt'));
    expect(await (await get('period=2026-10&format=ogf-ur&endpoint=one-a')).text()).toBe(golden('ogf-ur-2026-10-one-a.xml'));
    expect((await get('period=2026-10&format=car')).headers.get('content-type')).toMatch(/^application\/xml/);
  });

  it('a bad parameter is a 400 naming it; an unknown period is an empty document', async () => {
    for (const [query, field] of [['format=csv', 'period'], ['period=2026-13&format=csv', 'period'], ['period=2026-10&format=pdf', 'format'],
      ['period=2026-10&format=apel&version=1', 'version'], ['period=2026-10&period=2026-11&format=csv', 'period']]) {
      const res = await get(query!);
      expect(res.status, query).toBe(400);
      expect(await res.text(), query).toContain(field!);
    }
    const empty = await get('period=2031-01&format=json');
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ period: '2031-01', rows: [] });
  });

  it('without an AccountingExport class site-naming formats are a 422, without a RateCard the charges form; CSV still works', async () => {
    const apel = await get('period=2026-10&format=apel', bare);
    expect(apel.status).toBe(422);
    expect(await apel.text()).toMatch(/AccountingExport/);
    expect((await get('period=2026-10&format=csv', bare)).status).toBe(200);
    const charges = await get('period=2026-10&format=csv&form=charges', bare);
    expect(charges.status).toBe(422);
    expect(await charges.text()).toMatch(/RateCard/);
  });

  it('the landing page links the export', async () => {
    const page = await (await fetch(`${app.url}/accounting/`, { headers: { accept: 'text/html' } })).text();
    expect(page.replace(/&#x3D;/g, '=')).toContain('href="/api/v1/billing/export?format=csv&amp;period=2026-12"');
  });
});
