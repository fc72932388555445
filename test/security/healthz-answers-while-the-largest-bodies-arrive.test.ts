/**
 * The largest bodies the limits allow (8 MB of samples, 8 MB of RSV records, 50,000 line-protocol lines) and 8 MB of
 * nested JSON, eight at once at a real appliance process: /healthz keeps answering within a second (they held the
 * process for 5 s each before), and every accepted body is stored whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../store/index.js';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { probeHealthz } from '../support/healthz-probe.js';
import { largestBodies, type LargeBody } from '../support/largest-bodies.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

/** Generous: the benchmark holds the p99 to 100 ms; this only has to catch a stall. */
const HEALTHZ_BOUND_MS = 1_000;
const CONCURRENCY = 8;

const dataDir = join(tempDir(), 'data');
let app: ApplianceProcess;

beforeAll(async () => {
  app = await startApplianceProcess({ dataDir });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  removeTempDirs();
}, 30_000);

async function send(b: LargeBody): Promise<{ status: number; text: string }> {
  const res = await fetch(new URL(b.path.slice(1), app.url), { method: 'POST', headers: { 'content-type': b.contentType }, body: b.body });
  return { status: res.status, text: await res.text() };
}

describe('no request within the limits stalls the event loop', () => {
  it('answers /healthz within a second while the largest bodies arrive eight at a time, and stores them whole', async () => {
    // Built before the probe starts: making 8 MB bodies would stall this process, not the appliance.
    const bodies = largestBodies(2);
    // Warm the routes (first-use compilation and metric declarations are not what this measures).
    expect((await fetch(new URL('healthz', app.url))).status).toBe(200);
    const probe = probeHealthz(app.url);
    const answers: { body: LargeBody; status: number; text: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          answers.push({ body, ...(await send(body)) });
        }
      }),
    );
    const { latencies, failures } = await probe.stop();
    expect(failures).toEqual([]);
    expect(latencies.length).toBeGreaterThan(5);
    expect(latencies[latencies.length - 1], `slowest /healthz of ${latencies.length}`).toBeLessThan(HEALTHZ_BOUND_MS);

    for (const a of answers) {
      if (a.body.samples === 0) {
        expect(a.status, a.body.name).toBe(400);
        expect(a.text).toMatch(/nests deeper than \d+ levels/);
      } else {
        expect(a.status, `${a.body.name}: ${a.text.slice(0, 200)}`).toBeLessThan(300);
      }
    }
    await app.stop();
    const store = openStore({ interface: 'sqlite', file: join(dataDir, 'appliance.db') });
    try {
      for (const b of bodies.filter((x) => x.samples > 0)) {
        const [row] = await store.query<{ n: number; sum: number }>('SELECT count(*) AS n, sum(value) AS sum FROM samples WHERE node = ?', [b.node]);
        expect(Number(row!.n), b.name).toBe(b.samples);
      }
    } finally {
      await store.close();
    }
  }, 300_000);
});
