/**
 * Checkpoints the embedded store's WAL on a worker thread with its own connection. SQLite's automatic checkpoint runs
 * inside the COMMIT that crosses the threshold, on the event loop: after a 100,000-row batch it copied and fsynced
 * megabytes there and held /healthz for seconds.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** WAL size beyond which a commit asks for a checkpoint: SQLite's own default threshold (1,000 pages of 4 KB). */
const CHECKPOINT_BYTES = 4 * 1024 * 1024;

/** Plain JavaScript (no loader needed): a PASSIVE checkpoint per message, never waiting on readers or the writer. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = ' + workerData.synchronous);
parentPort.on('message', (m) => {
  if (m === 'close') { db.close(); parentPort.close(); return; }
  try { db.pragma('wal_checkpoint(PASSIVE)'); parentPort.postMessage('done'); }
  catch (err) { parentPort.postMessage('failed: ' + err.message); }
});
`;

export interface WalCheckpointerOptions {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  /** Where a failed checkpoint is reported (it is retried at the next commit). */
  onError?: (message: string) => void;
}

/** One checkpoint at a time; requests while one runs are folded into one more run after it. */
export class WalCheckpointer {
  private readonly worker: Worker;
  private running = false;
  private again = false;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();
  private settle: (() => void) | undefined;

  constructor(private readonly options: WalCheckpointerOptions) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: options.file, synchronous: options.synchronous, driver } });
    this.worker.on('message', (m: string) => {
      if (m !== 'done') options.onError?.(`WAL checkpoint ${m}`);
      this.running = false;
      if (this.again && !this.closed) this.start();
      else this.settle?.();
    });
    this.worker.on('error', (err) => options.onError?.(`WAL checkpoint worker: ${err.message}`));
    // The store must not be kept alive by its checkpointer.
    this.worker.unref();
  }

  /** After a commit: asks for a checkpoint when the WAL has grown past the threshold. Cheap (one stat). */
  afterCommit(): void {
    if (this.closed) return;
    let size: number;
    try {
      size = statSync(`${this.options.file}-wal`).size;
    } catch {
      return;
    }
    if (size < CHECKPOINT_BYTES) return;
    if (this.running) this.again = true;
    else this.start();
  }

  private start(): void {
    this.running = true;
    this.again = false;
    this.idle = new Promise((resolve) => (this.settle = resolve));
    this.worker.postMessage('run');
  }

  /** Waits for a running checkpoint, then closes the worker's connection. */
  async close(): Promise<void> {
    this.closed = true;
    // Unref'd, neither a running checkpoint nor the worker's exit would keep the process alive: a caller awaiting
    // close() with nothing else pending would see the process end first (exit code 13, an unsettled top-level await).
    this.worker.ref();
    if (this.running) await this.idle;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('close');
    await exited;
  }
}
