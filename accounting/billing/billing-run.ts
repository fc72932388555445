/**
 * A billing run: streams one period's slices page by page, rates them into invoices, and stores in one transaction
 * a new version of each invoice whose bytes changed. Same slices and card: no new version.
 */
import type { Queryable, Store } from '../../store/index.js';
import { readSlices, SEGMENTS_TABLE } from '../usage-store.js';
import type { UsageSlice } from '../usage-slice.js';
import { billingPeriod } from './billing-period.js';
import { createInvoiceBuilder } from './invoice-builder.js';
import type { InvoiceGrouping } from './invoice.js';
import { saveInvoices, type InvoiceVersion } from './invoice-store.js';
import type { RateCard } from './rate-card.js';
import type { RunInterval } from './rate-slices.js';

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

const segmentKey = (endpoint: string, vmId: number, seq: number) => `${endpoint}/${vmId}/${seq}`;

/** The running intervals of the segments of `slices`, for splitting running time at a price change. */
async function runsOf(q: Queryable, slices: readonly UsageSlice[]): Promise<Map<string, RunInterval>> {
  const out = new Map<string, RunInterval>();
  for (let i = 0; i < slices.length; i += 200) {
    const part = slices.slice(i, i + 200);
    const rows = await q.query(
      `SELECT endpoint, vm_id, seq, run_start, run_end FROM ${SEGMENTS_TABLE} WHERE ${part.map(() => '(endpoint = ? AND vm_id = ? AND seq = ?)').join(' OR ')}`,
      part.flatMap((s) => [s.endpoint, s.vmId, s.seq]),
    );
    for (const r of rows) {
      out.set(segmentKey(String(r.endpoint), Number(r.vm_id), Number(r.seq)), {
        start: r.run_start === null ? null : Number(r.run_start),
        end: r.run_end === null ? null : Number(r.run_end),
      });
    }
  }
  return out;
}

/** Bills `period` by `by` with `card`: see the module comment. */
export async function runBilling(store: Store, options: BillingRunOptions): Promise<BillingRunResult> {
  const by = options.by ?? 'group';
  const period = billingPeriod(options.period, options.timeZone ?? 'UTC');
  const builder = createInvoiceBuilder(options.card, period, by);
  for await (const page of readSlices(store, { from: period.from, to: period.to, ...(options.pageSize ? { pageSize: options.pageSize } : {}) })) {
    const split = page.filter((s) => builder.needsRun(s));
    const runs = split.length > 0 ? await runsOf(store, split) : undefined;
    builder.add(page, runs && ((s) => runs.get(segmentKey(s.endpoint, s.vmId, s.seq))));
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
