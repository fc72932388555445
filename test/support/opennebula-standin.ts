/**
 * An OpenNebula stand-in for tests: a real XML-RPC server over HTTP (`methodCall` in, `methodResponse` out, parsed and
 * written by the `xmlrpc` package) with oned's reply shape `[ok, value, code]`, its authentication failure, and
 * `one.vmpool.accounting`'s server-side selection (`(etime > start OR etime = 0) AND stime < end ORDER BY vid, seq`,
 * -1 = no bound). It serves the shared fixture VM documents and generated histories; tests reach it only through the
 * production client. Faults, HTTP errors, slow answers and raw bodies are switched on per method.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import serializer from 'xmlrpc/lib/serializer.js';
import Deserializer from 'xmlrpc/lib/deserializer.js';

/** One HISTORY record as oned stores it: the keys its SQL selects on, and the `<HISTORY>` element it returns. */
export interface StandinRecord {
  vmId: number;
  seq: number;
  stime: number;
  /** 0 while open. */
  etime: number;
  /** The VM owner's id, for filter flags >= 0. */
  ownerUid: number;
  xml: string;
}

/** What a method does instead of answering normally. */
export type StandinBehaviour =
  | { kind: 'fault'; code: number; message: string }
  | { kind: 'http'; status: number }
  | { kind: 'raw'; body: string }
  | { kind: 'reply'; reply: unknown[] }
  /** Answers normally after `ms`. */
  | { kind: 'delay'; ms: number }
  /** Never answers (until the stand-in closes). */
  | { kind: 'hang' };

export interface StandinCall {
  method: string;
  /** The parameters after the session. */
  params: unknown[];
  /** Whether the session was accepted. */
  authenticated: boolean;
  at: number;
}

export interface OpenNebulaStandin {
  url: string;
  /** The one session it accepts. */
  session: string;
  /** The history `one.vmpool.accounting` selects from; tests add, close and correct records in place. */
  records: StandinRecord[];
  /** `<VM>` documents by id, for `one.vm.info` and `one.vmpool.info(extended)`. */
  vms: Map<number, string>;
  calls: StandinCall[];
  version: string;
  /** The most calls of one method that were ever being answered at once (a slow answer overlapping another). */
  maxInFlight: Map<string, number>;
  /** Sets (or, with undefined, clears) what `method` does; `times` limits it to the next n calls. */
  behave(method: string, behaviour: StandinBehaviour | undefined, times?: number): void;
  close(): Promise<void>;
}

const AUTH_FAILURE = 0x100;
const NO_SUCH_OBJECT = 0x400;

const tag = (name: string, value: string | number) => `<${name}>${value}</${name}>`;
const cdata = (name: string, value: string | number) => `<${name}><![CDATA[${value}]]></${name}>`;

/** A generated VM's sizes and owner. */
export interface GeneratedVm {
  id: number;
  name?: string;
  uid?: number;
  uname?: string;
  gid?: number;
  gname?: string;
  vcpu?: number;
  cpu?: string;
  memoryMb?: number;
  diskMb?: number;
  ip?: string;
  /** VM/STATE and LCM_STATE when read (default: ACTIVE/RUNNING while its last record is open, DONE otherwise). */
  state?: number;
  lcmState?: number;
  /** VM/STIME and ETIME (default: the first record's STIME, the last record's ETIME). */
  stime?: number;
  etime?: number;
}

/** One generated history segment: allocated [stime, etime), running [rstime, retime) (0 = open / never). */
export interface GeneratedSegment {
  seq: number;
  stime: number;
  etime: number;
  rstime?: number;
  retime?: number;
  hostname?: string;
  hid?: number;
  cid?: number;
  action?: number;
}

/** The `<VM>` body a HISTORY record carries, shaped as oned 5.x/6.x writes it. */
export function vmXml(vm: GeneratedVm, segments: readonly GeneratedSegment[]): string {
  const last = segments[segments.length - 1];
  const open = last !== undefined && last.etime === 0;
  const state = vm.state ?? (open ? 3 : 6);
  const lcm = vm.lcmState ?? (state === 3 ? 3 : 0);
  return [
    '<VM>', tag('ID', vm.id), tag('UID', vm.uid ?? 0), tag('GID', vm.gid ?? 0), tag('UNAME', vm.uname ?? 'oneadmin'),
    tag('GNAME', vm.gname ?? 'oneadmin'), tag('NAME', vm.name ?? `vm-${vm.id}`), tag('STATE', state), tag('LCM_STATE', lcm),
    tag('STIME', vm.stime ?? segments[0]?.stime ?? 0), tag('ETIME', vm.etime ?? (open ? 0 : (last?.etime ?? 0))),
    tag('DEPLOY_ID', `one-${vm.id}`),
    '<MONITORING>', tag('NETRX', 1000 * vm.id), tag('NETTX', 2000 * vm.id), '</MONITORING>',
    '<TEMPLATE>', cdata('CPU', vm.cpu ?? '1'), cdata('VCPU', vm.vcpu ?? 1), cdata('MEMORY', vm.memoryMb ?? 1024),
    '<DISK>', cdata('DISK_ID', 0), cdata('SIZE', vm.diskMb ?? 10240), cdata('IMAGE_ID', 7), '</DISK>',
    '<NIC>', cdata('IP', vm.ip ?? `10.0.${Math.floor(vm.id / 250) % 250}.${vm.id % 250}`), cdata('NIC_ID', 0), '</NIC>',
    cdata('VMID', vm.id), '</TEMPLATE>', '<USER_TEMPLATE/>', '</VM>',
  ].join('');
}

/** The HISTORY records of one generated VM, each with the VM body as it was read (the same body on every record). */
export function generatedRecords(vm: GeneratedVm, segments: readonly GeneratedSegment[]): StandinRecord[] {
  const body = vmXml(vm, segments);
  return segments.map((s) => ({
    vmId: vm.id, seq: s.seq, stime: s.stime, etime: s.etime, ownerUid: vm.uid ?? 0,
    xml: [
      '<HISTORY>', tag('OID', vm.id), tag('SEQ', s.seq), tag('HOSTNAME', s.hostname ?? `host${(vm.id % 4) + 1}`), tag('HID', s.hid ?? vm.id % 4),
      tag('CID', s.cid ?? 0), tag('STIME', s.stime), tag('ETIME', s.etime), tag('VM_MAD', 'kvm'), tag('TM_MAD', 'ssh'), tag('DS_ID', 0),
      tag('PSTIME', s.stime), tag('PETIME', s.stime), tag('RSTIME', s.rstime ?? s.stime), tag('RETIME', s.retime ?? s.etime),
      tag('ESTIME', 0), tag('EETIME', 0), tag('ACTION', s.action ?? 0), tag('UID', -1), tag('GID', -1), tag('REQUEST_ID', -1),
      body, '</HISTORY>',
    ].join(''),
  }));
}

/**
 * A history of `vms` VMs from `start`: VM i runs `segmentsPerVm` back-to-back records of `segmentSeconds` each
 * (the k-th starts at `start + i * stagger + k * segmentSeconds`); with `open`, each VM's last record is still open.
 */
export function generateHistory(options: { vms: number; start: number; segmentsPerVm?: number; segmentSeconds?: number; stagger?: number; open?: boolean; firstId?: number }): StandinRecord[] {
  const { vms, start, segmentsPerVm = 2, segmentSeconds = 6 * 3600, stagger = 60, open = false, firstId = 100 } = options;
  const out: StandinRecord[] = [];
  for (let i = 0; i < vms; i++) {
    const id = firstId + i;
    const segments: GeneratedSegment[] = [];
    for (let k = 0; k < segmentsPerVm; k++) {
      const stime = start + i * stagger + k * segmentSeconds;
      const isOpen = open && k === segmentsPerVm - 1;
      segments.push({ seq: k, stime, etime: isOpen ? 0 : stime + segmentSeconds, ...(isOpen ? { retime: 0 } : {}) });
    }
    out.push(...generatedRecords({ id, uid: i % 3, uname: `user${i % 3}`, gid: 100 + (i % 2), gname: `group${i % 2}`, vcpu: 1 + (i % 4), memoryMb: 512 * (1 + (i % 4)) }, segments));
  }
  return out;
}

const firstNumber = (xml: string, name: string): number => Number(new RegExp(`<${name}>\\s*(-?\\d+)\\s*</${name}>`).exec(xml)?.[1] ?? 0);

/**
 * The fixture VM documents of `dir` (`<VM>` with embedded `HISTORY_RECORDS`), as oned would return them from the
 * accounting call: each `<HISTORY>` with the VM body (its HISTORY_RECORDS removed) inside.
 */
export function fixtureRecords(dir: string): { records: StandinRecord[]; vms: Map<number, string> } {
  const records: StandinRecord[] = [];
  const vms = new Map<number, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()) {
    const doc = readFileSync(join(dir, file), 'utf8').replace(/^<\?xml[^>]*\?>\s*/, '');
    const id = firstNumber(doc, 'ID');
    vms.set(id, doc.trim());
    const body = doc.replace(/<HISTORY_RECORDS>[\s\S]*<\/HISTORY_RECORDS>/, '').trim();
    for (const h of doc.match(/<HISTORY>[\s\S]*?<\/HISTORY>/g) ?? []) {
      records.push({
        vmId: id, seq: firstNumber(h, 'SEQ'), stime: firstNumber(h, 'STIME'), etime: firstNumber(h, 'ETIME'), ownerUid: firstNumber(doc, 'UID'),
        xml: h.replace(/<\/HISTORY>$/, `${body}</HISTORY>`),
      });
    }
  }
  return { records, vms };
}

/** oned's selection and order for `one.vmpool.accounting(filter, start, end)`. */
export function selectAccounting(records: readonly StandinRecord[], filter: number, start: number, end: number): StandinRecord[] {
  return records
    .filter((r) => (start === -1 || r.etime > start || r.etime === 0) && (end === -1 || r.stime < end) && (filter < 0 || r.ownerUid === filter))
    .sort((a, b) => a.vmId - b.vmId || a.seq - b.seq);
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One XML-RPC value, escaped as xmlrpc-c (oned's library) writes it (the package's serialiser uses CDATA, which a nested CDATA breaks). */
function valueXml(v: unknown): string {
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'number') return Number.isInteger(v) ? `<value><int>${v}</int></value>` : `<value><double>${v}</double></value>`;
  if (typeof v === 'string') return `<value><string>${escapeXml(v)}</string></value>`;
  if (Array.isArray(v)) return `<value><array><data>${v.map(valueXml).join('')}</data></array></value>`;
  throw new Error(`the stand-in cannot serialise ${typeof v}`);
}

/** A methodResponse carrying `value`. */
export function methodResponseXml(value: unknown): string {
  return `<?xml version="1.0"?>\n<methodResponse><params><param>${valueXml(value)}</param></params></methodResponse>`;
}

function readCall(req: IncomingMessage): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    new Deserializer('utf8').deserializeMethodCall(req, (err, method, params) => {
      if (err || !method) reject(err ?? new Error('no method'));
      else resolve({ method, params: params ?? [] });
    });
  });
}

export async function startOpenNebulaStandin(options: { session?: string; records?: StandinRecord[]; vms?: Map<number, string>; version?: string } = {}): Promise<OpenNebulaStandin> {
  const behaviours = new Map<string, { behaviour: StandinBehaviour; times: number }>();
  const hanging = new Set<ServerResponse>();
  const state: Omit<OpenNebulaStandin, 'url' | 'behave' | 'close'> = {
    session: options.session ?? 'oneadmin:opennebula',
    records: options.records ?? [],
    vms: options.vms ?? new Map<number, string>(),
    calls: [],
    version: options.version ?? '6.8.0',
    maxInFlight: new Map<string, number>(),
  };
  const inFlight = new Map<string, number>();

  const answer = (method: string, params: unknown[]): unknown[] => {
    const int = (i: number) => Number(params[i]);
    switch (method) {
      case 'one.system.version':
        return [true, state.version, 0];
      case 'one.vmpool.accounting': {
        const selected = selectAccounting(state.records, int(0), int(1), int(2));
        return [true, `<HISTORY_RECORDS>${selected.map((r) => r.xml).join('')}</HISTORY_RECORDS>`, 0];
      }
      case 'one.vmpool.info':
      case 'one.vmpool.infoextended': {
        const [, startId, endId, st] = [int(0), int(1), int(2), int(3)];
        const docs = [...state.vms.entries()].sort(([a], [b]) => a - b).filter(([id, doc]) => {
          const vmState = firstNumber(doc, 'STATE');
          const inRange = startId === -1 && endId === -1 ? true : id >= startId && id <= endId;
          return inRange && (st === -2 || (st === -1 ? vmState !== 6 : vmState === st));
        });
        return [true, `<VM_POOL>${docs.map(([, d]) => d.replace(/<HISTORY_RECORDS>[\s\S]*<\/HISTORY_RECORDS>/, '')).join('')}</VM_POOL>`, 0];
      }
      case 'one.vm.info': {
        const doc = state.vms.get(int(0));
        return doc ? [true, doc, 0] : [false, `[one.vm.info] Error getting virtual machine [${int(0)}].`, NO_SUCH_OBJECT, int(0)];
      }
      default:
        throw Object.assign(new Error(`Method ${method} not defined`), { faultCode: -506 });
    }
  };

  const respond = (res: ServerResponse, xml: string) => {
    res.writeHead(200, { 'Content-Type': 'text/xml' });
    res.end(xml);
  };

  const server = createServer((req, res) => {
    void (async () => {
      let call: { method: string; params: unknown[] };
      try {
        call = await readCall(req);
      } catch (err) {
        res.writeHead(400).end(String(err));
        return;
      }
      const now = (inFlight.get(call.method) ?? 0) + 1;
      inFlight.set(call.method, now);
      state.maxInFlight.set(call.method, Math.max(now, state.maxInFlight.get(call.method) ?? 0));
      res.on('close', () => inFlight.set(call.method, (inFlight.get(call.method) ?? 1) - 1));
      const [session, ...params] = call.params;
      const authenticated = session === state.session;
      state.calls.push({ method: call.method, params, authenticated, at: Date.now() });
      const b = behaviours.get(call.method);
      if (b) {
        if (--b.times <= 0) behaviours.delete(call.method);
        const { behaviour } = b;
        if (behaviour.kind === 'fault') return respond(res, serializer.serializeFault({ faultCode: behaviour.code, faultString: behaviour.message }));
        if (behaviour.kind === 'http') return void res.writeHead(behaviour.status, { 'Content-Type': 'text/plain' }).end('stand-in error');
        if (behaviour.kind === 'raw') return respond(res, behaviour.body);
        if (behaviour.kind === 'reply') return respond(res, methodResponseXml(behaviour.reply));
        if (behaviour.kind === 'hang') return void hanging.add(res);
        await new Promise((r) => setTimeout(r, behaviour.ms));
      }
      if (!authenticated) {
        return respond(res, methodResponseXml([false, `[${call.method}] User couldn't be authenticated, aborting call.`, AUTH_FAILURE]));
      }
      try {
        respond(res, methodResponseXml(answer(call.method, params)));
      } catch (err) {
        const e = err as Error & { faultCode?: number };
        respond(res, serializer.serializeFault({ faultCode: e.faultCode ?? -500, faultString: e.message }));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/RPC2`,
    behave(method: string, behaviour: StandinBehaviour | undefined, times = Infinity) {
      if (behaviour) behaviours.set(method, { behaviour, times });
      else behaviours.delete(method);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
