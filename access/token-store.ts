/**
 * API tokens in the `api_tokens` table: created with a secret shown once, looked up by its SHA-256, revoked by id.
 * A token belongs to a user of the users file, or is a service token tied to no user (stored with an empty user name).
 */
import { createHash, randomBytes } from 'node:crypto';
import { toSqlDateTime, type Clock } from '../common/index.js';
import type { Store } from '../store/index.js';
import { isRole, type Role } from './roles.js';
import { storedTimeIso, storedTimeMs } from './stored-time.js';

/** A token as listed: everything but its secret. Times are ISO 8601, or null. */
export interface TokenInfo {
  id: string;
  name: string;
  /** The user the token acts for; null for a service token. */
  user: string | null;
  role: Role;
  createdBy: string | null;
  createdAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A new token: `token` is the secret, returned this once and stored only as a hash. */
export interface CreatedToken {
  id: string;
  token: string;
}

/** A token found by its secret: `user` null for a service token. */
export interface VerifiedToken {
  id: string;
  user: string | null;
  role: Role;
}

export interface TokenStore {
  /** `user` null makes a service token; the caller has checked that a named user exists. */
  create(name: string, user: string | null, role: Role, createdBy?: string | null): Promise<CreatedToken>;
  list(): Promise<TokenInfo[]>;
  /** Revokes a token; false when there is no token with this id. Revoking twice keeps the first time. */
  revoke(id: string): Promise<boolean>;
  /** The user and stored role of a valid (known, unrevoked) token; marks it used at most once a minute. */
  verify(token: string): Promise<VerifiedToken | undefined>;
}

/** What the token and session stores need of the store. */
export type AccessDb = Pick<Store, 'query' | 'execute'>;

const TOKEN_PREFIX = 'fa_';
// Writing last_used_at on every request would turn every API read into a write; a minute is precise enough.
const TOUCH_INTERVAL_MS = 60_000;
// user_name is NOT NULL and no user name is empty (the users file and the API refuse one), so '' marks a service token.
const SERVICE_USER = '';
const userOf = (stored: unknown): string | null => {
  const name = typeof stored === 'string' ? stored : Buffer.isBuffer(stored) ? stored.toString('utf8') : SERVICE_USER;
  return name === SERVICE_USER ? null : name;
};

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function createTokenStore(store: AccessDb, clock: Clock): TokenStore {
  return {
    async create(name, user, role, createdBy = null) {
      const id = randomBytes(8).toString('hex');
      // 256 random bits: a hash without salt or stretching is enough, as nobody can guess such a secret.
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      await store.execute(
        'INSERT INTO api_tokens (id, name, user_name, role, token_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, name, user ?? SERVICE_USER, role, sha256Hex(token), createdBy, toSqlDateTime(clock())],
      );
      return { id, token };
    },
    async list() {
      const rows = await store.query<Record<string, unknown>>(
        'SELECT id, name, user_name, role, created_by, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY created_at, id',
      );
      return rows.map((r) => ({
        id: String(r.id),
        name: String(r.name),
        user: userOf(r.user_name),
        role: isRole(r.role) ? r.role : 'viewer',
        createdBy: typeof r.created_by === 'string' ? r.created_by : null,
        createdAt: storedTimeIso(r.created_at),
        lastUsedAt: storedTimeIso(r.last_used_at),
        revokedAt: storedTimeIso(r.revoked_at),
      }));
    },
    async revoke(id) {
      const found = await store.query('SELECT id FROM api_tokens WHERE id = ?', [id]);
      if (!found.length) return false;
      await store.execute('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [toSqlDateTime(clock()), id]);
      return true;
    },
    async verify(token) {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
      const rows = await store.query<Record<string, unknown>>(
        'SELECT id, user_name, role, last_used_at FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL',
        [sha256Hex(token)],
      );
      const row = rows[0];
      if (!row || !isRole(row.role)) return undefined;
      const now = clock();
      const last = storedTimeMs(row.last_used_at);
      if (Number.isNaN(last) || now.getTime() - last >= TOUCH_INTERVAL_MS) {
        await store.execute('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [toSqlDateTime(now), String(row.id)]);
      }
      return { id: String(row.id), user: userOf(row.user_name), role: row.role };
    },
  };
}
