/** Opens the store a connection names: the embedded SQLite file or a MySQL/MariaDB database. */
import { AppError, type Logger } from '../common/index.js';
import { MysqlStore } from './mysql/mysql-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store, StoreConnection } from './types.js';

export interface OpenStoreOptions {
  logger?: Logger;
  /** The clock behind SQLite's emulated NOW() (tests fix it). */
  now?: () => Date;
  /** MySQL: how long calls keep retrying while the server is away (default 60 s). */
  reconnectTimeoutMs?: number;
}

/** Opens (and for SQLite creates) the store. Call `migrate()` next. */
export function openStore(conn: StoreConnection, options: OpenStoreOptions = {}): Store {
  if (conn.interface === 'sqlite') return new SqliteStore(conn.file, { now: options.now });
  return new MysqlStore(conn, { logger: options.logger, reconnectTimeoutMs: options.reconnectTimeoutMs });
}

/**
 * Reads a connection URL: `sqlite:PATH` (or a bare path ending in .db), or
 * `mysql://USER:PASSWORD@HOST[:PORT]/DATABASE` (`mariadb://` too).
 */
export function parseStoreUrl(url: string): StoreConnection {
  if (url.startsWith('sqlite:')) return { interface: 'sqlite', file: url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') };
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
