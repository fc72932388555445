/** Opens the store a connection names: the embedded SQLite file or a MySQL/MariaDB database. */
import { AppError, type Logger } from '../common/index.js';
import { MysqlStore } from './mysql/mysql-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import { SQLITE_SYNCHRONOUS, type SqliteSynchronous, type Store, type StoreConnection } from './types.js';

export interface OpenStoreOptions {
  logger?: Logger;
  /** The clock behind SQLite's emulated NOW() (tests fix it). */
  now?: () => Date;
  /** MySQL: how long calls keep retrying while the server is away (default 60 s). */
  reconnectTimeoutMs?: number;
}

/** Opens (and for SQLite creates) the store. Call `migrate()` next. */
export function openStore(conn: StoreConnection, options: OpenStoreOptions = {}): Store {
  if (conn.interface === 'sqlite') return new SqliteStore(conn.file, { now: options.now, synchronous: conn.synchronous });
  return new MysqlStore(conn, { logger: options.logger, reconnectTimeoutMs: options.reconnectTimeoutMs });
}

/**
 * Reads a connection URL: `sqlite:PATH[?synchronous=full|normal]` (or a bare path ending in .db), or
 * `mysql://USER:PASSWORD@HOST[:PORT]/DATABASE` (`mariadb://` too).
 */
export function parseStoreUrl(url: string): StoreConnection {
  if (url.startsWith('sqlite:')) return sqliteUrl(url.slice('sqlite:'.length));
  if (/^(mysql|mariadb):\/\//.test(url)) {
    let u: URL;
    try {
      u = new URL(url.replace(/^mariadb:/, 'mysql:'));
    } catch {
      throw new AppError('config', `not a MySQL URL: ${url.replace(/:[^:@/]*@/, ':***@')}; expected mysql://USER:PASSWORD@HOST:PORT/DATABASE`);
    }
    const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (!database) throw new AppError('config', 'the MySQL URL names no database; expected mysql://USER:PASSWORD@HOST:PORT/DATABASE');
    return {
      interface: 'mysql',
      host: u.hostname || 'localhost',
      port: u.port ? Number(u.port) : 3306,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database,
    };
  }
  if (url.endsWith('.db') || url.endsWith('.sqlite')) return { interface: 'sqlite', file: url };
  throw new AppError('config', `unknown store URL "${url}"; use sqlite:PATH or mysql://USER:PASSWORD@HOST:PORT/DATABASE`);
}

/** `PATH[?synchronous=full|normal]`; any other query parameter is refused rather than read as part of the file name. */
function sqliteUrl(rest: string): StoreConnection {
  const q = rest.indexOf('?');
  const file = (q < 0 ? rest : rest.slice(0, q)).replace(/^\/\/(?=\/)/, '');
  if (q < 0) return { interface: 'sqlite', file };
  const conn: StoreConnection = { interface: 'sqlite', file };
  for (const [key, value] of new URLSearchParams(rest.slice(q + 1))) {
    if (key !== 'synchronous') throw new AppError('config', `unknown sqlite URL parameter "${key}"; the only one is synchronous=full|normal`);
    const level = value.toLowerCase();
    if (!(SQLITE_SYNCHRONOUS as readonly string[]).includes(level)) {
      throw new AppError('config', `sqlite URL: synchronous=${value} is not one of ${SQLITE_SYNCHRONOUS.join(', ')}`);
    }
    conn.synchronous = level as SqliteSynchronous;
  }
  return conn;
}
