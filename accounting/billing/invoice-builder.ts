/**
 * Builds a period's invoices from its slices, page by page: each slice's charges are added to exact per-line sums
 * (one line per VM, component and price), so memory grows with the lines, never with the slices.
 */
import type { UsageSlice } from '../usage-slice.js';
import { COMPONENT_UNITS, Money, priceAt, priceChangeInstants, roundLine, type ChargeComponent, type RateCard, type ResolvedPrice } from './rate-card.js';
import { rateSlice, type RunInterval } from './rate-slices.js';
import type { BillingPeriod } from './billing-period.js';
import { compareLines, type Invoice, type InvoiceGrouping, type InvoiceLine } from './invoice.js';

interface LineSum {
  endpoint: string;
  vmId: number;
  vmName: string;
  component: ChargeComponent;
  price: ResolvedPrice;
  base: Money;
  divisor: number;
}

/** The account a slice is billed to under `by`. */
export function accountOf(slice: UsageSlice, by: InvoiceGrouping): string {
  return by === 'user' ? slice.ownerName : slice.groupName;
}

export interface InvoiceBuilder {
  /** The price-change instants strictly inside `slice`: a slice with any needs its running interval to be split exactly. */
  needsRun(slice: UsageSlice): boolean;
  /** Adds one page of slices; `runOf` answers for the slices `needsRun` named. */
  add(slices: readonly UsageSlice[], runOf?: (s: UsageSlice) => RunInterval | undefined): void;
  /** The invoices, one per account that has a line, sorted by account, lines in canonical order. */
  finish(): Invoice[];
  /** Slices added so far. */
  readonly slices: number;
}

export function createInvoiceBuilder(card: RateCard, period: BillingPeriod, by: InvoiceGrouping): InvoiceBuilder {
  const cuts = priceChangeInstants(card);
  const accounts = new Map<string, Map<string, LineSum>>();
  const feeCharged = new Set<string>();
  let count = 0;

  const addTo = (account: string, key: string, line: Omit<LineSum, 'base'>, base: Money) => {
    let lines = accounts.get(account);
    if (!lines) accounts.set(account, (lines = new Map<string, LineSum>()));
    const sum = lines.get(key);
    if (sum) {
      sum.base = sum.base.add(base);
      // Slices come in time order: the last name seen is the VM's latest.
      sum.vmName = line.vmName;
    } else lines.set(key, { ...line, base });
  };

  return {
    get slices() {
      return count;
    },
    needsRun: (s) => cuts.some((t) => t > s.sliceStart && t < s.sliceEnd),
    add(slices, runOf) {
      for (const s of slices) {
        if (s.sliceStart < period.from || s.sliceStart >= period.to) continue;
        count++;
        const account = accountOf(s, by);
        const vm = `${s.endpoint}/${s.vmId}`;
        const run = runOf?.(s);
        for (const c of rateSlice(s, card, { timeZone: period.timeZone, ...(run ? { run } : {}) }, cuts)) {
          const key = `${vm}/${c.component}/${c.price.validFrom}/${c.price.scope}`;
          addTo(account, key, { endpoint: s.endpoint, vmId: s.vmId, vmName: s.vmName, component: c.component, price: c.price, divisor: c.divisor }, c.base);
        }
        // The per-VM fee: once per VM and period, at the price in force when the VM's first allocated slice starts.
        if (s.allocatedSeconds > 0) {
          const fee = feeCharged.has(`${account}\n${vm}`) ? undefined : priceAt(card, 'vm_fee', s.groupName, s.sliceStart);
          if (fee) {
            feeCharged.add(`${account}\n${vm}`);
            addTo(account, `${vm}/vm_fee/${fee.validFrom}/${fee.scope}`, { endpoint: s.endpoint, vmId: s.vmId, vmName: s.vmName, component: 'vm_fee', price: fee, divisor: 1 }, new Money(1));
          }
        }
      }
    },
    finish() {
      return [...accounts.keys()].sort().map((account) => {
        const lines: InvoiceLine[] = [...accounts.get(account)!.entries()].map(([key, l]) => {
          const quantity = l.base.div(l.divisor);
          return {
            key, endpoint: l.endpoint, vmId: l.vmId, vmName: l.vmName, component: l.component, unit: COMPONENT_UNITS[l.component],
            validFrom: l.price.validFrom, scope: l.price.scope, quantity: quantity.toFixed(6), rate: l.price.rate.toString(),
            amount: roundLine(card, l.price.rate.mul(l.base).div(l.divisor)).toFixed(card.decimals),
          };
        }).sort(compareLines);
        const total = lines.reduce((t, l) => t.add(l.amount), new Money(0)).toFixed(card.decimals);
        return {
          period: period.period, timeZone: period.timeZone, from: period.from, to: period.to, by, account, rateCard: card.name,
          currency: card.currency, decimals: card.decimals, rounding: card.rounding, chargeTime: card.chargeTime, lines, total,
        };
      });
    },
  };
}
