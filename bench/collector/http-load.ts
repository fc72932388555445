/** A keep-alive HTTP load generator: N requests at a fixed concurrency, with per-request latencies. */
import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  /** Epoch ms when the first request went out. */
  startedAt: number;
  ms: number;
  /** Per-request latencies in milliseconds, sorted. */
  latencies: number[];
}

/** How requests are shared among the `concurrency` clients, and what else they send. */
export interface LoadShape {
  /** Extra request headers (e.g. `Authorization`). */
  headers?: Record<string, string>;
  /**
   * Client `c` sends requests c, c + concurrency, c + 2 × concurrency, ... one after the other, as separate agents each
   * sending their own results in order would; by default each client takes the next unsent request.
   */
  striped?: boolean;
  /** Build every body before the clock starts (as the peers that read prepared input do), not each just before it is sent. */
  prebuilt?: boolean;
}

/** POSTs `bodyOf(i)` for i in 0..count-1, `concurrency` at a time over keep-alive connections; any non-2xx fails the run. */
export async function postLoad(url: string, count: number, concurrency: number, contentType: string, bodyOf: (i: number) => string, shape: LoadShape = {}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const latencies: number[] = new Array<number>(count);
  let next = 0;
  const bodies = shape.prebuilt ? Array.from({ length: count }, (_, i) => bodyOf(i)) : undefined;
  const one = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'POST', headers: { ...shape.headers, 'content-type': contentType, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const send = async (i: number) => {
    const body = bodies ? bodies[i]! : bodyOf(i);
    const t = performance.now();
    await one(body);
    latencies[i] = performance.now() - t;
  };
  const worker = async (c: number) => {
    if (shape.striped) for (let i = c; i < count; i += concurrency) await send(i);
    else while (next < count) await send(next++);
  };
  const startedAt = Date.now();
  const start = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, (_, c) => worker(c)));
  } finally {
    agent.destroy();
  }
  return { requests: count, startedAt, ms: performance.now() - start, latencies: latencies.sort((a, b) => a - b) };
}
