/** The line-by-line difference between two versions of one invoice, keyed by line key. */
import { Money } from './rate-card.js';
import { compareLines, type Invoice, type InvoiceLine } from './invoice.js';

export const LINE_CHANGES = ['added', 'removed', 'changed'] as const;
export type LineChange = (typeof LINE_CHANGES)[number];

export interface LineDifference {
  change: LineChange;
  key: string;
  /** The line in the older version (absent when added) and in the newer one (absent when removed). */
  old?: InvoiceLine;
  new?: InvoiceLine;
  /** new amount - old amount, a decimal string with the invoice's decimals. */
  amountDelta: string;
}

export interface InvoiceDifference {
  lines: LineDifference[];
  oldTotal: string;
  newTotal: string;
  totalDelta: string;
}

const same = (a: InvoiceLine, b: InvoiceLine) =>
  a.quantity === b.quantity && a.rate === b.rate && a.amount === b.amount && a.vmName === b.vmName && a.unit === b.unit;

/** What changed from `older` to `newer`: lines added, removed and changed (quantity, rate, amount or name), in line order. */
export function diffInvoices(older: Invoice, newer: Invoice): InvoiceDifference {
  const decimals = Math.max(older.decimals, newer.decimals);
  const delta = (a: string | undefined, b: string | undefined) => new Money(b ?? 0).sub(a ?? 0).toFixed(decimals);
  const before = new Map(older.lines.map((l) => [l.key, l]));
  const after = new Map(newer.lines.map((l) => [l.key, l]));
  const lines: LineDifference[] = [];
  for (const l of newer.lines) {
    const o = before.get(l.key);
    if (!o) lines.push({ change: 'added', key: l.key, new: l, amountDelta: delta(undefined, l.amount) });
    else if (!same(o, l)) lines.push({ change: 'changed', key: l.key, old: o, new: l, amountDelta: delta(o.amount, l.amount) });
  }
  for (const o of older.lines) {
    if (!after.has(o.key)) lines.push({ change: 'removed', key: o.key, old: o, amountDelta: delta(o.amount, undefined) });
  }
  lines.sort((a, b) => compareLines((a.new ?? a.old)!, (b.new ?? b.old)!));
  return { lines, oldTotal: older.total, newTotal: newer.total, totalDelta: delta(older.total, newer.total) };
}
