/**
 * One VM day slice as a Gratia job record: the `JobUsageRecord` row, its `JobUsageRecord_Meta` row and its `Memory`
 * and `Disk` rows, mapped as the Gratia onevm probe does (reference accounting.md §2.3) with three differences: the
 * identity is the slice key (a re-import rewrites the same record; the probe's `time.time()` id changed on every
 * send), Memory in KB is really KB (the probe sent bytes labelled KB), and CPU time is the slice's estimate
 * (running seconds x vCPUs) where the probe repeated the wall time.
 */
import { createHash } from 'node:crypto';
import { toSqlDateTime } from '../../common/index.js';
import type { SqlValue } from '../../store/index.js';
import { sliceKey, type UsageSlice, type VmStatus } from '../usage-slice.js';
import { vmProbeName, vmSiteName, vmVoName, type VmGratiaSettings } from './vm-gratia-settings.js';

export const VM_RESOURCE_TYPE = 'OneVM';

/** `GlobalJobId`, `RecordIdentity` and the Meta `recordId` of a slice: stable across re-imports. */
export const vmRecordId = (s: UsageSlice) => `onevm:${sliceKey(s)}`;

export const JOB_COLUMNS = [
  'RecordIdentity', 'ResourceType', 'GlobalJobId', 'LocalJobId', 'LocalUserId', 'VOName', 'ReportableVOName', 'CommonName',
  'KeyInfoContent', 'JobName', 'Status', 'StatusDescription', 'WallDuration', 'CpuUserDuration', 'CpuSystemDuration',
  'NodeCount', 'NodeCountMetric', 'Njobs', 'Processors', 'ProcessorsMetric', 'StartTime', 'EndTime', 'MachineName',
  'SubmitHost', 'ProjectName', 'Host',
] as const;
export const META_COLUMNS = [
  'dbid', 'recordId', 'CreateTime', 'ProbeName', 'probeid', 'SiteName', 'ReportedSiteName', 'Grid', 'ServerDate', 'md5v2',
] as const;
export const MEASURE_COLUMNS = ['dbid', 'Value', 'StorageUnit', 'Metrics', 'Description'] as const;

/** The probe's Status: 0 while running or after a normal end, 1 when the VM failed. */
const STATUS: Record<VmStatus, [string, string]> = {
  started: ['0', 'VM is still running'],
  completed: ['0', 'VM completed'],
  paused: ['0', 'VM is paused'],
  suspended: ['0', 'VM is suspended'],
  stopped: ['0', 'VM is stopped'],
  unknown: ['0', 'VM state unknown'],
  error: ['1', 'VM failed'],
};

/** Gratia's CommonName: the DN's last CN (`/CN=Alice Smith`), else the OpenNebula owner's name. */
export function vmCommonName(s: Pick<UsageSlice, 'userDn' | 'ownerName'>): string {
  const cn = s.userDn === null ? [] : [...s.userDn.matchAll(/\/CN=([^/]*)/g)];
  const last = cn[cn.length - 1];
  return last ? `/CN=${last[1]}` : s.ownerName;
}

const sqlTime = (epoch: number) => toSqlDateTime(new Date(epoch * 1000));

/** The JobUsageRecord values of a slice, in {@link JOB_COLUMNS} order. */
export function jobValues(s: UsageSlice, settings: VmGratiaSettings): SqlValue[] {
  const id = vmRecordId(s);
  const vo = vmVoName(settings, s.groupName);
  const [status, statusDescription] = STATUS[s.status];
  return [
    id, VM_RESOURCE_TYPE, id, String(s.vmId), s.ownerName, vo, vo, vmCommonName(s),
    s.userDn, s.vmName, status, statusDescription, s.allocatedSeconds, s.cpuSeconds, 0,
    1, 'total', 1, s.vcpu, 'total', sqlTime(s.sliceStart), sqlTime(s.sliceEnd), s.publicIps.length > 0 ? s.publicIps.join('/') : s.deployId,
    s.hostname, settings.projectName, s.hostname,
  ];
}

/** The Meta row of a slice stored as `dbid`. The md5 covers the identity and the values, as Gratia's duplicate check. */
export function metaValues(s: UsageSlice, dbid: number, probeId: number, settings: VmGratiaSettings, now: number): SqlValue[] {
  const recordId = vmRecordId(s);
  const site = vmSiteName(settings, s.endpoint);
  const md5 = createHash('md5').update(JSON.stringify([recordId, ...jobValues(s, settings)])).digest('hex');
  return [dbid, recordId, sqlTime(now), vmProbeName(s.endpoint), probeId, site, site, settings.grid, sqlTime(now), md5];
}

/** The allocated memory in KB (TEMPLATE/MEMORY is MB: x 1024, really KB) and disk in MB. */
export const memoryValues = (s: UsageSlice, dbid: number): SqlValue[] => [dbid, s.memoryMb * 1024, 'KB', 'total', 'allocated'];
export const diskValues = (s: UsageSlice, dbid: number): SqlValue[] => [dbid, s.diskMb, 'MB', 'total', 'allocated'];
