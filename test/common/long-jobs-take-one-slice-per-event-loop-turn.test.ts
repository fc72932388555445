/** Long jobs sliced with common's Slice share the event loop: I/O and timers run between every slice, not after all of them. */
import { describe, expect, it } from 'vitest';
import { mapInSlices, nextTurn, Slice } from '../../common/index.js';

/** Busy-waits `ms` milliseconds: a slice of real work. */
const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('nextTurn and Slice', () => {
  it('gives waiters one turn each, in the order they asked, with the poll phase between turns', async () => {
    const order: string[] = [];
    const jobs = ['a', 'b', 'c'].map(async (name) => {
      for (let i = 0; i < 3; i++) {
        await nextTurn();
        order.push(`${name}${i}`);
      }
    });
    await Promise.all(jobs);
    expect(order).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
  });

  it('lets a timer due during eight concurrent sliced jobs fire after at most two slices, not after a slice of each', async () => {
    let slices = 0;
    let slicesBeforeTimer = -1;
    const jobs = Array.from({ length: 8 }, async () => {
      const slice = new Slice(5);
      for (let step = 0; step < 30; step++) {
        spin(1);
        if (slice.due) {
          slices++;
          await slice.next();
        }
      }
    });
    // Armed once every job has run its first slice and waits in the queue.
    await nextTurn();
    const armedAt = slices;
    const timer = new Promise<void>((resolve) => setTimeout(() => resolve(void (slicesBeforeTimer = slices - armedAt)), 0));
    await Promise.all([timer, ...jobs]);
    // With plain setImmediate all eight waiting jobs run a slice in the same check phase before the timer's turn.
    expect(slicesBeforeTimer).toBeGreaterThanOrEqual(0);
    expect(slicesBeforeTimer).toBeLessThanOrEqual(2);
  });

  it('mapInSlices maps like Array.map, in order, across turns', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const out = await mapInSlices(items, (x, i) => {
      if (i % 1000 === 0) spin(2);
      return x * 2;
    }, new Slice(1));
    expect(out).toEqual(items.map((x) => x * 2));
  });
});
