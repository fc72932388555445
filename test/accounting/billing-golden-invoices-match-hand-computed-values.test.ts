/**
 * Golden invoices: billing runs over hand-made history segments give the amounts computed by hand (a 30-day month
 * is 720 h, a leap February 696 h, October in Europe/Berlin 745 h), on SQLite and MariaDB.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readInvoice, runBilling, type Invoice, type RateCard } from '../../accounting/index.js';
import type { Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { at, BILLING_MIGRATIONS, importSegments, rateCard, segment } from './billing-support.js';

afterAll(removeTempDirs);

const STANDARD = `<class type="RateCard" name="standard">
  <attribute name="currency">EUR</attribute>
  <price from="2026-01-01" core_hour="0.05" ram_gb_hour="0.01" disk_gb_month="0.10" public_ip_hour="0.005" vm_fee="1.00"/>
</class>`;

/** `component@rate quantity amount` per line, then the total: what a reader checks by hand. */
const summary = (inv: Invoice | undefined) => inv && [...inv.lines.map((l) => `vm ${l.vmId} ${l.component}@${l.rate} ${l.quantity} ${l.amount}`), `total ${inv.total}`];

for (const backend of testBackends()) {
  describe(`golden invoices on ${backend.name}`, () => {
    const opened: { store: Store; dispose: () => Promise<void> }[] = [];
    afterAll(async () => {
      for (const { store, dispose } of opened) {
        await store.close();
        await dispose();
      }
    });
    /** A fresh, migrated database per case: each case's segments are its only usage. */
    const fresh = async () => {
      const db = await backend.create();
      const store = db.open();
      opened.push({ store, dispose: db.dispose });
      await store.migrate(BILLING_MIGRATIONS);
      return store;
    };
    const bill = async (store: Store, period: string, card: RateCard, extra: { timeZone?: string; by?: 'group' | 'user' | 'vo'; account?: string } = {}) => {
      await runBilling(store, { period, card, now: 1, ...extra });
      return (await readInvoice(store, period, extra.by ?? 'group', extra.account ?? 'fermilab'))?.invoice;
    };

    it('a VM running across three months is prorated exactly: 288 h of October, all 720 h of November, 96 h of December', async () => {
      const store = await fresh();
      const card = rateCard(STANDARD);
      await importSegments(store, [
        segment({ vmId: 1, vcpu: 2, memoryMb: 4096, diskMb: 20480, publicIps: ['131.225.1.2'], start: at('2026-10-20T00:00:00Z'), end: at('2026-12-05T00:00:00Z'), runEnd: at('2026-12-05T00:00:00Z') }),
      ]);
      expect(summary(await bill(store, '2026-11', card))).toEqual([
        'vm 1 cpu@0.05 1440.000000 72.00',
        'vm 1 memory@0.01 2880.000000 28.80',
        'vm 1 disk@0.1 20.000000 2.00',
        'vm 1 public_ip@0.005 720.000000 3.60',
        'vm 1 vm_fee@1 1.000000 1.00',
        'total 107.40',
      ]);
      // October has 744 h: 20 GB for 288 of them is 7.741935... GB-months.
      expect(summary(await bill(store, '2026-10', card))).toEqual([
        'vm 1 cpu@0.05 576.000000 28.80',
        'vm 1 memory@0.01 1152.000000 11.52',
        'vm 1 disk@0.1 7.741935 0.77',
        'vm 1 public_ip@0.005 288.000000 1.44',
        'vm 1 vm_fee@1 1.000000 1.00',
        'total 43.53',
      ]);
      expect(summary(await bill(store, '2026-12', card))).toEqual([
        'vm 1 cpu@0.05 192.000000 9.60',
        'vm 1 memory@0.01 384.000000 3.84',
        'vm 1 disk@0.1 2.580645 0.26',
        'vm 1 public_ip@0.005 96.000000 0.48',
        'vm 1 vm_fee@1 1.000000 1.00',
        'total 15.18',
      ]);
    });

    it('a leap February has 696 h, the leap day 24 of them', async () => {
      const store = await fresh();
      const card = rateCard(STANDARD);
      await importSegments(store, [
        segment({ vmId: 2, start: at('2028-02-01T00:00:00Z'), end: at('2028-03-01T00:00:00Z'), runEnd: at('2028-03-01T00:00:00Z') }),
        segment({ vmId: 3, start: at('2028-02-29T00:00:00Z'), end: at('2028-03-01T00:00:00Z'), runEnd: at('2028-03-01T00:00:00Z') }),
      ]);
      expect(summary(await bill(store, '2028-02', card))).toEqual([
        'vm 2 cpu@0.05 696.000000 34.80',
        'vm 2 memory@0.01 696.000000 6.96',
        'vm 2 vm_fee@1 1.000000 1.00',
        'vm 3 cpu@0.05 24.000000 1.20',
        'vm 3 memory@0.01 24.000000 0.24',
        'vm 3 vm_fee@1 1.000000 1.00',
        'total 45.20',
      ]);
    });

    it('a VM running over 1 January 00:00 UTC is billed one hour to each year, with a fee in each', async () => {
      const store = await fresh();
      const card = rateCard(STANDARD);
      await importSegments(store, [segment({ vmId: 4, start: at('2026-12-31T23:00:00Z'), end: at('2027-01-01T01:00:00Z'), runEnd: at('2027-01-01T01:00:00Z') })]);
      const expected = ['vm 4 cpu@0.05 1.000000 0.05', 'vm 4 memory@0.01 1.000000 0.01', 'vm 4 vm_fee@1 1.000000 1.00', 'total 1.06'];
      expect(summary(await bill(store, '2026-12', card))).toEqual(expected);
      expect(summary(await bill(store, '2027-01', card))).toEqual(expected);
    });

    it('in Europe/Berlin October 2026 has 745 h and March 2026 743 h (slices cut at local midnight)', async () => {
      const store = await fresh();
      const card = rateCard(STANDARD);
      const zone = 'Europe/Berlin';
      await importSegments(store, [
        segment({ vmId: 5, start: at('2026-03-01T00:00:00+01:00'), end: at('2026-11-01T00:00:00+01:00'), runEnd: at('2026-11-01T00:00:00+01:00'), diskMb: 1024 }),
      ], zone);
      expect(summary(await bill(store, '2026-10', card, { timeZone: zone }))).toEqual([
        'vm 5 cpu@0.05 745.000000 37.25',
        'vm 5 memory@0.01 745.000000 7.45',
        'vm 5 disk@0.1 1.000000 0.10',
        'vm 5 vm_fee@1 1.000000 1.00',
        'total 45.80',
      ]);
      expect(summary(await bill(store, '2026-03', card, { timeZone: zone }))).toEqual([
        'vm 5 cpu@0.05 743.000000 37.15',
        'vm 5 memory@0.01 743.000000 7.43',
        'vm 5 disk@0.1 1.000000 0.10',
        'vm 5 vm_fee@1 1.000000 1.00',
        'total 45.68',
      ]);
    });

    it('a resize mid-month sums both history records on one line: 360 h at 1 vCPU and 360 h at 4', async () => {
      const store = await fresh();
      const card = rateCard(STANDARD);
      const mid = at('2026-11-16T00:00:00Z');
      await importSegments(store, [
        segment({ vmId: 6, seq: 0, vcpu: 1, memoryMb: 2048, start: at('2026-11-01T00:00:00Z'), end: mid, runEnd: mid, action: 35 }),
        segment({ vmId: 6, seq: 1, vcpu: 4, memoryMb: 8192, start: mid, end: at('2026-12-01T00:00:00Z'), runStart: mid, runEnd: at('2026-12-01T00:00:00Z') }),
      ]);
      expect(summary(await bill(store, '2026-11', card))).toEqual([
        'vm 6 cpu@0.05 1800.000000 90.00',
        'vm 6 memory@0.01 3600.000000 36.00',
        'vm 6 vm_fee@1 1.000000 1.00',
        'total 127.00',
      ]);
    });

    it('a price change mid-month splits the charge at its instant, allocated and running time alike', async () => {
      const store = await fresh();
      const body = (time: string) => `<class type="RateCard" name="${time}">
  <attribute name="charge_time">${time}</attribute>
  <price from="2026-01-01" core_hour="0.05"/>
  <price from="2026-11-10T12:00:00Z" core_hour="0.08"/>
</class>`;
      // Powered off on 11 November at 00:00: OpenNebula >= 5.12 sets RETIME only, the record stays open.
      await importSegments(store, [
        segment({ vmId: 7, start: at('2026-11-01T00:00:00Z'), end: null, runEnd: at('2026-11-11T00:00:00Z'), vmState: 8, lcmState: 0, status: 'stopped' }),
      ], 'UTC', at('2026-12-01T00:00:00Z'));
      expect(summary(await bill(store, '2026-11', rateCard(body('allocated'))))).toEqual([
        'vm 7 cpu@0.05 228.000000 11.40',
        'vm 7 cpu@0.08 492.000000 39.36',
        'total 50.76',
      ]);
      // Running only (SHOWBACK_ONLY_RUNNING): 228 h before the change, then 12 h until the poweroff.
      expect(summary(await bill(store, '2026-11', rateCard(body('running'))))).toEqual([
        'vm 7 cpu@0.05 228.000000 11.40',
        'vm 7 cpu@0.08 12.000000 0.96',
        'total 12.36',
      ]);
    });

    it('rounds only line totals, half-even by default or half-up: 2.5 core-hours at 0.01 is 0.02 or 0.03', async () => {
      const store = await fresh();
      const body = (mode: string) => `<class type="RateCard" name="${mode}"><attribute name="rounding">${mode}</attribute><price core_hour="0.01"/></class>`;
      const t = at('2026-11-03T00:00:00Z');
      // 2.5 h a day on two days: each day's 0.025 would round to 0.02 or 0.03 alone; the line's 0.05 is exact.
      await importSegments(store, [
        segment({ vmId: 8, start: t, end: t + 9000, runEnd: t + 9000 }),
        segment({ vmId: 9, start: t, end: t + 9000, runEnd: t + 9000 }),
        segment({ vmId: 9, seq: 1, start: t + 86_400, end: t + 86_400 + 9000, runStart: t + 86_400, runEnd: t + 86_400 + 9000 }),
      ]);
      expect(summary(await bill(store, '2026-11', rateCard(body('half-even'))))).toEqual(['vm 8 cpu@0.01 2.500000 0.02', 'vm 9 cpu@0.01 5.000000 0.05', 'total 0.07']);
      expect(summary(await bill(store, '2026-11', rateCard(body('half-up'))))).toEqual(['vm 8 cpu@0.01 2.500000 0.03', 'vm 9 cpu@0.01 5.000000 0.05', 'total 0.08']);
    });

    it('a group override prices its own group only, from its own date; the rest keep the base price', async () => {
      const store = await fresh();
      const card = rateCard(`<class type="RateCard" name="vo">
  <price core_hour="0.05" vm_fee="2"/>
  <price group="cms" from="2026-11-16" core_hour="0.03"/>
</class>`);
      const month = { start: at('2026-11-01T00:00:00Z'), end: at('2026-12-01T00:00:00Z'), runEnd: at('2026-12-01T00:00:00Z') };
      await importSegments(store, [
        segment({ vmId: 10, groupName: 'cms', ...month }),
        segment({ vmId: 11, groupName: 'atlas', ownerName: 'bob', ...month }),
      ]);
      expect(summary(await bill(store, '2026-11', card, { account: 'cms' }))).toEqual([
        'vm 10 cpu@0.05 360.000000 18.00',
        'vm 10 cpu@0.03 360.000000 10.80',
        'vm 10 vm_fee@2 1.000000 2.00',
        'total 30.80',
      ]);
      expect(summary(await bill(store, '2026-11', card, { account: 'atlas' }))).toEqual(['vm 11 cpu@0.05 720.000000 36.00', 'vm 11 vm_fee@2 1.000000 2.00', 'total 38.00']);
      expect(summary(await bill(store, '2026-11', card, { by: 'user', account: 'bob' }))).toEqual(['vm 11 cpu@0.05 720.000000 36.00', 'vm 11 vm_fee@2 1.000000 2.00', 'total 38.00']);
    });

    it("OpenNebula's units: CPU_COST per CPU share-hour (not vCPU), MEMORY_COST and DISK_COST per MB-hour", async () => {
      const store = await fresh();
      const card = rateCard(`<class type="RateCard" name="showback"><price CPU_COST="0.01" MEMORY_COST="0.00001" DISK_COST="0.000001"/></class>`);
      await importSegments(store, [
        segment({ vmId: 12, vcpu: 4, cpuShare: '0.5', memoryMb: 2048, diskMb: 10240, start: at('2026-11-01T00:00:00Z'), end: at('2026-12-01T00:00:00Z'), runEnd: at('2026-12-01T00:00:00Z') }),
      ]);
      // 0.5 x 720 x 0.01 = 3.60; 2048 x 720 x 0.00001 = 14.7456; 10240 x 720 x 0.000001 = 7.3728.
      expect(summary(await bill(store, '2026-11', card))).toEqual([
        'vm 12 cpu_share@0.01 360.000000 3.60',
        'vm 12 memory_mb@0.00001 1474560.000000 14.75',
        'vm 12 disk_mb@0.000001 7372800.000000 7.37',
        'total 25.72',
      ]);
    });
  });
}
