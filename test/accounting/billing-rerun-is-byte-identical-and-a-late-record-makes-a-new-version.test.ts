/**
 * Invoice versions: a re-run on the same slices and card stores nothing new and renders the same bytes; a late
 * record or a rate-card change makes a new version with a line-by-line difference, and the old one is kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  diffInvoices, invoiceVersions, listInvoices, readInvoice, renderInvoiceCsv, renderInvoiceJson, runBilling,
} from '../../accounting/index.js';
import type { Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { at, BILLING_MIGRATIONS, importSegments, rateCard, segment } from './billing-support.js';

afterAll(removeTempDirs);

const card = (core: string) => rateCard(`<class type="RateCard" name="standard">
  <attribute name="currency">EUR</attribute>
  <price core_hour="${core}" vm_fee="1.00"/>
</class>`);
const NOV = { start: at('2026-11-01T00:00:00Z'), end: at('2026-12-01T00:00:00Z'), runEnd: at('2026-12-01T00:00:00Z') };

for (const backend of testBackends()) {
  describe(`invoice versions on ${backend.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const db = await backend.create();
      dispose = db.dispose;
      store = db.open();
      await store.migrate(BILLING_MIGRATIONS);
      await importSegments(store, [
        segment({ vmId: 1, ...NOV }),
        segment({ vmId: 2, groupName: 'cms', ...NOV }),
      ]);
    });
    afterAll(async () => {
      await store.close();
      await dispose();
    });

    it('a second run on the same inputs stores no version and renders the same bytes', async () => {
      const first = await runBilling(store, { period: '2026-11', card: card('0.05'), now: 1000 });
      expect(first.created.map((v) => [v.account, v.version, v.total])).toEqual([['cms', 1, '37.00'], ['fermilab', 1, '37.00']]);
      const before = (await readInvoice(store, '2026-11', 'group', 'fermilab'))!.invoice;
      const again = await runBilling(store, { period: '2026-11', card: card('0.05'), now: 2000, pageSize: 7 });
      expect(again).toMatchObject({ created: [], unchanged: 2, slices: 60 });
      const after = (await readInvoice(store, '2026-11', 'group', 'fermilab'))!.invoice;
      expect(renderInvoiceJson(after)).toBe(renderInvoiceJson(before));
      expect(renderInvoiceCsv(after)).toBe(renderInvoiceCsv(before));
      expect(renderInvoiceCsv(after)).toBe(
        'period,by,account,endpoint,vm_id,vm_name,component,unit,valid_from,scope,quantity,rate,amount,currency\r\n' +
        '2026-11,group,fermilab,one,1,vm-1,cpu,core-hour,1970-01-01T00:00:00Z,*,720.000000,0.05,36.00,EUR\r\n' +
        '2026-11,group,fermilab,one,1,vm-1,vm_fee,VM,1970-01-01T00:00:00Z,*,1.000000,1,1.00,EUR\r\n' +
        '2026-11,group,fermilab,,,,total,,,,,,37.00,EUR\r\n',
      );
      // No clock time in the body: the version's stored time is metadata beside it.
      expect(renderInvoiceJson(after)).not.toContain('1000');
    });

    it('a late record makes version 2 of its own invoice only, with the line difference; version 1 is kept', async () => {
      const v1 = (await readInvoice(store, '2026-11', 'group', 'fermilab', 1))!;
      const v1Bytes = renderInvoiceJson(v1.invoice);
      // A late history record: VM 3 of fermilab ran 10 h on 20 November; VM 1's record was corrected to end a day early.
      await importSegments(store, [
        segment({ vmId: 3, start: at('2026-11-20T00:00:00Z'), end: at('2026-11-20T10:00:00Z'), runEnd: at('2026-11-20T10:00:00Z') }),
        segment({ vmId: 1, start: NOV.start, end: at('2026-11-30T00:00:00Z'), runEnd: at('2026-11-30T00:00:00Z') }),
      ]);
      const run = await runBilling(store, { period: '2026-11', card: card('0.05'), now: 3000 });
      expect(run.created.map((v) => [v.account, v.version, v.total])).toEqual([['fermilab', 2, '37.30']]);
      expect(run.unchanged).toBe(1);
      expect((await invoiceVersions(store, '2026-11', 'group', 'fermilab')).map((v) => [v.version, v.current, v.total, v.createdAt])).toEqual([
        [1, false, '37.00', 1000],
        [2, true, '37.30', 3000],
      ]);
      expect(renderInvoiceJson((await readInvoice(store, '2026-11', 'group', 'fermilab', 1))!.invoice)).toBe(v1Bytes);
      const v2 = (await readInvoice(store, '2026-11', 'group', 'fermilab'))!;
      expect(v2.version.version).toBe(2);
      const diff = diffInvoices(v1.invoice, v2.invoice);
      expect(diff.lines.map((d) => [d.change, d.key, d.old?.quantity, d.new?.quantity, d.amountDelta])).toEqual([
        ['changed', 'one/1/cpu/0/*', '720.000000', '696.000000', '-1.20'],
        ['added', 'one/3/cpu/0/*', undefined, '10.000000', '0.50'],
        ['added', 'one/3/vm_fee/0/*', undefined, '1.000000', '1.00'],
      ]);
      expect(diff).toMatchObject({ oldTotal: '37.00', newTotal: '37.30', totalDelta: '0.30' });
    });

    it('a rate change makes a new version of every invoice it touches; listing shows the current ones', async () => {
      const run = await runBilling(store, { period: '2026-11', card: card('0.06'), now: 4000 });
      expect(run.created.map((v) => [v.account, v.version, v.total])).toEqual([['cms', 2, '44.20'], ['fermilab', 3, '44.36']]);
      expect((await listInvoices(store, { period: '2026-11' })).map((v) => [v.by, v.account, v.version, v.total])).toEqual([
        ['group', 'cms', 2, '44.20'],
        ['group', 'fermilab', 3, '44.36'],
      ]);
      const diff = diffInvoices((await readInvoice(store, '2026-11', 'group', 'cms', 1))!.invoice, (await readInvoice(store, '2026-11', 'group', 'cms', 2))!.invoice);
      expect(diff.lines.map((d) => [d.change, d.key, d.old?.rate, d.new?.rate, d.amountDelta])).toEqual([['changed', 'one/2/cpu/0/*', '0.05', '0.06', '7.20']]);
    });

    it('an account whose usage moved away gets an empty version, not a stale one', async () => {
      // VM 2 was really fermilab's: the corrected record moves it, so cms bills nothing for November.
      await importSegments(store, [segment({ vmId: 2, groupName: 'fermilab', ...NOV })]);
      const run = await runBilling(store, { period: '2026-11', card: card('0.06'), now: 5000 });
      expect(run.created.map((v) => [v.account, v.version, v.total, v.lineCount])).toEqual([['fermilab', 4, '88.56', 6], ['cms', 3, '0.00', 0]]);
      expect((await runBilling(store, { period: '2026-11', card: card('0.06'), now: 6000 })).created).toEqual([]);
    });

    it('by user and by VO are invoices of their own, beside the group ones', async () => {
      const run = await runBilling(store, { period: '2026-11', by: 'user', card: card('0.06'), now: 7000 });
      expect(run.created.map((v) => [v.by, v.account, v.version, v.total])).toEqual([['user', 'alice', 1, '88.56']]);
      expect((await listInvoices(store, { period: '2026-11', by: 'group' })).map((v) => v.account)).toEqual(['cms', 'fermilab']);
    });
  });
}
