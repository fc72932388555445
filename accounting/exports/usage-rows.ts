/**
 * The rows the CSV and JSON exports share: per VM x period x resource (quantity and unit, exact integers), and the
 * raw per-slice form. Both read the period's slices page by page; the resource form keeps one sum per VM.
 */
import type { Queryable } from '../../store/index.js';
import type { UsageSlice } from '../usage-slice.js';
import { readSlices } from '../usage-store.js';
import type { ExportMonth } from './export-period.js';
import { addSlice, inVmOrder, type VmPeriodUsage } from './vm-period-usage.js';

/** The resources a VM row is split into, in output order, with their units. */
export const USAGE_RESOURCES = [
  { resource: 'allocated_time', unit: 's', of: (u: VmPeriodUsage) => String(u.allocatedSeconds) },
  { resource: 'running_time', unit: 's', of: (u: VmPeriodUsage) => String(u.runningSeconds) },
  { resource: 'cpu_time', unit: 's', of: (u: VmPeriodUsage) => String(u.cpuSeconds) },
  { resource: 'memory', unit: 'MB*s', of: (u: VmPeriodUsage) => u.memoryMbSeconds.toString() },
  { resource: 'disk', unit: 'MB*s', of: (u: VmPeriodUsage) => u.diskMbSeconds.toString() },
  { resource: 'public_ip', unit: 'IP*s', of: (u: VmPeriodUsage) => u.publicIpSeconds.toString() },
] as const;

export const USAGE_COLUMNS = ['period', 'endpoint', 'vm_id', 'vm_name', 'owner', 'group', 'resource', 'quantity', 'unit'] as const;
export type UsageRow = Record<(typeof USAGE_COLUMNS)[number], string | number>;

export const SLICE_COLUMNS = [
  'day', 'slice_start', 'slice_end', 'endpoint', 'vm_id', 'seq', 'vm_name', 'deploy_id', 'owner_uid', 'owner', 'group_gid',
  'group', 'user_dn', 'hostname', 'host_id', 'cluster_id', 'vcpu', 'cpu_share', 'memory_mb', 'disk_mb', 'net_rx_bytes',
  'net_tx_bytes', 'public_ips', 'image_id', 'status', 'open', 'allocated_seconds', 'running_seconds', 'cpu_seconds',
] as const;
export type SliceRow = Record<(typeof SLICE_COLUMNS)[number], string | number | boolean | null>;

/** Every VM of the month with its sums, in VM order (one pass over the slices, one sum per VM held). */
export async function periodUsage(q: Queryable, month: ExportMonth, endpoint?: string): Promise<VmPeriodUsage[]> {
  const usage = new Map<string, VmPeriodUsage>();
  for await (const page of readSlices(q, { from: month.from, to: month.to, endpoint })) for (const s of page) addSlice(usage, s);
  return inVmOrder(usage);
}

/** A VM's resource rows. */
export function usageRows(month: ExportMonth, u: VmPeriodUsage): UsageRow[] {
  return USAGE_RESOURCES.map((r) => ({
    period: month.label, endpoint: u.endpoint, vm_id: u.vmId, vm_name: u.latest.vmName, owner: u.latest.ownerName,
    group: u.latest.groupName, resource: r.resource, quantity: r.of(u), unit: r.unit,
  }));
}

export function sliceRow(s: UsageSlice): SliceRow {
  return {
    day: s.day, slice_start: s.sliceStart, slice_end: s.sliceEnd, endpoint: s.endpoint, vm_id: s.vmId, seq: s.seq,
    vm_name: s.vmName, deploy_id: s.deployId, owner_uid: s.ownerUid, owner: s.ownerName, group_gid: s.groupGid,
    group: s.groupName, user_dn: s.userDn, hostname: s.hostname, host_id: s.hostId, cluster_id: s.clusterId, vcpu: s.vcpu,
    cpu_share: s.cpuShare, memory_mb: s.memoryMb, disk_mb: s.diskMb, net_rx_bytes: s.netRxBytes, net_tx_bytes: s.netTxBytes,
    public_ips: s.publicIps.join(' '), image_id: s.imageId, status: s.status, open: s.open,
    allocated_seconds: s.allocatedSeconds, running_seconds: s.runningSeconds, cpu_seconds: s.cpuSeconds,
  };
}
