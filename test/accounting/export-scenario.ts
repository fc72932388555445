/**
 * The VMs the export tests share (hand-computed in the golden files): a month end, 1 January 00:00 UTC, a leap day,
 * a resize mid-month, a VM running across three months with a day powered off, and a DST change in Europe/Zurich.
 */
import { accountingMigrations, exportSettings, writeSegments, type VmSegment } from '../../accounting/index.js';
import type { Store } from '../../store/index.js';
import { daySlicesOf } from '../support/usage-slices.js';

/** 2026-11-20 12:00 UTC: the last import, when VM 105 was still running. */
export const NOW = 1795176000;
/** 2026-12-01 00:00 UTC: the XML exports' createTime. */
export const CREATE_TIME = 1796083200;

export const SETTINGS = exportSettings({
  siteName: 'FERMICLOUD', cloudComputeService: 'FERMICLOUD-ONE', benchmarkType: 'HEPSPEC', benchmark: '10.5',
  recordsPerMessage: 2, recordHost: 'acct.example.org', probeName: 'onevm:one-a.example.org',
  endpointUrls: { 'one-a': 'https://one-a.example.org:2633', 'one-b': 'https://one-b.example.org:2633' },
});

const base = {
  deployId: null, ownerUid: 5, ownerName: 'alice', groupGid: 100, groupName: 'fermilab', userDn: null, hostname: 'fcl001',
  hostId: 1, clusterId: 0, cpuShare: '1', netRxBytes: 0, netTxBytes: 0, publicIps: [] as string[], imageId: null,
  vmState: 6, lcmState: 0, action: 27, status: 'completed' as const,
};

const seg = (s: Partial<VmSegment> & Pick<VmSegment, 'endpoint' | 'vmId' | 'seq' | 'vmName' | 'start' | 'end' | 'vcpu' | 'memoryMb' | 'diskMb'>): VmSegment =>
  ({ ...base, runStart: s.start, runEnd: s.end, ...s });

/** Segments cut in UTC. */
export const UTC_SEGMENTS: VmSegment[] = [
  // 2026-10-31 22:00 -> 2026-11-01 02:00 UTC, across a month end.
  seg({ endpoint: 'one-a', vmId: 101, seq: 0, vmName: 'month-end', start: 1793484000, end: 1793498400, vcpu: 2, memoryMb: 2048,
    diskMb: 10240, netRxBytes: 3 * 2 ** 30, netTxBytes: 2 ** 29, publicIps: ['131.225.1.2'], userDn: '/DC=org/DC=example/CN=Alice', imageId: '7' }),
  // 2026-12-31 23:00 -> 2027-01-01 01:00 UTC.
  seg({ endpoint: 'one-a', vmId: 102, seq: 0, vmName: 'new-year', start: 1798758000, end: 1798765200, vcpu: 1, memoryMb: 1024, diskMb: 1024 }),
  // 2028-02-29, the whole leap day.
  seg({ endpoint: 'one-a', vmId: 103, seq: 0, vmName: 'leap-day', start: 1835395200, end: 1835481600, vcpu: 1, memoryMb: 1024, diskMb: 1024 }),
  // 2026-10-14 00:00 -> 10-15 12:00 with 1 vCPU, resized (ACTION 35) to 4 vCPUs until 10-16 00:00.
  seg({ endpoint: 'one-a', vmId: 104, seq: 0, vmName: 'resize', start: 1791936000, end: 1792065600, vcpu: 1, memoryMb: 2048, diskMb: 20480, action: 35 }),
  seg({ endpoint: 'one-a', vmId: 104, seq: 1, vmName: 'resize', start: 1792065600, end: 1792108800, vcpu: 4, memoryMb: 8192, diskMb: 20480 }),
  // From 2026-09-15 06:00; powered off 10-05 00:00 (RETIME only, 5.12+), booted 10-06 00:00 into a new record, still running.
  seg({ endpoint: 'one-b', vmId: 105, seq: 0, vmName: 'three-months', start: 1789452000, end: 1791244800, runEnd: 1791158400,
    vcpu: 2, memoryMb: 4096, diskMb: 51200, ownerUid: 6, ownerName: 'bob', groupGid: 101, groupName: 'cms', netRxBytes: 5 * 2 ** 30,
    publicIps: ['131.225.9.9', '131.225.9.10'], imageId: 'ubuntu-24.04', vmState: 3, lcmState: 3, action: 0, status: 'started' }),
  seg({ endpoint: 'one-b', vmId: 105, seq: 1, vmName: 'three-months', start: 1791244800, end: null, runEnd: null,
    vcpu: 2, memoryMb: 4096, diskMb: 51200, ownerUid: 6, ownerName: 'bob', groupGid: 101, groupName: 'cms', netRxBytes: 10 * 2 ** 30,
    netTxBytes: 2 ** 30, publicIps: ['131.225.9.9', '131.225.9.10'], imageId: 'ubuntu-24.04', vmState: 3, lcmState: 3, action: 0, status: 'started' }),
];

/** Cut in Europe/Zurich: 2026-10-25 00:00 CEST -> 10-26 00:00 CET, a local day of 25 hours. */
export const ZURICH_SEGMENTS: VmSegment[] = [
  seg({ endpoint: 'zrh', vmId: 201, seq: 0, vmName: 'dst', start: 1792879200, end: 1792969200, vcpu: 1, memoryMb: 512, diskMb: 2048 }),
];

/** Fills a migrated store with the UTC scenario, or (an appliance has one accounting zone) the Zurich one. */
export async function loadScenario(store: Store, zone: 'UTC' | 'Europe/Zurich' = 'UTC'): Promise<void> {
  await store.migrate(accountingMigrations);
  const segments = zone === 'UTC' ? UTC_SEGMENTS : ZURICH_SEGMENTS;
  await store.transaction((tx) => writeSegments(tx, segments, segments.flatMap((s) => daySlicesOf(s, zone, NOW)), NOW));
}
