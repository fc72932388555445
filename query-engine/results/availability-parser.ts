/**
 * WLCG availability and reliability from per-day state durations: `appliance.rsv.availability_parser` (a quality map,
 * key × day/week/month) and `appliance.rsv.availability_total_parser` (one figure per key over the range, for bars).
 *
 * The SQL (config/rsv_availability_queries.xml) hands in one row per key and day: the seconds of OK and of known
 * state (OK, WARNING, CRITICAL) that results starting that day cover within it, and the seconds they cover of the
 * next day (a result holds until the next one, so one may cross midnight). UNKNOWN time (UNKNOWN results, and time
 * no fresh result covers) is the rest of the period, so availability = OK ÷ (period − UNKNOWN) = OK ÷ known.
 */
import { AppError } from '../../common/index.js';
import type { PivotGroups, ResultsFunction, ResultsVars, Scalar } from './types.js';

export const AVAILABILITY_PERIODS = ['day', 'week', 'month'] as const;
export type AvailabilityPeriod = (typeof AVAILABILITY_PERIODS)[number];
export const AVAILABILITY_REPORTS = ['availability', 'reliability'] as const;

const DAY = 86_400;

/** Why reliability equals availability (README, "Availability and reliability reports"). */
export const NO_DOWNTIME_RECORD =
  'reliability equals availability: scheduled downtimes are not subtracted yet (the downtime commands the Nagios bridge logs, with start and end inside each command, are not read by these reports)';

/** A results input as text (they arrive as strings or numbers). */
function plainText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : JSON.stringify(v) ?? '';
}

function textVar(vars: ResultsVars, name: string, fallback: string): string {
  const v = vars[name];
  return v === undefined || v === null ? fallback : plainText(v).trim();
}

function period(vars: ResultsVars): AvailabilityPeriod {
  const p = textVar(vars, 'period', 'day');
  if ((AVAILABILITY_PERIODS as readonly string[]).includes(p)) return p as AvailabilityPeriod;
  throw new AppError('bad_request', `input "period": "${p}" is not one of ${AVAILABILITY_PERIODS.join(', ')}`, { input: 'period', value: p });
}

function report(vars: ResultsVars): string {
  const r = textVar(vars, 'report', 'availability');
  if ((AVAILABILITY_REPORTS as readonly string[]).includes(r)) return r;
  throw new AppError('bad_request', `input "report": "${r}" is not one of ${AVAILABILITY_REPORTS.join(', ')}`, { input: 'report', value: r });
}

/** The start (epoch seconds, UTC) of the day/week (from Monday)/month holding `day`. */
export function periodStart(day: number, p: AvailabilityPeriod): number {
  if (p === 'day') return day;
  if (p === 'week') {
    // 1970-01-01 was a Thursday: days since the epoch + 3 counts from a Monday.
    const days = Math.floor(day / DAY);
    return (days - ((days + 3) % 7)) * DAY;
  }
  const d = new Date(day * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
}

const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
};

interface Totals {
  ok: number;
  known: number;
}

/** Per key, per bin start: OK and known seconds, each row's next-day share moved to the next day's bin. */
function accumulate(rows: readonly (readonly unknown[])[], bin: (day: number) => number): Map<string, { key: Scalar; bins: Map<number, Totals> }> {
  const keys = new Map<string, { key: Scalar; bins: Map<number, Totals> }>();
  const add = (bins: Map<number, Totals>, at: number, ok: number, known: number) => {
    if (known <= 0 && ok <= 0) return;
    const t = bins.get(at);
    if (t) {
      t.ok += ok;
      t.known += known;
    } else bins.set(at, { ok, known });
  };
  for (const row of rows) {
    if (row.length < 6) throw new Error(`availability rows need 6 columns (key, day, ok, known, ok next day, known next day), got ${row.length}`);
    const key = row[0] === null || row[0] === undefined ? null : typeof row[0] === 'number' ? row[0] : plainText(row[0]);
    const day = Math.floor(num(row[1]) / DAY) * DAY;
    const id = String(key);
    let entry = keys.get(id);
    if (!entry) keys.set(id, (entry = { key, bins: new Map() }));
    add(entry.bins, bin(day), num(row[2]), num(row[3]));
    add(entry.bins, bin(day + DAY), num(row[4]), num(row[5]));
  }
  return keys;
}

/** The SQL moves at most one day's share past midnight, so a result may hold at most a day. */
function checkFreshness(vars: ResultsVars): void {
  const f = vars.freshness;
  if (f === undefined) return;
  const n = Number(f);
  if (!Number.isInteger(n) || n < 60 || n > DAY) {
    throw new AppError('bad_request', `input "freshness": ${plainText(f)} is not a whole number of seconds from 60 to 86400`, { input: 'freshness', value: plainText(f) });
  }
}

function metadataFor(vars: ResultsVars, p: AvailabilityPeriod | undefined): Record<string, unknown> {
  checkFreshness(vars);
  const md: Record<string, unknown> = { report: report(vars) };
  if (p) md.span = p === 'day' ? DAY : p === 'week' ? 7 * DAY : 30 * DAY;
  // No store of scheduled downtime yet: both reports are the same figure, and the output says why.
  md.reliability_note = NO_DOWNTIME_RECORD;
  return md;
}

/** `{key: {bin start: fraction}}`: availability (OK ÷ known time) per key and day, week or month; bins with no known time are left out. */
export const availabilityParser: ResultsFunction = (rows, vars) => {
  const p = period(vars);
  const keys = accumulate(rows, (day) => periodStart(day, p));
  const pivots: PivotGroups[] = [...keys.values()].map(({ key, bins }) => ({
    pivot: key,
    groups: [...bins]
      .filter(([, t]) => t.known > 0)
      .sort((a, b) => a[0] - b[0])
      .map(([at, t]) => ({ group: at, value: t.ok / t.known })),
  }));
  return { data: { kind: 'pivot-group', pivots: pivots.filter((x) => x.groups.length > 0) }, metadata: metadataFor(vars, p) };
};

/** `{key: fraction}`: availability over the whole range per key (keys with no known time are left out). */
export const availabilityTotalParser: ResultsFunction = (rows, vars) => {
  const keys = accumulate(rows, () => 0);
  const entries = [...keys.values()].flatMap(({ key, bins }) => {
    const t = bins.get(0);
    return t && t.known > 0 ? [{ pivot: key, value: t.ok / t.known }] : [];
  });
  return { data: { kind: 'pivot', entries }, metadata: metadataFor(vars, undefined) };
};
