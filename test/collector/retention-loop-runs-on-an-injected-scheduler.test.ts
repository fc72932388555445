/** The collector's retention loop takes its schedule and clock as inputs: a fake scheduler fires it, tick() runs one pass at the clock's now, stop() cancels it; no real waiting. */
import { afterEach, describe, expect, it } from 'vitest';
import { collectorMigrations, createCollector, defaultCollectorSettings, type Collector } from '../../collector/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';

const DAY = 86_400_000;
const T0 = new Date('2026-03-01T00:00:00Z');
const denyAll = { requireRead: () => undefined, requireRole: () => () => undefined };
const [sqlite] = testBackends();

describe('retention loop', () => {
  const fresh = useFreshStore(sqlite!, { per: 'test', migrations: collectorMigrations });
  let collector: Collector | undefined;
  afterEach(async () => collector?.stop());

  it('fires on the injected schedule with the injected clock, and stop() cancels it', async () => {
    let now = T0;
    const scheduled: { ms: number; fn: () => void; cancelled: boolean }[] = [];
    collector = createCollector({
      store: fresh().store, access: denyAll, settings: { ...defaultCollectorSettings(), retentionDays: 7 }, clock: () => now, cleanUpIntervalMs: 3_600_000,
      every: (ms, fn) => {
        const entry = { ms, fn, cancelled: false };
        scheduled.push(entry);
        return () => void (entry.cancelled = true);
      },
    });
    expect(scheduled.map((s) => s.ms)).toEqual([3_600_000]);
    const repo = collector.repository;
    await repo.insertSamples([
      { node: 'n', metric: 'm', time: new Date(T0.getTime() - DAY), value: 1, source: 'api' },
      { node: 'n', metric: 'm', time: T0, value: 2, source: 'api' },
    ]);
    await collector.tick();
    expect((await repo.getSamples([], [], new Date(0), new Date(T0.getTime() + 30 * DAY))).length).toBe(2);

    // Six and a half days on, the sample from the day before T0 is past the seven days: one pass removes it only.
    now = new Date(T0.getTime() + 6.5 * DAY);
    await collector.tick();
    expect((await repo.getSamples([], [], new Date(0), new Date(T0.getTime() + 30 * DAY))).map((s) => s.value)).toEqual([2]);

    await collector.stop();
    expect(scheduled[0]!.cancelled).toBe(true);
    collector = undefined;
  });
});
