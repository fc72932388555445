/**
 * The charges form of the CSV and JSON exports: one row per invoice line (VM x component x price rule, by group),
 * rated by billing's own invoice builder from the same slices, so a row's amount is the invoice line's to the cent.
 */
import type { Queryable } from '../../store/index.js';
import { billingPeriod, createInvoiceBuilder, type Invoice, type RateCard, type RunInterval } from '../billing/index.js';
import type { UsageSlice } from '../usage-slice.js';
import { readSlices, SEGMENTS_TABLE } from '../usage-store.js';
import type { ExportMonth } from './export-period.js';

export const CHARGE_COLUMNS = ['period', 'account', 'endpoint', 'vm_id', 'vm_name', 'component', 'quantity', 'unit', 'rate', 'amount', 'currency'] as const;
export type ChargeRow = Record<(typeof CHARGE_COLUMNS)[number], string | number>;

const segmentKey = (s: { endpoint: string; vmId: number; seq: number }) => `${s.endpoint}/${s.vmId}/${s.seq}`;

/** RSTIME–RETIME of the slices' segments: a price change inside a slice splits its running time exactly. */
async function runsOf(q: Queryable, slices: readonly UsageSlice[]): Promise<Map<string, RunInterval>> {
  const out = new Map<string, RunInterval>();
  for (let i = 0; i < slices.length; i += 200) {
    const part = slices.slice(i, i + 200);
    const rows = await q.query(
      `SELECT endpoint, vm_id, seq, run_start, run_end FROM ${SEGMENTS_TABLE} WHERE ${part.map(() => '(endpoint = ? AND vm_id = ? AND seq = ?)').join(' OR ')}`,
      part.flatMap((s) => [s.endpoint, s.vmId, s.seq]),
    );
    for (const r of rows) {
      out.set(segmentKey({ endpoint: String(r.endpoint), vmId: Number(r.vm_id), seq: Number(r.seq) }), {
        start: r.run_start === null ? null : Number(r.run_start), end: r.run_end === null ? null : Number(r.run_end),
      });
    }
  }
  return out;
}

/** The month's invoices by group, computed (not stored) from the slices page by page. */
export async function periodCharges(q: Queryable, month: ExportMonth, card: RateCard, timeZone: string, endpoint?: string): Promise<Invoice[]> {
  const builder = createInvoiceBuilder(card, billingPeriod(month.label, timeZone), 'group');
  for await (const page of readSlices(q, { from: month.from, to: month.to, endpoint })) {
    const split = page.filter((s) => builder.needsRun(s));
    const runs = split.length > 0 ? await runsOf(q, split) : undefined;
    builder.add(page, runs && ((s) => runs.get(segmentKey(s))));
  }
  return builder.finish();
}

export function chargeRows(month: ExportMonth, invoices: readonly Invoice[]): ChargeRow[] {
  return invoices.flatMap((inv) => inv.lines.map((l) => ({
    period: month.label, account: inv.account, endpoint: l.endpoint, vm_id: l.vmId, vm_name: l.vmName, component: l.component,
    quantity: l.quantity, unit: l.unit, rate: l.rate, amount: l.amount, currency: inv.currency,
  })));
}
