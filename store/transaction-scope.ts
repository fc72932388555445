/** Knows whether the caller runs inside one of this store's transactions, so a call on the store itself fails at once. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from '../common/index.js';

/**
 * Calling the store (not the transaction handle) inside `store.transaction` would wait forever on SQLite (the store
 * waits for the open transaction to end) and run outside the transaction on MySQL (another pooled connection).
 * AsyncLocalStorage follows the callback's awaits, so the store can tell and refuse with a clear error.
 */
export class TransactionScope {
  private readonly storage = new AsyncLocalStorage<{ open: boolean }>();

  /** Runs `fn` as the body of an open transaction; work it started that outlives the transaction is not "inside". */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const token = { open: true };
    try {
      return await this.storage.run(token, fn);
    } finally {
      token.open = false;
    }
  }

  /** Throws when called from inside an open transaction of this store. */
  assertOutside(call: string): void {
    if (!this.storage.getStore()?.open) return;
    throw new AppError(
      'internal',
      `store.${call}() was called inside store.transaction(): use the transaction handle (tx.${call}) there; the store itself would ` +
        'wait for the transaction to end (SQLite) or run outside it (MySQL)',
      { call },
    );
  }
}
