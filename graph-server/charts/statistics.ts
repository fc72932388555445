/** GraphTool's footer numbers: `pretty_float`, `statistics` over the bins, and the bar graphs' `Maximum/Minimum/Average/Current` line. */
import type { FooterStat } from './types.js';

/** Digits grouped by commas, as GraphTool's `comma_format`. */
function commaFormat(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** GraphTool's `pretty_float`: above 1000 a comma-grouped integer, else 2, 1 or 0 decimals by magnitude. */
export function prettyFloat(num: number): string {
  if (num > 1000) return commaFormat(Math.trunc(num));
  const magnitude = Math.floor(Math.log10(Math.abs(num) + 1e-3));
  const decimals = Math.max(2 - Math.max(magnitude, 0), 0);
  return num.toFixed(decimals);
}

/** What `statistics` gives: the minimum, maximum and average over the bins, and the last bin's value. */
export interface BinStatistics {
  min: number;
  max: number;
  average: number;
  current: number;
}

/**
 * GraphTool's `statistics(results, span)`: with a whole-number span, every bin from the first key to
 * the last counts (missing bins as 0); keys off that grid (or a fractional span, which Python's
 * `range()` refused) fall back to the values as they are. `current` is the value at the largest key.
 */
export function binStatistics(values: ReadonlyMap<number, number>, span: number | undefined, spanIsInt: boolean): BinStatistics | undefined {
  if (values.size === 0) return undefined;
  const keys = [...values.keys()];
  let bins: Map<number, number> = new Map(values);
  if (span !== undefined && spanIsInt && keys.every(Number.isInteger)) {
    const min = Math.min(...keys);
    const max = Math.max(...keys);
    const filled = new Map<number, number>();
    for (let k = min; k < max + span; k += span) filled.set(k, values.get(k) ?? 0);
    if (keys.every((k) => filled.has(k))) bins = filled;
  }
  const vs = [...bins.values()];
  const last = Math.max(...bins.keys());
  return {
    min: Math.min(...vs),
    max: Math.max(...vs),
    average: vs.reduce((a, b) => a + b, 0) / vs.length,
    current: bins.get(last) ?? 0,
  };
}

/** The footer entries of a bar graph; `Current` only for time graphs. */
export function barFooter(stats: BinStatistics | undefined, unit: string, withCurrent: boolean): FooterStat[] {
  if (!stats) return [];
  const out: FooterStat[] = [
    { label: 'Maximum', value: stats.max, unit },
    { label: 'Minimum', value: stats.min, unit },
    { label: 'Average', value: stats.average, unit },
  ];
  if (withCurrent) out.push({ label: 'Current', value: stats.current, unit });
  return out;
}

/** The footer as GraphTool printed it under the legend: `Maximum: 1,234 Hours, Minimum: ...`. */
export function footerText(footer: readonly FooterStat[]): string {
  return footer.map((f) => `${f.label}: ${prettyFloat(f.value)}${f.unit ? ` ${f.unit}` : ''}`).join(', ');
}
