/**
 * Invoices: one account's charges for one billing period, line by line, and their canonical renderings. The same
 * inputs always give the same bytes: lines are sorted, numbers are fixed-point strings, and no clock time is written.
 */
import { createHash } from 'node:crypto';
import { CHARGE_COMPONENTS, type ChargeComponent, type ChargeTime, type RoundingMode } from './rate-card.js';
import { isoSeconds } from './billing-period.js';

/** What an invoice's account is: the VM owner's group, the owner, or the VO (OpenNebula's group, as in `/<GNAME>` FQANs). */
export const INVOICE_GROUPINGS = ['group', 'user', 'vo'] as const;
export type InvoiceGrouping = (typeof INVOICE_GROUPINGS)[number];

/** One charge line: one VM's use of one component at one price. */
export interface InvoiceLine {
  /** `endpoint/vmId/component/validFrom/scope`: what a later version's line is compared with. */
  key: string;
  endpoint: string;
  vmId: number;
  vmName: string;
  component: ChargeComponent;
  unit: string;
  /** The price rule's start (epoch seconds) and scope (`*` or the override's group). */
  validFrom: number;
  scope: string;
  /** The quantity in `unit`, rounded to 6 decimals for reading (the amount is computed from the exact quantity). */
  quantity: string;
  rate: string;
  /** rate x exact quantity, rounded once to the card's decimals. */
  amount: string;
}

export interface Invoice {
  period: string;
  timeZone: string;
  from: number;
  to: number;
  by: InvoiceGrouping;
  account: string;
  rateCard: string;
  currency: string;
  decimals: number;
  rounding: RoundingMode;
  chargeTime: ChargeTime;
  lines: InvoiceLine[];
  /** The sum of the (rounded) line amounts. */
  total: string;
}

const componentOrder = (c: ChargeComponent) => CHARGE_COMPONENTS.indexOf(c);

/** The canonical line order: endpoint, VM id, component, price start, scope. */
export function compareLines(a: InvoiceLine, b: InvoiceLine): number {
  return (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0) ||
    a.vmId - b.vmId ||
    componentOrder(a.component) - componentOrder(b.component) ||
    a.validFrom - b.validFrom ||
    (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0);
}

/** The invoice as JSON with a fixed key order and sorted lines, ending in a newline: its stored identity. */
export function renderInvoiceJson(inv: Invoice): string {
  const body = {
    period: inv.period,
    timeZone: inv.timeZone,
    from: isoSeconds(inv.from),
    to: isoSeconds(inv.to),
    by: inv.by,
    account: inv.account,
    rateCard: inv.rateCard,
    currency: inv.currency,
    rounding: inv.rounding,
    chargeTime: inv.chargeTime,
    total: inv.total,
    lines: [...inv.lines].sort(compareLines).map((l) => ({
      key: l.key, endpoint: l.endpoint, vmId: l.vmId, vmName: l.vmName, component: l.component, unit: l.unit,
      validFrom: isoSeconds(l.validFrom), scope: l.scope, quantity: l.quantity, rate: l.rate, amount: l.amount,
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

const csvField = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The invoice's lines as CSV (RFC 4180, CRLF), with the account, period and currency on every row, and a total row. */
export function renderInvoiceCsv(inv: Invoice): string {
  const header = ['period', 'by', 'account', 'endpoint', 'vm_id', 'vm_name', 'component', 'unit', 'valid_from', 'scope', 'quantity', 'rate', 'amount', 'currency'];
  const rows = [...inv.lines].sort(compareLines).map((l) => [
    inv.period, inv.by, inv.account, l.endpoint, l.vmId, l.vmName, l.component, l.unit, isoSeconds(l.validFrom), l.scope, l.quantity, l.rate, l.amount, inv.currency,
  ]);
  rows.push([inv.period, inv.by, inv.account, '', '', '', 'total', '', '', '', '', '', inv.total, inv.currency]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** sha256 of the canonical JSON: equal digests mean an identical invoice. */
export const invoiceDigest = (inv: Invoice): string => createHash('sha256').update(renderInvoiceJson(inv)).digest('hex');
