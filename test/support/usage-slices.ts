/**
 * Test kit: cuts a VmSegment into day slices at local midnight in a time zone (the convention of issue 12), so export
 * tests can fill the store before the importer's own slicer is wired in. Overlaps are plain integer arithmetic.
 */
import { DateTime } from 'luxon';
import type { UsageSlice, VmSegment } from '../../accounting/index.js';

const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** The segment's slices; an open segment (end null) runs to `now`, and its slices are marked open. */
export function daySlicesOf(seg: VmSegment, zone: string, now: number): UsageSlice[] {
  const { start, end, runStart, runEnd, vmState: _vs, lcmState: _ls, action: _a, ...shared } = seg;
  const stop = end ?? now;
  const slices: UsageSlice[] = [];
  let day = DateTime.fromSeconds(start, { zone }).startOf('day');
  while (day.toSeconds() < stop) {
    const next = day.plus({ days: 1 });
    const sliceStart = Math.max(start, day.toSeconds());
    const sliceEnd = Math.min(stop, next.toSeconds());
    const running = runStart === null ? 0 : overlap(runStart, runEnd ?? now, sliceStart, sliceEnd);
    slices.push({
      ...shared, sliceStart, sliceEnd, day: day.toFormat('yyyy-MM-dd'), open: end === null,
      allocatedSeconds: sliceEnd - sliceStart, runningSeconds: running, cpuSeconds: running * seg.vcpu,
    });
    day = next;
  }
  return slices;
}
