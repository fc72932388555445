/** Test kit for billing: VM segments and their day slices cut at local midnight, as the accounting slicer cuts them. */
import { DateTime } from 'luxon';
import { accountingMigrations, billingMigrations, writeSegments, type UsageSlice, type VmSegment } from '../../accounting/index.js';
import type { Store } from '../../store/index.js';

/** Epoch seconds of an ISO instant (`2026-11-01T00:00:00Z`). */
export const at = (iso: string): number => Math.round(Date.parse(iso) / 1000);

export function segment(fields: Partial<VmSegment> & Pick<VmSegment, 'vmId' | 'start'>): VmSegment {
  return {
    endpoint: 'one', seq: 0, vmName: `vm-${fields.vmId}`, deployId: null, ownerUid: 5, ownerName: 'alice', groupGid: 100,
    groupName: 'fermilab', userDn: null, hostname: 'fcl001', hostId: 1, clusterId: 0, end: null, runStart: fields.start,
    runEnd: null, vcpu: 1, cpuShare: '1', memoryMb: 1024, diskMb: 0, netRxBytes: 0, netTxBytes: 0, publicIps: [],
    imageId: null, vmState: 3, lcmState: 3, action: 0, status: 'started', ...fields,
  };
}

const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** The segment cut at each local midnight of `zone` (open segments end at `now`). */
export function slicesOf(seg: VmSegment, zone = 'UTC', now = seg.end ?? seg.start): UsageSlice[] {
  const { start, end, runStart, runEnd, vmState: _v, lcmState: _l, action: _a, ...shared } = seg;
  const stop = end ?? now;
  const out: UsageSlice[] = [];
  let day = DateTime.fromSeconds(start, { zone }).startOf('day');
  while (Math.round(day.toSeconds()) < stop) {
    const next = day.plus({ days: 1 });
    const s0 = Math.max(start, Math.round(day.toSeconds()));
    const s1 = Math.min(stop, Math.round(next.toSeconds()));
    if (s1 > s0) {
      const running = runStart === null ? 0 : overlap(s0, s1, runStart, runEnd ?? stop);
      out.push({ ...shared, sliceStart: s0, sliceEnd: s1, day: day.toFormat('yyyy-MM-dd'), open: end === null, allocatedSeconds: s1 - s0, runningSeconds: running, cpuSeconds: running * seg.vcpu });
    }
    day = next;
  }
  return out;
}

/** Stores segments with their slices, as one import would. */
export async function importSegments(store: Store, segments: readonly VmSegment[], zone = 'UTC', now?: number): Promise<void> {
  await store.transaction((tx) => writeSegments(tx, segments, segments.flatMap((s) => slicesOf(s, zone, now)), now ?? 0));
}

export const BILLING_MIGRATIONS = [...accountingMigrations, ...billingMigrations];

import { join } from 'node:path';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { rateCardClassType, rateCardOf, type RateCard } from '../../accounting/index.js';
import { tempDir } from '../support/temp-files.js';

/** Loads `<graphtool-config>` around `body` from a temporary `rates.xml`: the card and the issues (file names relative). */
export function loadRateCard(body: string): { card: RateCard | undefined; issues: string[] } {
  const dir = tempDir({ 'rates.xml': `<graphtool-config>\n${body}\n</graphtool-config>\n` });
  const config = loadConfig(join(dir, 'rates.xml'), { classTypes: [rateCardClassType], env: {} });
  return { card: rateCardOf(config), issues: config.issues.map(formatIssue).map((s) => s.replace(`${dir}/`, '')) };
}

/** A card that must load without issues. */
export function rateCard(body: string): RateCard {
  const { card, issues } = loadRateCard(body);
  if (issues.length > 0 || !card) throw new Error(`rate card did not load: ${issues.join('; ')}`);
  return card;
}
