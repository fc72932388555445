/** The JSON export: one document `{period, from, to, timeZone, form, rows: [...]}`, its rows streamed. */
import type { Queryable } from '../../store/index.js';
import type { RateCard } from '../billing/index.js';
import { readSlices } from '../usage-store.js';
import { chargeRows, periodCharges } from './charges-export.js';
import { isoUtc, type ExportMonth } from './export-period.js';
import { periodUsage, sliceRow, usageRows } from './usage-rows.js';

const head = (month: ExportMonth, timeZone: string, form: string) =>
  `{"period":${JSON.stringify(month.label)},"from":${JSON.stringify(isoUtc(month.from))},"to":${JSON.stringify(isoUtc(month.to))},` +
  `"timeZone":${JSON.stringify(timeZone)},"form":${JSON.stringify(form)},"rows":[`;

/** Resource rows of the month; quantities are strings (exact integers that may pass 2^53). */
export async function* usageJson(q: Queryable, month: ExportMonth, timeZone: string, endpoint?: string): AsyncGenerator<string> {
  yield head(month, timeZone, 'usage');
  let first = true;
  for (const u of await periodUsage(q, month, endpoint)) {
    for (const r of usageRows(month, u)) {
      yield `${first ? '' : ','}\n${JSON.stringify(r)}`;
      first = false;
    }
  }
  yield '\n]}\n';
}

/** One object per day slice of the month, streamed page by page. */
export async function* slicesJson(q: Queryable, month: ExportMonth, timeZone: string, endpoint?: string): AsyncGenerator<string> {
  yield head(month, timeZone, 'slices');
  let first = true;
  for await (const page of readSlices(q, { from: month.from, to: month.to, endpoint })) {
    const text = page.map((s) => JSON.stringify(sliceRow(s))).join(',\n');
    yield `${first ? '' : ','}\n${text}`;
    first = false;
  }
  yield '\n]}\n';
}

/** One object per invoice line of the month (by group); amounts and rates are decimal strings. */
export async function* chargesJson(q: Queryable, month: ExportMonth, card: RateCard, timeZone: string, endpoint?: string): AsyncGenerator<string> {
  yield head(month, timeZone, 'charges');
  const rows = chargeRows(month, await periodCharges(q, month, card, timeZone, endpoint));
  yield rows.map((r, i) => `${i === 0 ? '' : ','}\n${JSON.stringify(r)}`).join('');
  yield '\n]}\n';
}
