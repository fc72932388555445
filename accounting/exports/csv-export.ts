/** The CSV export (RFC 4180, header line first): resource rows per VM x month, or one row per day slice. */
import type { Queryable } from '../../store/index.js';
import type { RateCard } from '../billing/index.js';
import { readSlices } from '../usage-store.js';
import { CHARGE_COLUMNS, chargeRows, periodCharges } from './charges-export.js';
import type { ExportMonth } from './export-period.js';
import { periodUsage, SLICE_COLUMNS, sliceRow, USAGE_COLUMNS, usageRows } from './usage-rows.js';

const cell = (v: string | number | boolean | null): string => {
  if (v === null) return '';
  const text = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const line = (cells: readonly (string | number | boolean | null)[]) => `${cells.map(cell).join(',')}\r\n`;

/** Resource rows of the month: `period,endpoint,vm_id,vm_name,owner,group,resource,quantity,unit`. */
export async function* usageCsv(q: Queryable, month: ExportMonth, endpoint?: string): AsyncGenerator<string> {
  yield line(USAGE_COLUMNS);
  for (const u of await periodUsage(q, month, endpoint)) {
    yield usageRows(month, u).map((r) => line(USAGE_COLUMNS.map((c) => r[c]))).join('');
  }
}

/** One row per day slice of the month, streamed page by page. */
export async function* slicesCsv(q: Queryable, month: ExportMonth, endpoint?: string): AsyncGenerator<string> {
  yield line(SLICE_COLUMNS);
  for await (const page of readSlices(q, { from: month.from, to: month.to, endpoint })) {
    yield page.map((s) => { const r = sliceRow(s); return line(SLICE_COLUMNS.map((c) => r[c])); }).join('');
  }
}

/** One row per invoice line of the month (by group), with rate, amount and currency. */
export async function* chargesCsv(q: Queryable, month: ExportMonth, card: RateCard, timeZone: string, endpoint?: string): AsyncGenerator<string> {
  yield line(CHARGE_COLUMNS);
  for (const r of chargeRows(month, await periodCharges(q, month, card, timeZone, endpoint))) yield line(CHARGE_COLUMNS.map((c) => r[c]));
}
