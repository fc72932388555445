/** A Grafana target as GraphTool URL parameters: the time range, a span from the panel interval, the payload and ad hoc filters. */
import { AppError, toSqlDateTime } from '../../common/index.js';
import { checkQueryPattern, gwSpanForRange, type QueryInfo } from '../../query-engine/index.js';
import { GW_SPAN_CHOICES } from '../web/index.js';
import { regexFilterKeys } from './metric-catalog.js';
import { badField, type AdhocFilter, type TimeRange } from './request-fields.js';

/** What of a request shapes a target's parameters. */
export interface TargetContext {
  range: TimeRange | undefined;
  intervalMs: number | undefined;
  maxDataPoints: number | undefined;
  filters: readonly AdhocFilter[];
}

/**
 * The span for a panel: Gratia-web's choice for the range, made coarser when the panel's interval
 * (`intervalMs`) or point budget (`maxDataPoints`) asks for fewer bins, up to monthly.
 */
export function spanFor(range: TimeRange, intervalMs: number | undefined, maxDataPoints: number | undefined): number {
  const seconds = Math.max(0, (range.to.getTime() - range.from.getTime()) / 1000);
  const wanted = Math.max(gwSpanForRange(seconds), (intervalMs ?? 0) / 1000, maxDataPoints ? seconds / maxDataPoints : 0);
  const choice = GW_SPAN_CHOICES.find((c) => c.value >= wanted);
  return choice?.value ?? GW_SPAN_CHOICES[GW_SPAN_CHOICES.length - 1]!.value;
}

const REGEX_META = /[\\^$.|?*+()[\]{}]/g;
const WORD = /^\w+$/;

/** A regex matching exactly one of the values (plain words stay plain: GraphTool turns `a|b` into an exact IN list). */
function exactly(values: readonly string[]): string {
  if (values.every((v) => WORD.test(v))) return values.join('|');
  const alternatives = values.map((v) => v.replace(REGEX_META, '\\$&'));
  return alternatives.length === 1 ? `^${alternatives[0]}$` : `^(${alternatives.join('|')})$`;
}

/**
 * The regex a filter means: `=`/`!=`/`=|`/`!=|` match exactly, `=~`/`!~` are regexes already, checked here so a
 * refused one is a 400 naming the filter rather than the input it fills.
 */
function filterRegex(f: AdhocFilter): string {
  if (f.operator !== '=~' && f.operator !== '!~') return exactly(f.values);
  const regex = f.values[0] ?? '';
  try {
    checkQueryPattern(regex, f.key);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw badField(f.field, `${f.key} ${f.operator} ${JSON.stringify(regex)}: ${err.message.replace(/^input "[^"]*": /, '')}`);
  }
  return regex;
}

/**
 * Applies ad hoc filters to a query's parameters. A filter applies to the queries with its key as an input
 * (others ignore it, as Grafana sends every filter to every panel); `=`, `=~` and `=|` set the input, and
 * `!=`, `!~` and `!=|` add an alternative to `exclude-<key>` (kept only by queries that have that input).
 * Two positive filters on one key would need both to match one value, which one regex input cannot say: 400.
 */
export function applyFilters(info: QueryInfo, params: Record<string, string>, filters: readonly AdhocFilter[]): void {
  const keys = new Set(regexFilterKeys(info));
  const inputs = new Map(info.inputs.map((i) => [i.name, i]));
  const setBy = new Map<string, string>();
  for (const f of filters) {
    if (!keys.has(f.key)) continue;
    const regex = filterRegex(f);
    if (f.operator.startsWith('!')) {
      const exclude = inputs.get(`exclude-${f.key}`);
      if (!exclude) continue;
      const current = params[exclude.name] ?? exclude.default;
      params[exclude.name] = current ? `${current}|${regex}` : regex;
      continue;
    }
    const earlier = setBy.get(f.key);
    if (earlier) {
      throw badField(f.field, `a second positive filter on "${f.key}" (after ${earlier}); one filter can list alternatives with =~ a|b or "one of"`);
    }
    setBy.set(f.key, f.field);
    params[f.key] = regex;
  }
}

/**
 * The URL parameters of one target: `starttime`/`endtime` (UTC `YYYY-MM-DD HH:MM:SS`) from the range and
 * a `span` from the panel when the query has those inputs, then the payload over them, then the ad hoc filters.
 */
export function targetParams(info: QueryInfo | undefined, ctx: TargetContext, payload: Readonly<Record<string, string>>): Record<string, string> {
  const has = (name: string) => info?.inputs.some((i) => i.name === name) ?? false;
  const params: Record<string, string> = {};
  if (ctx.range) {
    if (has('starttime')) params.starttime = toSqlDateTime(ctx.range.from);
    if (has('endtime')) params.endtime = toSqlDateTime(ctx.range.to);
    if (has('span')) params.span = String(spanFor(ctx.range, ctx.intervalMs, ctx.maxDataPoints));
  }
  Object.assign(params, payload);
  if (info) applyFilters(info, params, ctx.filters);
  return params;
}
