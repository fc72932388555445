/** Bound values as better-sqlite3 takes them, written the way MySQL would store them. */
import { parseSqlDateTime, toSqlDateTime } from '../../common/index.js';
import type { SqlValue } from '../types.js';

export type Bindable = number | bigint | string | Buffer | null;

/** The temporal column types whose text MySQL normalises on write. */
export type TemporalKind = 'datetime' | 'date';

const CANONICAL_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const CANONICAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

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
 * `2024-01-02 00:00:00`, ISO `T` and fractions are dropped, a DATE keeps only its day. SQLite would keep the
 * text as given, and then neither range comparisons nor the rows read back would match MySQL's.
 */
export function normalizeTemporal(v: Bindable, kind: TemporalKind): Bindable {
  if (typeof v !== 'string') return v;
  if (kind === 'datetime' ? CANONICAL_DATETIME.test(v) : CANONICAL_DATE.test(v)) return v;
  const ms = parseSqlDateTime(v);
  // Not a date at all: MySQL would refuse it in strict mode; keep it rather than invent a value.
  if (Number.isNaN(ms)) return v;
  const text = toSqlDateTime(new Date(ms));
  return kind === 'datetime' ? text : text.slice(0, 10);
}

/**
 * A function binding one row of `insertMany`/`upsert`, with the temporal columns (by position) normalised.
 * Built once per call, so the per-row cost without temporal columns is the plain `bind`.
 */
export function rowBinder(kinds: readonly (TemporalKind | undefined)[]): (row: readonly SqlValue[]) => Bindable[] {
  const temporal = kinds.flatMap((kind, i) => (kind ? [[i, kind] as const] : []));
  if (temporal.length === 0) return bind;
  return (row) => {
    const values = row.slice() as Bindable[];
    for (let i = 0; i < row.length; i++) if (needsConversion(row[i])) values[i] = convert(row[i]);
    for (const [i, kind] of temporal) values[i] = normalizeTemporal(values[i] ?? null, kind);
    return values;
  };
}
