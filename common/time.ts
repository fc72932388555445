/** Time is an input: stages take a clock, and tests pass a fixed one. */

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Timers, injectable beside the clock: a loop's tests fire them by hand (or call its tick()) instead of sleeping. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers. */
export const systemScheduler: Scheduler = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** `YYYY-MM-DD HH:MM:SS` in UTC: how the store keeps DATETIME values on both backends. */
export function toSqlDateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses `YYYY-MM-DD[ HH:MM:SS[.fff]]` (or ISO with `T`) as UTC; returns NaN when it is not a date. */
export function parseSqlDateTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?Z?$/.exec(text.trim());
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m;
  const ms = frac ? Number(('0.' + frac)) * 1000 : 0;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}
