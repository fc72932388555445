import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingMigrations, readSlices, writeSegments, type UsageSlice, type VmSegment } from '../../accounting/index.js';
import type { Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';

const DAY = 86_400;
const T0 = Date.UTC(2026, 9, 1) / 1000;

const segment = (vmId: number, seq: number): VmSegment => ({
  endpoint: 'one-a', vmId, seq, vmName: `vm-${vmId}`, deployId: `one-${vmId}`, ownerUid: 5, ownerName: 'alice',
  groupGid: 100, groupName: 'fermilab', userDn: null, hostname: 'fcl001', hostId: 1, clusterId: 0, start: T0,
  end: T0 + 2 * DAY, runStart: T0, runEnd: T0 + 2 * DAY, vcpu: 2, cpuShare: '0.5', memoryMb: 2048, diskMb: 10240,
  netRxBytes: 12345678901, netTxBytes: 5, publicIps: ['131.225.1.2'], imageId: '7', vmState: 6, lcmState: 0, action: 27,
  status: 'completed',
});

const slicesOf = (seg: VmSegment, days: number, open = false): UsageSlice[] => {
  const { start, end: _end, runStart: _rs, runEnd: _re, vmState: _vs, lcmState: _ls, action: _a, ...s } = seg;
  return Array.from({ length: days }, (_, d) => ({
    ...s, sliceStart: start + d * DAY, sliceEnd: start + (d + 1) * DAY, day: `2026-10-0${d + 1}`, open,
    allocatedSeconds: DAY, runningSeconds: DAY, cpuSeconds: DAY * s.vcpu,
  }));
};

async function readAll(store: Store, pageSize: number): Promise<{ pages: number; slices: UsageSlice[] }> {
  let pages = 0;
  const slices: UsageSlice[] = [];
  for await (const page of readSlices(store, { from: T0, to: T0 + 10 * DAY, pageSize })) {
    pages++;
    slices.push(...page);
  }
  return { pages, slices };
}

for (const backend of testBackends()) {
  describe(`usage records on ${backend.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const db = await backend.create();
      dispose = db.dispose;
      store = db.open();
      await store.migrate(accountingMigrations);
    });
    afterAll(async () => {
      await store.close();
      await dispose();
    });

    it('stores every field of a slice as it was given, large byte counters and decimal share included', async () => {
      const s = segment(1, 0);
      await store.transaction((tx) => writeSegments(tx, [s], slicesOf(s, 2), T0 + 3 * DAY));
      const { slices } = await readAll(store, 100);
      expect(slices).toEqual(slicesOf(s, 2));
    });

    it('a re-write of a segment replaces its slices (a closed record drops a partial day) and reports what it removed', async () => {
      const open = { ...segment(2, 0), end: null, runEnd: null, status: 'started' as const };
      await store.transaction((tx) => writeSegments(tx, [open], slicesOf(open, 3, true), T0 + 3 * DAY));
      const closed = segment(2, 0);
      const change = await store.transaction((tx) => writeSegments(tx, [closed], slicesOf(closed, 2), T0 + 4 * DAY));
      expect(change.removed).toHaveLength(3);
      expect(change.written).toHaveLength(2);
      const { slices } = await readAll(store, 100);
      expect(slices.filter((x) => x.vmId === 2).map((x) => [x.day, x.open])).toEqual([['2026-10-01', false], ['2026-10-02', false]]);
    });

    it('reads a period in key order across pages without losing or repeating a slice', async () => {
      const segs = [3, 4, 5].flatMap((vm) => [segment(vm, 0), segment(vm, 1)]);
      await store.transaction((tx) => writeSegments(tx, segs, segs.flatMap((s) => slicesOf(s, 2)), T0));
      const big = await readAll(store, 1000);
      const small = await readAll(store, 3);
      expect(small.slices).toEqual(big.slices);
      expect(small.pages).toBeGreaterThan(3);
      const keys = big.slices.map((x) => `${x.sliceStart}/${x.vmId}/${x.seq}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect([...keys].sort()).toEqual(keys.slice().sort());
    });
  });
}
