/** The query parameters Gratia-web's pages built from their refine form (`Gratia.refine`): time range, span, exact names. */
import { AppError } from '../../common/index.js';
import { parseDateTimeFormat } from './datetime.js';

const DAY = 86400;

/** GW's default span for a time range of `seconds`: hourly under 4 days, daily up to 30, weekly under a year, else 30-day. */
export function gwSpanForRange(seconds: number): number {
  if (seconds < 4 * DAY) return 3600;
  if (seconds <= 30 * DAY) return DAY;
  if (seconds < 365 * DAY) return 7 * DAY;
  return 30 * DAY;
}

/** GW's fallback when an absolute range does not parse: the last 14 days. */
const GW_DEFAULT_RELATIVE_SECONDS = 14 * DAY;

/** What the query does with the times it is given. */
export interface GwTimeOptions {
  /**
   * The query's `starttime` rounds down to its span (`partial="down"`): a relative range of N seconds then starts one
   * span later than now-N, so it is N/span bins ending with the current one (7 daily bins for the last 7 days).
   */
  startRoundsDown?: boolean;
}

/** The time part of a GW request. */
export interface GwTimeParameters {
  /** Seconds before now, or `absolute` (also when no `relativetime` was given). */
  relTime: number | 'absolute';
  /** `starttime`, `endtime` and `span` for the query URL; empty when no `relativetime` was given. */
  query: Record<string, string>;
}

const INTEGER = /^\s*[+-]?\d+\s*$/;

/**
 * `relativetime` handling, as GW's `refine`:
 * - absent or empty: nothing is set, the query's own defaults apply;
 * - `absolute`: `starttime`/`endtime` as given, each `%Y-%m-%d %H:%M:%S`; `span` as given if it is an
 *   integer, else {@link gwSpanForRange} of the range. If either time does not parse, the last 14 days instead;
 * - N (seconds): `starttime=time.time()-N`, `endtime=time.time()` (expressions the datetime inputs evaluate at
 *   request time, so a cached graph URL stays relative), span from N; a given `span` is ignored, as in GW. With
 *   `startRoundsDown`, `time.time()-(N-span)`: N/span bins, not one more.
 * Anything else is a 400.
 */
export function gwTimeParameters(given: Readonly<Record<string, string | undefined>>, options: GwTimeOptions = {}): GwTimeParameters {
  const rel = given.relativetime;
  if (rel === undefined || rel === '') return { relTime: 'absolute', query: {} };
  let seconds: number;
  if (rel === 'absolute') {
    const start = given.starttime;
    const end = given.endtime;
    const startDate = start === undefined ? undefined : parseDateTimeFormat(start, '%Y-%m-%d %H:%M:%S');
    const endDate = end === undefined ? undefined : parseDateTimeFormat(end, '%Y-%m-%d %H:%M:%S');
    if (startDate && endDate && start !== undefined && end !== undefined) {
      const span = given.span !== undefined && INTEGER.test(given.span)
        ? Number(given.span.trim())
        : gwSpanForRange(Math.floor((endDate.getTime() - startDate.getTime()) / 1000));
      return { relTime: 'absolute', query: { starttime: start, endtime: end, span: String(span) } };
    }
    seconds = GW_DEFAULT_RELATIVE_SECONDS;
  } else {
    if (!INTEGER.test(rel)) {
      throw new AppError('bad_request', `input "relativetime": "${rel}" must be a number of seconds or "absolute"`, { input: 'relativetime', value: rel });
    }
    seconds = Number(rel.trim());
  }
  const span = gwSpanForRange(seconds);
  // Rounded down to its bin, now-N would start one bin early: "last 7 days" drew 8 daily bars, titled "8 Days".
  const back = options.startRoundsDown && seconds > span ? seconds - span : seconds;
  return {
    relTime: seconds,
    query: { starttime: `time.time()-${back}`, endtime: 'time.time()', span: String(span) },
  };
}

const REGEX_CHARS = /[\\^$.|?*+()[\]{}]/;

/** A plain name (no regex characters) as an exact-match regex `^name$`; a regex or an empty value unchanged. */
export function anchorPlainName(value: string): string {
  if (value === '' || REGEX_CHARS.test(value)) return value;
  return `^${value}$`;
}

/** The name a person asked for: `^cms$` (as {@link anchorPlainName} made it) back to `cms`; anything else unchanged. */
export function unanchorPlainName(value: string): string {
  const m = /^\^(.*)\$$/s.exec(value);
  return m && m[1] !== '' && !REGEX_CHARS.test(m[1]!) ? m[1]! : value;
}

/** The filter keys GW's refine form copies to the query when they are non-empty. */
const GW_FILTER_KEYS = ['facility', 'vo', 'exclude-facility', 'exclude-vo', 'user', 'exclude-dn', 'probe'] as const;

/**
 * The query parameters of a GW page request: {@link gwTimeParameters}, then the non-empty filter keys,
 * with a plain `facility` or `vo` anchored by {@link anchorPlainName} so `cms` does not also match `uscms`.
 */
export function gwUiParameters(given: Readonly<Record<string, string | undefined>>, options: GwTimeOptions = {}): Record<string, string> {
  const out: Record<string, string> = { ...gwTimeParameters(given, options).query };
  for (const key of GW_FILTER_KEYS) {
    const value = given[key];
    if (value === undefined || value === '') continue;
    out[key] = key === 'facility' || key === 'vo' ? anchorPlainName(value) : value;
  }
  return out;
}
