/** Bound values as better-sqlite3 takes them, written the way MySQL would store them. */
import { AppError, toSqlDateTime } from '../../common/index.js';
import type { SqlValue } from '../types.js';
import { canonicalSeconds, parseMySqlDateTime } from './mysql-datetime.js';

export type Bindable = number | bigint | string | Buffer | null;

/** The temporal column types whose text MySQL normalises on write. */
export type TemporalKind = 'datetime' | 'date';

function needsConversion(v: SqlValue | undefined): boolean {
  return typeof v === 'boolean' || v instanceof Date || v === undefined;
}

function convert(v: SqlValue | undefined): Bindable {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return toSqlDateTime(v);
  return v ?? null;
}

/** better-sqlite3 takes no booleans or Dates: store them as MySQL would (1/0, UTC DATETIME text). */
export function bind(params: readonly SqlValue[]): Bindable[] {
  let converted: Bindable[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (needsConversion(v)) {
      converted ??= params.slice() as Bindable[];
      converted[i] = convert(v);
    }
  }
  return converted ?? (params as Bindable[]);
}

/**
 * Text for a DATETIME or DATE column as MySQL stores it: `2024-01-02` in a DATETIME column reads back as
 * `2024-01-02 00:00:00`, a `T` separator and fractions are dropped, a DATE keeps only its day; text MySQL
 * refuses is refused here too. SQLite would keep any text as given, and then neither range comparisons nor
 * the rows read back would match MySQL's.
 */
export function normalizeTemporal(v: Bindable, kind: TemporalKind, where: string): Bindable {
  if (typeof v !== 'string') return v;
  // The usual case, checked by character codes (impossible days such as 2024-02-30 fail it too).
  if (v.length === (kind === 'datetime' ? 19 : 10) && canonicalSeconds(v) !== undefined) return v;
  const seconds = parseMySqlDateTime(v, true);
  if (seconds === undefined) throw new AppError('internal', `SQL error: Incorrect ${kind} value: '${v}' for column ${where}`, { column: where });
  // Fractions are dropped, as a DATETIME without fractional precision stores them on MariaDB.
  const text = toSqlDateTime(new Date(Math.floor(seconds) * 1000));
  return kind === 'datetime' ? text : text.slice(0, 10);
}

/**
 * A function binding one row of `insertMany`/`upsert` into `table`, with its temporal columns (by position)
 * normalised. Built once per call, so rows of a table without temporal columns cost only the plain `bind`.
 */
export function rowBinder(
  table: string,
  columns: readonly string[],
  kinds: readonly (TemporalKind | undefined)[],
): (row: readonly SqlValue[]) => Bindable[] {
  const temporal = kinds.flatMap((kind, i) => (kind ? [[i, kind, `${table}.${columns[i]}`] as const] : []));
  if (temporal.length === 0) return bind;
  return (row) => {
    const values = row.slice() as Bindable[];
    for (let i = 0; i < row.length; i++) if (needsConversion(row[i])) values[i] = convert(row[i]);
    for (const [i, kind, where] of temporal) values[i] = normalizeTemporal(values[i] ?? null, kind, where);
    return values;
  };
}
