/** A billing period: one calendar month in the accounting time zone, as epoch seconds [from, to). */
import { DateTime } from 'luxon';
import { AppError } from '../../common/index.js';

export interface BillingPeriod {
  /** `YYYY-MM`. */
  period: string;
  timeZone: string;
  /** Local midnight of the 1st, epoch seconds. */
  from: number;
  /** Local midnight of the next month's 1st (exclusive). */
  to: number;
}

/**
 * The month `period` (`2026-10`) in `timeZone` (default UTC). Day slices are cut at local midnight, so the slices
 * starting in [from, to) are exactly the month's: a 30-day UTC month is 720 h, October 2026 in Europe/Berlin 745 h.
 */
export function billingPeriod(period: string, timeZone = 'UTC'): BillingPeriod {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!m) throw new AppError('bad_request', `period "${period}" is not a month written YYYY-MM (e.g. 2026-10)`, { field: 'period' });
  const start = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone: timeZone });
  if (!start.isValid) throw new AppError('bad_request', `time zone "${timeZone}" is not an IANA time zone`, { field: 'timeZone' });
  return { period, timeZone, from: Math.round(start.toSeconds()), to: Math.round(start.plus({ months: 1 }).toSeconds()) };
}

/** The month before the one holding `now` in `timeZone`: what the monthly schedule bills. */
export function previousPeriod(now: Date, timeZone = 'UTC'): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('month').minus({ months: 1 }).toFormat('yyyy-MM');
}

/** `YYYY-MM-DDTHH:MM:SSZ` of epoch seconds: how invoices write instants (UTC, no fractions). */
export const isoSeconds = (t: number): string => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
