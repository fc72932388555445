/** The store backends a contract suite runs on: SQLite always, MariaDB when APPLIANCE_TEST_MYSQL names one. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { openStore, parseStoreUrl, type Store, type StoreConnection } from '../../store/index.js';
import { serviceMissing } from './services.js';

/** `mysql://USER:PASSWORD@HOST:PORT/DATABASE` of a server tests may create `<DATABASE>_*` databases on. */
export const mysqlTestUrl = process.env.APPLIANCE_TEST_MYSQL;

export interface TestBackend {
  name: 'sqlite' | 'mysql';
  /** A fresh, empty database for one suite. */
  create(): Promise<{ connection: StoreConnection; open: () => Store; dispose: () => Promise<void> }>;
}

let counter = 0;

const sqliteBackend: TestBackend = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'appliance-test-'));
    const connection: StoreConnection = { interface: 'sqlite', file: join(dir, 'appliance.db') };
    return { connection, open: () => openStore(connection), dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

function mysqlBackend(url: string): TestBackend {
  const base = parseStoreUrl(url);
  if (base.interface !== 'mysql') throw new Error(`APPLIANCE_TEST_MYSQL is not a MySQL URL: ${url}`);
  return {
    name: 'mysql',
    async create() {
      // One database per suite, so test files can run in parallel against one server.
      const database = `${base.database}_${process.pid}_${++counter}_${Date.now() % 100000}`;
      const admin = await mysql.createConnection({ host: base.host, port: base.port, user: base.user, password: base.password });
      await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
      await admin.end();
      const connection: StoreConnection = { ...base, database };
      return {
        connection,
        open: () => openStore(connection, { reconnectTimeoutMs: 30_000 }),
        dispose: async () => {
          const c = await mysql.createConnection({ host: base.host, port: base.port, user: base.user, password: base.password });
          await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
          await c.end();
        },
      };
    },
  };
}

/** SQLite, plus MariaDB when configured. Without APPLIANCE_TEST_MYSQL: a loud skip locally, a failure under CI. */
export function testBackends(): TestBackend[] {
  if (mysqlTestUrl) return [sqliteBackend, mysqlBackend(mysqlTestUrl)];
  serviceMissing('MariaDB', 'set APPLIANCE_TEST_MYSQL=mysql://USER:PASSWORD@127.0.0.1:3306/DBPREFIX (see .ci/run)');
  return [sqliteBackend];
}

export { sqliteBackend };

/** The `mysql://` URL of a MariaDB connection, for an appliance process's `--db`. */
export function mysqlUrlOf(c: StoreConnection): string {
  if (c.interface !== 'mysql') throw new Error('not a MySQL connection');
  return `mysql://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@${c.host}:${c.port}/${c.database}`;
}
