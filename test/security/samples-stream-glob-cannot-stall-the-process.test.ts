/** A hostile glob on the sample stream (`node=********************Z`) is matched in linear time: the process stays live. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

// Twenty stars before a Z: a backtracking matcher tries every split of a name that has no Z, ~C(60,20) steps.
const HOSTILE = `${'*'.repeat(20)}Z`;
// Generous bounds: the point is "answers at all", which the backtracking glob never did.
const BOUND_MS = 5_000;

let app: ApplianceProcess;
const streams: AbortController[] = [];

beforeAll(async () => {
  app = await startApplianceProcess({ dataDir: join(tempDir(), 'data') });
}, 120_000);

afterAll(async () => {
  for (const s of streams) s.abort();
  // The old code ignored SIGTERM while stuck in the matcher: do not leave it behind.
  if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  removeTempDirs();
});

/** Opens the stream and resolves once its header arrived; the body is read (and dropped) in the background. */
async function openStream(query: string, lastEventId?: string): Promise<void> {
  const controller = new AbortController();
  streams.push(controller);
  const res = await fetch(new URL(`api/v1/samples/stream?${query}`, app.url), {
    signal: controller.signal,
    headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  void (async () => {
    try {
      for (;;) if ((await reader.read()).done) return;
    } catch {
      // aborted at the end of the test
    }
  })();
}

async function post(n: number): Promise<Response> {
  return fetch(new URL('api/v1/samples', app.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ node: `wn-${'a'.repeat(60)}-${n}`, metric: 'load', time: 1_700_000_000 + n, value: n }]),
    signal: AbortSignal.timeout(BOUND_MS),
  });
}

describe('GET /api/v1/samples/stream?node=********************Z while samples are posted', () => {
  it('acknowledges every posted sample and keeps /healthz answering', async () => {
    await openStream(`node=${encodeURIComponent(HOSTILE)}`);
    for (let n = 1; n <= 5; n++) {
      const res = await post(n);
      expect(res.status).toBe(200);
      const started = Date.now();
      const health = await fetch(new URL('healthz', app.url), { signal: AbortSignal.timeout(BOUND_MS) });
      expect(health.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  }, 60_000);

  it('replays the stored samples through the same glob after a reconnect without stalling', async () => {
    await openStream(`node=${encodeURIComponent(HOSTILE)}&metric=${encodeURIComponent(`${'*'.repeat(20)}Z`)}`, '0');
    const res = await post(6);
    expect(res.status).toBe(200);
    const health = await fetch(new URL('healthz', app.url), { signal: AbortSignal.timeout(BOUND_MS) });
    expect(health.status).toBe(200);
  }, 60_000);

  it('stops on SIGTERM with the hostile stream still open', async () => {
    const exited = app.stop();
    const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
    expect(await Promise.race([exited, timedOut])).not.toBe('timeout');
  }, 30_000);
});
