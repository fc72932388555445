/** Runs an HTTP load in a worker thread; the request bodies come from a function the worker imports by module and name. */
import { Worker } from 'node:worker_threads';
import type { LoadResult, LoadShape } from './http-load.js';

/** What the worker runs: `count` POSTs of `bodyModule`'s `bodyExport(offset + i, ...bodyArgs)`. */
export interface LoadJob extends LoadShape {
  url: string;
  count: number;
  concurrency: number;
  contentType: string;
  /** A module URL (e.g. `new URL('./records.ts', import.meta.url).href`). */
  bodyModule: string;
  bodyExport: string;
  offset: number;
  /** Further arguments of the body function (structured-cloneable), after the request's number. */
  bodyArgs?: unknown[];
}

export function postLoadInWorker(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // The worker runs TypeScript through tsx, as the benchmark itself does; tsx's loader must be registered
    // before the entry module loads, so a one-line script registers it and then imports the entry.
    const entry = new URL('./load-worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: job });
    worker.once('message', (r: LoadResult) => resolve(r));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load worker exited with ${code}`))));
  });
}
