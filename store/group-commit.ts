/**
 * Group commit: write jobs that arrive together share one transaction, so many small acknowledged writes cost one
 * commit (one fsync on the durable embedded store) instead of one each. A shared transaction that fails is run again
 * job by job, so each job gets its own outcome: one job's refusal (a full queue, say) is not the others'.
 */
import type { Store, Transaction } from './types.js';

/** Runs write jobs in transactions shared with the jobs that arrive in the same turn of the event loop. */
export interface GroupCommit {
  /** Resolves with `job`'s result once its transaction committed; rejects with its own failure. */
  run<T>(job: (tx: Transaction) => Promise<T>): Promise<T>;
}

export interface GroupCommitOptions {
  /** Most jobs one transaction takes (default 256); the rest go in the next. */
  maxJobs?: number;
}

interface Queued {
  job: (tx: Transaction) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/**
 * A job may run twice (in a shared transaction that rolled back, then alone), so it must keep its effects inside the
 * transaction; anything it does after the commit belongs after `run` resolves.
 */
export function createGroupCommit(store: Pick<Store, 'transaction'>, options: GroupCommitOptions = {}): GroupCommit {
  const maxJobs = options.maxJobs ?? 256;
  const queue: Queued[] = [];
  let draining = false;

  const alone = async (q: Queued) => {
    try {
      q.resolve(await store.transaction(q.job));
    } catch (err) {
      q.reject(err);
    }
  };

  const together = async (batch: Queued[]) => {
    if (batch.length === 1) return alone(batch[0]!);
    let results: unknown[];
    try {
      results = await store.transaction(async (tx) => {
        const out: unknown[] = [];
        for (const q of batch) out.push(await q.job(tx));
        return out;
      });
    } catch {
      for (const q of batch) await alone(q);
      return;
    }
    batch.forEach((q, i) => q.resolve(results[i]));
  };

  const drain = async () => {
    draining = true;
    try {
      while (queue.length) {
        // One turn first: the jobs of requests that arrived together (SQLite answers inline) join this transaction.
        await new Promise<void>((resolve) => setImmediate(resolve));
        await together(queue.splice(0, maxJobs));
      }
    } finally {
      draining = false;
    }
  };

  return {
    run<T>(job: (tx: Transaction) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ job, resolve, reject });
        if (!draining) void drain();
      });
    },
  };
}
