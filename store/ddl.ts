/** Table definitions rendered as each backend's DDL, re-runnable (`IF NOT EXISTS`) on both. */
import type { Backend, ColumnDef, IndexDef, MigrationStep, TableDef } from './types.js';

const q = (name: string) => '`' + name.replace(/`/g, '``') + '`';

function columnType(c: ColumnDef, backend: Backend): string {
  const text = (base: string) =>
    backend === 'mysql' ? (c.binary ? `${base} COLLATE utf8mb4_bin` : base) : c.binary ? base : `${base} COLLATE NOCASE`;
  switch (c.type) {
    case 'bigint': return backend === 'mysql' ? 'BIGINT' : 'INTEGER';
    case 'int': return backend === 'mysql' ? 'INT' : 'INTEGER';
    case 'double': return backend === 'mysql' ? 'DOUBLE' : 'REAL';
    case 'varchar': return text(`VARCHAR(${c.length ?? 255})`);
    case 'text': return text(backend === 'mysql' ? 'MEDIUMTEXT' : 'TEXT');
    case 'datetime': return 'DATETIME';
    case 'date': return 'DATE';
    case 'blob': return backend === 'mysql' ? 'LONGBLOB' : 'BLOB';
  }
}

function literal(v: string | number): string {
  return typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
}

function columnSql(c: ColumnDef, backend: Backend): string {
  if (c.autoIncrement) {
    return backend === 'mysql' ? `${q(c.name)} BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY` : `${q(c.name)} INTEGER PRIMARY KEY AUTOINCREMENT`;
  }
  let sql = `${q(c.name)} ${columnType(c, backend)}`;
  if (c.notNull) sql += ' NOT NULL';
  if (c.default !== undefined) sql += ` DEFAULT ${literal(c.default)}`;
  return sql;
}

/** The index's name on `backend`: SQLite's are global to the database, MySQL's per table; prefixed with the table unless kept. */
function indexName(table: string, ix: IndexDef, backend: Backend): string {
  return backend === 'mysql' && ix.keepName ? ix.name : `${table}_${ix.name}`;
}

function indexSql(table: string, ix: IndexDef, backend: Backend): string {
  const cols = ix.columns.map(q).join(', ');
  const kind = ix.unique ? 'UNIQUE INDEX' : 'INDEX';
  return `CREATE ${kind} IF NOT EXISTS ${q(indexName(table, ix, backend))} ON ${q(table)} (${cols})`;
}

/** The statements that create `t` with its indexes; each can run again without harm. */
export function createTableSql(t: TableDef, backend: Backend): string[] {
  const parts = t.columns.map((c) => columnSql(c, backend));
  if (t.primaryKey?.length) parts.push(`PRIMARY KEY (${t.primaryKey.map(q).join(', ')})`);
  if (backend === 'mysql') {
    // Inline keys keep the table's creation one atomic statement on MySQL.
    for (const ix of t.indexes ?? []) {
      parts.push(`${ix.unique ? 'UNIQUE KEY' : 'KEY'} ${q(indexName(t.name, ix, backend))} (${ix.columns.map(q).join(', ')})`);
    }
    return [`CREATE TABLE IF NOT EXISTS ${q(t.name)} (\n  ${parts.join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`];
  }
  return [`CREATE TABLE IF NOT EXISTS ${q(t.name)} (\n  ${parts.join(',\n  ')}\n)`, ...(t.indexes ?? []).map((ix) => indexSql(t.name, ix, backend))];
}

/** The statements of one migration step on `backend`. */
export function stepSql(step: MigrationStep, backend: Backend): string[] {
  if ('createTable' in step) return createTableSql(step.createTable, backend);
  if ('createIndex' in step) return [indexSql(step.createIndex.table, step.createIndex, backend)];
  if ('addColumn' in step) {
    const { table, column } = step.addColumn;
    // MariaDB's IF NOT EXISTS makes the step re-runnable; SQLite runs it inside the migration's transaction.
    return [`ALTER TABLE ${q(table)} ADD COLUMN ${backend === 'mysql' ? 'IF NOT EXISTS ' : ''}${columnSql(column, backend)}`];
  }
  return [typeof step.sql === 'string' ? step.sql : step.sql[backend]];
}

export { q as quoteIdentifier };
