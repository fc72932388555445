/**
 * OpenNebula accounting documents for tests and the import benchmark, written as oned writes them: a HISTORY record
 * with its VM document (`oneacct -x`), VM documents with embedded HISTORY_RECORDS, wrapped in HISTORY_RECORDS or
 * VM_POOL. Every field can be overridden or left out (`null`) to build broken records.
 */

/** One history record and the VM it belongs to; `null` leaves the element out, a string is written as it is. */
export interface HistorySpec {
  vmId: number;
  seq?: number;
  stime: number | string | null;
  etime?: number | string | null;
  rstime?: number | string | null;
  retime?: number | string | null;
  hostname?: string | null;
  hid?: number;
  cid?: number;
  action?: number;
  /** ONE ≤5.2. */
  reason?: number;
  vm?: VmSpec;
}

export interface VmSpec {
  name?: string;
  uid?: number | string | null;
  uname?: string | null;
  gid?: number | string | null;
  gname?: string | null;
  state?: number | string | null;
  lcmState?: number;
  vmStime?: number;
  vmEtime?: number;
  deployId?: string;
  memory?: number | string | null;
  vcpu?: number | string | null;
  cpu?: number | string | null;
  /** Disk sizes in MB (a string as it is; `null` writes a DISK without SIZE); omit the list for no DISK. */
  disks?: (number | string | null)[];
  snapshotMb?: number;
  ips?: string[];
  netrx?: number | string;
  nettx?: number | string;
  /** ONE 3.x: the counters at the top of the VM document instead of MONITORING. */
  legacyCounters?: boolean;
  dn?: string;
  imageId?: number;
  /** Leave out the TEMPLATE element. */
  noTemplate?: boolean;
}

const el = (name: string, v: number | string | null | undefined) => (v === null || v === undefined ? '' : `<${name}>${v}</${name}>`);
const cdata = (name: string, v: number | string | null | undefined) => (v === null || v === undefined ? '' : `<${name}><![CDATA[${v}]]></${name}>`);

/** The VM document's inner elements (without HISTORY_RECORDS). */
export function vmBody(vmId: number, vm: VmSpec = {}): string {
  const disks = (vm.disks ?? [])
    .map((size, i) => `<DISK>${cdata('DISK_ID', i)}${i === 0 ? cdata('IMAGE_ID', vm.imageId ?? 7) : ''}${cdata('SIZE', size)}${i === 0 && vm.snapshotMb ? cdata('DISK_SNAPSHOT_TOTAL_SIZE', vm.snapshotMb) : ''}</DISK>`)
    .join('');
  const nics = (vm.ips ?? []).map((ip, i) => `<NIC>${cdata('IP', ip)}${cdata('NETWORK_ID', i)}</NIC>`).join('');
  const counters = vm.legacyCounters
    ? `${el('NET_TX', vm.nettx ?? 0)}${el('NET_RX', vm.netrx ?? 0)}`
    : `<MONITORING>${el('NETTX', vm.nettx ?? 0)}${el('NETRX', vm.netrx ?? 0)}</MONITORING>`;
  const template = vm.noTemplate
    ? ''
    : `<TEMPLATE>${cdata('CPU', vm.cpu === undefined ? 1 : vm.cpu)}${disks}${cdata('MEMORY', vm.memory === undefined ? 2048 : vm.memory)}${nics}` +
      `${cdata('VCPU', vm.vcpu === undefined ? 2 : vm.vcpu)}</TEMPLATE>`;
  return (
    `<ID>${vmId}</ID>${el('UID', vm.uid === undefined ? 5 : vm.uid)}${el('GID', vm.gid === undefined ? 100 : vm.gid)}` +
    `${el('UNAME', vm.uname === undefined ? 'alice' : vm.uname)}${el('GNAME', vm.gname === undefined ? 'physics' : vm.gname)}` +
    `<NAME>${vm.name ?? `vm-${vmId}`}</NAME>${el('STATE', vm.state === undefined ? 3 : vm.state)}<LCM_STATE>${vm.lcmState ?? 3}</LCM_STATE>` +
    `<STIME>${vm.vmStime ?? 0}</STIME><ETIME>${vm.vmEtime ?? 0}</ETIME><DEPLOY_ID>${vm.deployId ?? `one-${vmId}`}</DEPLOY_ID>${counters}${template}` +
    (vm.dn ? `<USER_TEMPLATE>${cdata('USER_X509_DN', vm.dn)}</USER_TEMPLATE>` : '')
  );
}

/** A HISTORY element's inner fields; `withVm` adds the VM document (oneacct -x). */
export function historyBody(h: HistorySpec, withVm: boolean): string {
  return (
    `<OID>${h.vmId}</OID><SEQ>${h.seq ?? 0}</SEQ>${el('HOSTNAME', h.hostname === undefined ? 'node1.example.org' : h.hostname)}` +
    `<HID>${h.hid ?? 1}</HID><CID>${h.cid ?? 0}</CID>${el('STIME', h.stime)}${el('ETIME', h.etime === undefined ? 0 : h.etime)}` +
    `<VM_MAD><![CDATA[kvm]]></VM_MAD><TM_MAD><![CDATA[ssh]]></TM_MAD><DS_ID>0</DS_ID><PSTIME>0</PSTIME><PETIME>0</PETIME>` +
    `${el('RSTIME', h.rstime === undefined ? h.stime : h.rstime)}${el('RETIME', h.retime === undefined ? (h.etime ?? 0) : h.retime)}` +
    `<ESTIME>0</ESTIME><EETIME>0</EETIME>${h.reason !== undefined ? `<REASON>${h.reason}</REASON>` : ''}<ACTION>${h.action ?? 0}</ACTION>` +
    (withVm ? `<VM>${vmBody(h.vmId, h.vm)}</VM>` : '')
  );
}

/** `oneacct -x` output: `<HISTORY_RECORDS>` with one HISTORY (and its VM) per spec, one per line. */
export function oneacctXml(records: readonly HistorySpec[]): string {
  return `<HISTORY_RECORDS>\n${records.map((h) => `  <HISTORY>${historyBody(h, true)}</HISTORY>\n`).join('')}</HISTORY_RECORDS>\n`;
}

/** One VM document with its HISTORY_RECORDS (each on its own line); the VM's fields from the first record's `vm`. */
export function vmXml(vmId: number, vm: VmSpec, histories: readonly Omit<HistorySpec, 'vmId' | 'vm'>[]): string {
  const records = histories.map((h) => `    <HISTORY>${historyBody({ ...h, vmId }, false)}</HISTORY>\n`).join('');
  return `<VM>${vmBody(vmId, vm)}\n  <HISTORY_RECORDS>\n${records}  </HISTORY_RECORDS>\n</VM>\n`;
}

/** A VM_POOL of VM documents. */
export function vmPoolXml(vms: readonly string[]): string {
  return `<VM_POOL>\n${vms.join('')}</VM_POOL>\n`;
}
