/**
 * The SQLite store's query workers: a statement given a timeout runs in a worker thread on its own read-only
 * connection, so it neither blocks the event loop nor keeps its caller waiting past the timeout.
 *
 * What `worker.terminate()` does to a statement in progress (measured on Node 20.20, better-sqlite3 12): V8 stops a
 * thread only when control is in JavaScript.
 * - A statement that calls an emulated MySQL function (REGEXP, DATE_FORMAT, UNIX_TIMESTAMP, TRUNCATE, IF, ...: all
 *   JavaScript callbacks, and GraphTool's queries use them on every row) stops at the next call: the thread is gone
 *   within milliseconds.
 * - A statement that stays in SQLite's C code (a `WITH RECURSIVE` count, a pure-SQL aggregate) is not stopped:
 *   better-sqlite3 exposes neither `sqlite3_interrupt` nor a progress handler, so the thread runs the statement to
 *   its end and only then exits. Measured: a 30,000,000-row recursive count terminated at 1.0 s left its thread at
 *   4.9 s; counting to 1e9 keeps a core busy for about 2 min 45 s. Until then its read snapshot holds back WAL
 *   checkpoints, and the process cannot exit either (Node joins the thread, even on `process.exit()`).
 * The caller is answered at the timeout either way, and a new worker takes the slot. The terminated threads still
 * running are counted; at `maxAbandoned` of them, timed statements are refused (503) rather than starting more
 * threads that cannot be stopped. Only a child process (SIGKILL) could stop such a statement at once.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../common/index.js';
import type { ArrayResult, Row } from '../types.js';
import type { Bindable } from './bind.js';
import { deserializeError } from './sql-error.js';
import { reviveResult, type RowShape, type WorkerJob, type WorkerReady, type WorkerReply, type WorkerSetup } from './worker-protocol.js';

export interface QueryWorkerPoolOptions {
  /** The database file (never `:memory:`: another connection could not see it). */
  file: string;
  /** Workers kept (1 to 4; default 3). */
  size?: number;
  /** Terminated workers still finishing a statement in SQLite beyond which timed statements are refused (default 2). */
  maxAbandoned?: number;
}

/** Counts for status pages and tests. */
export interface QueryWorkerStats {
  /** Workers in the pool (busy or idle). */
  live: number;
  idle: number;
  /** Terminated at a timeout, still running their statement to its end. */
  abandoned: number;
  /** Statements answered with the timeout error since the store opened. */
  timedOut: number;
}

interface Pending {
  sql: string;
  resolve: (result: ArrayResult | Row[]) => void;
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  /** Settles when the worker has opened its connection (rejects if it fails first). */
  ready: Promise<void>;
  markReady: () => void;
  failBoot: (err: unknown) => void;
  /** The columns generation the worker translates with (see setCaseSensitiveColumns). */
  generation: number;
  pending?: Pending;
  /** Out of the pool: terminated, abandoned or failed. */
  gone: boolean;
}

/** Starts a worker running query-worker: compiled JavaScript as is, or the TypeScript source through tsx. */
function startWorker(setup: WorkerSetup): Worker {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new Worker(new URL('./query-worker.js', here), { workerData: setup });
  // From sources (tsx, vitest) the worker is TypeScript too; on Node 20 the parent's loader hooks do not reach a
  // worker, so tsx's API loads it. tsx is a development dependency: the built appliance never takes this path.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./query-worker.ts', here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(here)}))`;
  return new Worker(boot, { eval: true, workerData: setup, execArgv: [] });
}

/** `1000` as `1`, `1500` as `1.5`: the timeout in the seconds sql_query_timeout is given in. */
const seconds = (ms: number): string => String(ms / 1000);

/**
 * Workers by default: three, so that the graph server's per-client limits (one run per anonymous address, two per
 * user) always leave one to everyone else; more would only share the same cores.
 */
const DEFAULT_WORKERS = 3;
const MAX_WORKERS = 4;

/** Node's timers take at most 2^31-1 ms; a longer delay fires at once, which would fail every statement at the start. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A pool of 1–4 query workers, started on first use and reused. */
export class QueryWorkerPool {
  private readonly size: number;
  private readonly maxAbandoned: number;
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly abandoned = new Set<Worker>();
  private columns: string[] = [];
  private generation = 0;
  private nextId = 0;
  private timedOut = 0;
  private closed = false;

  constructor(private readonly options: QueryWorkerPoolOptions) {
    this.size = Math.min(MAX_WORKERS, Math.max(1, options.size ?? DEFAULT_WORKERS));
    this.maxAbandoned = Math.max(1, options.maxAbandoned ?? 2);
  }

  /** The binary columns learnt from migrations: workers started before translate with the old set, so they retire. */
  setCaseSensitiveColumns(columns: Iterable<string>): void {
    this.columns = [...columns];
    this.generation++;
    for (const slot of this.idle.splice(0)) this.retire(slot);
  }

  stats(): QueryWorkerStats {
    return { live: this.slots.size, idle: this.idle.length, abandoned: this.abandoned.size, timedOut: this.timedOut };
  }

  /**
   * Runs a read-only statement on a worker; rejects with an `unavailable` AppError when it runs past `timeoutMs`
   * (counted from when a started worker takes it, as MariaDB's max_statement_time counts the statement alone: a
   * worker's start, about 0.1 s compiled and 0.3 s from TypeScript sources, is not the statement's time).
   */
  async run(sql: string, params: Bindable[], shape: RowShape, nowMs: number, timeoutMs: number): Promise<ArrayResult | Row[]> {
    if (!(timeoutMs > 0) || !(timeoutMs <= MAX_TIMER_MS)) {
      throw new AppError('internal', `statement timeout ${timeoutMs} ms is not a positive number of at most ${MAX_TIMER_MS} ms (Node's longest timer)`);
    }
    if (this.abandoned.size >= this.maxAbandoned) {
      const n = this.abandoned.size;
      throw new AppError(
        'unavailable',
        `SQLite is still finishing ${n} statement${n === 1 ? '' : 's'} stopped at sql_query_timeout (SQLite cannot interrupt them); timed queries are refused until one ends`,
        { abandoned: n },
      );
    }
    const slot = await this.acquire();
    await slot.ready;
    if (slot.gone) throw new AppError('unavailable', 'the SQLite query worker stopped before the statement was sent', { sql });
    const job: WorkerJob = { id: ++this.nextId, sql, params, shape, nowMs };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.abandon(slot, timeoutMs), timeoutMs);
      slot.pending = { sql, resolve, reject, timer };
      slot.worker.ref();
      slot.worker.postMessage(job);
    });
  }

  /**
   * Starts one worker in the background when none is live, so the next statement finds it ready: a worker's start
   * (0.3 s from TypeScript sources, seconds on a loaded machine) is otherwise paid by the first health read that
   * arrives while a large write transaction is open.
   */
  warm(): void {
    if (this.closed || this.slots.size > 0) return;
    const slot = this.spawn();
    slot.ready.then(
      () => {
        if (!slot.gone && !slot.pending) this.release(slot);
      },
      () => undefined,
    );
  }

  /** Terminates the workers. Abandoned ones are not waited for: they may be inside SQLite for a long while. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle.splice(0);
    for (const slot of [...this.slots]) {
      if (idle.includes(slot)) continue;
      this.fail(slot, new AppError('unavailable', 'the SQLite store was closed while the statement ran', { sql: slot.pending?.sql }));
    }
    for (const wake of this.waiters.splice(0)) wake();
    await Promise.all(
      idle.map((slot) => {
        slot.gone = true;
        this.slots.delete(slot);
        return slot.worker.terminate();
      }),
    );
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new AppError('unavailable', 'the SQLite store is closed');
      const slot = this.idle.pop();
      if (slot) return slot;
      if (this.slots.size < this.size) return this.spawn();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private spawn(): Slot {
    const worker = startWorker({ file: this.options.file, caseSensitiveColumns: this.columns });
    let markReady!: () => void;
    let failBoot!: (err: unknown) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failBoot = reject;
    });
    // Only the caller that started the worker awaits it; a boot failure is not unhandled meanwhile.
    ready.catch(() => {});
    const slot: Slot = { worker, ready, markReady, failBoot, generation: this.generation, gone: false };
    this.slots.add(slot);
    worker.on('message', (reply: WorkerReply | WorkerReady) => ('ready' in reply ? slot.markReady() : this.settle(slot, reply)));
    worker.on('error', (err) => this.fail(slot, new AppError('internal', `SQLite query worker failed: ${err.message}`, {}, { cause: err })));
    worker.on('exit', (code) => this.fail(slot, new AppError('internal', `SQLite query worker exited (code ${code})`)));
    return slot;
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    const pending = slot.pending;
    if (!pending || slot.gone) return;
    clearTimeout(pending.timer);
    slot.pending = undefined;
    this.release(slot);
    if ('error' in reply) {
      pending.reject(deserializeError(reply.error, pending.sql));
    } else {
      reviveResult(reply.result);
      pending.resolve(reply.result);
    }
  }

  private release(slot: Slot): void {
    if (this.closed || slot.generation !== this.generation) {
      this.retire(slot);
    } else {
      // An idle worker must not keep the process alive; a busy one must, or an awaited query could be cut short.
      slot.worker.unref();
      this.idle.push(slot);
    }
    this.waiters.shift()?.();
  }

  private retire(slot: Slot): void {
    slot.gone = true;
    this.slots.delete(slot);
    void slot.worker.terminate();
  }

  private abandon(slot: Slot, timeoutMs: number): void {
    const pending = slot.pending;
    if (!pending || slot.gone) return;
    slot.pending = undefined;
    slot.gone = true;
    this.slots.delete(slot);
    this.timedOut++;
    const { worker } = slot;
    this.abandoned.add(worker);
    worker.unref();
    // Resolves when the thread has exited: at once from JavaScript, after the statement from inside SQLite.
    void worker.terminate().finally(() => this.abandoned.delete(worker));
    this.waiters.shift()?.();
    pending.reject(
      new AppError('unavailable', `SQL error: the statement ran past sql_query_timeout of ${seconds(timeoutMs)} s and was stopped`, { sql: pending.sql, timeoutMs }),
    );
  }

  private fail(slot: Slot, err: AppError): void {
    if (slot.gone) return;
    slot.gone = true;
    this.slots.delete(slot);
    const at = this.idle.indexOf(slot);
    if (at >= 0) this.idle.splice(at, 1);
    slot.failBoot(err);
    const pending = slot.pending;
    slot.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(err);
    }
    // Closing the store must not wait for a statement that cannot be stopped (see the module comment).
    slot.worker.unref();
    void slot.worker.terminate();
    this.waiters.shift()?.();
  }
}
