/**
 * The accounting tables (stage `accounting`): `vm_segments`, one row per OpenNebula history record as last imported,
 * and `usage_records`, its day slices. Writers replace a segment's slices as a whole inside the caller's transaction,
 * so a re-import rewrites the same keys and a corrected record changes exactly its own slices; readers page through a
 * period by key, so no reader holds a whole period in memory.
 */
import type { Migration, Queryable, Row, SqlValue, Transaction } from '../store/index.js';
import { VM_STATUSES, type UsageSlice, type VmSegment, type VmStatus } from './usage-slice.js';

export const SEGMENTS_TABLE = 'vm_segments';
export const USAGE_TABLE = 'usage_records';

/** Columns both tables share, in the order rows are written. */
const SHARED_COLUMNS = [
  'endpoint', 'vm_id', 'seq', 'vm_name', 'deploy_id', 'owner_uid', 'owner_name', 'group_gid', 'group_name', 'user_dn',
  'hostname', 'host_id', 'cluster_id', 'vcpu', 'cpu_share', 'memory_mb', 'disk_mb', 'net_rx_bytes', 'net_tx_bytes',
  'public_ips', 'image_id', 'status',
] as const;
const SEGMENT_COLUMNS = [...SHARED_COLUMNS, 'start_time', 'end_time', 'run_start', 'run_end', 'vm_state', 'lcm_state', 'action', 'updated_at'] as const;
const SLICE_COLUMNS = [
  ...SHARED_COLUMNS, 'slice_start', 'slice_end', 'day', 'open', 'allocated_seconds', 'running_seconds', 'cpu_seconds',
] as const;

const shared = [
  { name: 'endpoint', type: 'varchar', length: 64, notNull: true, binary: true },
  { name: 'vm_id', type: 'bigint', notNull: true },
  { name: 'seq', type: 'int', notNull: true },
  { name: 'vm_name', type: 'varchar', length: 255, notNull: true, binary: true },
  { name: 'deploy_id', type: 'varchar', length: 255, binary: true },
  { name: 'owner_uid', type: 'bigint', notNull: true },
  { name: 'owner_name', type: 'varchar', length: 128, notNull: true, binary: true },
  { name: 'group_gid', type: 'bigint', notNull: true },
  { name: 'group_name', type: 'varchar', length: 128, notNull: true, binary: true },
  { name: 'user_dn', type: 'varchar', length: 512, binary: true },
  { name: 'hostname', type: 'varchar', length: 255, notNull: true, binary: true },
  { name: 'host_id', type: 'bigint' },
  { name: 'cluster_id', type: 'bigint' },
  { name: 'vcpu', type: 'int', notNull: true },
  // A decimal string (TEMPLATE/CPU), never a float: money is computed from it.
  { name: 'cpu_share', type: 'varchar', length: 32, notNull: true },
  { name: 'memory_mb', type: 'bigint', notNull: true },
  { name: 'disk_mb', type: 'bigint', notNull: true },
  { name: 'net_rx_bytes', type: 'bigint', notNull: true },
  { name: 'net_tx_bytes', type: 'bigint', notNull: true },
  // Comma-separated addresses.
  { name: 'public_ips', type: 'text', notNull: true },
  { name: 'image_id', type: 'varchar', length: 255, binary: true },
  { name: 'status', type: 'varchar', length: 16, notNull: true },
] as const;

export const accountingMigrations: readonly Migration[] = [
  {
    stage: 'accounting',
    version: 1,
    name: 'OpenNebula history segments and their day slices (cloud usage records)',
    steps: [
      {
        createTable: {
          name: SEGMENTS_TABLE,
          columns: [
            ...shared,
            { name: 'start_time', type: 'bigint', notNull: true },
            { name: 'end_time', type: 'bigint' },
            { name: 'run_start', type: 'bigint' },
            { name: 'run_end', type: 'bigint' },
            { name: 'vm_state', type: 'int', notNull: true },
            { name: 'lcm_state', type: 'int', notNull: true },
            { name: 'action', type: 'int', notNull: true },
            { name: 'updated_at', type: 'bigint', notNull: true },
          ],
          primaryKey: ['endpoint', 'vm_id', 'seq'],
          indexes: [{ name: 'vm_segments_open', columns: ['end_time'] }],
        },
      },
      {
        createTable: {
          name: USAGE_TABLE,
          columns: [
            ...shared,
            { name: 'slice_start', type: 'bigint', notNull: true },
            { name: 'slice_end', type: 'bigint', notNull: true },
            { name: 'day', type: 'varchar', length: 10, notNull: true },
            { name: 'open', type: 'int', notNull: true },
            { name: 'allocated_seconds', type: 'bigint', notNull: true },
            { name: 'running_seconds', type: 'bigint', notNull: true },
            { name: 'cpu_seconds', type: 'bigint', notNull: true },
          ],
          primaryKey: ['endpoint', 'vm_id', 'seq', 'slice_start'],
          indexes: [
            { name: 'usage_records_by_time', columns: ['slice_start', 'endpoint', 'vm_id', 'seq'] },
            { name: 'usage_records_by_day', columns: ['day', 'group_name'] },
          ],
        },
      },
    ],
  },
];

const sharedValues = (s: VmSegment | UsageSlice): SqlValue[] => [
  s.endpoint, s.vmId, s.seq, s.vmName, s.deployId, s.ownerUid, s.ownerName, s.groupGid, s.groupName, s.userDn,
  s.hostname, s.hostId, s.clusterId, s.vcpu, s.cpuShare, s.memoryMb, s.diskMb, s.netRxBytes, s.netTxBytes,
  s.publicIps.join(','), s.imageId, s.status,
];

/** What one write changed: the slices it removed (as they were) and the ones it wrote, for the Gratia summariser. */
export interface SliceChange {
  removed: UsageSlice[];
  written: UsageSlice[];
}

const CHUNK = 200;

/**
 * Stores segments and replaces each one's slices with `slices` (all of them, for every segment given), inside `tx`.
 * A segment whose slices are unchanged still counts in the change, so callers can compare `removed` with `written`.
 */
export async function writeSegments(
  tx: Transaction,
  segments: readonly VmSegment[],
  slices: readonly UsageSlice[],
  now: number,
): Promise<SliceChange> {
  const removed: UsageSlice[] = [];
  for (let i = 0; i < segments.length; i += CHUNK) {
    const part = segments.slice(i, i + CHUNK);
    const where = part.map(() => '(endpoint = ? AND vm_id = ? AND seq = ?)').join(' OR ');
    const keys = part.flatMap((s) => [s.endpoint, s.vmId, s.seq]);
    const rows = await tx.query(`SELECT ${SLICE_COLUMNS.join(', ')} FROM ${USAGE_TABLE} WHERE ${where}`, keys);
    removed.push(...rows.map(sliceFromRow));
    await tx.execute(`DELETE FROM ${USAGE_TABLE} WHERE ${where}`, keys);
    await tx.upsert(
      SEGMENTS_TABLE,
      SEGMENT_COLUMNS,
      part.map((s) => [...sharedValues(s), s.start, s.end, s.runStart, s.runEnd, s.vmState, s.lcmState, s.action, now]),
      { key: ['endpoint', 'vm_id', 'seq'] },
    );
  }
  if (slices.length > 0) {
    await tx.insertMany(
      USAGE_TABLE,
      SLICE_COLUMNS,
      slices.map((s) => [
        ...sharedValues(s), s.sliceStart, s.sliceEnd, s.day, s.open ? 1 : 0, s.allocatedSeconds, s.runningSeconds, s.cpuSeconds,
      ]),
    );
  }
  return { removed, written: [...slices] };
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : null);
const status = (v: unknown): VmStatus =>
  typeof v === 'string' && (VM_STATUSES as readonly string[]).includes(v) ? (v as VmStatus) : 'unknown';

export function sliceFromRow(r: Row): UsageSlice {
  return {
    endpoint: String(r.endpoint),
    vmId: num(r.vm_id),
    seq: num(r.seq),
    sliceStart: num(r.slice_start),
    sliceEnd: num(r.slice_end),
    day: String(r.day),
    open: num(r.open) === 1,
    vmName: String(r.vm_name),
    deployId: strOrNull(r.deploy_id),
    ownerUid: num(r.owner_uid),
    ownerName: String(r.owner_name),
    groupGid: num(r.group_gid),
    groupName: String(r.group_name),
    userDn: strOrNull(r.user_dn),
    hostname: String(r.hostname),
    hostId: numOrNull(r.host_id),
    clusterId: numOrNull(r.cluster_id),
    vcpu: num(r.vcpu),
    cpuShare: String(r.cpu_share),
    memoryMb: num(r.memory_mb),
    diskMb: num(r.disk_mb),
    netRxBytes: num(r.net_rx_bytes),
    netTxBytes: num(r.net_tx_bytes),
    publicIps: String(r.public_ips) === '' ? [] : String(r.public_ips).split(','),
    imageId: strOrNull(r.image_id),
    status: status(r.status),
    allocatedSeconds: num(r.allocated_seconds),
    runningSeconds: num(r.running_seconds),
    cpuSeconds: num(r.cpu_seconds),
  };
}

export interface SliceRange {
  /** Slices starting at or after `from` and before `to` (epoch seconds). */
  from: number;
  to: number;
  endpoint?: string;
  /** Rows per page (default 5,000). */
  pageSize?: number;
}

/**
 * The slices of a period in key order (slice start, endpoint, VM, sequence), one page at a time: memory stays bounded
 * by the page size however long the period.
 */
export async function* readSlices(q: Queryable, range: SliceRange): AsyncGenerator<UsageSlice[]> {
  const pageSize = range.pageSize ?? 5000;
  const base = `SELECT ${SLICE_COLUMNS.join(', ')} FROM ${USAGE_TABLE} WHERE slice_start >= ? AND slice_start < ?`;
  const scope = range.endpoint === undefined ? '' : ' AND endpoint = ?';
  const scopeParams: SqlValue[] = range.endpoint === undefined ? [] : [range.endpoint];
  const order = ' ORDER BY slice_start, endpoint, vm_id, seq LIMIT ?';
  let after: UsageSlice | undefined;
  for (;;) {
    const rows = after === undefined
      ? await q.query(base + scope + order, [range.from, range.to, ...scopeParams, pageSize])
      : await q.query(
          base + scope +
            ' AND (slice_start > ? OR (slice_start = ? AND (endpoint > ? OR (endpoint = ? AND (vm_id > ? OR (vm_id = ? AND seq > ?))))))' +
            order,
          [
            range.from, range.to, ...scopeParams,
            after.sliceStart, after.sliceStart, after.endpoint, after.endpoint, after.vmId, after.vmId, after.seq, pageSize,
          ],
        );
    if (rows.length === 0) return;
    const page = rows.map(sliceFromRow);
    yield page;
    if (rows.length < pageSize) return;
    after = page[page.length - 1];
  }
}

/** A segment's running time (RSTIME–RETIME); null ends where OpenNebula has 0. */
export interface SegmentRun {
  start: number | null;
  end: number | null;
}

/**
 * The running intervals of the segments `slices` belong to, read from `vm_segments` 200 keys a statement, as a lookup
 * by slice (what splits a slice's running time exactly at a price change).
 */
export async function readSegmentRuns(q: Queryable, slices: readonly UsageSlice[]): Promise<(s: UsageSlice) => SegmentRun | undefined> {
  const runs = new Map<string, SegmentRun>();
  const key = (endpoint: string, vmId: number, seq: number) => `${endpoint}/${vmId}/${seq}`;
  for (let i = 0; i < slices.length; i += CHUNK) {
    const part = slices.slice(i, i + CHUNK);
    const rows = await q.query(
      `SELECT endpoint, vm_id, seq, run_start, run_end FROM ${SEGMENTS_TABLE} WHERE ${part.map(() => '(endpoint = ? AND vm_id = ? AND seq = ?)').join(' OR ')}`,
      part.flatMap((s) => [s.endpoint, s.vmId, s.seq]),
    );
    for (const r of rows) runs.set(key(String(r.endpoint), num(r.vm_id), num(r.seq)), { start: numOrNull(r.run_start), end: numOrNull(r.run_end) });
  }
  return (s) => runs.get(key(s.endpoint, s.vmId, s.seq));
}
