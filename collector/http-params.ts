/** Query-string and JSON field readers shared by the collector's HTTP routes. */
import type { Request } from 'express';
import { AppError } from '../common/index.js';
import { timeRangeProblem } from './sample-validation.js';

/** The first value of a query parameter, or undefined. */
export function queryText(req: Request, name: string): string | undefined {
  const v: unknown = (req.query as Record<string, unknown>)[name];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
}

/** Every value of a repeated or comma-separated parameter (`node=a&node=b` or `node=a,b`). */
export function queryList(req: Request, name: string): string[] {
  const v: unknown = (req.query as Record<string, unknown>)[name];
  const values = (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
  return values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

// The only forms a query time may take: epoch seconds, or ISO-8601 with `T` or a space, a missing zone meaning UTC.
const EPOCH_SECONDS = /^\d+(\.\d+)?$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A time given as epoch seconds or as ISO-8601 (`2026-03-01`, `2026-03-01T10:00[:00[.000]]`, a space for `T`,
 * `Z` or `±HH:MM`; no zone means UTC), within the samples' range. Anything else is a 400 naming `what`: no
 * lenient date parsing (`Date.parse("a 1")` is 2001-01-01).
 */
export function parseTime(text: string, what: string): Date {
  const t = text.trim();
  const bad = (why: string) =>
    new AppError('bad_request', `${what} "${preview(text)}" ${why}; use ISO-8601 (2026-03-01T10:00:00Z) or epoch seconds`, { field: what });
  let time: Date;
  if (EPOCH_SECONDS.test(t)) time = new Date(Math.round(Number(t) * 1000));
  else {
    const m = ISO_TIME.exec(t);
    if (!m) throw bad('is not a time');
    const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone = 'Z'] = m;
    const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    time = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac.slice(0, 4)}${offset}`);
    // Date rolls 02-30 over into March, so the fields must read back as written (in the zone given).
    const local = new Date(time.getTime() + zoneMinutes(offset) * 60_000);
    const same = local.getUTCFullYear() === Number(y) && local.getUTCMonth() + 1 === Number(mo) && local.getUTCDate() === Number(d) && local.getUTCHours() === Number(h);
    if (Number.isNaN(time.getTime()) || !same) throw bad('is not a real date and time');
  }
  const range = timeRangeProblem(time);
  if (range) throw new AppError('bad_request', `${what} "${preview(text)}" ${range}`, { field: what });
  return time;
}

function zoneMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/** A parameter value short enough to quote in an error message. */
function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A whole number parameter within bounds, or the default. */
export function queryInt(req: Request, name: string, fallback: number, max: number): number {
  const text = queryText(req, name);
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new AppError('bad_request', `${name} "${text}" is not a whole number from 1 to ${max}`, { field: name });
  return n;
}
