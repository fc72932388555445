/** The work queue's tables (stage `queue`): one row per work item, one claim-lock row and one depth row per queue. */
import type { Migration } from '../store/index.js';

/** The table of every queue's items. */
export const ITEMS_TABLE = 'queue_items';
/** One row per queue; a claim updates it first, so claims of one queue take turns across processes. */
export const CLAIMS_TABLE = 'queue_claims';
/** One row per queue: its unfinished (queued + leased) items, kept in the transactions that change them. */
export const DEPTH_TABLE = 'queue_depth';

/** Backfills the depth rows from the items already stored; re-runnable (a row already there is kept). */
const backfillDepth = (insertIgnore: string) =>
  `${insertIgnore} INTO ${DEPTH_TABLE} (queue, unfinished) SELECT queue, COUNT(*) FROM ${ITEMS_TABLE} WHERE state IN ('queued', 'leased') GROUP BY queue`;

/** Migrations of stage `queue`. Times are epoch milliseconds (bigint): leases and backoff need sub-second precision. */
export const queueMigrations: readonly Migration[] = [
  {
    stage: 'queue',
    version: 1,
    name: 'work queue items and claim locks',
    steps: [
      {
        createTable: {
          name: ITEMS_TABLE,
          columns: [
            // Auto-increment: the enqueue order that ordered queues keep within a partition.
            { name: 'id', type: 'bigint', autoIncrement: true },
            { name: 'queue', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'partition_key', type: 'varchar', length: 190, notNull: true, binary: true, default: '' },
            { name: 'lane', type: 'varchar', length: 8, notNull: true },
            // 0 urgent, 1 normal: claims order by (lane_rank, id), so urgent work of a partition goes first.
            { name: 'lane_rank', type: 'int', notNull: true },
            { name: 'payload', type: 'text', notNull: true },
            { name: 'state', type: 'varchar', length: 8, notNull: true },
            { name: 'attempts', type: 'int', notNull: true, default: 0 },
            { name: 'next_attempt_at', type: 'bigint', notNull: true },
            { name: 'lease_owner', type: 'varchar', length: 190, binary: true },
            { name: 'lease_until', type: 'bigint' },
            // Unique per claim: complete/fail/renew act only on the claim that leased the item.
            { name: 'claim_token', type: 'varchar', length: 64, binary: true },
            { name: 'last_error', type: 'text' },
            { name: 'error_class', type: 'varchar', length: 16 },
            { name: 'dedup_key', type: 'varchar', length: 190, binary: true },
            { name: 'created_at', type: 'bigint', notNull: true },
            { name: 'done_at', type: 'bigint' },
          ],
          indexes: [
            { name: 'ready', columns: ['queue', 'state', 'lane_rank', 'id'] },
            { name: 'partition', columns: ['queue', 'state', 'partition_key', 'lane_rank', 'id'] },
            { name: 'dedup', columns: ['queue', 'dedup_key'], unique: true },
            { name: 'token', columns: ['claim_token'] },
          ],
        },
      },
      {
        createTable: {
          name: CLAIMS_TABLE,
          columns: [
            { name: 'queue', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'claims', type: 'bigint', notNull: true, default: 0 },
          ],
          primaryKey: ['queue'],
        },
      },
    ],
  },
  {
    stage: 'queue',
    version: 2,
    name: 'unfinished items counted per queue',
    steps: [
      {
        createTable: {
          name: DEPTH_TABLE,
          columns: [
            { name: 'queue', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'unfinished', type: 'bigint', notNull: true, default: 0 },
          ],
          primaryKey: ['queue'],
        },
      },
      { sql: { sqlite: backfillDepth('INSERT OR IGNORE'), mysql: backfillDepth('INSERT IGNORE') } },
    ],
  },
];
