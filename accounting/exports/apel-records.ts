/**
 * APEL cloud records: one per VM per month, **cumulative since the VM started** (APEL's summariser subtracts the
 * previous month's values), running VMs included. Built from the day slices: the month's slices give the VM's latest
 * state and sizes, and one grouped query per 200 VMs adds what the VM used before the month and whether it went on
 * after it. Memory held: one sum per VM of the month.
 */
import type { Queryable, SqlValue } from '../../store/index.js';
import type { VmStatus } from '../usage-slice.js';
import { USAGE_TABLE } from '../usage-store.js';
import type { ExportMonth } from './export-period.js';
import { periodUsage } from './usage-rows.js';
import { vmKey, type VmPeriodUsage } from './vm-period-usage.js';

/** One APEL cloud record, values as APEL's message carries them (null: `NULL`). */
export interface ApelCloudRecord {
  /** v0.4 only: when the values were measured (the VM's end, or its last slice in the month). */
  recordCreateTime: number;
  vmUuid: string;
  machineName: string;
  localUserId: string;
  localGroupId: string;
  globalUserName: string | null;
  fqan: string;
  status: VmStatus;
  startTime: number;
  endTime: number | null;
  suspendDuration: number;
  wallDuration: number;
  cpuDuration: number;
  cpuCount: number;
  networkInbound: number;
  networkOutbound: number;
  publicIpCount: number;
  memory: number;
  disk: number;
  imageId: string | null;
}

interface Before {
  firstStart: number;
  allocated: number;
  running: number;
  cpu: number;
}

const CHUNK = 200;
const GIB = 2 ** 30;
const ENDED: readonly VmStatus[] = ['completed', 'error'];

/** Bytes to whole GB, rounded half up (APEL's NetworkInbound/Outbound are GB). */
const gigabytes = (bytes: number) => Math.floor((bytes + GIB / 2) / GIB);

/** `2026-10-01 00:00:00+00:00`, the start time in the VMUUID (oneacct-export's `%F %T%:z`, in UTC). */
const uuidTime = (epoch: number) => `${new Date(epoch * 1000).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;

async function usageAround(q: Queryable, month: ExportMonth, vms: VmPeriodUsage[]) {
  const before = new Map<string, Before>();
  const after = new Set<string>();
  for (let i = 0; i < vms.length; i += CHUNK) {
    const part = vms.slice(i, i + CHUNK);
    const where = part.map(() => '(endpoint = ? AND vm_id = ?)').join(' OR ');
    const keys: SqlValue[] = part.flatMap((u) => [u.endpoint, u.vmId]);
    const rows = await q.query(
      `SELECT endpoint, vm_id, MIN(slice_start) AS first_start, SUM(allocated_seconds) AS allocated, SUM(running_seconds) AS running, ` +
        `SUM(cpu_seconds) AS cpu FROM ${USAGE_TABLE} WHERE slice_start < ? AND (${where}) GROUP BY endpoint, vm_id`,
      [month.from, ...keys],
    );
    for (const r of rows) {
      before.set(vmKey({ endpoint: String(r.endpoint), vmId: Number(r.vm_id) }), {
        firstStart: Number(r.first_start), allocated: Number(r.allocated), running: Number(r.running), cpu: Number(r.cpu),
      });
    }
    const later = await q.query(
      `SELECT DISTINCT endpoint, vm_id FROM ${USAGE_TABLE} WHERE slice_start >= ? AND (${where})`, [month.to, ...keys],
    );
    for (const r of later) after.add(vmKey({ endpoint: String(r.endpoint), vmId: Number(r.vm_id) }));
  }
  return { before, after };
}

/** The month's APEL records in VM order; `endpointUrls` maps an endpoint name to the URL its VMUUIDs start with. */
export async function apelRecordsOfMonth(
  q: Queryable, month: ExportMonth, endpointUrls: Readonly<Record<string, string>>, endpoint?: string,
): Promise<ApelCloudRecord[]> {
  const vms = await periodUsage(q, month, endpoint);
  const { before, after } = await usageAround(q, month, vms);
  return vms.map((u) => {
    const key = vmKey(u);
    const prior = before.get(key) ?? { firstStart: u.firstStart, allocated: 0, running: 0, cpu: 0 };
    const s = u.latest;
    // A VM that goes on into a later month is running at this month's end, whatever its last record says now.
    const ended = !after.has(key) && !u.open && ENDED.includes(s.status);
    const status: VmStatus = after.has(key) ? 'started' : s.status;
    const allocated = prior.allocated + u.allocatedSeconds;
    const wall = prior.running + u.runningSeconds;
    const startTime = Math.min(prior.firstStart, u.firstStart);
    return {
      recordCreateTime: ended ? u.lastEnd : Math.min(u.lastEnd, month.to - 1),
      vmUuid: `${endpointUrls[u.endpoint] ?? u.endpoint}/compute/${u.vmId} ${uuidTime(startTime)}`,
      machineName: s.vmName,
      localUserId: s.ownerName,
      localGroupId: s.groupName,
      globalUserName: s.userDn,
      fqan: `/${s.groupName}/Role=NULL/Capability=NULL`,
      status,
      startTime,
      endTime: ended ? u.lastEnd : null,
      suspendDuration: allocated - wall,
      wallDuration: wall,
      cpuDuration: prior.cpu + u.cpuSeconds,
      cpuCount: s.vcpu,
      networkInbound: gigabytes(s.netRxBytes),
      networkOutbound: gigabytes(s.netTxBytes),
      publicIpCount: new Set(s.publicIps).size,
      memory: s.memoryMb,
      disk: Math.ceil(s.diskMb / 1024),
      imageId: s.imageId,
    };
  });
}
