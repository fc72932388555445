/**
 * `npm run bench -- stall`: the largest bodies the limits allow, and 8 MB of nested JSON, at full concurrency at a real
 * appliance process, while /healthz is polled: its p50/p99 and the process's peak RSS, against the 100 ms p99 target.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApplianceProcess } from '../test/support/appliance-process.js';
import { probeHealthz } from '../test/support/healthz-probe.js';
import { largestBodies, type LargeBody } from '../test/support/largest-bodies.js';
import { removeTempDirs, tempDir } from '../test/support/temp-files.js';
import { integerOptions, type Benchmark } from './support/benchmark.js';
import { formatMs, printTable, quantile } from './support/timing.js';

const TARGET_P99_MS = 100;

/** The process's peak resident set (Linux VmHWM), in MB; under a wrapper, its first child's. */
function peakRssMb(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export const benchmark: Benchmark = {
  description: 'largest allowed bodies (8 MB samples and records, 50,000 lines, 8 MB nested JSON) at full concurrency vs /healthz p50/p99 and peak RSS (--rounds N --concurrency N)',
  async run(args) {
    const o = integerOptions(args, { rounds: 4, concurrency: 8 });
    const app = await startApplianceProcess({ dataDir: join(tempDir(), 'data') });
    try {
      const bodies = largestBodies(o.rounds);
      // Warm every route once with a small body, so first-use compilation is not what is measured.
      for (const path of ['api/v1/samples', 'rsv/records?format=json', 'write?db=warm']) {
        await fetch(new URL(path, app.url), { method: 'POST', headers: { 'content-type': path.startsWith('write') ? 'text/plain' : 'application/json' }, body: path.startsWith('write') ? 'warm,host=w v=1' : '[]' });
      }
      const quiet = probeHealthz(app.url);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const idle = await quiet.stop();
      console.log(`stall benchmark: ${bodies.length} bodies (${o.rounds} rounds of samples, records, line protocol, nested JSON), ${o.concurrency} at a time, at a real appliance process`);
      const probe = probeHealthz(app.url);
      const started = performance.now();
      const statuses = new Map<string, number[]>();
      let next = 0;
      await Promise.all(
        Array.from({ length: o.concurrency }, async () => {
          while (next < bodies.length) {
            const b: LargeBody = bodies[next++]!;
            const res = await fetch(new URL(b.path.slice(1), app.url), { method: 'POST', headers: { 'content-type': b.contentType }, body: b.body });
            await res.arrayBuffer();
            statuses.set(b.name, [...(statuses.get(b.name) ?? []), res.status]);
          }
        }),
      );
      const ms = performance.now() - started;
      const busy = await probe.stop();
      const rss = peakRssMb(app.child.pid!);
      const table = [
        ['while', '/healthz answers', 'p50', 'p99', 'max', 'failures'],
        ['idle', String(idle.latencies.length), formatMs(quantile(idle.latencies, 0.5)), formatMs(quantile(idle.latencies, 0.99)), formatMs(idle.latencies.at(-1) ?? NaN), String(idle.failures.length)],
        ['largest bodies arrive', String(busy.latencies.length), formatMs(quantile(busy.latencies, 0.5)), formatMs(quantile(busy.latencies, 0.99)), formatMs(busy.latencies.at(-1) ?? NaN), String(busy.failures.length)],
      ];
      console.log('');
      printTable(table);
      console.log('');
      for (const [name, codes] of statuses) console.log(`  ${name}: HTTP ${[...new Set(codes)].join(', ')} (${codes.length} requests)`);
      console.log(`  all bodies answered in ${formatMs(ms)}; peak RSS of the appliance ${rss.toFixed(0)} MB`);
      const p99 = quantile(busy.latencies, 0.99);
      console.log(`target /healthz p99 <= ${TARGET_P99_MS} ms ${p99 <= TARGET_P99_MS && busy.failures.length === 0 ? 'met' : 'MISSED'} (${formatMs(p99)})`);
    } finally {
      await app.stop();
      removeTempDirs();
    }
  },
};
