/**
 * The cross-check of issue 12: for one period, the Gratia rows (job records and daily summary), the invoices of a
 * billing run, the CSV (usage and charges), OGF UR and APEL (month minus the month before, its records being
 * cumulative) agree to the second and the cent, all from one import of the same slices.
 */
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountingMigrations, applySliceChange, billingMigrations, defaultVmGratiaSettings, exportDocument, parseExportRequest, readInvoice, runBilling,
  writeSegments, type RateCard,
} from '../../accounting/index.js';
import { gratiaMigrations, type Store } from '../../store/index.js';
import { parseApelMessage } from '../support/apel-message-parser.js';
import { testBackends } from '../support/stores.js';
import { daySlicesOf } from '../support/usage-slices.js';
import { rateCard } from './billing-support.js';
import { CREATE_TIME, NOW, SETTINGS, UTC_SEGMENTS } from './export-scenario.js';

const CARD = `<class type="RateCard" name="standard">
  <attribute name="currency">EUR</attribute>
  <attribute name="charge_time">running</attribute>
  <price from="2026-01-01" core_hour="0.05" ram_gb_hour="0.01"/>
</class>`;

/** Hand-computed for October 2026 (UTC): VMs 101 (2 h of 2 vCPU), 104 (resized 1 -> 4 vCPU), 105 (a day powered off). */
const ALLOCATED = 7200 + 172800 + 2678400;
const RUNNING = 7200 + 172800 + 2592000;
const CPU = 2 * 7200 + (129600 + 4 * 43200) + 2 * 2592000;
/** cpu 0.05/core-h and memory 0.01/GB-h of running time, each line rounded to the cent: 101 0.20 + 0.04, 104 4.20 + 1.68, 105 72.00 + 28.80. */
const TOTALS = { cms: '100.80', fermilab: '6.12' };

/** Gratia's duration (`P1DT2H3M4.0S`) in seconds. */
function seconds(d: string): number {
  const m = /^P(?:(\d+)D)?T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.0)?S)?$/.exec(d);
  if (!m) throw new Error(`not a Gratia duration: ${d}`);
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}
const cents = (amounts: string[]) => amounts.reduce((a, x) => a + Math.round(Number(x) * 100), 0);

for (const backend of testBackends()) {
  describe(`one period's totals on ${backend.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let card: RateCard;
    const text = async (query: Record<string, string>) => {
      let out = '';
      for await (const chunk of exportDocument(store, parseExportRequest(query), SETTINGS, CREATE_TIME, card).body) out += chunk;
      return out;
    };
    beforeAll(async () => {
      const db = await backend.create();
      dispose = db.dispose;
      store = db.open();
      await store.migrate([...gratiaMigrations, ...accountingMigrations, ...billingMigrations]);
      // One import: the slices and their Gratia rows in one transaction.
      await store.transaction(async (tx) => {
        const change = await writeSegments(tx, UTC_SEGMENTS, UTC_SEGMENTS.flatMap((s) => daySlicesOf(s, 'UTC', NOW)), NOW);
        await applySliceChange(tx, change, { settings: defaultVmGratiaSettings(), now: NOW });
      });
      card = rateCard(CARD);
      await runBilling(store, { period: '2026-10', card, now: NOW });
    });
    afterAll(async () => {
      await store.close();
      await dispose();
    });

    it('seconds: Gratia job records and summary, CSV, OGF UR and APEL agree (allocated, running, CPU estimate)', async () => {
      const [jobs] = await store.query(
        `SELECT SUM(WallDuration) AS wall, SUM(CpuUserDuration) AS cpu FROM JobUsageRecord WHERE ResourceType = 'OneVM' AND StartTime >= ? AND StartTime < ?`,
        ['2026-10-01 00:00:00', '2026-11-01 00:00:00'],
      );
      expect([Number(jobs!.wall), Number(jobs!.cpu)]).toEqual([ALLOCATED, CPU]);
      const [summary] = await store.query(
        `SELECT SUM(WallDuration) AS wall, SUM(CpuUserDuration) AS cpu FROM MasterSummaryData WHERE ResourceType = 'OneVM' AND EndTime >= ? AND EndTime < ?`,
        ['2026-10-01 00:00:00', '2026-11-01 00:00:00'],
      );
      expect([Number(summary!.wall), Number(summary!.cpu)]).toEqual([ALLOCATED, CPU]);

      const rows = (await text({ period: '2026-10', format: 'csv' })).trimEnd().split('\r\n').slice(1).map((l) => l.split(','));
      const csv = (resource: string) => rows.filter((r) => r[6] === resource).reduce((a, r) => a + Number(r[7]), 0);
      expect([csv('allocated_time'), csv('running_time'), csv('cpu_time')]).toEqual([ALLOCATED, RUNNING, CPU]);

      const ur = new XMLParser({ ignoreAttributes: false, processEntities: false, isArray: (name) => ['JobUsageRecord', 'CpuDuration'].includes(name) })
        .parse(await text({ period: '2026-10', format: 'ogf-ur' })) as { UsageRecords: { JobUsageRecord: Record<string, unknown>[] } };
      const records = ur.UsageRecords.JobUsageRecord;
      const textOf = (v: unknown) => (typeof v === 'object' && v !== null ? String((v as Record<string, unknown>)['#text']) : String(v));
      expect(records.reduce((a, r) => a + seconds(textOf(r.WallDuration)), 0)).toBe(ALLOCATED);
      expect(records.reduce((a, r) => a + seconds(textOf(r.TimeDuration)), 0)).toBe(RUNNING);
      expect(records.reduce((a, r) => a + seconds(textOf((r.CpuDuration as unknown[])[0])), 0)).toBe(CPU);

      // APEL records are cumulative: a month's usage is its record minus the VM's record of the month before.
      const month = async (period: string) => new Map(parseApelMessage(await text({ period, format: 'apel' })).records.map((r) => [r.VMUUID, r]));
      const [sep, oct] = [await month('2026-09'), await month('2026-10')];
      const delta = (field: string, plus?: string) => [...oct.entries()].reduce((a, [uuid, r]) => {
        const value = (x: Record<string, string | null> | undefined) => (x ? Number(x[field] ?? 0) + (plus ? Number(x[plus] ?? 0) : 0) : 0);
        return a + value(r) - value(sep.get(uuid));
      }, 0);
      expect([delta('WallDuration', 'SuspendDuration'), delta('WallDuration'), delta('CpuDuration')]).toEqual([ALLOCATED, RUNNING, CPU]);
    });

    it('money: the stored invoices and the CSV and JSON charges agree to the cent, as computed by hand', async () => {
      const invoices = await Promise.all(Object.keys(TOTALS).map(async (account) => (await readInvoice(store, '2026-10', 'group', account))!.invoice));
      expect(Object.fromEntries(invoices.map((i) => [i.account, i.total]))).toEqual(TOTALS);
      const rows = (await text({ period: '2026-10', format: 'csv', form: 'charges' })).trimEnd().split('\r\n');
      expect(rows[0]).toBe('period,account,endpoint,vm_id,vm_name,component,quantity,unit,rate,amount,currency');
      const lines = rows.slice(1).map((l) => l.split(','));
      for (const [account, total] of Object.entries(TOTALS)) {
        expect(cents(lines.filter((l) => l[1] === account).map((l) => l[9]!))).toBe(cents([total]));
      }
      expect(lines.map((l) => `${l[3]} ${l[5]} ${l[9]} ${l[10]}`)).toEqual(invoices.flatMap((i) => i.lines.map((l) => `${l.vmId} ${l.component} ${l.amount} EUR`)));
      const json = JSON.parse(await text({ period: '2026-10', format: 'json', form: 'charges' })) as { rows: { amount: string }[] };
      expect(cents(json.rows.map((r) => r.amount))).toBe(cents(Object.values(TOTALS)));
    });
  });
}
