/** Multi-row INSERT and upsert statements for both backends. */
import { AppError } from '../common/index.js';
import { quoteIdentifier as q } from './ddl.js';
import type { Backend, UpsertOptions } from './types.js';

/** `INSERT INTO t (a, b) VALUES (?, ?), (?, ?)` for `rowCount` rows. */
export function insertSql(table: string, columns: readonly string[], rowCount: number): string {
  const one = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${Array.from({ length: rowCount }, () => one).join(', ')}`;
}

/** An insert that updates the row with the same key instead of failing: Gratia's `ON DUPLICATE KEY UPDATE`. */
export function upsertSql(backend: Backend, table: string, columns: readonly string[], rowCount: number, options: UpsertOptions): string {
  for (const k of options.key) {
    if (!columns.includes(k)) throw new AppError('internal', `upsert into ${table}: key column ${k} is not among the inserted columns`);
  }
  const updates = columns
    .filter((c) => !options.key.includes(c))
    .map((c) => [c, options.update?.[c] ?? 'replace'] as const)
    .filter(([, action]) => action !== 'keep');
  const base = insertSql(table, columns, rowCount);
  if (backend === 'mysql') {
    const set = updates.map(([c, action]) => (action === 'sum' ? `${q(c)} = ${q(c)} + VALUES(${q(c)})` : `${q(c)} = VALUES(${q(c)})`));
    // With nothing to update, a self-assignment makes the duplicate a no-op instead of an error.
    const clause = set.length ? set.join(', ') : `${q(options.key[0]!)} = ${q(options.key[0]!)}`;
    return `${base} ON DUPLICATE KEY UPDATE ${clause}`;
  }
  const target = `ON CONFLICT (${options.key.map(q).join(', ')})`;
  if (!updates.length) return `${base} ${target} DO NOTHING`;
  const set = updates.map(([c, action]) => (action === 'sum' ? `${q(c)} = ${q(table)}.${q(c)} + excluded.${q(c)}` : `${q(c)} = excluded.${q(c)}`));
  return `${base} ${target} DO UPDATE SET ${set.join(', ')}`;
}
