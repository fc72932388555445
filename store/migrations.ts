/** The migration bookkeeping both backends share: the record table, ordering and validation. */
import { AppError } from '../common/index.js';
import type { Migration, SchemaVersion, TableDef } from './types.js';

export const MIGRATIONS_TABLE: TableDef = {
  name: 'schema_migrations',
  columns: [
    { name: 'stage', type: 'varchar', length: 64, notNull: true, binary: true },
    { name: 'version', type: 'int', notNull: true },
    { name: 'name', type: 'varchar', notNull: true },
    { name: 'applied_at', type: 'datetime', notNull: true },
  ],
  primaryKey: ['stage', 'version'],
};

export interface AppliedRow {
  stage: string;
  version: number;
}

/** Checks the list (no duplicates, versions from 1) and returns the migrations not yet applied, in list order. */
export function pendingMigrations(all: readonly Migration[], applied: readonly AppliedRow[]): Migration[] {
  const seen = new Set<string>();
  const known = new Map<string, number>();
  for (const m of all) {
    const key = `${m.stage}:${m.version}`;
    if (seen.has(key)) throw new AppError('internal', `migration ${key} is defined twice`);
    if (!Number.isInteger(m.version) || m.version < 1) throw new AppError('internal', `migration ${key}: versions start at 1`);
    seen.add(key);
    known.set(m.stage, Math.max(known.get(m.stage) ?? 0, m.version));
  }
  const done = new Set(applied.map((r) => `${r.stage}:${r.version}`));
  for (const r of applied) {
    const max = known.get(r.stage);
    if (max !== undefined && r.version > max) {
      throw new AppError(
        'conflict',
        `the database's "${r.stage}" schema is at version ${r.version}, newer than this appliance knows (${max}); run a newer appliance or restore a matching backup`,
      );
    }
  }
  return all.filter((m) => !done.has(`${m.stage}:${m.version}`));
}

export function summarize(applied: readonly AppliedRow[]): SchemaVersion {
  const stages: Record<string, number> = {};
  for (const r of applied) stages[r.stage] = Math.max(stages[r.stage] ?? 0, Number(r.version));
  return { stages, total: applied.length };
}

/** Lower-cased names of the columns declared `binary` (case-sensitive) anywhere in `migrations`. */
export function binaryColumnNames(migrations: readonly Migration[]): string[] {
  const names = new Set<string>();
  for (const m of migrations) {
    for (const step of m.steps) {
      const columns = 'createTable' in step ? step.createTable.columns : 'addColumn' in step ? [step.addColumn.column] : [];
      for (const c of columns) if (c.binary) names.add(c.name.toLowerCase());
    }
  }
  return [...names];
}
