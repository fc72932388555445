/** Clocks and the figures a benchmark prints: medians, rates, ratios, a plain aligned table. */

/** Milliseconds since an arbitrary start, sub-millisecond precise. */
export const nowMs = (): number => performance.now();

/** Runs `work` and returns how long it took, in milliseconds, with its result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = nowMs();
  const result = await work();
  return { ms: nowMs() - start, result };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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
