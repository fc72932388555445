/**
 * The accounting stage's one data model, shared by its importers, the Gratia writer, billing and every export.
 *
 * An OpenNebula HISTORY record becomes one `VmSegment`; a segment is cut at local midnight (in the accounting time
 * zone, UTC by default) into `UsageSlice`s, one per VM per day slice. Everything downstream reads slices, so the
 * Gratia rows, invoices, CSV, OGF UR and APEL exports of one period add up to the same seconds.
 *
 * Times are integer Unix epoch seconds (UTC). Quantities are integers (seconds, MB, bytes) or decimal strings
 * (`cpuShare`), never floats, because money is computed from them.
 */

/** The status words of APEL's cloud record, which every export maps from. */
export const VM_STATUSES = ['started', 'completed', 'error', 'paused', 'suspended', 'stopped', 'unknown'] as const;
export type VmStatus = (typeof VM_STATUSES)[number];

/** One OpenNebula HISTORY record (one deployment/configuration segment of one VM), normalised. */
export interface VmSegment {
  /** The configured OpenNebula endpoint (site or zone) it came from; a file import or upload names its own. */
  endpoint: string;
  vmId: number;
  /** HISTORY/SEQ. */
  seq: number;
  vmName: string;
  /** VM/DEPLOY_ID, the hypervisor's domain name (`one-46`), if known. */
  deployId: string | null;
  /** The VM's owner (VM/UID, VM/UNAME), not the user who triggered the action. */
  ownerUid: number;
  ownerName: string;
  groupGid: number;
  groupName: string;
  /** The owner's X.509 DN or federated id, if the template carries one. */
  userDn: string | null;
  hostname: string;
  hostId: number | null;
  clusterId: number | null;
  /** STIME. */
  start: number;
  /** ETIME; null while the record is open (a DONE VM's open record is clamped to the VM's ETIME). */
  end: number | null;
  /** RSTIME; null when the VM never ran in this record. */
  runStart: number | null;
  /** RETIME; null while running (or never ran). */
  runEnd: number | null;
  /** TEMPLATE/VCPU (1 when unset). */
  vcpu: number;
  /** TEMPLATE/CPU, the physical share, as a decimal string (`"0.5"`). */
  cpuShare: string;
  /** TEMPLATE/MEMORY, MB. */
  memoryMb: number;
  /** Sum of TEMPLATE/DISK/SIZE (+ snapshots), MB. */
  diskMb: number;
  /** MONITORING/NETRX and NETTX as captured with the record: cumulative bytes since the VM started. */
  netRxBytes: number;
  netTxBytes: number;
  /** Distinct public (non-RFC 1918) NIC addresses. */
  publicIps: string[];
  /** The image the VM booted from (OpenNebula image id or name); the catalogue identity once provisioning has one. */
  imageId: string | null;
  /** VM/STATE and VM/LCM_STATE when the record was read, and HISTORY/ACTION (what closed it). */
  vmState: number;
  lcmState: number;
  action: number;
  status: VmStatus;
}

/** The part of one segment that falls in one day slice: one cloud usage record. */
export interface UsageSlice {
  endpoint: string;
  vmId: number;
  seq: number;
  /** The slice's start and (exclusive) end, epoch seconds: the segment clipped to one local day. */
  sliceStart: number;
  sliceEnd: number;
  /** The local date of the slice (`YYYY-MM-DD` in the accounting time zone). */
  day: string;
  /** The segment was still open when read: this slice is partial and is replaced by the next import. */
  open: boolean;
  vmName: string;
  deployId: string | null;
  ownerUid: number;
  ownerName: string;
  groupGid: number;
  groupName: string;
  userDn: string | null;
  hostname: string;
  hostId: number | null;
  clusterId: number | null;
  vcpu: number;
  cpuShare: string;
  memoryMb: number;
  diskMb: number;
  netRxBytes: number;
  netTxBytes: number;
  publicIps: string[];
  imageId: string | null;
  status: VmStatus;
  /** Allocated time (STIME–ETIME) inside the slice. */
  allocatedSeconds: number;
  /** Running time (RSTIME–RETIME) inside the slice. */
  runningSeconds: number;
  /** Estimated CPU time: running seconds x vCPUs (OpenNebula keeps no CPU counter; cASO's rule). */
  cpuSeconds: number;
}

/** What identifies a slice: a re-import of the same data rewrites the same keys. */
export const sliceKey = (s: Pick<UsageSlice, 'endpoint' | 'vmId' | 'seq' | 'sliceStart'>) =>
  `${s.endpoint}/${s.vmId}/${s.seq}/${s.sliceStart}`;
