/** `appliance bill --period YYYY-MM [--by group|user|vo] [--rate-card NAME]`: one billing run, one line per invoice. */
import { AppError } from '../../common/index.js';
import type { LoadedConfig } from '../../grammar/index.js';
import type { Store } from '../../store/index.js';
import { runBilling, type BillingRunResult } from './billing-run.js';
import { INVOICE_GROUPINGS, type InvoiceGrouping } from './invoice.js';
import { openNebulaDefaultCard, type RateCard } from './rate-card.js';
import { rateCardOf } from './rate-card-class.js';

export interface BillCommandOptions {
  period: string | undefined;
  by: string | undefined;
  rateCard: string | undefined;
  /** The accounting time zone (the `Accounting` class's `time_zone`). */
  timeZone: string;
  now: number;
}

/** The rate card a run uses: `name`'s, else the configuration's first, else OpenNebula's showback default. */
export function billingCardOf(config: LoadedConfig, name?: string): RateCard {
  const card = rateCardOf(config, name);
  if (card) return card;
  if (name !== undefined) throw new AppError('bad_request', `no RateCard class is called "${name}"`, { field: 'rate-card' });
  return openNebulaDefaultCard();
}

/** Checks `--by`; undefined means `group`. */
export function groupingOf(text: string | undefined, field = 'by'): InvoiceGrouping {
  if (text === undefined) return 'group';
  if ((INVOICE_GROUPINGS as readonly string[]).includes(text)) return text as InvoiceGrouping;
  throw new AppError('bad_request', `${field} must be one of ${INVOICE_GROUPINGS.join(', ')}, not "${text}"`, { field });
}

/** Runs the billing of one period and describes what it stored, one line per invoice plus a summary line. */
export async function billCommand(store: Store, config: LoadedConfig, o: BillCommandOptions): Promise<{ text: string; result: BillingRunResult }> {
  if (o.period === undefined) throw new AppError('bad_request', 'bill needs --period YYYY-MM (e.g. --period 2026-10)', { field: 'period' });
  const card = billingCardOf(config, o.rateCard);
  const result = await runBilling(store, { period: o.period, by: groupingOf(o.by), card, timeZone: o.timeZone, now: o.now });
  const lines = result.created.map((v) => `${v.period} ${v.by} ${v.account}: version ${v.version}, ${v.lineCount} lines, total ${v.total}${v.currency ? ` ${v.currency}` : ''}`);
  lines.push(`${result.period} by ${result.by} (rate card ${card.name}, ${o.timeZone}): ${result.slices} slices, ${result.invoices} invoices, ${result.created.length} new versions, ${result.unchanged} unchanged`);
  return { text: `${lines.join('\n')}\n`, result };
}
