/**
 * The one way samples are written. Concurrent writes are coalesced into one transaction (group commit), so one
 * record per request still costs one commit per batch, not per request. Each transaction first locks the
 * sequence row and takes its ids from it: ids are therefore handed out in commit order, across processes too,
 * and a reader that has seen id N has seen every id below N (the export's cursor relies on it).
 */
import { mapInSlices } from '../common/index.js';
import type { Queryable, SqlValue, Store } from '../store/index.js';
import { recordLatest } from './latest-samples.js';
import { SAMPLE_SEQUENCE } from './migrations.js';
import type { StoredSample } from './types.js';

/** What a write job sees inside the transaction. */
export interface WriteContext {
  tx: Queryable;
  /** Reserves `n` consecutive sample ids; returns the first. */
  reserve(n: number): number;
}

/** A job: does its own writes in `tx` and returns the samples to insert (ids from `reserve`) and its result. */
export type WriteJob<T> = (ctx: WriteContext) => Promise<{ samples: StoredSample[]; result: T }>;

export interface SampleWriterOptions {
  store: Pick<Store, 'transaction' | 'backend'>;
  /** Runs in the transaction before the samples are inserted (declares new metrics). */
  beforeInsert(tx: Queryable, samples: readonly StoredSample[]): Promise<void>;
  /** Runs after each commit, in commit order, with that commit's samples in id order (the next commit waits for it). */
  afterCommit(samples: readonly StoredSample[]): void | Promise<void>;
  /** Most samples one transaction takes from the queue (a single larger job still runs alone). */
  maxSamplesPerCommit?: number;
}

/** Extra event-loop turns a commit waits for jobs still arriving. */
const MAX_EXTRA_TURNS = 3;

export const SAMPLE_COLUMNS = ['id', 'node', 'metric', 'time', 'value', 'source', 'summary', 'details', 'tags'] as const;

export function sampleRow(s: StoredSample): SqlValue[] {
  return [s.id, s.node, s.metric, s.time, s.value, s.source, s.summary ?? null, s.details ?? null, s.tags && Object.keys(s.tags).length ? JSON.stringify(s.tags) : null];
}

/**
 * The jobs' samples in job order. One job (a large body) hands its own array on; several are joined by a plain loop:
 * `flatMap` over a batch holding 50,000 samples took a fifth of a 40 ms event-loop stall.
 */
function allSamples(outs: readonly { samples: StoredSample[] }[]): StoredSample[] {
  if (outs.length === 1) return outs[0]!.samples;
  const all: StoredSample[] = [];
  for (const o of outs) for (const s of o.samples) all.push(s);
  return all;
}

interface Queued {
  job: WriteJob<unknown>;
  /** Samples the job is expected to bring, for batch sizing (a function when the job still grows until it runs). */
  weight: number | (() => number);
  resolve(value: { samples: StoredSample[]; result: unknown }): void;
  reject(err: unknown): void;
}

export class SampleWriter {
  private readonly queue: Queued[] = [];
  private running = false;
  private idle: Promise<void> = Promise.resolve();
  private readonly maxPerCommit: number;

  constructor(private readonly options: SampleWriterOptions) {
    this.maxPerCommit = options.maxSamplesPerCommit ?? 10_000;
  }

  /** Queues a job; resolves after its transaction committed and subscribers were notified. */
  submit<T>(job: WriteJob<T>, weight: number | (() => number)): Promise<{ samples: StoredSample[]; result: T }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, weight, resolve: resolve as Queued['resolve'], reject });
      if (!this.running) {
        this.running = true;
        this.idle = this.drain();
      }
    });
  }

  /** Settles when everything queued so far is written. */
  async flush(): Promise<void> {
    while (this.running) await this.idle;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        // SQLite answers synchronously, so without this a whole commit would run in microtasks before the next
        // request's job could even be queued: one commit per request. Yielding once lets concurrent requests join.
        await new Promise<void>((resolve) => setImmediate(resolve));
        // While requests are still arriving (the queue grew during the yield), give them a few more turns to join:
        // on SQLite each commit's cost is mostly its pages, so fewer, fuller commits are faster.
        for (let turns = 0, seen = 0; turns < MAX_EXTRA_TURNS && this.queue.length > seen; turns++) {
          seen = this.queue.length;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        let weight = 0;
        let n = 0;
        const weightOf = (q: Queued) => (typeof q.weight === 'number' ? q.weight : q.weight());
        while (n < this.queue.length && (n === 0 || weight + weightOf(this.queue[n]!) <= this.maxPerCommit)) weight += weightOf(this.queue[n++]!);
        const batch = this.queue.splice(0, n);
        await this.runBatch(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: Queued[]): Promise<void> {
    let outs: { samples: StoredSample[]; result: unknown }[];
    try {
      outs = await this.commit(batch.map((q) => q.job));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // One job's failure must not fail the others: run each alone, so each gets its own outcome.
      for (const q of batch) await this.runBatch([q]);
      return;
    }
    // Committed: from here nothing may send the batch round again.
    try {
      await this.options.afterCommit(allSamples(outs));
    } catch {
      // afterCommit reports its own failures; the writes stand.
    }
    batch.forEach((q, i) => q.resolve(outs[i]!));
  }

  private async commit(jobs: readonly WriteJob<unknown>[]): Promise<{ samples: StoredSample[]; result: unknown }[]> {
    const lockSql = `SELECT next_id FROM collector_sequences WHERE name = ?${this.options.store.backend === 'mysql' ? ' FOR UPDATE' : ''}`;
    return this.options.store.transaction(async (tx) => {
      const [row] = await tx.query<{ next_id: number | string }>(lockSql, [SAMPLE_SEQUENCE]);
      if (!row) throw new Error('the collector_sequences row is missing; run the collector migrations');
      const first = Number(row.next_id);
      let next = first;
      const ctx: WriteContext = {
        tx,
        reserve(n) {
          const id = next;
          next += n;
          return id;
        },
      };
      const outs: { samples: StoredSample[]; result: unknown }[] = [];
      for (const job of jobs) outs.push(await job(ctx));
      const samples = allSamples(outs);
      if (samples.length) {
        await this.options.beforeInsert(tx, samples);
        // In slices: 100,000 rows made in one go held the event loop for a fifth of a second.
        await tx.insertMany('samples', SAMPLE_COLUMNS, await mapInSlices(samples, sampleRow));
        // In the same transaction: the latest-sample rows never name a sample that is not committed, nor miss one that is.
        await recordLatest(tx, this.options.store.backend, samples);
      }
      if (next !== first) await tx.execute('UPDATE collector_sequences SET next_id = ? WHERE name = ?', [next, SAMPLE_SEQUENCE]);
      return outs;
    });
  }
}
