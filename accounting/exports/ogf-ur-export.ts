/**
 * OGF Usage Record 1.0 with Gratia's profile (there is no standard "OGF cloud UR"): one `JobUsageRecord` per day
 * slice inside `UsageRecords`, in the pre-GFD.98 namespace Gratia uses, with `Resource ResourceType=OneVM`. As in
 * Gratia's own rows (and the onevm probe), WallDuration is the allocated time (EndTime - StartTime of the record);
 * CPU time is the estimate (running x vCPU), and running time a `TimeDuration` of type running.
 */
import type { Queryable } from '../../store/index.js';
import type { UsageSlice } from '../usage-slice.js';
import { readSlices } from '../usage-store.js';
import { isoUtc, type ExportMonth } from './export-period.js';
import type { ExportSettings } from './export-settings.js';
import { gratiaDuration } from './gratia-duration.js';
import { element, xmlText } from './xml-text.js';

export const GRATIA_UR_NAMESPACE = 'http://www.gridforum.org/2003/ur-wg';

const STATUS_TEXT: Record<UsageSlice['status'], string> = {
  started: 'VM is still running', completed: 'VM completed', error: 'VM failed', paused: 'VM paused',
  suspended: 'VM suspended', stopped: 'VM stopped', unknown: 'VM state unknown',
};

/** One slice as a Gratia JobUsageRecord; `createTime` is the export's time, the record id is the slice's key. */
export function gratiaJobUsageRecord(s: UsageSlice, settings: ExportSettings, createTime: number): string {
  const id = `${settings.recordHost}:${s.endpoint}/${s.vmId}/${s.seq}/${s.sliceStart}`;
  const dn = s.userDn === null ? '' :
    `<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509SubjectName>${xmlText(s.userDn)}</ds:X509SubjectName></ds:X509Data></ds:KeyInfo>`;
  return [
    '<JobUsageRecord>',
    ` <RecordIdentity urwg:recordId="${xmlText(id)}" urwg:createTime="${isoUtc(createTime)}"/>`,
    ` <JobIdentity>${element('LocalJobId', s.vmId)}${element('GlobalJobId', `${s.endpoint}/${s.vmId}#${s.seq}#${s.sliceStart}`)}</JobIdentity>`,
    ` <UserIdentity>${element('LocalUserId', s.ownerName)}${dn}${element('VOName', s.groupName)}${element('ReportableVOName', s.groupName)}</UserIdentity>`,
    ` ${element('JobName', s.vmName)}${element('Status', s.status === 'error' ? 1 : 0, ` urwg:description="${STATUS_TEXT[s.status]}"`)}`,
    ` ${element('Processors', s.vcpu, ' urwg:metric="total"')}${element('NodeCount', 1, ' urwg:metric="total"')}`,
    ` ${element('StartTime', isoUtc(s.sliceStart))}${element('EndTime', isoUtc(s.sliceEnd))}`,
    ` ${element('WallDuration', gratiaDuration(s.allocatedSeconds))}${element('CpuDuration', gratiaDuration(s.cpuSeconds), ' urwg:usageType="user"')}` +
      element('CpuDuration', 'PT0S', ' urwg:usageType="system"'),
    ` ${element('TimeDuration', gratiaDuration(s.runningSeconds), ' urwg:type="running"')}`,
    ` ${element('Memory', s.memoryMb, ' urwg:storageUnit="MB" urwg:metric="total"')}${element('Disk', s.diskMb, ' urwg:storageUnit="MB" urwg:metric="total"')}`,
    ` ${s.publicIps.length > 0 ? element('MachineName', s.publicIps.join('/')) : ''}${element('SubmitHost', s.hostname)}${element('ProjectName', s.groupName)}`,
    ` ${element('ProbeName', settings.probeName)}${element('SiteName', settings.siteName)}${element('Grid', settings.grid)}`,
    ` ${element('Njobs', 1)}${element('Resource', 'OneVM', ' urwg:description="ResourceType"')}`,
    '</JobUsageRecord>',
  ].join('\n') + '\n';
}

/** The month's slices as `UsageRecords`, streamed page by page; an empty month is an empty `UsageRecords`. */
export async function* gratiaUsageRecords(
  q: Queryable, month: ExportMonth, settings: ExportSettings, createTime: number, endpoint?: string,
): AsyncGenerator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<UsageRecords xmlns="${GRATIA_UR_NAMESPACE}" xmlns:urwg="${GRATIA_UR_NAMESPACE}">\n`;
  for await (const page of readSlices(q, { from: month.from, to: month.to, endpoint })) {
    yield page.map((s) => gratiaJobUsageRecord(s, settings, createTime)).join('');
  }
  yield '</UsageRecords>\n';
}
