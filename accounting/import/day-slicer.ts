/**
 * Cuts a segment into day slices at local midnight in the accounting time zone (luxon: a DST day has 23 or 25
 * hours). An open segment ends at the import's "now" and its slices are marked open (partial, replaced by the next
 * import). Allocated time is the segment's [start, end) inside the slice, running time [runStart, runEnd) inside it,
 * CPU time running x vCPUs. A segment of no length has no slices.
 */
import { DateTime } from 'luxon';
import type { UsageSlice, VmSegment } from '../usage-slice.js';

const DAY = 86_400;

/** Local day boundaries of one zone, cached per day (a million segments touch a few hundred days). */
export interface DayCalendar {
  /** The local day holding `t`: its start, its (exclusive) end, and its date `YYYY-MM-DD`. */
  dayOf(t: number): { start: number; end: number; day: string };
}

export function dayCalendar(zone: string): DayCalendar {
  const cache = new Map<number, { start: number; end: number; day: string }>();
  if (zone === 'UTC') {
    return {
      dayOf(t) {
        const start = Math.floor(t / DAY) * DAY;
        let d = cache.get(start);
        if (!d) cache.set(start, (d = { start, end: start + DAY, day: new Date(start * 1000).toISOString().slice(0, 10) }));
        return d;
      },
    };
  }
  return {
    dayOf(t) {
      // Cached by UTC hour: an hour that a local midnight cuts (zones at :30 or :45) is computed per instant.
      const hour = Math.floor(t / 3600);
      let d = cache.get(hour);
      if (!d) {
        const local = DateTime.fromSeconds(t, { zone }).startOf('day');
        const start = Math.floor(local.toSeconds());
        const end = Math.floor(local.plus({ days: 1 }).startOf('day').toSeconds());
        d = { start, end, day: local.toISODate()! };
        if (hour * 3600 >= start && hour * 3600 + 3600 <= end) cache.set(hour, d);
      }
      return d;
    },
  };
}

const overlap = (a: number, b: number, c: number, d: number) => Math.max(0, Math.min(b, d) - Math.max(a, c));

/** The day slices of `segment`; an open one (end null) ends at `now`. */
export function sliceSegment(segment: VmSegment, calendar: DayCalendar, now: number): UsageSlice[] {
  const open = segment.end === null;
  const end = segment.end ?? Math.max(now, segment.start);
  if (end <= segment.start) return [];
  const runStart = segment.runStart;
  const runEnd = runStart === null ? null : (segment.runEnd ?? Math.max(now, runStart));
  const out: UsageSlice[] = [];
  for (let t = segment.start; t < end; ) {
    const day = calendar.dayOf(t);
    const sliceEnd = Math.min(end, day.end);
    const running = runStart === null ? 0 : overlap(t, sliceEnd, runStart, runEnd!);
    out.push({
      endpoint: segment.endpoint,
      vmId: segment.vmId,
      seq: segment.seq,
      sliceStart: t,
      sliceEnd,
      day: day.day,
      open,
      vmName: segment.vmName,
      deployId: segment.deployId,
      ownerUid: segment.ownerUid,
      ownerName: segment.ownerName,
      groupGid: segment.groupGid,
      groupName: segment.groupName,
      userDn: segment.userDn,
      hostname: segment.hostname,
      hostId: segment.hostId,
      clusterId: segment.clusterId,
      vcpu: segment.vcpu,
      cpuShare: segment.cpuShare,
      memoryMb: segment.memoryMb,
      diskMb: segment.diskMb,
      netRxBytes: segment.netRxBytes,
      netTxBytes: segment.netTxBytes,
      publicIps: segment.publicIps,
      imageId: segment.imageId,
      status: segment.status,
      allocatedSeconds: sliceEnd - t,
      runningSeconds: running,
      cpuSeconds: running * segment.vcpu,
    });
    t = sliceEnd;
  }
  return out;
}
