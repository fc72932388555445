/** The hook every consumer of an import's slices hangs on (the Gratia writer): called inside the import's transaction. */
import type { Transaction } from '../store/index.js';
import type { SliceChange } from './usage-store.js';

/** Where a change comes from, for a listener that keys or logs by it. */
export interface SliceContext {
  /** The OpenNebula endpoint (site or zone) the import read. */
  endpoint: string;
  /** The import's id in `accounting_imports`. */
  importId: number;
  /** The import's "now" (epoch seconds): open segments end here. */
  now: number;
  /** The accounting time zone the slices were cut in. */
  timeZone: string;
}

/**
 * Called with each batch of segments an import writes: the slices it removed (as they were stored) and the ones it
 * wrote, on `tx`, the import's own transaction. An import calls it once per batch (a few thousand segments), never
 * with a whole file at once. A listener that throws rolls the whole import back: nothing of the file is stored.
 * `removed` and `written` may hold the same slices when a re-import changed nothing; compare them by `sliceKey`.
 */
export type SliceListener = (tx: Transaction, change: SliceChange, context: SliceContext) => Promise<void>;
