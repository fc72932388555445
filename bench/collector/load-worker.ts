/** The load generator's worker thread: runs `postLoad` off the server's thread, so client and server use separate cores. */
import { parentPort, workerData } from 'node:worker_threads';
import { postLoad } from './http-load.js';
import type { LoadJob } from './load-in-worker.js';

const job = workerData as LoadJob;
const mod = (await import(job.bodyModule)) as Record<string, (i: number, ...args: unknown[]) => string>;
const bodyOf = mod[job.bodyExport];
if (typeof bodyOf !== 'function') throw new Error(`${job.bodyModule} has no function ${job.bodyExport}`);
const args = job.bodyArgs ?? [];
const result = await postLoad(job.url, job.count, job.concurrency, job.contentType, (i) => bodyOf(job.offset + i, ...args), { headers: job.headers, striped: job.striped, prebuilt: job.prebuilt });
parentPort!.postMessage(result);
