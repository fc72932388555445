/** A keep-alive HTTP load generator: N requests at a fixed concurrency, with per-request latencies. */
import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  ms: number;
  /** Per-request latencies in milliseconds, sorted. */
  latencies: number[];
}

/** POSTs `bodyOf(i)` for i in 0..count-1, `concurrency` at a time over keep-alive connections; any non-2xx fails the run. */
export async function postLoad(url: string, count: number, concurrency: number, contentType: string, bodyOf: (i: number) => string): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const latencies: number[] = new Array<number>(count);
  let next = 0;
  const one = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'POST', headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const body = bodyOf(i);
      const t = performance.now();
      await one(body);
      latencies[i] = performance.now() - t;
    }
  };
  const start = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { requests: count, ms: performance.now() - start, latencies: latencies.sort((a, b) => a - b) };
}
