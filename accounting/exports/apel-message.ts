/**
 * APEL cloud messages, v0.4 and v0.2: a header line `APEL-cloud-message: vX`, then `Key: value` lines per record,
 * records separated by `%%` lines. v0.2 has no RecordCreateTime, CloudComputeService, PublicIPCount or benchmark
 * fields, and its CpuCount is an integer; v0.4's is a decimal (10,3).
 */
import type { ApelCloudRecord } from './apel-records.js';
import type { ExportSettings } from './export-settings.js';

export const APEL_VERSIONS = ['0.4', '0.2'] as const;
export type ApelVersion = (typeof APEL_VERSIONS)[number];

/** What APEL reads as null. */
const NULL = 'NULL';
// A value is one line without `%%`: APEL splits a message on every `%%`, a record into lines, a line at its first ':'.
const one = (v: string | number | null) =>
  v === null || v === '' ? NULL : String(v).replace(/[\r\n]+/g, ' ').replace(/%%+/g, '%');

/** A record's `Key: value` lines, in APEL's message order. */
export function apelRecordLines(r: ApelCloudRecord, version: ApelVersion, settings: ExportSettings): string[] {
  const v4 = version === '0.4';
  const fields: [string, string | number | null, boolean][] = [
    ['RecordCreateTime', r.recordCreateTime, v4],
    ['VMUUID', r.vmUuid, true],
    ['SiteName', settings.siteName, true],
    ['CloudComputeService', settings.cloudComputeService, v4],
    ['MachineName', r.machineName, true],
    ['LocalUserId', r.localUserId, true],
    ['LocalGroupId', r.localGroupId, true],
    ['GlobalUserName', r.globalUserName, true],
    ['FQAN', r.fqan, true],
    ['Status', r.status, true],
    ['StartTime', r.startTime, true],
    ['EndTime', r.endTime, true],
    ['SuspendDuration', r.suspendDuration, true],
    ['WallDuration', r.wallDuration, true],
    ['CpuDuration', r.cpuDuration, true],
    ['CpuCount', v4 ? `${r.cpuCount}.000` : r.cpuCount, true],
    ['NetworkType', null, true],
    ['NetworkInbound', r.networkInbound, true],
    ['NetworkOutbound', r.networkOutbound, true],
    ['PublicIPCount', r.publicIpCount, v4],
    ['Memory', r.memory, true],
    ['Disk', r.disk, true],
    ['BenchmarkType', settings.benchmarkType, v4],
    ['Benchmark', settings.benchmark, v4],
    ['StorageRecordId', null, true],
    ['ImageId', r.imageId, true],
    ['CloudType', settings.cloudType, true],
  ];
  return fields.filter(([, , sent]) => sent).map(([k, v]) => `${k}: ${one(v)}`);
}

/** One message of up to `settings.recordsPerMessage` records. */
export function apelMessage(records: readonly ApelCloudRecord[], version: ApelVersion, settings: ExportSettings): string {
  const body = records.map((r) => apelRecordLines(r, version, settings).join('\n')).join('\n%%\n');
  return `APEL-cloud-message: v${version}\n${body}${records.length > 0 ? '\n' : ''}`;
}

/** The records cut into messages of at most `settings.recordsPerMessage`. */
export function apelMessages(records: readonly ApelCloudRecord[], version: ApelVersion, settings: ExportSettings): string[] {
  const size = Math.max(1, settings.recordsPerMessage);
  const out: string[] = [];
  for (let i = 0; i < records.length; i += size) out.push(apelMessage(records.slice(i, i + size), version, settings));
  return out;
}
