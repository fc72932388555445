/** Leased cursors: a named consumer position over a commit-ordered table, moved only by its one lease holder. */
import { AppError, toSqlDateTime } from '../common/index.js';
import type { Queryable } from '../store/index.js';
import { CURSORS_TABLE } from './cursor-schema.js';

/** What the cursors need of the store: a store or an open transaction handle. */
export type CursorStore = Pick<Queryable, 'query' | 'execute' | 'upsert'>;

/** A cursor as stored: where it is and who (if anyone) holds it until when. */
export interface CursorState {
  name: string;
  position: number;
  /** The lease holder; undefined when the cursor was never held or was released. */
  owner: string | undefined;
  /** Epoch milliseconds; the lease is held while this is at or after `now`. */
  leaseUntil: number;
}

/** A held lease on one cursor. Each call answers false once the lease is lost: the holder must stop and acquire again. */
export interface CursorLease {
  readonly name: string;
  readonly owner: string;
  readonly leaseMs: number;
  /** The committed position: at acquire, then after each successful `advance`. */
  readonly position: number;
  /** When the lease runs out unless renewed (epoch ms). */
  readonly leaseUntil: number;
  /** Extends the lease to `now + leaseMs`; false when it had expired or another owner holds it. */
  renew(now: Date): Promise<boolean>;
  /**
   * Moves the position forward to `to` and extends the lease, in one conditional UPDATE: only while this owner holds
   * an unexpired lease, and only forwards. False when the lease is lost (nothing changed); moving backwards throws.
   */
  advance(to: number, now: Date): Promise<boolean>;
  /** Gives the lease up, so another owner may take it at once; the position stays. */
  release(now: Date): Promise<void>;
}

/** The named cursors of one store. */
export interface Cursors {
  /**
   * Takes the lease on cursor `name` for `owner` until `now + leaseMs`, creating the cursor at position 0 if new.
   * Succeeds when nobody holds it, the holder's lease has expired, or `owner` holds it already; otherwise undefined.
   */
  acquire(name: string, owner: string, leaseMs: number, now: Date): Promise<CursorLease | undefined>;
  /** The stored state of cursor `name` (undefined when it does not exist yet). */
  read(name: string): Promise<CursorState | undefined>;
}

type CursorRow = {
  name: string;
  position: number | string | bigint;
  owner: string | null;
  lease_until: number | string | bigint;
};

const T = CURSORS_TABLE;

function stateOf(row: CursorRow): CursorState {
  return { name: row.name, position: Number(row.position), owner: row.owner ?? undefined, leaseUntil: Number(row.lease_until) };
}

function checkLeaseMs(leaseMs: number): void {
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 1) throw new AppError('internal', `a cursor lease must be a positive whole number of milliseconds, not ${leaseMs}`);
}

/**
 * The leased cursors stored in `store` (migrated with `cursorMigrations`). Every operation is one short statement
 * (acquire: two, plus one insert the first time), so several appliances on one database can race for a cursor: the
 * database's row lock decides, and whoever loses sees false or undefined.
 */
export function createCursors(store: CursorStore): Cursors {
  const read = async (name: string): Promise<CursorState | undefined> => {
    const rows = await store.query<CursorRow>(`SELECT name, position, owner, lease_until FROM ${T} WHERE name = ?`, [name]);
    return rows[0] ? stateOf(rows[0]) : undefined;
  };

  // Expired means lease_until < now, the complement of the holder's lease_until >= now in renew and advance.
  const take = (name: string, owner: string, until: number, now: Date) =>
    store.execute(`UPDATE ${T} SET owner = ?, lease_until = ?, updated_at = ? WHERE name = ? AND (owner IS NULL OR owner = ? OR lease_until < ?)`, [
      owner, until, toSqlDateTime(now), name, owner, now.getTime(),
    ]);

  return {
    read,
    async acquire(name, owner, leaseMs, now) {
      checkLeaseMs(leaseMs);
      const until = now.getTime() + leaseMs;
      let taken = await take(name, owner, until, now);
      if (taken.changes === 0 && !(await read(name))) {
        // A new cursor: create it unheld ('keep' leaves a row another instance created meanwhile as it is), then race.
        await store.upsert(T, ['name', 'position', 'lease_until', 'updated_at'], [[name, 0, 0, toSqlDateTime(now)]], {
          key: ['name'], update: { position: 'keep', lease_until: 'keep', updated_at: 'keep' },
        });
        taken = await take(name, owner, until, now);
      }
      if (taken.changes === 0) return undefined;
      const state = await read(name);
      // Only a lease shorter than this round trip could have been taken over in between; then it is not ours.
      if (!state || state.owner !== owner || state.leaseUntil !== until) return undefined;
      return leaseOf(store, state.name, owner, leaseMs, state.position, until);
    },
  };
}

function leaseOf(store: CursorStore, name: string, owner: string, leaseMs: number, position: number, leaseUntil: number): CursorLease {
  const lease = {
    name, owner, leaseMs, position, leaseUntil,
    async renew(now: Date) {
      const until = now.getTime() + leaseMs;
      const r = await store.execute(`UPDATE ${T} SET lease_until = ?, updated_at = ? WHERE name = ? AND owner = ? AND lease_until >= ?`, [
        until, toSqlDateTime(now), name, owner, now.getTime(),
      ]);
      if (r.changes === 0) return false;
      lease.leaseUntil = until;
      return true;
    },
    async advance(to: number, now: Date) {
      if (!Number.isSafeInteger(to)) throw new AppError('internal', `cursor ${name}: position ${to} is not a whole number`);
      if (to < lease.position) throw new AppError('internal', `cursor ${name}: cannot move back from ${lease.position} to ${to}`);
      if (to === lease.position) return lease.renew(now);
      const until = now.getTime() + leaseMs;
      // The WHERE clause is the whole guarantee: a stale holder (its lease expired, maybe taken over) changes nothing.
      const r = await store.execute(
        `UPDATE ${T} SET position = ?, lease_until = ?, updated_at = ? WHERE name = ? AND owner = ? AND lease_until >= ? AND position < ?`,
        [to, until, toSqlDateTime(now), name, owner, now.getTime(), to],
      );
      if (r.changes === 0) return false;
      lease.position = to;
      lease.leaseUntil = until;
      return true;
    },
    async release(now: Date) {
      await store.execute(`UPDATE ${T} SET owner = NULL, lease_until = 0, updated_at = ? WHERE name = ? AND owner = ?`, [toSqlDateTime(now), name, owner]);
      lease.leaseUntil = 0;
    },
  };
  return lease;
}
