/**
 * The charges form of the CSV and JSON exports: one row per invoice line (VM x component x price rule, by group),
 * rated by billing's own invoice builder from the same slices, so a row's amount is the invoice line's to the cent.
 */
import type { Queryable } from '../../store/index.js';
import { billingPeriod, createInvoiceBuilder, type Invoice, type RateCard } from '../billing/index.js';
import { readSegmentRuns, readSlices } from '../usage-store.js';
import type { ExportMonth } from './export-period.js';

export const CHARGE_COLUMNS = ['period', 'account', 'endpoint', 'vm_id', 'vm_name', 'component', 'quantity', 'unit', 'rate', 'amount', 'currency'] as const;
export type ChargeRow = Record<(typeof CHARGE_COLUMNS)[number], string | number>;

/** The month's invoices by group, computed (not stored) from the slices page by page. */
export async function periodCharges(q: Queryable, month: ExportMonth, card: RateCard, timeZone: string, endpoint?: string): Promise<Invoice[]> {
  const builder = createInvoiceBuilder(card, billingPeriod(month.label, timeZone), 'group');
  for await (const page of readSlices(q, { from: month.from, to: month.to, endpoint })) {
    const split = page.filter((s) => builder.needsRun(s));
    builder.add(page, split.length > 0 ? await readSegmentRuns(q, split) : undefined);
  }
  return builder.finish();
}

export function chargeRows(month: ExportMonth, invoices: readonly Invoice[]): ChargeRow[] {
  return invoices.flatMap((inv) => inv.lines.map((l) => ({
    period: month.label, account: inv.account, endpoint: l.endpoint, vm_id: l.vmId, vm_name: l.vmName, component: l.component,
    quantity: l.quantity, unit: l.unit, rate: l.rate, amount: l.amount, currency: inv.currency,
  })));
}
