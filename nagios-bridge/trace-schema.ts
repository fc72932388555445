/** The bridge's trace tables (stage `nagios_trace`): each result as received, what happened to it per target, and deliveries per minute. */
import type { Migration } from '../store/index.js';

/** One row per result received (its dedup key): when, from which entry, by whom, and the targets it was queued for. */
export const TRACE_RESULTS_TABLE = 'nagios_trace_results';
/** What happened to a result at a target after it was queued: delivered, failed (retried later), dead, retried, discarded. */
export const TRACE_EVENTS_TABLE = 'nagios_trace_events';
/** Per target and minute: results delivered, failed attempts, and the outbox depth last sampled in that minute. */
export const MINUTES_TABLE = 'nagios_minutes';

export const nagiosTraceMigrations: readonly Migration[] = [
  {
    stage: 'nagios_trace',
    version: 1,
    name: 'per-result trace and per-minute delivery counts',
    steps: [
      {
        createTable: {
          name: TRACE_RESULTS_TABLE,
          columns: [
            // Auto-increment, so rows are in the order received: the purge and "newest first" read the id alone. No other
            // index: each one cost about a quarter of the enqueue rate (measured); searches scan the bounded table off the event loop.
            { name: 'id', type: 'bigint', autoIncrement: true },
            // The outbox's dedup key (sha256 hex of the result), which the events name; not indexed, to keep enqueue cheap.
            { name: 'result_key', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'kind', type: 'varchar', length: 8, notNull: true },
            { name: 'host', type: 'varchar', length: 190, notNull: true, binary: true },
            // '' for a host result.
            { name: 'service', type: 'varchar', length: 190, notNull: true, binary: true, default: '' },
            { name: 'state', type: 'int', notNull: true },
            { name: 'output', type: 'text', notNull: true },
            { name: 'check_time', type: 'bigint', notNull: true },
            { name: 'received_at', type: 'bigint', notNull: true },
            { name: 'source', type: 'varchar', length: 16, notNull: true },
            { name: 'submitted_by', type: 'varchar', length: 190 },
            // The targets it was queued for, comma-separated (target names hold no comma).
            { name: 'targets', type: 'text', notNull: true },
          ],
        },
      },
      {
        createTable: {
          name: TRACE_EVENTS_TABLE,
          columns: [
            { name: 'id', type: 'bigint', autoIncrement: true },
            { name: 'result_key', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'target', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'event', type: 'varchar', length: 16, notNull: true },
            { name: 'at', type: 'bigint', notNull: true },
            { name: 'attempt', type: 'int' },
            { name: 'detail', type: 'text' },
          ],
          indexes: [{ name: 'by_result', columns: ['result_key', 'id'] }],
        },
      },
      {
        createTable: {
          name: MINUTES_TABLE,
          columns: [
            { name: 'target', type: 'varchar', length: 64, notNull: true, binary: true },
            // Epoch ms of the minute's start.
            { name: 'minute', type: 'bigint', notNull: true },
            { name: 'delivered', type: 'bigint', notNull: true, default: 0 },
            { name: 'failed', type: 'bigint', notNull: true, default: 0 },
            // Unfinished results when last sampled in this minute; NULL when no sample fell in it.
            { name: 'depth', type: 'bigint' },
            // The minute's last failure, so the page's "last error" is one primary-key read.
            { name: 'last_error', type: 'text' },
            { name: 'last_error_at', type: 'bigint' },
          ],
          primaryKey: ['target', 'minute'],
        },
      },
    ],
  },
];
