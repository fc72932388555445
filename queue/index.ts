/** The durable work queue and leased cursors over commit-ordered tables, on the store. */
export { CURSORS_TABLE, cursorMigrations } from './cursor-schema.js';
export { createCursors } from './cursor.js';
export type { CursorLease, CursorState, CursorStore, Cursors } from './cursor.js';
