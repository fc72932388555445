/**
 * One VM's usage in one period, summed from its day slices: the unit of the CSV/JSON resource rows and of APEL's
 * monthly records. Sums are exact integers (BigInt for the size x time products, which outgrow doubles).
 */
import type { UsageSlice } from '../usage-slice.js';

export interface VmPeriodUsage {
  endpoint: string;
  vmId: number;
  /** The VM's latest slice in the period: its name, owner, sizes and status as last seen. */
  latest: UsageSlice;
  /** Earliest slice start and latest slice end in the period. */
  firstStart: number;
  lastEnd: number;
  slices: number;
  /** Any slice of an open (still running) record. */
  open: boolean;
  allocatedSeconds: number;
  runningSeconds: number;
  cpuSeconds: number;
  /** Allocated MB x seconds (memory, disk) and addresses x seconds. */
  memoryMbSeconds: bigint;
  diskMbSeconds: bigint;
  publicIpSeconds: bigint;
}

export const vmKey = (s: { endpoint: string; vmId: number }) => `${s.endpoint}\u0000${s.vmId}`;

const later = (a: UsageSlice, b: UsageSlice) => a.sliceStart > b.sliceStart || (a.sliceStart === b.sliceStart && a.seq > b.seq);

/** Adds one slice to the VM's running sums (creating them on its first slice). */
export function addSlice(usage: Map<string, VmPeriodUsage>, s: UsageSlice): void {
  const key = vmKey(s);
  let u = usage.get(key);
  if (u === undefined) {
    u = {
      endpoint: s.endpoint, vmId: s.vmId, latest: s, firstStart: s.sliceStart, lastEnd: s.sliceEnd, slices: 0, open: false,
      allocatedSeconds: 0, runningSeconds: 0, cpuSeconds: 0, memoryMbSeconds: 0n, diskMbSeconds: 0n, publicIpSeconds: 0n,
    };
    usage.set(key, u);
  }
  if (later(s, u.latest)) u.latest = s;
  u.firstStart = Math.min(u.firstStart, s.sliceStart);
  u.lastEnd = Math.max(u.lastEnd, s.sliceEnd);
  u.slices++;
  u.open ||= s.open;
  u.allocatedSeconds += s.allocatedSeconds;
  u.runningSeconds += s.runningSeconds;
  u.cpuSeconds += s.cpuSeconds;
  const alloc = BigInt(s.allocatedSeconds);
  u.memoryMbSeconds += BigInt(s.memoryMb) * alloc;
  u.diskMbSeconds += BigInt(s.diskMb) * alloc;
  u.publicIpSeconds += BigInt(new Set(s.publicIps).size) * alloc;
}

/** The VMs of a period in key order (endpoint, VM id), so every export lists them the same way. */
export const inVmOrder = (usage: Map<string, VmPeriodUsage>): VmPeriodUsage[] =>
  [...usage.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : a.vmId - b.vmId));
