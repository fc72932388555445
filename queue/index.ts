/** The durable work queue and leased cursors over commit-ordered tables, on the store. */
export { CURSORS_TABLE, cursorMigrations } from './cursor-schema.js';
export { createCursors } from './cursor.js';
export type { CursorLease, CursorState, CursorStore, Cursors } from './cursor.js';
export { queueMigrations } from './queue-schema.js';
export { createQueue } from './work-queue.js';
export type { PurgeOptions, QueueOptions, WorkQueue } from './work-queue.js';
export { FinalFailure, ITEM_STATES, LANES, NotAttempted, QUEUE_MODES, QueueFullError } from './types.js';
export type { ClaimedItem, DeadItem, EnqueueItem, FailOutcome, FailureKind, ItemPlace, ItemState, Lane, QueueMode, QueueStats } from './types.js';
export { createConsumer } from './consumer.js';
export type { Consumer, ConsumerOptions, Scheduler } from './consumer.js';
