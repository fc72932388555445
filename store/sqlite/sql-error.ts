/** SQLite driver errors in the store's vocabulary, and their passage across the query workers' thread boundary. */
import { AppError, ERROR_CODES, type ErrorCode } from '../../common/index.js';

/** SQLite's constraint codes that mean "a row with this key exists": MySQL's ER_DUP_ENTRY. */
const DUPLICATE_KEY = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** Gives a driver error the same code it gets on MySQL, so callers handle one vocabulary. */
export function sqlError(err: unknown, sql: string): unknown {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; message?: string };
  if (e.code !== undefined && DUPLICATE_KEY.has(e.code)) return new AppError('conflict', String(e.message), { sql }, { cause: err });
  if (err instanceof Error) return new AppError('internal', `SQL error: ${err.message}`, { sql }, { cause: err });
  return err;
}

/** An error as a query worker sends it back: structured clone would drop an AppError's class and code. */
export interface SerializedError {
  message: string;
  /** The driver's code (`SQLITE_...`) of a driver error. */
  driverCode?: string;
  /** The AppError code of an error the store's own code raised (an emulated function's bad_request, say). */
  appCode?: ErrorCode;
  context?: Record<string, unknown>;
}

/** What a worker sends for `err`, raised by the statement or the functions it called. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof AppError) return { message: err.message, appCode: err.code, context: { ...err.context } };
  const e = err as { code?: unknown; message?: unknown };
  const message = err instanceof Error ? err.message : String(err);
  return typeof e.code === 'string' ? { message, driverCode: e.code } : { message };
}

/** The error the calling thread raises for a worker's reply: the same one the inline path would have raised. */
export function deserializeError(e: SerializedError, sql: string): unknown {
  if (e.appCode !== undefined && (ERROR_CODES as readonly string[]).includes(e.appCode)) return new AppError(e.appCode, e.message, e.context ?? {});
  const err = Object.assign(new Error(e.message), e.driverCode !== undefined ? { code: e.driverCode } : {});
  return sqlError(err, sql);
}
