/** The access stage's tables: API tokens (stored as SHA-256 hashes only) and login sessions. */
import type { Migration } from '../store/index.js';

/** Migrations of stage `access`; run them with the other stages' before `createAccess` is used. */
export const accessMigrations: readonly Migration[] = [
  {
    stage: 'access',
    version: 1,
    name: 'api tokens and web sessions',
    steps: [
      {
        createTable: {
          name: 'api_tokens',
          columns: [
            { name: 'id', type: 'varchar', length: 32, notNull: true, binary: true },
            { name: 'name', type: 'varchar', length: 100, notNull: true },
            { name: 'user_name', type: 'varchar', length: 255, notNull: true, binary: true },
            { name: 'role', type: 'varchar', length: 16, notNull: true },
            // SHA-256 of the token, hex: the token itself is shown once at creation and never stored.
            { name: 'token_hash', type: 'varchar', length: 64, notNull: true, binary: true },
            // Who created it (null for the CLI), so an audit can tell.
            { name: 'created_by', type: 'varchar', length: 255, binary: true },
            { name: 'created_at', type: 'datetime', notNull: true },
            { name: 'last_used_at', type: 'datetime' },
            { name: 'revoked_at', type: 'datetime' },
          ],
          primaryKey: ['id'],
          indexes: [{ name: 'api_tokens_hash', columns: ['token_hash'], unique: true }],
        },
      },
      {
        createTable: {
          name: 'web_sessions',
          columns: [
            // SHA-256 of the cookie value, hex: a copy of this table does not let anyone log in.
            { name: 'id_hash', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'user_name', type: 'varchar', length: 255, notNull: true, binary: true },
            { name: 'role', type: 'varchar', length: 16, notNull: true },
            { name: 'csrf_secret', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'created_at', type: 'datetime', notNull: true },
            { name: 'expires_at', type: 'datetime', notNull: true },
          ],
          primaryKey: ['id_hash'],
          indexes: [{ name: 'web_sessions_expiry', columns: ['expires_at'] }],
        },
      },
    ],
  },
];
