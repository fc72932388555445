/** Clocks and the figures a benchmark prints: medians, rates, ratios, a plain aligned table. */

/** Milliseconds since an arbitrary start, sub-millisecond precise. */
export const nowMs = (): number => performance.now();

/** Runs `work` `n` times, one after the other; returns each run's milliseconds. */
export async function timedRuns(n: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = nowMs();
    await work();
    times.push(nowMs() - start);
  }
  return times;
}

/**
 * Runs every side once per round for `rounds` rounds, the order rotating from round to round so that no side
 * always goes first (two sides alternate); returns each side's milliseconds, in round order.
 */
export async function interleaved<K extends string>(rounds: number, sides: Readonly<Record<K, () => Promise<unknown>>>): Promise<Record<K, number[]>> {
  const names = Object.keys(sides) as K[];
  const times = Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<K, number[]>;
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const start = nowMs();
      await sides[name]();
      times[name].push(nowMs() - start);
    }
  }
  return times;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The value at quantile `q` (0..1) of `values`, nearest rank; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const grouped = (n: number) => Math.round(n).toLocaleString('en-US');

export function formatRate(rows: number, ms: number): string {
  return `${grouped((rows * 1000) / ms)} rows/s`;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
}

export { grouped as formatCount };

/** Prints rows of cells as columns padded to the widest cell, the first row as the header. */
export function printTable(rows: readonly (readonly string[])[], write: (line: string) => void = console.log): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const [i, r] of rows.entries()) {
    write(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    if (i === 0) write(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
