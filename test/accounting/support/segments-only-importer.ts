/**
 * A test-only importer for the pull tests, until core's `importOpenNebulaXml` is on main: it reads the stand-in's
 * `<HISTORY>` records into `VmSegment`s and stores them with `writeSegments` in one transaction (no day slices, no
 * report). It keys by (endpoint, vm, seq) exactly as the real import does, which is what the pulls' once-only
 * claims rest on; the normaliser's rules are core's and tested there.
 */
import { writeSegments, type VmSegment } from '../../../accounting/index.js';
import type { PullImporter } from '../../../accounting/opennebula-pull.js';
import type { Store } from '../../../store/index.js';

const num = (xml: string, name: string): number => Number(new RegExp(`<${name}>(?:<!\\[CDATA\\[)?(-?[\\d.]+)`).exec(xml)?.[1] ?? 0);
const str = (xml: string, name: string): string => new RegExp(`<${name}>(?:<!\\[CDATA\\[)?([^<\\]]*)`).exec(xml)?.[1] ?? '';

export function segmentsOf(xml: string, endpoint: string): VmSegment[] {
  return (xml.match(/<HISTORY>[\s\S]*?<\/HISTORY>/g) ?? []).map((h) => {
    const vm = /<VM>[\s\S]*<\/VM>/.exec(h)?.[0] ?? '';
    const etime = num(h, 'ETIME');
    const retime = num(h, 'RETIME');
    const rstime = num(h, 'RSTIME');
    return {
      endpoint, vmId: num(h, 'OID'), seq: num(h, 'SEQ'), vmName: str(vm, 'NAME'), deployId: str(vm, 'DEPLOY_ID') || null,
      ownerUid: num(vm, 'UID'), ownerName: str(vm, 'UNAME'), groupGid: num(vm, 'GID'), groupName: str(vm, 'GNAME'), userDn: null,
      hostname: str(h, 'HOSTNAME'), hostId: num(h, 'HID'), clusterId: num(h, 'CID'), start: num(h, 'STIME'), end: etime === 0 ? null : etime,
      runStart: rstime === 0 ? null : rstime, runEnd: retime === 0 ? null : retime, vcpu: num(vm, 'VCPU') || 1, cpuShare: str(vm, 'CPU') || '1',
      memoryMb: num(vm, 'MEMORY'), diskMb: num(vm, 'SIZE'), netRxBytes: 0, netTxBytes: 0, publicIps: [], imageId: null,
      vmState: num(vm, 'STATE'), lcmState: num(vm, 'LCM_STATE'), action: num(h, 'ACTION'), status: etime === 0 ? 'started' : 'completed',
    };
  });
}

/** One transaction per pulled document, as the real import. */
export function segmentsOnlyImporter(store: Store): PullImporter {
  return async (xml, { endpoint, now }) => {
    const segments = segmentsOf(xml, endpoint);
    await store.transaction((tx) => writeSegments(tx, segments, [], now));
    return { importId: null, records: segments.length, rejected: 0 };
  };
}
