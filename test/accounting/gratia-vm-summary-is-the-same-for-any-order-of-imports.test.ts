import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingMigrations, applySliceChange, defaultVmGratiaSettings, writeSegments, type VmSegment } from '../../accounting/index.js';
import { gratiaMigrations, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { DAY, OCT1, utcSlices, vmSegment } from './support/vm-slices.js';

const H = 3600;
const settings = defaultVmGratiaSettings({ voByGroup: { fermilab: 'Fermilab' } });
const NOW = OCT1 + 4 * DAY;

/** One import: segments read at `now`. */
interface Import {
  now: number;
  segments: VmSegment[];
}

/*
 * The final state: VM 1 ran 10-01 06:00 to 10-03 12:00 (2 vCPUs); VM 2 resized on 10-02 00:00 (seq 0: 1 vCPU, seq 1:
 * 4 vCPUs) and is still running at NOW; VM 3 belongs to nova, 10-02 10:00-14:00, ran 11:00-13:00.
 */
const vm1 = vmSegment({ vmId: 1, start: OCT1 + 6 * H, end: OCT1 + 2 * DAY + 12 * H, runEnd: OCT1 + 2 * DAY + 12 * H, vcpu: 2, status: 'completed' });
const vm2a = vmSegment({ vmId: 2, start: OCT1 + 18 * H, end: OCT1 + DAY, runEnd: OCT1 + DAY, ownerName: 'bob' });
const vm2b = vmSegment({ vmId: 2, seq: 1, start: OCT1 + DAY, vcpu: 4, ownerName: 'bob' });
const vm3 = vmSegment({ vmId: 3, start: OCT1 + DAY + 10 * H, end: OCT1 + DAY + 14 * H, runStart: OCT1 + DAY + 11 * H, runEnd: OCT1 + DAY + 13 * H, groupName: 'nova', ownerName: 'carol', status: 'completed' });
const FINAL: Import = { now: NOW, segments: [vm1, vm2a, vm2b, vm3] };

/** Earlier (partial, wrong) versions of a segment; each list ends with the final one. */
const HISTORIES: Import[][] = [
  [{ now: OCT1 + DAY + 3 * H, segments: [{ ...vm1, end: null, runEnd: null, status: 'started' }] }, { now: NOW, segments: [vm1] }],
  [{ now: OCT1 + 20 * H, segments: [{ ...vm2a, end: null, runEnd: null }] }, { now: NOW, segments: [vm2a] }],
  [{ now: OCT1 + 2 * DAY, segments: [vm2b] }, { now: NOW, segments: [vm2b] }],
  // A correction: first filed under the wrong group and size.
  [{ now: NOW, segments: [{ ...vm3, groupName: 'fermilab', vcpu: 8 }] }, { now: NOW, segments: [vm3] }],
];

function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random interleaving of the histories (each in its order), with re-imports of final versions and merged batches. */
function randomSequence(seed: number): Import[] {
  const next = rng(seed);
  const queues = HISTORIES.map((h) => [...h]);
  const out: Import[] = [];
  while (queues.some((q) => q.length > 0)) {
    const open = queues.filter((q) => q.length > 0);
    const step = open[Math.floor(next() * open.length)]!.shift()!;
    const last = out[out.length - 1];
    // Sometimes one file carries several VMs' records (distinct segments only, as one document does).
    const clash = last?.segments.some((s) => step.segments.some((t) => t.vmId === s.vmId && t.seq === s.seq));
    if (last && !clash && last.now === step.now && next() < 0.4) last.segments.push(...step.segments);
    else out.push({ now: step.now, segments: [...step.segments] });
    if (next() < 0.3) out.push({ now: NOW, segments: FINAL.segments.filter(() => next() < 0.5) });
  }
  // A finished VM re-sent at the end changes nothing; the final versions were each last in their history.
  return out.filter((i) => i.segments.length > 0);
}

async function run(store: Store, imp: Import) {
  await store.transaction(async (tx) => {
    const change = await writeSegments(tx, imp.segments, imp.segments.flatMap((s) => utcSlices(s, imp.now)), imp.now);
    await applySliceChange(tx, change, { settings, now: imp.now });
  });
}

/** The summary as the graphs read it: names instead of ids, measures as numbers, in a fixed order. */
async function summary(store: Store) {
  const rows = await store.query(
    `SELECT R.EndTime, VO.VOName, R.ProbeName, R.CommonName, R.ResourceType, R.ApplicationExitCode, R.Grid, R.Cores,
       R.Njobs, R.WallDuration, R.CpuUserDuration, R.CpuSystemDuration
     FROM MasterSummaryData R JOIN VONameCorrection VC ON VC.corrid = R.VOcorrid JOIN VO ON VO.VOid = VC.VOid
     ORDER BY R.EndTime, VO.VOName, R.CommonName, R.Cores`,
  );
  return rows.map((r) => ({
    day: String(r.EndTime).slice(0, 10),
    vo: r.VOName, user: r.CommonName, cores: Number(r.Cores), njobs: Number(r.Njobs), wall: Number(r.WallDuration), cpu: Number(r.CpuUserDuration),
    rest: [r.ProbeName, r.ResourceType, r.ApplicationExitCode, r.Grid, Number(r.CpuSystemDuration)],
  }));
}

async function records(store: Store) {
  const rows = await store.query('SELECT GlobalJobId, VOName, Processors, WallDuration, CpuUserDuration, StartTime, EndTime FROM JobUsageRecord ORDER BY GlobalJobId');
  return rows.map((r) => ({ ...r, Processors: Number(r.Processors), WallDuration: Number(r.WallDuration), CpuUserDuration: Number(r.CpuUserDuration), StartTime: String(r.StartTime), EndTime: String(r.EndTime) }));
}

const rest = ['onevm:one-a', 'OneVM', '0', 'OSG', 0];
/** By hand from the final state above. */
const EXPECTED = [
  // 10-01: VM 1 06:00-24:00 x2; VM 2 seq 0 18:00-24:00 x1.
  { day: '2026-10-01', vo: 'Fermilab', user: 'alice', cores: 2, njobs: 1, wall: 18 * H, cpu: 36 * H, rest },
  { day: '2026-10-01', vo: 'Fermilab', user: 'bob', cores: 1, njobs: 1, wall: 6 * H, cpu: 6 * H, rest },
  // 10-02: VM 1 all day x2; VM 2 seq 1 all day x4; VM 3 (nova) 4 h allocated, 2 h ran.
  { day: '2026-10-02', vo: 'Fermilab', user: 'alice', cores: 2, njobs: 1, wall: DAY, cpu: 2 * DAY, rest },
  { day: '2026-10-02', vo: 'Fermilab', user: 'bob', cores: 4, njobs: 1, wall: DAY, cpu: 4 * DAY, rest },
  { day: '2026-10-02', vo: 'nova', user: 'carol', cores: 1, njobs: 1, wall: 4 * H, cpu: 2 * H, rest },
  // 10-03: VM 1 until 12:00; VM 2 all day.
  { day: '2026-10-03', vo: 'Fermilab', user: 'alice', cores: 2, njobs: 1, wall: 12 * H, cpu: 24 * H, rest },
  { day: '2026-10-03', vo: 'Fermilab', user: 'bob', cores: 4, njobs: 1, wall: DAY, cpu: 4 * DAY, rest },
  // 10-04: VM 2, open, up to NOW (10-05 00:00).
  { day: '2026-10-04', vo: 'Fermilab', user: 'bob', cores: 4, njobs: 1, wall: DAY, cpu: 4 * DAY, rest },
];

for (const backend of testBackends()) {
  describe(`the VM summary on ${backend.name}`, () => {
    const stores: { store: Store; dispose: () => Promise<void> }[] = [];
    const fresh = async () => {
      const db = await backend.create();
      const store = db.open();
      await store.migrate([...gratiaMigrations, ...accountingMigrations]);
      stores.push({ store, dispose: db.dispose });
      return store;
    };
    afterAll(async () => {
      for (const s of stores) {
        await s.store.close();
        await s.dispose();
      }
    });

    let clean: Store;
    beforeAll(async () => {
      clean = await fresh();
      await run(clean, FINAL);
    });

    it('one clean import gives the hand-computed daily rows', async () => {
      expect(await summary(clean)).toEqual(EXPECTED);
    });

    it('random orders of partial imports, re-imports and corrections end with the clean import\'s summary and records', async () => {
      const expectedRecords = await records(clean);
      const seeds = backend.name === 'sqlite' ? [1, 2, 3, 4, 5, 6] : [7, 8];
      for (const seed of seeds) {
        const store = await fresh();
        const sequence = randomSequence(seed);
        for (const imp of sequence) await run(store, imp);
        expect(await summary(store), `seed ${seed}: ${sequence.length} imports`).toEqual(EXPECTED);
        expect(await records(store)).toEqual(expectedRecords);
      }
    });

    it('importing the same file twice in a row changes nothing', async () => {
      const before = await summary(clean);
      await run(clean, FINAL);
      expect(await summary(clean)).toEqual(before);
    });
  });
}
