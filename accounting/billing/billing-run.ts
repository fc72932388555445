/**
 * A billing run: streams one period's slices page by page, rates them into invoices, and stores in one transaction
 * a new version of each invoice whose bytes changed. Same slices and card: no new version.
 */
import type { Store } from '../../store/index.js';
import { readSegmentRuns, readSlices } from '../usage-store.js';
import { billingPeriod } from './billing-period.js';
import { createInvoiceBuilder } from './invoice-builder.js';
import type { InvoiceGrouping } from './invoice.js';
import { saveInvoices, type InvoiceVersion } from './invoice-store.js';
import type { RateCard } from './rate-card.js';

export interface BillingRunOptions {
  /** `YYYY-MM`. */
  period: string;
  /** Default `group`. */
  by?: InvoiceGrouping;
  card: RateCard;
  /** The accounting time zone (default UTC). */
  timeZone?: string;
  /** Slices read per page (default 5,000): the run's memory is bounded by this and by the number of lines. */
  pageSize?: number;
  /** Epoch seconds stamped on the versions stored (metadata only). */
  now: number;
}

export interface BillingRunResult {
  period: string;
  by: InvoiceGrouping;
  slices: number;
  invoices: number;
  created: InvoiceVersion[];
  unchanged: number;
}

/** Bills `period` by `by` with `card`: see the module comment. */
export async function runBilling(store: Store, options: BillingRunOptions): Promise<BillingRunResult> {
  const by = options.by ?? 'group';
  const period = billingPeriod(options.period, options.timeZone ?? 'UTC');
  const builder = createInvoiceBuilder(options.card, period, by);
  for await (const page of readSlices(store, { from: period.from, to: period.to, ...(options.pageSize ? { pageSize: options.pageSize } : {}) })) {
    const split = page.filter((s) => builder.needsRun(s));
    builder.add(page, split.length > 0 ? await readSegmentRuns(store, split) : undefined);
  }
  const invoices = builder.finish();
  const card = options.card;
  const template = {
    period: period.period, timeZone: period.timeZone, from: period.from, to: period.to, by, rateCard: card.name,
    currency: card.currency, decimals: card.decimals, rounding: card.rounding, chargeTime: card.chargeTime,
  };
  const saved = await store.transaction((tx) => saveInvoices(tx, invoices, template, options.now));
  return { period: period.period, by, slices: builder.slices, invoices: invoices.length, created: saved.created, unchanged: saved.unchanged };
}
