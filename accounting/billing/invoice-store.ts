/**
 * The invoice tables (stage `accounting`, version 2): `invoices`, one row per version of one account's invoice for one
 * period and grouping, and `invoice_lines`, its lines. A run stores a new version only when the canonical rendering
 * differs from the current one; older versions are kept, so every version can be rendered again byte for byte.
 */
import type { Migration, Queryable, Row, Transaction } from '../../store/index.js';
import { Money, type ChargeComponent, type ChargeTime, type RoundingMode } from './rate-card.js';
import { billingPeriod } from './billing-period.js';
import { compareLines, invoiceDigest, type Invoice, type InvoiceGrouping, type InvoiceLine } from './invoice.js';

export const INVOICES_TABLE = 'invoices';
export const INVOICE_LINES_TABLE = 'invoice_lines';

const key = [
  { name: 'period', type: 'varchar', length: 7, notNull: true },
  { name: 'grouping', type: 'varchar', length: 8, notNull: true },
  { name: 'account', type: 'varchar', length: 128, notNull: true, binary: true },
  { name: 'version', type: 'int', notNull: true },
] as const;

export const billingMigrations: readonly Migration[] = [
  {
    stage: 'accounting',
    version: 2,
    name: 'versioned invoices and their lines',
    steps: [
      {
        createTable: {
          name: INVOICES_TABLE,
          columns: [
            ...key,
            { name: 'current', type: 'int', notNull: true },
            { name: 'time_zone', type: 'varchar', length: 64, notNull: true },
            { name: 'rate_card', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'currency', type: 'varchar', length: 16, notNull: true },
            { name: 'decimals', type: 'int', notNull: true },
            { name: 'rounding', type: 'varchar', length: 16, notNull: true },
            { name: 'charge_time', type: 'varchar', length: 16, notNull: true },
            // A decimal string, and the same in minor units (total x 10^decimals) so SQL sums stay exact.
            { name: 'total', type: 'varchar', length: 40, notNull: true },
            { name: 'total_units', type: 'bigint', notNull: true },
            { name: 'line_count', type: 'int', notNull: true },
            { name: 'digest', type: 'varchar', length: 64, notNull: true },
            { name: 'created_at', type: 'bigint', notNull: true },
          ],
          primaryKey: ['period', 'grouping', 'account', 'version'],
          indexes: [{ name: 'invoices_current', columns: ['period', 'current', 'grouping'] }],
        },
      },
      {
        createTable: {
          name: INVOICE_LINES_TABLE,
          columns: [
            ...key,
            { name: 'line_key', type: 'varchar', length: 255, notNull: true, binary: true },
            { name: 'endpoint', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'vm_id', type: 'bigint', notNull: true },
            { name: 'vm_name', type: 'varchar', length: 255, notNull: true, binary: true },
            { name: 'component', type: 'varchar', length: 16, notNull: true },
            { name: 'unit', type: 'varchar', length: 16, notNull: true },
            { name: 'valid_from', type: 'bigint', notNull: true },
            { name: 'scope', type: 'varchar', length: 128, notNull: true, binary: true },
            { name: 'quantity', type: 'varchar', length: 40, notNull: true },
            { name: 'rate', type: 'varchar', length: 40, notNull: true },
            { name: 'amount', type: 'varchar', length: 40, notNull: true },
            { name: 'amount_units', type: 'bigint', notNull: true },
          ],
          primaryKey: ['period', 'grouping', 'account', 'version', 'line_key'],
        },
      },
    ],
  },
];

/** One stored version's header (no lines). */
export interface InvoiceVersion {
  period: string;
  by: InvoiceGrouping;
  account: string;
  version: number;
  current: boolean;
  rateCard: string;
  currency: string;
  total: string;
  lineCount: number;
  digest: string;
  /** When this version was stored (epoch seconds): metadata, never part of the invoice's bytes. */
  createdAt: number;
}

const units = (amount: string, decimals: number) => new Money(amount).mul(new Money(10).pow(decimals)).toFixed(0);

const HEADER = 'period, grouping, account, version, current, time_zone, rate_card, currency, decimals, rounding, charge_time, total, line_count, digest, created_at';

function versionOf(r: Row): InvoiceVersion {
  return {
    period: String(r.period), by: String(r.grouping) as InvoiceGrouping, account: String(r.account), version: Number(r.version),
    current: Number(r.current) === 1, rateCard: String(r.rate_card), currency: String(r.currency), total: String(r.total),
    lineCount: Number(r.line_count), digest: String(r.digest), createdAt: Number(r.created_at),
  };
}

export interface SaveResult {
  /** Versions stored by this run (new invoices, changed ones, and empty versions of accounts that no longer have usage). */
  created: InvoiceVersion[];
  /** Invoices whose current version already had these exact bytes. */
  unchanged: number;
}

async function insertVersion(tx: Transaction, inv: Invoice, version: number, now: number): Promise<InvoiceVersion> {
  const digest = invoiceDigest(inv);
  await tx.execute(`UPDATE ${INVOICES_TABLE} SET current = 0 WHERE period = ? AND grouping = ? AND account = ? AND current = 1`, [inv.period, inv.by, inv.account]);
  await tx.insertMany(
    INVOICES_TABLE,
    ['period', 'grouping', 'account', 'version', 'current', 'time_zone', 'rate_card', 'currency', 'decimals', 'rounding', 'charge_time', 'total', 'total_units', 'line_count', 'digest', 'created_at'],
    [[inv.period, inv.by, inv.account, version, 1, inv.timeZone, inv.rateCard, inv.currency, inv.decimals, inv.rounding, inv.chargeTime, inv.total, units(inv.total, inv.decimals), inv.lines.length, digest, now]],
  );
  if (inv.lines.length > 0) {
    await tx.insertMany(
      INVOICE_LINES_TABLE,
      ['period', 'grouping', 'account', 'version', 'line_key', 'endpoint', 'vm_id', 'vm_name', 'component', 'unit', 'valid_from', 'scope', 'quantity', 'rate', 'amount', 'amount_units'],
      inv.lines.map((l) => [inv.period, inv.by, inv.account, version, l.key, l.endpoint, l.vmId, l.vmName, l.component, l.unit, l.validFrom, l.scope, l.quantity, l.rate, l.amount, units(l.amount, inv.decimals)]),
    );
  }
  return { period: inv.period, by: inv.by, account: inv.account, version, current: true, rateCard: inv.rateCard, currency: inv.currency, total: inv.total, lineCount: inv.lines.length, digest, createdAt: now };
}

/**
 * Stores one run's invoices for (`period`, `by`) inside `tx`: a new version for each invoice whose bytes differ from
 * its current version, and an empty version for an account whose current invoice has lines but which this run no
 * longer bills (its usage moved or was corrected away). `template` gives an empty version its card and zone.
 */
export async function saveInvoices(tx: Transaction, invoices: readonly Invoice[], template: Omit<Invoice, 'account' | 'lines' | 'total'>, now: number): Promise<SaveResult> {
  const rows = await tx.query(`SELECT ${HEADER} FROM ${INVOICES_TABLE} WHERE period = ? AND grouping = ? AND current = 1`, [template.period, template.by]);
  const current = new Map(rows.map((r) => [String(r.account), versionOf(r)]));
  const result: SaveResult = { created: [], unchanged: 0 };
  const billed = new Set<string>();
  const store = async (inv: Invoice) => {
    const old = current.get(inv.account);
    if (old && old.digest === invoiceDigest(inv)) result.unchanged++;
    else result.created.push(await insertVersion(tx, inv, (old?.version ?? 0) + 1, now));
  };
  for (const inv of invoices) {
    billed.add(inv.account);
    await store(inv);
  }
  for (const old of [...current.values()].sort((a, b) => (a.account < b.account ? -1 : 1))) {
    if (billed.has(old.account) || old.lineCount === 0) continue;
    await store({ ...template, account: old.account, lines: [], total: new Money(0).toFixed(template.decimals) });
  }
  return result;
}

/** The current version of every invoice of `period` (and grouping `by`, if given), sorted by grouping and account. */
export async function listInvoices(q: Queryable, filter: { period: string; by?: InvoiceGrouping }): Promise<InvoiceVersion[]> {
  const rows = await q.query(
    `SELECT ${HEADER} FROM ${INVOICES_TABLE} WHERE period = ? AND current = 1${filter.by ? ' AND grouping = ?' : ''} ORDER BY grouping, account`,
    filter.by ? [filter.period, filter.by] : [filter.period],
  );
  return rows.map(versionOf);
}

/** Every version of one invoice, oldest first. */
export async function invoiceVersions(q: Queryable, period: string, by: InvoiceGrouping, account: string): Promise<InvoiceVersion[]> {
  const rows = await q.query(`SELECT ${HEADER} FROM ${INVOICES_TABLE} WHERE period = ? AND grouping = ? AND account = ? ORDER BY version`, [period, by, account]);
  return rows.map(versionOf);
}

/** One version of an invoice (the current one when `version` is undefined), lines and all; undefined when there is none. */
export async function readInvoice(q: Queryable, period: string, by: InvoiceGrouping, account: string, version?: number): Promise<{ invoice: Invoice; version: InvoiceVersion } | undefined> {
  const rows = await q.query(
    `SELECT ${HEADER} FROM ${INVOICES_TABLE} WHERE period = ? AND grouping = ? AND account = ? AND ${version === undefined ? 'current = 1' : 'version = ?'}`,
    version === undefined ? [period, by, account] : [period, by, account, version],
  );
  const h = rows[0];
  if (!h) return undefined;
  const v = versionOf(h);
  const lineRows = await q.query(
    `SELECT line_key, endpoint, vm_id, vm_name, component, unit, valid_from, scope, quantity, rate, amount FROM ${INVOICE_LINES_TABLE} WHERE period = ? AND grouping = ? AND account = ? AND version = ?`,
    [period, by, account, v.version],
  );
  const lines: InvoiceLine[] = lineRows.map((r) => ({
    key: String(r.line_key), endpoint: String(r.endpoint), vmId: Number(r.vm_id), vmName: String(r.vm_name), component: String(r.component) as ChargeComponent,
    unit: String(r.unit), validFrom: Number(r.valid_from), scope: String(r.scope), quantity: String(r.quantity), rate: String(r.rate), amount: String(r.amount),
  })).sort(compareLines);
  const p = billingPeriod(period, String(h.time_zone));
  return {
    version: v,
    invoice: {
      period, timeZone: p.timeZone, from: p.from, to: p.to, by, account, rateCard: v.rateCard, currency: v.currency, decimals: Number(h.decimals),
      rounding: String(h.rounding) as RoundingMode, chargeTime: String(h.charge_time) as ChargeTime, lines, total: v.total,
    },
  };
}
