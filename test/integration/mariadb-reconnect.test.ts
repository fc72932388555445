/** Integration: the MySQL store rides out a server restart (a cut TCP path): calls made meanwhile complete once, nothing lost or doubled. */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleLogger } from '../../common/index.js';
import { openStore, type Migration, type Store, type StoreConnection } from '../../store/index.js';
import { serviceMissing } from '../support/services.js';
import { mysqlTestUrl, testBackends } from '../support/stores.js';

if (!mysqlTestUrl) serviceMissing('MariaDB', 'set APPLIANCE_TEST_MYSQL=mysql://USER:PASSWORD@127.0.0.1:3306/DBPREFIX to run the reconnect test');

const OUTAGE_MS = 2_000;

/**
 * A TCP path to MariaDB that the test can cut and restore, standing in for a server restart: cutting
 * destroys every open socket and closes the listener (new connections are refused); restoring listens
 * again on the same port. `cutAfter` cuts the moment a client packet containing the marker has passed.
 */
class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private trigger: { marker: string; fired: () => void } | undefined;
  port = 0;

  constructor(private readonly upstream: { host: string; port: number }) {}

  async listen(): Promise<void> {
    const server = createServer((client) => {
      const server = createConnection(this.upstream);
      for (const s of [client, server]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (chunk) => {
        server.write(chunk);
        const trigger = this.trigger;
        if (trigger && chunk.includes(trigger.marker)) {
          this.trigger = undefined;
          // Let the packet reach the server first, so it runs there before the connection dies.
          setImmediate(() => {
            this.cut();
            trigger.fired();
          });
        }
      });
      server.on('data', (chunk) => client.write(chunk));
      client.on('close', () => server.destroy());
      server.on('close', () => client.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
  }

  /** The server goes away: open connections die, new ones are refused. */
  cut(): void {
    this.server?.close();
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Cuts right after a client packet containing `marker` has been forwarded; resolves when it has. */
  cutAfter(marker: string): Promise<void> {
    return new Promise((fired) => (this.trigger = { marker, fired }));
  }

  get openSockets(): number {
    return this.sockets.size;
  }
}

const schema: Migration[] = [
  {
    stage: 'reconnect',
    version: 1,
    name: 'events',
    steps: [
      {
        createTable: {
          name: 'events',
          // No unique key on n: a doubled insert must show up in the counts, not as a duplicate-key error.
          columns: [{ name: 'id', type: 'bigint', autoIncrement: true }, { name: 'batch', type: 'varchar', length: 16, notNull: true }, { name: 'n', type: 'int', notNull: true }],
        },
      },
    ],
  },
];

const batchOf = (name: string, size: number) => Array.from({ length: size }, (_, n) => [name, n]);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(mysqlTestUrl)('MariaDB reconnect after a server restart', () => {
  let dispose: (() => Promise<void>) | undefined;
  let proxy: CuttableProxy;
  let store: Store;
  let direct: Store;
  let warnings: string[];

  beforeEach(async () => {
    const backend = testBackends().find((b) => b.name === 'mysql')!;
    const db = await backend.create();
    dispose = db.dispose;
    const connection = db.connection as Extract<StoreConnection, { interface: 'mysql' }>;
    proxy = new CuttableProxy({ host: connection.host, port: connection.port });
    await proxy.listen();
    warnings = [];
    const logger = createConsoleLogger('warn', (line) => warnings.push(line));
    store = openStore({ ...connection, host: '127.0.0.1', port: proxy.port, connectionLimit: 4 }, { reconnectTimeoutMs: 20_000, logger });
    // The checks read past the proxy, straight from the server.
    direct = openStore(connection);
    await store.migrate(schema);
  });

  afterEach(async () => {
    proxy.cut();
    await Promise.all([store?.close().catch(() => undefined), direct?.close()]);
    await dispose?.();
  });

  const counts = async () =>
    (await direct.query<{ batch: string; rows: number; distinctN: number; total: number }>(
      'SELECT batch, count(*) AS `rows`, count(DISTINCT n) AS distinctN, sum(n) AS total FROM events GROUP BY batch ORDER BY batch',
    )).map((r) => ({ ...r }));

  it('a query and an insertMany issued while the server is away complete once it is back', async () => {
    await store.insertMany('events', ['batch', 'n'], batchOf('before', 100));
    // Warm the pool, so the cut also kills pooled connections the store believes are alive.
    await Promise.all([1, 2, 3].map(() => store.query('SELECT count(*) AS n FROM events')));
    expect(proxy.openSockets).toBeGreaterThan(0);

    proxy.cut();
    const cutAt = Date.now();
    const doneAt: Record<string, number> = {};
    const query = store.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE batch = 'before'").then((rows) => {
      doneAt.query = Date.now();
      return rows;
    });
    const insert = store.insertMany('events', ['batch', 'n'], batchOf('during', 2_500)).then((n) => {
      doneAt.insert = Date.now();
      return n;
    });
    await wait(OUTAGE_MS);
    expect(doneAt).toEqual({});
    await proxy.listen();

    expect(await query).toEqual([{ n: 100 }]);
    expect(await insert).toBe(2_500);
    expect(doneAt.query! - cutAt).toBeGreaterThanOrEqual(OUTAGE_MS);
    expect(doneAt.insert! - cutAt).toBeGreaterThanOrEqual(OUTAGE_MS);
    expect(await counts()).toEqual([
      { batch: 'before', rows: 100, distinctN: 100, total: 4_950 },
      { batch: 'during', rows: 2_500, distinctN: 2_500, total: (2_499 * 2_500) / 2 },
    ]);
    // And the store keeps working on its new connections.
    await store.insertMany('events', ['batch', 'n'], batchOf('after', 10));
    expect(await store.query("SELECT count(*) AS n FROM events WHERE batch = 'after'")).toEqual([{ n: 10 }]);
  });

  it('an insertMany whose connection dies before COMMIT is run again, its rows stored exactly once', async () => {
    await store.ping();
    // mysql2 sends the batch as one INSERT text packet: cut as soon as the server has it, before COMMIT.
    const cut = proxy.cutAfter('INSERT INTO `events`');
    let settled = false;
    const insert = store.insertMany('events', ['batch', 'n'], batchOf('cut', 1_500)).finally(() => (settled = true));
    await cut;
    expect(settled).toBe(false);
    await wait(OUTAGE_MS);
    await proxy.listen();
    expect(await insert).toBe(1_500);
    expect(await counts()).toEqual([{ batch: 'cut', rows: 1_500, distinctN: 1_500, total: (1_499 * 1_500) / 2 }]);
    // It was the transaction that was re-run, not a statement that slipped through before the cut.
    expect(warnings).toEqual([expect.stringMatching(/^WARN MySQL connection lost during transaction; retrying/)]);
  });
});
