/**
 * The leased cursor's contract on every store backend: one holder at a time, takeover only after the lease expired
 * (a fake clock: every call takes `now`), positions never move backwards, and a stale holder's advance changes nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCursors, cursorMigrations, type Cursors } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';

const T0 = Date.UTC(2025, 0, 1, 12);
/** The fake clock: `at(ms)` is T0 + ms. */
const at = (ms: number) => new Date(T0 + ms);
const LEASE = 10_000;

describe.each(testBackends())('leased cursors on $name', (backend) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let cursors: Cursors;
  let n = 0;
  /** A fresh cursor name per test, so the tests share one database without seeing each other's rows. */
  let name = '';

  beforeAll(async () => {
    const db = await backend.create();
    store = db.open();
    dispose = db.dispose;
    await store.migrate(cursorMigrations);
    cursors = createCursors(store);
  });
  afterAll(async () => {
    await store?.close();
    await dispose?.();
  });
  beforeEach(() => {
    name = `test/${++n}`;
  });

  it('creates a new cursor at position 0 for its first owner and refuses a second owner while the lease runs', async () => {
    const a = await cursors.acquire(name, 'a', LEASE, at(0));
    expect(a).toMatchObject({ name, owner: 'a', position: 0, leaseUntil: T0 + LEASE });
    expect(await cursors.acquire(name, 'b', LEASE, at(1))).toBeUndefined();
    // The last millisecond of the lease still belongs to its holder.
    expect(await cursors.acquire(name, 'b', LEASE, at(LEASE))).toBeUndefined();
    expect(await cursors.read(name)).toEqual({ name, position: 0, owner: 'a', leaseUntil: T0 + LEASE });
  });

  it('lets exactly one of many racing owners win', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => cursors.acquire(name, `racer${i}`, LEASE, at(0))));
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect((await cursors.read(name))?.owner).toBe(winners[0]!.owner);
  });

  it('hands an expired lease to another owner, at the committed position', async () => {
    const a = (await cursors.acquire(name, 'a', LEASE, at(0)))!;
    expect(await a.advance(42, at(1000))).toBe(true);
    // a's last advance extended its lease to 1000 + LEASE.
    expect(await cursors.acquire(name, 'b', LEASE, at(LEASE + 500))).toBeUndefined();
    const b = await cursors.acquire(name, 'b', LEASE, at(LEASE + 1001));
    expect(b).toMatchObject({ owner: 'b', position: 42 });
  });

  it('refuses a stale holder: after a takeover its advance, renew and release change nothing', async () => {
    const a = (await cursors.acquire(name, 'a', LEASE, at(0)))!;
    expect(await a.advance(10, at(100))).toBe(true);
    const b = (await cursors.acquire(name, 'b', LEASE, at(LEASE + 200)))!;
    expect(await b.advance(20, at(LEASE + 300))).toBe(true);
    // a woke up late with a batch it finished meanwhile: its advance must not land, even forwards, even "in time".
    expect(await a.advance(15, at(LEASE + 400))).toBe(false);
    expect(await a.advance(30, at(50))).toBe(false);
    expect(await a.renew(at(LEASE + 500))).toBe(false);
    await a.release(at(LEASE + 600));
    expect(await cursors.read(name)).toMatchObject({ position: 20, owner: 'b' });
  });

  it('refuses an expired holder even when nobody took over yet', async () => {
    const a = (await cursors.acquire(name, 'a', LEASE, at(0)))!;
    expect(await a.advance(5, at(LEASE + 1))).toBe(false);
    expect(await a.renew(at(LEASE + 1))).toBe(false);
    expect((await cursors.read(name))?.position).toBe(0);
    // Acquiring again is how a holder that lost its lease comes back, from the committed position.
    expect(await cursors.acquire(name, 'a', LEASE, at(LEASE + 2))).toMatchObject({ position: 0 });
  });

  it('never moves backwards: the holder is refused with an error, and the stored position stays', async () => {
    const a = (await cursors.acquire(name, 'a', LEASE, at(0)))!;
    expect(await a.advance(100, at(1))).toBe(true);
    await expect(a.advance(99, at(2))).rejects.toThrow(/cannot move back from 100 to 99/);
    expect(await a.advance(100, at(3))).toBe(true);
    expect(a.position).toBe(100);
    expect((await cursors.read(name))?.position).toBe(100);
  });

  it('does not move backwards when a second holder object of the same owner lags behind', async () => {
    const first = (await cursors.acquire(name, 'a', LEASE, at(0)))!;
    const again = (await cursors.acquire(name, 'a', LEASE, at(1)))!;
    expect(await again.advance(50, at(2))).toBe(true);
    // `first` still believes the position is 0; the database's position < ? refuses its older target.
    expect(await first.advance(30, at(3))).toBe(false);
    expect((await cursors.read(name))?.position).toBe(50);
  });

  it('renews a held lease, also twice at the same instant, and keeps it past the original expiry', async () => {
    const a = (await cursors.acquire(name, 'a', LEASE, at(0)))!;
    expect(await a.renew(at(LEASE - 1))).toBe(true);
    // Same values written again: the backend must still report the row as matched (MariaDB counts found rows).
    expect(await a.renew(at(LEASE - 1))).toBe(true);
    expect(a.leaseUntil).toBe(T0 + 2 * LEASE - 1);
    expect(await cursors.acquire(name, 'b', LEASE, at(LEASE + 1))).toBeUndefined();
    expect(await a.advance(7, at(2 * LEASE - 1))).toBe(true);
  });

  it('lets another owner take a released cursor at once, at its position', async () => {
    const a = (await cursors.acquire(name, 'a', LEASE, at(0)))!;
    expect(await a.advance(3, at(1))).toBe(true);
    await a.release(at(2));
    expect(await cursors.read(name)).toEqual({ name, position: 3, owner: undefined, leaseUntil: 0 });
    expect(await a.advance(4, at(3))).toBe(false);
    expect(await cursors.acquire(name, 'b', LEASE, at(3))).toMatchObject({ owner: 'b', position: 3 });
  });

  it('keeps cursors of different names apart', async () => {
    const a = (await cursors.acquire(`${name}/x`, 'a', LEASE, at(0)))!;
    const b = (await cursors.acquire(`${name}/y`, 'b', LEASE, at(0)))!;
    expect(await a.advance(1, at(1))).toBe(true);
    expect(await b.advance(2, at(1))).toBe(true);
    expect((await cursors.read(`${name}/x`))?.position).toBe(1);
    expect((await cursors.read(`${name}/y`))?.position).toBe(2);
    expect(await cursors.read(`${name}/z`)).toBeUndefined();
  });

  it('works inside the caller\'s transaction: rolled back with it', async () => {
    const a = (await cursors.acquire(name, 'a', LEASE, at(0)))!;
    await expect(store.transaction(async (tx) => {
      const inTx = (await createCursors(tx).acquire(name, 'a', LEASE, at(1)))!;
      expect(await inTx.advance(9, at(2))).toBe(true);
      throw new Error('the consumer\'s own write failed');
    })).rejects.toThrow(/own write failed/);
    expect((await cursors.read(name))?.position).toBe(0);
    expect(await a.advance(1, at(3))).toBe(true);
  });
});
