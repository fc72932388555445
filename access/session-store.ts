/** Login sessions in the `web_sessions` table, keyed by the SHA-256 of the cookie value; expired rows go lazily. */
import { randomBytes } from 'node:crypto';
import { toSqlDateTime, type Clock } from '../common/index.js';
import { isRole, type Role } from './roles.js';
import { storedTimeMs } from './stored-time.js';
import { sha256Hex, type AccessDb } from './token-store.js';

export interface Session {
  user: string;
  /** The role at login (the current role comes from the settings). */
  role: Role;
  csrfSecret: string;
  expiresAt: Date;
}

export interface SessionStore {
  /** A new session; `cookie` is the value for the session cookie, never stored as it is. */
  create(user: string, role: Role, hours: number): Promise<{ cookie: string } & Session>;
  /** The unexpired session for a cookie value; an expired one is deleted on the way. */
  find(cookie: string): Promise<Session | undefined>;
  destroy(cookie: string): Promise<void>;
  /** Deletes every session expired at `now`; returns how many. */
  prune(now: Date): Promise<number>;
}

export function createSessionStore(store: AccessDb, clock: Clock): SessionStore {
  return {
    async create(user, role, hours) {
      const cookie = randomBytes(32).toString('base64url');
      const csrfSecret = randomBytes(24).toString('base64url');
      const now = clock();
      // Whole seconds: DATETIME keeps no fraction, and the cookie's Max-Age should match the row.
      const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + Math.round(hours * 3600) * 1000);
      await store.execute(
        'INSERT INTO web_sessions (id_hash, user_name, role, csrf_secret, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
        [sha256Hex(cookie), user, role, csrfSecret, toSqlDateTime(now), toSqlDateTime(expiresAt)],
      );
      return { cookie, user, role, csrfSecret, expiresAt };
    },
    async find(cookie) {
      const idHash = sha256Hex(cookie);
      const rows = await store.query<Record<string, unknown>>('SELECT user_name, role, csrf_secret, expires_at FROM web_sessions WHERE id_hash = ?', [idHash]);
      const row = rows[0];
      if (!row) return undefined;
      const expires = storedTimeMs(row.expires_at);
      if (!(expires > clock().getTime()) || !isRole(row.role)) {
        await store.execute('DELETE FROM web_sessions WHERE id_hash = ?', [idHash]);
        return undefined;
      }
      return { user: String(row.user_name), role: row.role, csrfSecret: String(row.csrf_secret), expiresAt: new Date(expires) };
    },
    async destroy(cookie) {
      await store.execute('DELETE FROM web_sessions WHERE id_hash = ?', [sha256Hex(cookie)]);
    },
    async prune(now) {
      const result = await store.execute('DELETE FROM web_sessions WHERE expires_at <= ?', [toSqlDateTime(now)]);
      return result.changes;
    },
  };
}
