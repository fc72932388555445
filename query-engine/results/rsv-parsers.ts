/** Gratia-web's RSV parsers (`gratia.database.query_handler`): site quality from OK/failed counts, and the FNAL resource-group renames. */
import { parseSqlDateTime, toSqlDateTime } from '../../common/index.js';
import { dataError } from './errors.js';
import { parseSimple } from './pivot-parsers.js';
import { keyId, keyString, pyFloat } from './python-values.js';
import type { Key, PivotGroups, ResultsFunction, Value } from './types.js';

/** GW's step between the bins `rsv_parser` fills in: two hours, whatever the query's span. */
const STEP_MS = 2 * 3600 * 1000;
/** `rsv_parser` fills at most this many bins per site (a year of two-hour bins); more is a query asking too much. */
const MAX_BINS = 5000;

function timeOf(cell: unknown): number {
  const ms = cell instanceof Date ? cell.getTime() : typeof cell === 'string' ? parseSqlDateTime(cell) : NaN;
  if (Number.isNaN(ms)) throw dataError(`rsv_parser: the time column holds ${JSON.stringify(cell)}, not a date and time`);
  return ms;
}

function count(cell: unknown, what: string): number {
  const n = pyFloat(cell);
  if (n === undefined) throw dataError(`rsv_parser: the ${what} column holds ${JSON.stringify(cell)}, not a number`);
  return n;
}

/**
 * `rsv_parser`: rows `(site, time, successes, failures)` summed per site and time, then every site gets every
 * two-hour bin from the first time any site has to the last: 1.0 when the bin had successes and no failure, else 0.0.
 */
function rsvQuality(rows: readonly (readonly unknown[])[]): Map<string, { site: Key; bins: Map<number, number> }> {
  const sums = new Map<string, { site: Key; bins: Map<number, [number, number]> }>();
  let first = Infinity;
  let last = -Infinity;
  for (const row of rows) {
    const site = (row[0] ?? null) as Key;
    const at = timeOf(row[1]);
    const entry = sums.get(keyId(site)) ?? { site, bins: new Map<number, [number, number]>() };
    sums.set(keyId(site), entry);
    const [ok, failed] = entry.bins.get(at) ?? [0, 0];
    entry.bins.set(at, [ok + count(row[2], 'successes'), failed + count(row[3], 'failures')]);
    first = Math.min(first, at);
    last = Math.max(last, at);
  }
  if ((last - first) / STEP_MS > MAX_BINS) throw dataError(`rsv_parser: ${toSqlDateTime(new Date(first))} to ${toSqlDateTime(new Date(last))} is more than ${MAX_BINS} two-hour bins`);
  const out = new Map<string, { site: Key; bins: Map<number, number> }>();
  for (const [id, { site, bins }] of sums) {
    const filled = new Map<number, number>();
    for (let t = first; t <= last; t += STEP_MS) {
      const [ok, failed] = bins.get(t) ?? [0, 0];
      filled.set(t, ok + failed === 0 || failed > 0 ? 0 : 1);
    }
    out.set(id, { site, bins: filled });
  }
  return out;
}

const at = (ms: number): string => toSqlDateTime(new Date(ms));

export const rsvParser: ResultsFunction = (rows) => ({
  data: {
    kind: 'pivot-group',
    pivots: [...rsvQuality(rows).values()].map(({ site, bins }): PivotGroups => ({ pivot: site, groups: [...bins].map(([t, v]) => ({ group: at(t), value: v })) })),
  },
  metadata: { kind: 'pivot-group' },
});

/** `rsv_daily_parser`: `rsv_parser`'s bins averaged per UTC day. */
export const rsvDailyParser: ResultsFunction = (rows) => ({
  data: {
    kind: 'pivot-group',
    pivots: [...rsvQuality(rows).values()].map(({ site, bins }): PivotGroups => {
      const days = new Map<number, [number, number]>();
      for (const [t, v] of bins) {
        const day = t - (t % 86_400_000);
        const [sum, n] = days.get(day) ?? [0, 0];
        days.set(day, [sum + v, n + 1]);
      }
      return { pivot: site, groups: [...days].map(([d, [sum, n]]) => ({ group: at(d), value: sum / n })) };
    }),
  },
  metadata: { kind: 'pivot-group' },
});

/** `rsv_total_parser`: each site's average over all of `rsv_parser`'s bins. */
export const rsvTotalParser: ResultsFunction = (rows) => ({
  data: {
    kind: 'pivot',
    entries: [...rsvQuality(rows).values()].map(({ site, bins }) => ({ pivot: site, value: [...bins.values()].reduce((a, b) => a + b, 0) / bins.size })),
  },
  metadata: { kind: 'pivot' },
});

const FNAL = 'USCMS-FNAL-WC1';

function text(v: Value | Key, parser: string): string {
  if (typeof v !== 'string') throw dataError(`${parser}: expected text, got ${keyString(v)}`);
  return v;
}

/** `special_resource_group_parser1`: `simple_results_parser`, with every parent resource group naming USCMS-FNAL-WC1 made exactly that. */
export const specialResourceGroupParser1: ResultsFunction = (rows, vars, ctx) => ({
  data: { kind: 'pivot', entries: parseSimple(rows, vars, ctx).map((e) => ({ pivot: e.pivot, value: text(e.value, 'special_resource_group_parser1').includes(FNAL) ? FNAL : e.value })) },
  metadata: { kind: 'pivot' },
});

/** `special_resource_group_parser2`: `simple_results_parser`, with every resource group naming USCMS-FNAL-WC1 renamed to it (the last one's value wins, as in a dict). */
export const specialResourceGroupParser2: ResultsFunction = (rows, vars, ctx) => {
  const out = new Map<string, { pivot: Key; value: Value }>();
  for (const e of parseSimple(rows, vars, ctx)) {
    const pivot: Key = text(e.pivot, 'special_resource_group_parser2').includes(FNAL) ? FNAL : e.pivot;
    const prev = out.get(keyId(pivot));
    if (prev) prev.value = e.value;
    else out.set(keyId(pivot), { pivot, value: e.value });
  }
  return { data: { kind: 'pivot', entries: [...out.values()] }, metadata: { kind: 'pivot' } };
};
