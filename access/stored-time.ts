/** DATETIME values as the store returns them (text on SQLite and MySQL with dateStrings, Date otherwise) to instants. */
import { parseSqlDateTime } from '../common/index.js';

/** Milliseconds since the epoch, or NaN for anything that is not a stored time. */
export function storedTimeMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') return parseSqlDateTime(value);
  return NaN;
}

/** ISO 8601 (`...Z`) for JSON answers, or null for a NULL column. */
export function storedTimeIso(value: unknown): string | null {
  const ms = storedTimeMs(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
