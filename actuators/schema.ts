/** The dispatcher's tables (stage `actuators`): requests with their status, attempts, node states, and the claim lock. */
import type { Migration } from '../store/index.js';

export const REQUESTS_TABLE = 'actuator_requests';
export const ATTEMPTS_TABLE = 'actuator_attempts';
export const NODES_TABLE = 'actuator_nodes';
/** One row; every claim updates it first, so claims take turns across processes sharing the store. */
export const CLAIM_LOCK_TABLE = 'actuator_claim_lock';

/** Times are epoch milliseconds (bigint). */
export const actuatorMigrations: readonly Migration[] = [
  {
    stage: 'actuators',
    version: 1,
    name: 'dispatcher requests, attempts, node states and claim lock',
    steps: [
      {
        createTable: {
          name: REQUESTS_TABLE,
          columns: [
            // Auto-increment: the dispatch order a node's queue keeps (after urgency).
            { name: 'id', type: 'bigint', autoIncrement: true },
            { name: 'handle', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'actuator', type: 'varchar', length: 128, notNull: true, binary: true },
            { name: 'node', type: 'varchar', length: 190, notNull: true, binary: true },
            // 0 urgent, 1 normal: a node's queue runs by (lane_rank, id).
            { name: 'lane_rank', type: 'int', notNull: true },
            { name: 'status', type: 'varchar', length: 16, notNull: true },
            // JSON arrays/objects: the locks it holds while running (its node first) and its parameters.
            { name: 'locks', type: 'text', notNull: true },
            { name: 'params', type: 'text', notNull: true },
            { name: 'intrusive', type: 'int', notNull: true, default: 0 },
            { name: 'queued_at', type: 'bigint', notNull: true },
            { name: 'deadline', type: 'bigint', notNull: true },
            { name: 'started_at', type: 'bigint' },
            { name: 'ended_at', type: 'bigint' },
            { name: 'attempt', type: 'int', notNull: true, default: 0 },
            { name: 'owner', type: 'varchar', length: 64, binary: true },
            { name: 'lease_until', type: 'bigint' },
            { name: 'exit_code', type: 'int' },
            { name: 'output', type: 'text' },
            { name: 'note', type: 'text' },
          ],
          indexes: [
            { name: 'handle', columns: ['handle'], unique: true },
            { name: 'queue', columns: ['status', 'lane_rank', 'id'] },
            { name: 'node_status', columns: ['node', 'status', 'lane_rank', 'id'] },
            { name: 'ended', columns: ['status', 'ended_at'] },
          ],
        },
      },
      {
        createTable: {
          name: ATTEMPTS_TABLE,
          columns: [
            { name: 'request_id', type: 'bigint', notNull: true },
            { name: 'attempt', type: 'int', notNull: true },
            { name: 'owner', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'started_at', type: 'bigint', notNull: true },
            { name: 'ended_at', type: 'bigint' },
            { name: 'outcome', type: 'varchar', length: 16, notNull: true },
            { name: 'exit_code', type: 'int' },
          ],
          primaryKey: ['request_id', 'attempt'],
        },
      },
      {
        createTable: {
          name: NODES_TABLE,
          columns: [
            { name: 'node', type: 'varchar', length: 190, notNull: true, binary: true },
            { name: 'state', type: 'varchar', length: 16, notNull: true },
            { name: 'since', type: 'bigint', notNull: true },
            { name: 'reason', type: 'text' },
          ],
          primaryKey: ['node'],
        },
      },
      {
        createTable: {
          name: CLAIM_LOCK_TABLE,
          columns: [
            { name: 'id', type: 'int', notNull: true },
            { name: 'claims', type: 'bigint', notNull: true, default: 0 },
          ],
          primaryKey: ['id'],
        },
      },
      { sql: { sqlite: `INSERT OR IGNORE INTO ${CLAIM_LOCK_TABLE} (id, claims) VALUES (1, 0)`, mysql: `INSERT IGNORE INTO ${CLAIM_LOCK_TABLE} (id, claims) VALUES (1, 0)` } },
    ],
  },
];
