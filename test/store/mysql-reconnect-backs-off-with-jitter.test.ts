/** A MySQL store waiting for an unreachable server retries on common's backoff: doubling to a cap, with a random share taken off each wait. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MysqlStore } from '../../store/mysql/mysql-store.js';

/** A local port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

describe('MySQL reconnect backoff', () => {
  it('waits 100 ms doubling to 2 s, less half of it times the random value', async () => {
    const waits: number[] = [];
    const store = new MysqlStore(
      { interface: 'mysql', host: '127.0.0.1', port: await closedPort(), database: 'x', user: 'x', password: 'x' },
      {
        reconnectTimeoutMs: 2_000,
        random: () => 0.5,
        // No real waiting: the test reads the delays asked for; the deadline ends the loop.
        sleep: (ms) => (waits.push(ms), new Promise((r) => setTimeout(r, 20))),
      },
    );
    await expect(store.ping()).rejects.toThrow(/unreachable/);
    await store.close();
    expect(waits.slice(0, 5)).toEqual([75, 150, 300, 600, 1_200]);
    expect(Math.max(...waits)).toBeLessThanOrEqual(1_500);
  });
});
