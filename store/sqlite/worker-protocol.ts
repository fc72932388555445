/** The messages between the SQLite store and its query workers, and the values that change shape on the way. */
import type { ArrayResult, Row } from '../types.js';
import type { Bindable } from './bind.js';
import type { SerializedError } from './sql-error.js';

/** What a worker is started with. */
export interface WorkerSetup {
  /** The store's database file, opened read-only by the worker. */
  file: string;
  /** Lower-cased binary text columns, learnt by the store from its migrations (REGEXP's case rule). */
  caseSensitiveColumns: string[];
}

/** How rows come back: arrays with the column names (`queryArrays`) or objects (`query`). */
export type RowShape = 'arrays' | 'objects';

/** One statement for a worker. */
export interface WorkerJob {
  id: number;
  /** The MySQL-dialect statement as the caller wrote it; the worker translates it as the store does. */
  sql: string;
  params: Bindable[];
  shape: RowShape;
  /** The store's clock read when the statement was sent: NOW() is the statement's start time, as in MySQL. */
  nowMs: number;
}

export type WorkerReply = { id: number; result: ArrayResult | Row[] } | { id: number; error: SerializedError };

/** What a worker sends once, when its connection is open and its functions registered. */
export interface WorkerReady {
  ready: true;
}

/**
 * Structured clone turns a Buffer into a plain Uint8Array: make it a Buffer again, so a BLOB reads (and binds)
 * as it does inline. Rows are changed in place; a cell is only replaced when it is binary.
 */
export function reviveBuffers(values: unknown[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) values[i] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
}

/** {@link reviveBuffers} for every row of a result. */
export function reviveResult(result: ArrayResult | Row[]): void {
  if (Array.isArray(result)) {
    for (const row of result) {
      for (const [k, v] of Object.entries(row)) if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    }
    return;
  }
  for (const row of result.rows) reviveBuffers(row);
}
