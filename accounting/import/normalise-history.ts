/**
 * One HISTORY record (with its VM) checked and turned into a `VmSegment`, with OpenNebula's semantics: the owner is
 * the VM's (VM/UID, UNAME, GID, GNAME), not the user of HISTORY/UID; an open record (ETIME=0) stays open unless the
 * VM is DONE, when it is clamped to VM/ETIME; allocated time is STIME–ETIME, running time RSTIME–RETIME; disks are
 * summed with their snapshots; public addresses are the distinct non-private NIC IPs. Version differences: ≤4.x
 * driver names, REASON (≤5.2) and ONE 3.x's top-level VM/NET_RX, NET_TX are read where present.
 */
import type { VmSegment, VmStatus } from '../usage-slice.js';
import type { HistoryItem, XmlNode, XmlValue } from './history-document.js';
import { publicAddresses } from './public-addresses.js';

/** What became of one HISTORY record. */
export type NormalisedHistory =
  | { ok: true; segment: VmSegment; warnings: string[] }
  | { ok: false; vmId: number | null; seq: number | null; reason: string };

/** VM STATE → APEL status, as oneacct-export maps it (§4.4); 9 UNDEPLOYED (which it refuses) is `stopped` here, 10/11 (cloning) started/error. */
const STATUS_BY_STATE: readonly VmStatus[] = [
  'started', 'started', 'suspended', 'started', 'suspended', 'suspended', 'completed', 'completed', 'suspended', 'stopped', 'started', 'error',
];
/** VM STATE 6: DONE. */
const DONE = 6;

class Rejected extends Error {}

const text = (v: XmlValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const node = (v: XmlValue | undefined): XmlNode | undefined => (v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
const list = (v: XmlValue | undefined): XmlValue[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A whole number (no sign, no fraction) of `path`, or `fallback` when absent; anything else rejects the record. */
function int(n: XmlNode | undefined, name: string, path: string, fallback?: number): number {
  const v = n?.[name];
  if (v === undefined || v === '') {
    if (fallback !== undefined) return fallback;
    throw new Rejected(`${path} is missing`);
  }
  const t = text(v);
  if (t === undefined || !/^-?\d{1,15}$/.test(t)) throw new Rejected(`${path} "${t ?? '(element)'}" is not a whole number`);
  const value = Number(t);
  if (value < 0) throw new Rejected(`${path} ${value} is negative`);
  return value;
}

/** A size in MB (OpenNebula writes whole numbers; a fraction is rounded up, never to a float). */
function megabytes(n: XmlNode | undefined, name: string, path: string, fallback?: number): number {
  const t = text(n?.[name]);
  if (t !== undefined && /^\d{1,15}\.\d+$/.test(t)) return Number(t.slice(0, t.indexOf('.'))) + (/[1-9]/.test(t.slice(t.indexOf('.') + 1)) ? 1 : 0);
  if (t !== undefined && /^-\d/.test(t)) throw new Rejected(`${path} ${t} is negative`);
  return int(n, name, path, fallback);
}

function requiredText(n: XmlNode | undefined, name: string, path: string): string {
  const t = text(n?.[name]);
  if (t === undefined || t === '') throw new Rejected(`${path} is missing`);
  return t;
}

/** TEMPLATE/CPU as a canonical decimal string (`"0.5"`, `"2"`). */
function cpuShare(template: XmlNode, vcpu: number, warnings: string[]): string {
  const t = text(template.CPU);
  if (t === undefined || t === '') {
    warnings.push(`TEMPLATE/CPU is missing: the CPU share is taken as the VCPU count (${vcpu})`);
    return String(vcpu);
  }
  if (!/^\d{1,9}(\.\d{1,9})?$/.test(t)) throw new Rejected(`TEMPLATE/CPU "${t}" is not a non-negative decimal number`);
  const [whole, frac = ''] = t.split('.');
  const f = frac.replace(/0+$/, '');
  return `${String(Number(whole))}${f ? `.${f}` : ''}`;
}

function diskMb(template: XmlNode, warnings: string[]): number {
  const disks = list(template.DISK);
  if (disks.length === 0) {
    warnings.push('the VM has no DISK: its disk size is taken as 0 MB');
    return 0;
  }
  let total = 0;
  disks.forEach((d, i) => {
    const disk = node(d);
    const path = `TEMPLATE/DISK[${i + 1}]`;
    if (!disk || disk.SIZE === undefined) {
      warnings.push(`${path} has no SIZE: it counts as 0 MB`);
      return;
    }
    total += megabytes(disk, 'SIZE', `${path}/SIZE`) + megabytes(disk, 'DISK_SNAPSHOT_TOTAL_SIZE', `${path}/DISK_SNAPSHOT_TOTAL_SIZE`, 0);
  });
  return total;
}

function imageOf(template: XmlNode): string | null {
  const first = node(list(template.DISK)[0]);
  return text(first?.IMAGE_ID) || text(first?.IMAGE) || null;
}

/** Checks one HISTORY record and normalises it; `endpoint` names where it came from. */
export function normaliseHistory(item: HistoryItem, endpoint: string): NormalisedHistory {
  const h = item.history;
  const vm = item.vm;
  const vmId = numberOrNull(text(h?.OID)) ?? numberOrNull(text(vm?.ID));
  const seq = numberOrNull(text(h?.SEQ));
  try {
    if (!vm) throw new Rejected('the HISTORY record carries no VM document');
    if (!h) throw new Rejected('the VM has no history (HISTORY_RECORDS is empty or missing): it never ran, so there is no usage to account');
    const warnings: string[] = [];
    const id = int(h, 'OID', 'HISTORY/OID', int(vm, 'ID', 'VM/ID'));
    const sequence = int(h, 'SEQ', 'HISTORY/SEQ');
    const state = int(vm, 'STATE', 'VM/STATE');
    if (state >= STATUS_BY_STATE.length) throw new Rejected(`VM/STATE ${state} is out of range (0 to ${STATUS_BY_STATE.length - 1})`);
    const template = node(vm.TEMPLATE);
    if (!template) throw new Rejected('VM/TEMPLATE is missing');
    const vcpu = int(template, 'VCPU', 'TEMPLATE/VCPU', 1);
    if (vcpu === 0) throw new Rejected('TEMPLATE/VCPU is 0');
    const memoryMb = megabytes(template, 'MEMORY', 'TEMPLATE/MEMORY');

    // A first record with STIME 0 starts with the VM (the Gratia probe's rule).
    let start = int(h, 'STIME', 'HISTORY/STIME');
    if (start === 0 && sequence === 0) start = int(vm, 'STIME', 'VM/STIME', 0);
    if (start === 0) throw new Rejected('HISTORY/STIME is 0: the record has no start');
    const etime = int(h, 'ETIME', 'HISTORY/ETIME');
    if (etime !== 0 && etime < start) throw new Rejected(`HISTORY/ETIME ${etime} is before STIME ${start}`);
    let end: number | null = etime === 0 ? null : etime;
    // A DONE VM's open record (recover --delete, terminate from poweroff: #5874, #5950) ends when the VM did.
    if (end === null && state === DONE) {
      const vmEnd = int(vm, 'ETIME', 'VM/ETIME', 0);
      if (vmEnd === 0) throw new Rejected('the VM is DONE but neither HISTORY/ETIME nor VM/ETIME says when it ended');
      if (vmEnd < start) throw new Rejected(`the VM is DONE at VM/ETIME ${vmEnd}, before the record's STIME ${start}`);
      end = vmEnd;
      warnings.push(`the VM is DONE but this record is open: clamped to VM/ETIME ${vmEnd}`);
    }
    const rstime = int(h, 'RSTIME', 'HISTORY/RSTIME');
    const retime = int(h, 'RETIME', 'HISTORY/RETIME');
    if (retime !== 0 && rstime !== 0 && retime < rstime) throw new Rejected(`HISTORY/RETIME ${retime} is before RSTIME ${rstime}`);
    if (retime !== 0 && rstime === 0) throw new Rejected(`HISTORY/RETIME ${retime} is set but RSTIME is 0`);
    const runStart = rstime === 0 ? null : rstime;
    // A closed record that still says "running" ran until it closed (the VM left this host at ETIME).
    const runEnd = runStart === null ? null : retime !== 0 ? retime : end;

    const monitoring = node(vm.MONITORING);
    // ONE 3.x kept the monitored counters at the top of the VM document.
    const netRxBytes = int(monitoring, 'NETRX', 'VM/MONITORING/NETRX', int(vm, 'NET_RX', 'VM/NET_RX', 0));
    const netTxBytes = int(monitoring, 'NETTX', 'VM/MONITORING/NETTX', int(vm, 'NET_TX', 'VM/NET_TX', 0));
    const userTemplate = node(vm.USER_TEMPLATE);
    const segment: VmSegment = {
      endpoint,
      vmId: id,
      seq: sequence,
      vmName: text(vm.NAME) ?? `one-${id}`,
      deployId: text(vm.DEPLOY_ID) || null,
      ownerUid: int(vm, 'UID', 'VM/UID'),
      ownerName: requiredText(vm, 'UNAME', 'VM/UNAME'),
      groupGid: int(vm, 'GID', 'VM/GID'),
      groupName: requiredText(vm, 'GNAME', 'VM/GNAME'),
      userDn: text(userTemplate?.USER_X509_DN) || text(template.USER_X509_DN) || null,
      hostname: requiredText(h, 'HOSTNAME', 'HISTORY/HOSTNAME'),
      hostId: numberOrNull(text(h.HID)),
      clusterId: numberOrNull(text(h.CID)),
      start,
      end,
      runStart,
      runEnd,
      vcpu,
      cpuShare: cpuShare(template, vcpu, warnings),
      memoryMb,
      diskMb: diskMb(template, warnings),
      netRxBytes,
      netTxBytes,
      publicIps: publicAddresses(list(template.NIC).flatMap((n) => list(node(n)?.IP).concat(list(node(n)?.IP6_GLOBAL)).flatMap((ip) => text(ip) ?? []))),
      imageId: imageOf(template),
      vmState: state,
      lcmState: int(vm, 'LCM_STATE', 'VM/LCM_STATE', 0),
      action: int(h, 'ACTION', 'HISTORY/ACTION', 0),
      status: STATUS_BY_STATE[state]!,
    };
    return { ok: true, segment, warnings };
  } catch (err) {
    if (err instanceof Rejected) return { ok: false, vmId, seq, reason: err.message };
    throw err;
  }
}

function numberOrNull(t: string | undefined): number | null {
  return t !== undefined && /^\d{1,15}$/.test(t) ? Number(t) : null;
}
