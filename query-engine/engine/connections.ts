/** The engine's database connections: opened from the ConnectionManagers on first use, then reused. */
import { resolve } from 'node:path';
import { AppError, type Logger } from '../../common/index.js';
import { openStore as openStoreDefault, type Store, type StoreConnection } from '../../store/index.js';
import { toStoreConnection, type ConnectionManagerConfig } from '../config/index.js';
import { statementTimeoutFlavour, type TimeoutFlavour } from './statement-timeout.js';

export interface ConnectionPoolOptions {
  managers: ReadonlyMap<string, ConnectionManagerConfig>;
  openStore?: (conn: StoreConnection) => Store;
  applianceStore?: Store;
  resolvePath?: (path: string) => string;
  logger: Logger;
}

interface Open {
  store: Store;
  owned: boolean;
  flavour?: Promise<TimeoutFlavour>;
}

/** Stores by ConnectionManager and connection name; each opened once, lazily. */
export class ConnectionPool {
  private readonly open = new Map<string, Promise<Open>>();

  constructor(private readonly options: ConnectionPoolOptions) {}

  /** The connection names a manager defines, in definition order. */
  connectionNames(manager: string): string[] {
    return [...(this.options.managers.get(manager)?.connections.keys() ?? [])];
  }

  /** The manager's default connection, or undefined when it names none. */
  defaultConnection(manager: string): string | undefined {
    return this.options.managers.get(manager)?.default;
  }

  /** Whether `manager` defines `connection`. */
  has(manager: string, connection: string): boolean {
    return this.options.managers.get(manager)?.connections.has(connection) ?? false;
  }

  /** The store for `connection` of `manager`, opening it on first use. Throws AppError when it cannot be opened. */
  async get(manager: string, connection: string): Promise<Store> {
    return (await this.entry(manager, connection)).store;
  }

  /** How the store can bound a statement's run time (see statement-timeout.ts); asked once per connection. */
  async flavour(manager: string, connection: string): Promise<TimeoutFlavour> {
    const entry = await this.entry(manager, connection);
    entry.flavour ??= statementTimeoutFlavour(entry.store);
    return entry.flavour;
  }

  private entry(manager: string, connection: string): Promise<Open> {
    const key = `${manager}\u0000${connection}`;
    let pending = this.open.get(key);
    if (!pending) {
      pending = Promise.resolve().then(() => this.openEntry(manager, connection));
      // A failed open is not remembered: the next request tries again (the server may be back).
      pending.catch(() => this.open.delete(key));
      this.open.set(key, pending);
    }
    return pending;
  }

  private openEntry(managerName: string, connection: string): Open {
    const manager = this.options.managers.get(managerName);
    const def = manager?.connections.get(connection);
    if (!manager || !def) {
      throw new AppError('config', `connection "${connection}" is not defined in ConnectionManager "${managerName}"`, { connection });
    }
    if (this.options.applianceStore && manager.applianceStore === connection) return { store: this.options.applianceStore, owned: false };
    if (def.interface !== 'sqlite' && def.interface !== 'mysql') {
      throw new AppError('unavailable', `connection "${connection}": the ${def.attrs.Interface ?? def.interface} interface is not supported; use MySQL or sqlite`, { connection });
    }
    const conn = toStoreConnection(def, this.options.resolvePath ?? ((p) => resolve(p)));
    const store = (this.options.openStore ?? openStoreDefault)(conn);
    this.options.logger.debug(`query engine: opened connection "${connection}" (${store.description})`);
    return { store, owned: true };
  }

  /** Closes every store the pool opened (never the appliance's own). */
  async close(): Promise<void> {
    const entries = [...this.open.values()];
    this.open.clear();
    await Promise.all(
      entries.map(async (pending) => {
        const entry = await pending.catch(() => undefined);
        if (entry?.owned) await entry.store.close();
      }),
    );
  }
}
