/** Export periods: a month (`YYYY-MM`) in the accounting time zone, as epoch seconds [from, to). */
import { DateTime } from 'luxon';
import { AppError } from '../../common/index.js';

/** One billing/export month: its label and its bounds in epoch seconds, the end exclusive. */
export interface ExportMonth {
  label: string;
  from: number;
  to: number;
}

const MONTH = /^(\d{4})-(\d{2})$/;

/** The local month `YYYY-MM` in `zone` (an IANA name); a malformed one is a 400 naming `field`. */
export function parseMonth(text: string, zone = 'UTC', field = 'period'): ExportMonth {
  const m = MONTH.exec(text);
  const year = m ? Number(m[1]) : NaN;
  const month = m ? Number(m[2]) : NaN;
  if (!m || month < 1 || month > 12 || year < 1970 || year > 9998) {
    throw new AppError('bad_request', `${field} must be a month YYYY-MM (from 1970-01), not "${text}"`, { field });
  }
  const start = DateTime.fromObject({ year, month, day: 1 }, { zone });
  if (!start.isValid) throw new AppError('bad_request', `unknown accounting time zone "${zone}"`, { field: 'timeZone' });
  return { label: text, from: start.toSeconds(), to: start.plus({ months: 1 }).toSeconds() };
}

/** Every month from `first` to `last` inclusive, in order; `last` before `first` is a 400 naming `lastField`. */
export function monthsBetween(first: string, last: string, zone = 'UTC', fields: [string, string] = ['from', 'to']): ExportMonth[] {
  const a = parseMonth(first, zone, fields[0]);
  const b = parseMonth(last, zone, fields[1]);
  if (b.from < a.from) throw new AppError('bad_request', `${fields[1]} (${last}) is before ${fields[0]} (${first})`, { field: fields[1] });
  const months: ExportMonth[] = [];
  for (let d = DateTime.fromSeconds(a.from, { zone }); d.toSeconds() <= b.from; d = d.plus({ months: 1 })) {
    months.push(parseMonth(d.toFormat('yyyy-MM'), zone));
  }
  return months;
}

/** `YYYY-MM-DDThh:mm:ssZ`, the UTC instant every XML export writes. */
export const isoUtc = (epoch: number): string => new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
