/** Test builders for VM segments and their UTC day slices (a plain splitter: the real one is the importer's). */
import type { UsageSlice, VmSegment } from '../../../accounting/index.js';

export const DAY = 86_400;
/** 2026-10-01 00:00:00 UTC. */
export const OCT1 = Date.UTC(2026, 9, 1) / 1000;

export function vmSegment(over: Partial<VmSegment> & Pick<VmSegment, 'vmId' | 'start'>): VmSegment {
  return {
    endpoint: 'one-a', seq: 0, vmName: `vm-${over.vmId}`, deployId: `one-${over.vmId}`, ownerUid: 5, ownerName: 'alice',
    groupGid: 100, groupName: 'fermilab', userDn: null, hostname: 'fcl001', hostId: 1, clusterId: 0, end: null,
    runStart: over.start, runEnd: null, vcpu: 1, cpuShare: '1', memoryMb: 2048, diskMb: 10240, netRxBytes: 0,
    netTxBytes: 0, publicIps: [], imageId: null, vmState: 3, lcmState: 3, action: 0, status: 'started', ...over,
  };
}

const overlap = (a: number, b: number, from: number | null, to: number) => (from === null ? 0 : Math.max(0, Math.min(b, to) - Math.max(a, from)));

/** The segment cut at UTC midnights; an open segment (or run) counts up to `now`. */
export function utcSlices(seg: VmSegment, now: number): UsageSlice[] {
  const { start, end, runStart, runEnd, vmState: _v, lcmState: _l, action: _a, ...rest } = seg;
  const until = end ?? now;
  const slices: UsageSlice[] = [];
  for (let day = Math.floor(start / DAY) * DAY; day < until; day += DAY) {
    const sliceStart = Math.max(start, day);
    const sliceEnd = Math.min(until, day + DAY);
    const running = overlap(sliceStart, sliceEnd, runStart, runEnd ?? now);
    slices.push({
      ...rest, sliceStart, sliceEnd, day: new Date(day * 1000).toISOString().slice(0, 10), open: end === null,
      allocatedSeconds: sliceEnd - sliceStart, runningSeconds: running, cpuSeconds: running * seg.vcpu,
    });
  }
  return slices;
}
