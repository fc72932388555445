/** Generates the demo job records day by day: batch jobs, glidein payloads and FermiCloud VM slices. */
import { createRng, type Rng } from './prng.js';
import { DEMO_PROBES, DEMO_SITES, probeHost, probeSystem, type DemoProbe, type DemoSite } from './sites.js';
import { DEMO_VOS, FERMICLOUD_USERS, type DemoCorrection, type DemoRun, type DemoVo } from './vos.js';

/** The Gratia resource types the demo writes. */
export const DEMO_RESOURCE_TYPES = ['Batch', 'BatchPilot', 'OneVM'] as const;
export type DemoResourceType = (typeof DEMO_RESOURCE_TYPES)[number];

/** One job usage record, before it has a `dbid`. Times are epoch seconds (UTC). */
export interface DemoJob {
  resourceType: DemoResourceType;
  probe: DemoProbe;
  correction: DemoCorrection;
  commonName: string;
  /** `KeyInfoContent`: the subject that authenticated (the pilot's for payloads); Gratia's `DistinguishedName`. */
  keyInfo: string;
  localUserId: string;
  globalUsername: string | null;
  project: string | null;
  start: number;
  end: number;
  wall: number;
  cpuUser: number;
  cpuSystem: number;
  processors: number;
  exitCode: number;
  localJobId: string;
  globalJobId: string;
  machineName: string;
  submitHost: string;
  queue: string | null;
  host: string;
  hostDescription: string | null;
  memoryKb: number | null;
}

/** The days to fill: `firstDay` is UTC midnight `days - 1` days before `now`'s. */
export interface DemoWindow {
  days: number;
  scale: number;
  firstDay: number;
  now: number;
}

const DAY = 86_400;
const FAILURE_CODES: readonly (readonly [number, number])[] = [[1, 0.4], [2, 0.1], [137, 0.2], [143, 0.1], [255, 0.1], [84, 0.1]];
/** Even a window that ends just after midnight gets a few jobs today, all ended before `now`. */
const MIN_TODAY_FRACTION = 0.05;

const sites = new Map(DEMO_SITES.map((s) => [s.name, s]));
const probes = new Map(DEMO_PROBES.map((p) => [p.name, p]));

function site(name: string): DemoSite {
  const s = sites.get(name);
  if (!s) throw new Error(`demo catalog: unknown site ${name}`);
  return s;
}

function probe(name: string): DemoProbe {
  const p = probes.get(name);
  if (!p) throw new Error(`demo catalog: unknown probe ${name}`);
  return p;
}

/** When a silent probe sent its last record; `Infinity` for probes that still report. */
export function probeLastReport(p: DemoProbe, now: number): number {
  return p.silentDays === undefined ? Infinity : now - p.silentDays * DAY - 2 * 3600;
}

function siteDown(s: DemoSite, day: number, w: DemoWindow): boolean {
  // An outage needs room around it to be visible as one.
  if (!s.outage || w.days < 5) return false;
  const from = Math.floor(s.outage.at * w.days);
  return day >= from && day < from + s.outage.days;
}

interface Vm {
  id: number;
  owner: (typeof FERMICLOUD_USERS)[number];
  cpus: number;
  start: number;
  end: number;
}

/** FermiCloud's VMs: a few long-lived service VMs and short-lived ones created during the window. */
function fermicloudVms(rng: Rng, w: DemoWindow): Vm[] {
  const count = Math.max(3, Math.round(18 * w.scale));
  const span = w.days * DAY;
  return Array.from({ length: count }, (_, i) => {
    const owner = rng.pick(FERMICLOUD_USERS);
    const cpus = rng.weighted([[1, 0.3], [2, 0.35], [4, 0.25], [8, 0.1]] as const, ([, weight]) => weight)[0];
    const longLived = i < 2 || rng.chance(0.4);
    const start = longLived ? w.firstDay - rng.int(1, 60) * DAY - rng.int(0, DAY) : w.firstDay + Math.floor(rng.next() * span);
    const end = longLived ? Infinity : start + Math.round(Math.min(rng.logNormal(3 * DAY, 0.8), 20 * DAY));
    return { id: 4100 + i, owner, cpus, start, end };
  });
}

/**
 * Yields each day's jobs in order. Every (date, VO, run) draws from its own stream, seeded by the seed and those names,
 * so a past day's jobs do not depend on the time of day of `now`: only today's jobs (which end before it) and a
 * silent probe's jobs on its last day do.
 */
export function* generateJobs(seed: string, w: DemoWindow): Generator<{ day: number; dayStart: number; jobs: DemoJob[] }> {
  const vms = fermicloudVms(createRng(`${seed}/fermicloud`), w);
  const counters = new Map(DEMO_PROBES.map((p, i) => [p.name, 1_000_000 + i * 250_000]));
  for (let day = 0; day < w.days; day++) {
    const dayStart = w.firstDay + day * DAY;
    const date = new Date(dayStart * 1000).toISOString().slice(0, 10);
    const weekend = [0, 6].includes(new Date(dayStart * 1000).getUTCDay());
    const t = w.days > 1 ? day / (w.days - 1) : 1;
    const jobs: DemoJob[] = [];
    for (const vo of DEMO_VOS) {
      if (vo.startsAt !== undefined && day < Math.floor(vo.startsAt * w.days)) continue;
      const noise = createRng(`${seed}/${date}/${vo.name}`).between(0.85, 1.15);
      const rate = vo.jobsPerDay * w.scale * (weekend ? vo.weekendFactor : 1) * (1 + vo.growth * (t - 0.5)) * noise;
      for (const [index, run] of vo.runs.entries()) {
        const rng = createRng(`${seed}/${date}/${vo.name}/${index}`);
        const p = probe(run.probe);
        const facility = site(run.facility ?? p.site);
        if (siteDown(facility, day, w)) continue;
        const until = Math.min(dayStart + DAY, w.now, probeLastReport(p, w.now));
        if (until < dayStart) continue;
        const isToday = dayStart + DAY > w.now;
        const fraction = Math.max((until - dayStart) / DAY, isToday && until === w.now ? MIN_TODAY_FRACTION : 0);
        const n = rng.count(rate * run.share * fraction * rng.between(0.9, 1.1));
        for (let i = 0; i < n; i++) {
          const seq = counters.get(p.name)!;
          counters.set(p.name, seq + 1);
          jobs.push(batchJob(rng, vo, run, p, facility, seq, dayStart, until));
        }
      }
    }
    for (const vm of vms) {
      const job = vmSlice(vm, dayStart, w.now);
      if (job) jobs.push(job);
    }
    yield { day, dayStart, jobs };
  }
}

function batchJob(rng: Rng, vo: DemoVo, run: DemoRun, p: DemoProbe, facility: DemoSite, seq: number, dayStart: number, until: number): DemoJob {
  const pilot = run.facility !== undefined;
  const u = rng.weighted(vo.users, (x) => x.weight);
  const cores = rng.weighted(vo.cores, ([, weight]) => weight)[0];
  const failed = rng.chance(vo.failureRate);
  const exitCode = failed ? rng.weighted(FAILURE_CODES, ([, weight]) => weight)[0] : 0;
  let wall = Math.round(Math.min(Math.max(rng.logNormal(vo.wallHours * 3600, 0.7), 120), 47 * 3600));
  // Failed jobs mostly die early and waste what they used.
  if (failed) wall = Math.max(60, Math.round(wall * rng.between(0.05, 0.5)));
  const efficiency = failed ? rng.between(0.1, 0.5) : Math.min(0.99, vo.efficiency * rng.between(0.85, 1.1));
  const cpuUser = Math.round(wall * cores * efficiency);
  const cpuSystem = Math.round(cpuUser * rng.between(0.01, 0.05));
  const end = dayStart + Math.floor(rng.next() * (until - dayStart));
  const start = end - wall;
  const host = probeHost(p);
  const system = probeSystem(p);
  const worker = `wn${String(rng.int(1, 480)).padStart(3, '0')}.${facility.domain}`;
  const localJobId = system === 'condor' ? `${seq}.0` : system === 'pbs-lsf' ? `${seq}.${host}` : String(seq);
  return {
    resourceType: pilot ? 'BatchPilot' : 'Batch',
    probe: p,
    correction: vo.corrections[u.correction] ?? vo.corrections[0]!,
    commonName: u.dn,
    // Payloads run under the glidein's credential, the frontend's service certificate.
    keyInfo: pilot ? `/DC=org/DC=opensciencegrid/O=Open Science Grid/OU=Services/CN=${host}` : u.dn,
    localUserId: u.login,
    globalUsername: pilot ? `${u.login}@${host}` : null,
    project: vo.projects.length ? rng.pick(vo.projects) : null,
    start,
    end,
    wall,
    cpuUser,
    cpuSystem,
    processors: cores,
    exitCode,
    localJobId,
    globalJobId: system === 'condor' ? `${host}#${seq}.0#${start}` : `${host}:${seq}`,
    machineName: pilot ? `gw.${facility.domain}` : host,
    submitHost: host,
    queue: pilot ? null : vo.name.replace(/\W/g, ''),
    host: pilot ? `glidein_${rng.int(1, 8)}@${worker}` : worker,
    hostDescription: pilot ? facility.name : null,
    memoryKb: cores > 1 ? Math.round(cores * rng.between(1.5, 2.5) * 1_048_576) : null,
  };
}

/** A VM's usage on one day, as the OpenNebula probe reports it: wall = CPU = the time it ran that day. */
function vmSlice(vm: Vm, dayStart: number, now: number): DemoJob | undefined {
  const start = Math.max(vm.start, dayStart);
  // 23:59:59 at most, so the record belongs to this day.
  const end = Math.min(vm.end, dayStart + DAY - 1, now);
  if (end <= start) return undefined;
  const p = probe('onevm:fermicloudui.fnal.gov');
  const date = new Date(dayStart * 1000).toISOString().slice(0, 10);
  return {
    resourceType: 'OneVM',
    probe: p,
    correction: vm.owner.correction,
    commonName: vm.owner.dn,
    keyInfo: vm.owner.dn,
    localUserId: vm.owner.login,
    globalUsername: null,
    project: 'FermiCloud',
    start,
    end,
    wall: end - start,
    cpuUser: end - start,
    cpuSystem: 0,
    processors: vm.cpus,
    exitCode: 0,
    localJobId: String(vm.id),
    globalJobId: `${probeHost(p)}:one-${vm.id}:${date}`,
    machineName: `fcl${String(100 + (vm.id % 24)).padStart(3, '0')}.fnal.gov`,
    submitHost: probeHost(p),
    queue: null,
    host: `fermicloud${vm.id - 3800}.fnal.gov`,
    hostDescription: null,
    memoryKb: vm.cpus * 2 * 1_048_576,
  };
}
