/**
 * EMI Compute Accounting Record 1.2 (the XML APEL's CarParser reads): one `urf:UsageRecord` per day slice inside
 * `urf:UsageRecords`. WallDuration is running time, CpuDuration (usageType all) the estimate running x vCPU.
 */
import type { Queryable } from '../../store/index.js';
import type { UsageSlice } from '../usage-slice.js';
import { readSlices } from '../usage-store.js';
import { isoUtc, type ExportMonth } from './export-period.js';
import type { ExportSettings } from './export-settings.js';
import { secondsDuration } from './gratia-duration.js';
import { element, xmlText } from './xml-text.js';

export const CAR_NAMESPACE = 'http://eu-emi.eu/namespaces/2012/11/computerecord';

/** CAR's status words (UR 1.0's list). */
const CAR_STATUS: Record<UsageSlice['status'], string> = {
  started: 'started', completed: 'completed', error: 'failed', paused: 'suspended', suspended: 'suspended',
  stopped: 'suspended', unknown: 'started',
};

export function carUsageRecord(s: UsageSlice, settings: ExportSettings, createTime: number): string {
  const id = `${settings.recordHost}:${s.endpoint}/${s.vmId}/${s.seq}/${s.sliceStart}`;
  const fqan = `/${s.groupName}/Role=NULL/Capability=NULL`;
  return [
    '<urf:UsageRecord>',
    ` <urf:RecordIdentity urf:recordId="${xmlText(id)}" urf:createTime="${isoUtc(createTime)}"/>`,
    ` <urf:JobIdentity>${element('urf:LocalJobId', `${s.vmId}/${s.seq}/${s.sliceStart}`)}</urf:JobIdentity>`,
    ` <urf:UserIdentity>${element('urf:GlobalUserName', s.userDn)}${element('urf:LocalUserId', s.ownerName)}${element('urf:LocalGroup', s.groupName)}` +
      `${element('urf:Group', s.groupName)}${element('urf:GroupAttribute', fqan, ' urf:type="FQAN"')}</urf:UserIdentity>`,
    ` ${element('urf:JobName', s.vmName)}${element('urf:Status', CAR_STATUS[s.status])}`,
    ` <urf:Infrastructure urf:type="local" urf:description="${xmlText(settings.cloudType)}"/>`,
    ` ${element('urf:WallDuration', secondsDuration(s.runningSeconds))}${element('urf:CpuDuration', secondsDuration(s.cpuSeconds), ' urf:usageType="all"')}`,
    settings.benchmarkType !== null && settings.benchmark !== null
      ? ` ${element('urf:ServiceLevel', settings.benchmark, ` urf:type="${xmlText(settings.benchmarkType)}"`)}` : '',
    ` ${element('urf:Memory', s.memoryMb, ' urf:storageUnit="MB" urf:type="Physical" urf:metric="max"')}`,
    ` ${element('urf:NodeCount', 1)}${element('urf:Processors', s.vcpu)}`,
    ` ${element('urf:EndTime', isoUtc(s.sliceEnd))}${element('urf:StartTime', isoUtc(s.sliceStart))}`,
    ` ${element('urf:MachineName', s.vmName)}${element('urf:SubmitHost', s.hostname)}${element('urf:Queue', s.endpoint)}` +
      `${element('urf:Site', settings.siteName)}${element('urf:Host', s.hostname, ' urf:primary="true"')}`,
    '</urf:UsageRecord>',
  ].filter((l) => l !== '').join('\n') + '\n';
}

/** The month's slices as CAR `urf:UsageRecords`, streamed page by page. */
export async function* carUsageRecords(
  q: Queryable, month: ExportMonth, settings: ExportSettings, createTime: number, endpoint?: string,
): AsyncGenerator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<urf:UsageRecords xmlns:urf="${CAR_NAMESPACE}">\n`;
  for await (const page of readSlices(q, { from: month.from, to: month.to, endpoint })) {
    yield page.map((s) => carUsageRecord(s, settings, createTime)).join('');
  }
  yield '</urf:UsageRecords>\n';
}
