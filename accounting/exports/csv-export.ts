/** The CSV export (RFC 4180, header line first): resource rows per VM x month, or one row per day slice. */
import type { Queryable } from '../../store/index.js';
import { readSlices } from '../usage-store.js';
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
