/**
 * The appliance's server (graph-server's createServer) with the real access stage (admin, operator and viewer in an
 * htpasswd file) and an `Accounting` component built from the given parts, on a migrated store.
 */
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { accessMigrations, createAccess, usersFileLine, type AccessSettings } from '../../../access/index.js';
import { ACCOUNTING_SELF_PARSED_PATHS, accountingMigrations, createAccounting, importHistoryMigrations, type Accounting, type AccountingPartFactory } from '../../../accounting/index.js';
import { packageRoot, type Clock } from '../../../common/index.js';
import { createServer } from '../../../graph-server/index.js';
import type { LoadedConfig } from '../../../grammar/index.js';
import type { Migration, Store } from '../../../store/index.js';
import { tempDir } from '../../support/temp-files.js';

export const ACCOUNTING_APP_MIGRATIONS: readonly Migration[] = [...accessMigrations, ...accountingMigrations, ...importHistoryMigrations];

const PASSWORDS = { admin: 'admin-pw', operator: 'operator-pw', viewer: 'viewer-pw' } as const;

/** `Authorization` for one of the three users. */
export const basic = (user: keyof typeof PASSWORDS) => `Basic ${Buffer.from(`${user}:${PASSWORDS[user]}`).toString('base64')}`;

export interface AccountingApp {
  url: string;
  accounting: Accounting;
  close(): Promise<void>;
}

export interface AccountingAppOptions {
  config?: LoadedConfig;
  parts?: readonly AccountingPartFactory<Accounting>[];
  clock?: Clock;
  /** Paths the app's body parsers leave alone (the upload reads its own body). */
  selfParsedPaths?: readonly string[];
}

/** An empty configuration (the `Accounting` defaults). */
export const EMPTY_CONFIG: LoadedConfig = { objects: new Map(), files: [], issues: [] };

/** Starts the app on 127.0.0.1 over `store` (already migrated with {@link ACCOUNTING_APP_MIGRATIONS}). */
export async function startAccountingApp(store: Store, options: AccountingAppOptions = {}): Promise<AccountingApp> {
  const usersFile = join(tempDir(), 'users');
  writeFileSync(usersFile, `${Object.entries(PASSWORDS).map(([u, p]) => usersFileLine(u, p)).join('\n')}\n`);
  const settings: AccessSettings = { usersFile, anonymousRead: true, defaultRole: 'viewer', sessionHours: 12, roles: { admin: 'admin', operator: 'operator' } };
  const access = createAccess({ store, settings });
  const accounting = createAccounting({
    store, config: options.config ?? EMPTY_CONFIG, parts: options.parts ?? [],
    requireRead: access.requireRead, requireOperator: access.requireRole('operator'), requireAdmin: access.requireRole('admin'),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await accounting.start();
  const app = createServer({
    logger: { debug() {}, info() {}, warn() {}, error: (m, f) => console.error(m, f) },
    metrics: new Registry(),
    access,
    viewsDir: join(packageRoot(), 'views'),
    health: async () => ({ status: 'ok' }),
    home: async () => [],
    reload: async () => ({ applied: true, issues: [] }),
    routers: [accounting.router()],
    selfParsedPaths: options.selfParsedPaths ?? ACCOUNTING_SELF_PARSED_PATHS,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accounting,
    close: async () => {
      await accounting.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
