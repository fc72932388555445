/** The Gratia part of the `Accounting` component: its slice listener (the import's hook) writes the OneVM rows with the VmGratia settings, and /accounting/usage answers with the usage or a 400 naming the field. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTING_CLASS_TYPES, gratiaPart, writeSegments, type SliceContext } from '../../accounting/index.js';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { gratiaMigrations, openStore, type Store } from '../../store/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';
import { ACCOUNTING_APP_MIGRATIONS, startAccountingApp, type AccountingApp } from './support/accounting-app.js';
import { DAY, OCT1, utcSlices, vmSegment } from './support/vm-slices.js';

const CONFIG = `<graphtool-config>
  <class type="VmGratia" name="VmGratia">
    <attribute name="site_name">FERMICLOUD</attribute>
    <attribute name="project_name">FermiCloud</attribute>
    <attribute name="vo_map">fermilab=Fermilab, nova=NOvA</attribute>
  </class>
</graphtool-config>
`;

describe('the VmGratia class', () => {
  it('reads site, project and the group mapping; a bad pair is an error at its line', () => {
    const bad = loadConfig(tempDir({ 'bad.xml': CONFIG.replace('nova=NOvA', 'nova') }), { classTypes: [...ACCOUNTING_CLASS_TYPES] });
    expect(bad.issues.map(formatIssue)).toEqual([expect.stringMatching(/bad\.xml:5:\d+: VmGratia "VmGratia": vo_map: "nova" is not group=VO/)]);
  });
});

describe('the Gratia part', () => {
  let store: Store;
  let app: AccountingApp;
  beforeAll(async () => {
    store = openStore({ interface: 'sqlite', file: `${tempDir()}/a.db` });
    await store.migrate([...gratiaMigrations, ...ACCOUNTING_APP_MIGRATIONS]);
    const config = loadConfig(tempDir({ 'vm.xml': CONFIG }), { classTypes: [...ACCOUNTING_CLASS_TYPES] });
    expect(config.issues).toEqual([]);
    app = await startAccountingApp(store, { config, parts: [gratiaPart], clock: () => new Date((OCT1 + 2 * DAY + 3600) * 1000) });
    const segs = [
      vmSegment({ vmId: 7, start: OCT1, end: OCT1 + DAY + 6 * 3600, runEnd: OCT1 + DAY + 6 * 3600, vcpu: 2, status: 'completed' }),
      vmSegment({ vmId: 8, start: OCT1 + 12 * 3600, end: OCT1 + 18 * 3600, runEnd: OCT1 + 18 * 3600, groupName: 'nova', ownerName: 'bob', status: 'completed' }),
    ];
    const now = OCT1 + 2 * DAY;
    const context: SliceContext = { endpoint: 'one-a', importId: 1, now, timeZone: 'UTC' };
    await store.transaction(async (tx) => {
      const change = await writeSegments(tx, segs, segs.flatMap((s) => utcSlices(s, now)), now);
      for (const listener of app.accounting.sliceListeners()) await listener(tx, change, context);
    });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    removeTempDirs();
  });

  it('the import hook writes the records with the configured site, project and VOs, and their summary', async () => {
    const rows = await store.query('SELECT J.LocalJobId, J.VOName, J.ProjectName, M.SiteName FROM JobUsageRecord J JOIN JobUsageRecord_Meta M ON M.dbid = J.dbid ORDER BY J.LocalJobId, J.StartTime');
    expect(rows).toEqual([
      { LocalJobId: '7', VOName: 'Fermilab', ProjectName: 'FermiCloud', SiteName: 'FERMICLOUD' },
      { LocalJobId: '7', VOName: 'Fermilab', ProjectName: 'FermiCloud', SiteName: 'FERMICLOUD' },
      { LocalJobId: '8', VOName: 'NOvA', ProjectName: 'FermiCloud', SiteName: 'FERMICLOUD' },
    ]);
    const [sum] = await store.query("SELECT SUM(WallDuration) AS w FROM MasterSummaryData WHERE ResourceType = 'OneVM'");
    expect(Number(sum!.w)).toBe(30 * 3600 + 6 * 3600);
  });

  it('/accounting/ links the usage page; /accounting/usage shows hours by group and the top VMs', async () => {
    expect(await (await fetch(`${app.url}/accounting/`)).text()).toContain('href="/accounting/usage"');
    const res = await fetch(`${app.url}/accounting/usage?from=2026-10-01&to=2026-10-02`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const chart = JSON.parse(/accountingUsageChart\('usage-chart', (.*)\);<\/script>/.exec(html)![1]!) as unknown;
    expect(chart).toEqual({ days: ['2026-10-01', '2026-10-02'], series: [{ name: 'Fermilab', data: [24, 6] }, { name: 'NOvA', data: [6, 0] }] });
    expect([...html.matchAll(/<tr data-vm="(\d+)">/g)].map((m) => m[1])).toEqual(['7', '8']);
    expect(html).toContain('id="cost-by-group"');
  });

  it('defaults to the 30 days up to today; a bad day is a 400 naming the field', async () => {
    const html = await (await fetch(`${app.url}/accounting/usage`)).text();
    expect(html).toContain('value="2026-10-03"');
    expect(html).toContain('value="2026-09-04"');
    const bad = await fetch(`${app.url}/accounting/usage?from=2026-13-01`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('data-field="from"');
    expect((await fetch(`${app.url}/accounting/usage?from=2026-10-05&to=2026-10-01`)).status).toBe(400);
  });
});
