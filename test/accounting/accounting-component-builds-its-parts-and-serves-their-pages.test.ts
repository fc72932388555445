/** The `Accounting` component: its settings class (errors at file:line), its parts' routes, links, lifecycle and slice listeners, and the landing page. */
import { join } from 'node:path';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTING_CLASS_TYPES, accountingSettingsOf, type AccountingPartFactory, type Accounting } from '../../accounting/index.js';
import { APPLIANCE_CLASS_TYPES } from '../../appliance.js';
import { packageRoot } from '../../common/index.js';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { openStore, type Store } from '../../store/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';
import { ACCOUNTING_APP_MIGRATIONS, EMPTY_CONFIG, startAccountingApp, type AccountingApp } from './support/accounting-app.js';

const xml = (attrs: string) => `<graphtool-config>\n  <class type="Accounting" name="Accounting">\n${attrs}\n  </class>\n</graphtool-config>\n`;

describe('the Accounting class', () => {
  it('takes an IANA time zone and limits; a bad value is an error naming file and line', () => {
    const dir = tempDir({
      'good.xml': xml('    <attribute name="time_zone">Europe/Berlin</attribute>\n    <attribute name="max_upload_mb">2</attribute>'),
    });
    const good = loadConfig(dir, { classTypes: [...ACCOUNTING_CLASS_TYPES] });
    expect(good.issues).toEqual([]);
    expect(accountingSettingsOf(good)).toMatchObject({ timeZone: 'Europe/Berlin', maxUploadBytes: 2 * 1024 * 1024 });
    const badDir = tempDir({
      'bad.xml': xml('    <attribute name="time_zone">Mars/Olympus</attribute>\n    <attribute name="max_upload_mb">0</attribute>\n    <attribute name="zone">UTC</attribute>'),
    });
    const bad = loadConfig(badDir, { classTypes: [...ACCOUNTING_CLASS_TYPES] }).issues.map(formatIssue);
    expect(bad).toEqual([
      expect.stringMatching(/bad\.xml:3:\d+: Accounting "Accounting": time_zone "Mars\/Olympus" is not an IANA time zone/),
      expect.stringMatching(/bad\.xml:4:\d+: Accounting "Accounting": max_upload_mb "0" is not a whole number of megabytes/),
      expect.stringMatching(/bad\.xml:5:\d+: warning: Accounting "Accounting": unknown attribute "zone"; did you mean "time_zone"\?/),
    ]);
  });

  it('the shipped config/accounting.xml loads without issues: UTC by default', () => {
    const shipped = loadConfig(join(packageRoot(), 'config', 'accounting.xml'), { classTypes: APPLIANCE_CLASS_TYPES, env: {} });
    expect(shipped.issues.map(formatIssue)).toEqual([]);
    expect(accountingSettingsOf(shipped)).toEqual({ timeZone: 'UTC', maxUploadBytes: 64 * 1024 * 1024, maxRecordBytes: 4096 * 1024 });
  });
});

describe('the Accounting component', () => {
  let store: Store;
  let app: AccountingApp;
  const events: string[] = [];
  const part: AccountingPartFactory<Accounting> = (deps) => {
    const router = Router();
    router.get('/api/v1/accounting/test-part', deps.requireOperator, (_req, res) => {
      res.json({ zone: deps.settings().timeZone });
    });
    return {
      name: 'test part',
      router,
      links: [{ title: 'Test part page', href: '/accounting/test-part', note: 'a note' }],
      onSlices: async () => undefined,
      start: () => void events.push('start'),
      stop: () => void events.push('stop'),
      validate: (next) => (next.files.includes('bad.xml') ? ['bad.xml:1:1: no'] : []),
      apply: () => void events.push('apply'),
    };
  };

  beforeAll(async () => {
    store = openStore({ interface: 'sqlite', file: join(tempDir(), 'a.db') });
    await store.migrate(ACCOUNTING_APP_MIGRATIONS);
    app = await startAccountingApp(store, { parts: [part] });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    removeTempDirs();
  });

  it('lists its parts\' links on /accounting/, in the Accounting section of the navigation', async () => {
    const res = await fetch(`${app.url}/accounting/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<a href="/accounting/test-part">Test part page</a>');
    expect(html).toContain('<code>UTC</code>');
    expect(html).toMatch(/<a href="\/accounting\/" class="current"/);
    const bare = await fetch(`${app.url}/accounting`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/accounting/');
  });

  it('mounts a part\'s routes with the role checks it chose', async () => {
    expect((await fetch(`${app.url}/api/v1/accounting/test-part`)).status).toBe(401);
    const ok = await fetch(`${app.url}/api/v1/accounting/test-part`, { headers: { authorization: `Basic ${Buffer.from('operator:operator-pw').toString('base64')}` } });
    expect(await ok.json()).toEqual({ zone: 'UTC' });
  });

  it('runs the parts\' lifecycle, validation and listeners; applyConfig replaces the settings', async () => {
    expect(events).toEqual(['start']);
    const listener = async () => undefined;
    const remove = app.accounting.onSlices(listener);
    expect(app.accounting.sliceListeners()).toHaveLength(2);
    remove();
    expect(app.accounting.sliceListeners()).toHaveLength(1);
    expect(app.accounting.validate({ ...EMPTY_CONFIG, files: ['bad.xml'] })).toEqual(['bad.xml:1:1: no']);
    const dir = tempDir({ 'a.xml': xml('    <attribute name="time_zone">Europe/Berlin</attribute>') });
    await app.accounting.applyConfig(loadConfig(dir, { classTypes: [...ACCOUNTING_CLASS_TYPES] }));
    expect(app.accounting.settings().timeZone).toBe('Europe/Berlin');
    expect(events).toEqual(['start', 'apply']);
  });
});
