import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingMigrations, applySliceChange, defaultVmGratiaSettings, writeSegments, type VmSegment } from '../../accounting/index.js';
import { gratiaMigrations, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { DAY, OCT1, utcSlices, vmSegment } from './support/vm-slices.js';

const settings = defaultVmGratiaSettings({ defaultSite: 'FERMICLOUD', projectName: 'FermiCloud', voByGroup: { fermilab: 'Fermilab' } });

async function importSegments(store: Store, segs: VmSegment[], now: number) {
  return store.transaction(async (tx) => {
    const change = await writeSegments(tx, segs, segs.flatMap((s) => utcSlices(s, now)), now);
    return applySliceChange(tx, change, { settings, now });
  });
}

for (const backend of testBackends()) {
  describe(`VM job records in Gratia on ${backend.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const db = await backend.create();
      dispose = db.dispose;
      store = db.open();
      await store.migrate([...gratiaMigrations, ...accountingMigrations]);
    });
    afterAll(async () => {
      await store.close();
      await dispose();
    });

    it('writes one OneVM record per day slice, mapped as the probe does, with memory in real KB and CPU = running x vCPU', async () => {
      // 2026-10-01 12:00 to 2026-10-02 06:00 allocated; ran from 13:00 to 05:00; 4 vCPUs, 2 GB.
      const seg = vmSegment({
        vmId: 46, start: OCT1 + 12 * 3600, end: OCT1 + DAY + 6 * 3600, runStart: OCT1 + 13 * 3600, runEnd: OCT1 + DAY + 5 * 3600,
        vcpu: 4, userDn: '/DC=org/DC=cilogon/C=US/O=Fermilab/CN=Alice Smith 1234', publicIps: ['131.225.1.2', '131.225.1.3'],
        status: 'completed', vmState: 6, hostname: 'fcl322',
      });
      const result = await importSegments(store, [seg], OCT1 + 3 * DAY);
      expect(result).toMatchObject({ deleted: 0, written: 2 });
      const rows = await store.query(
        `SELECT J.*, M.ProbeName, M.SiteName, M.Grid, M.recordId, M.probeid, Mem.Value AS MemoryValue, Mem.StorageUnit AS MemoryUnit
         FROM JobUsageRecord J JOIN JobUsageRecord_Meta M ON M.dbid = J.dbid JOIN Memory Mem ON Mem.dbid = J.dbid
         WHERE J.LocalJobId = '46' ORDER BY J.StartTime`,
      );
      expect(rows).toHaveLength(2);
      const [first, second] = rows;
      expect(first).toMatchObject({
        ResourceType: 'OneVM', GlobalJobId: `onevm:one-a/46/0/${OCT1 + 12 * 3600}`, RecordIdentity: `onevm:one-a/46/0/${OCT1 + 12 * 3600}`,
        recordId: `onevm:one-a/46/0/${OCT1 + 12 * 3600}`, LocalUserId: 'alice', VOName: 'Fermilab', ReportableVOName: 'Fermilab',
        CommonName: '/CN=Alice Smith 1234', KeyInfoContent: '/DC=org/DC=cilogon/C=US/O=Fermilab/CN=Alice Smith 1234', JobName: 'vm-46',
        Status: '0', MachineName: '131.225.1.2/131.225.1.3', SubmitHost: 'fcl322', ProjectName: 'FermiCloud', ProbeName: 'onevm:one-a',
        SiteName: 'FERMICLOUD', Grid: 'OSG', MemoryUnit: 'KB',
      });
      expect(String(first!.StartTime)).toContain('2026-10-01 12:00:00');
      expect(String(first!.EndTime)).toContain('2026-10-02 00:00:00');
      // 12 h allocated, 11 h ran x 4 vCPUs; then 6 h allocated, 5 h ran x 4.
      expect([Number(first!.WallDuration), Number(first!.CpuUserDuration), Number(first!.CpuSystemDuration)]).toEqual([12 * 3600, 44 * 3600, 0]);
      expect([Number(second!.WallDuration), Number(second!.CpuUserDuration)]).toEqual([6 * 3600, 20 * 3600]);
      expect([Number(first!.Processors), Number(first!.Njobs), Number(first!.NodeCount)]).toEqual([4, 1, 1]);
      expect(Number(first!.MemoryValue)).toBe(2048 * 1024);
      const probe = await store.query('SELECT P.probeid, S.SiteName FROM Probe P JOIN Site S ON S.siteid = P.siteid WHERE P.probename = ?', ['onevm:one-a']);
      expect(probe).toEqual([{ probeid: first!.probeid, SiteName: 'FERMICLOUD' }]);
      const corr = await store.query('SELECT VC.VOName, VC.ReportableVOName, VO.VOName AS vo FROM VONameCorrection VC JOIN VO ON VO.VOid = VC.VOid');
      expect(corr).toEqual([{ VOName: 'Fermilab', ReportableVOName: 'Fermilab', vo: 'Fermilab' }]);
    });

    it('a re-import rewrites the same records (same dbid, no duplicate); a closed record drops the partial day it no longer has', async () => {
      const open = vmSegment({ vmId: 47, start: OCT1 + 20 * 3600 });
      await importSegments(store, [open], OCT1 + 2 * DAY + 3600);
      const ids = async () => store.query<{ dbid: number; GlobalJobId: string; WallDuration: number }>(
        "SELECT dbid, GlobalJobId, WallDuration FROM JobUsageRecord WHERE LocalJobId = '47' ORDER BY StartTime",
      );
      const before = await ids();
      expect(before.map((r) => Number(r.WallDuration))).toEqual([4 * 3600, DAY, 3600]);
      await importSegments(store, [open], OCT1 + 2 * DAY + 3600);
      expect(await ids()).toEqual(before);
      const closed = { ...open, end: OCT1 + 2 * DAY, runEnd: OCT1 + 2 * DAY, status: 'completed' as const, vmState: 6 };
      const result = await importSegments(store, [closed], OCT1 + 3 * DAY);
      expect(result.deleted).toBe(1);
      const after = await ids();
      expect(after.map((r) => [r.dbid, r.GlobalJobId])).toEqual(before.slice(0, 2).map((r) => [r.dbid, r.GlobalJobId]));
      const meta = await store.query("SELECT COUNT(*) AS n FROM JobUsageRecord_Meta WHERE recordId LIKE 'onevm:one-a/47/%'");
      expect(Number(meta[0]!.n)).toBe(2);
      const orphans = await store.query('SELECT COUNT(*) AS n FROM Memory WHERE dbid NOT IN (SELECT dbid FROM JobUsageRecord)');
      expect(Number(orphans[0]!.n)).toBe(0);
    });

    it('a group without a mapping is its own VO; a failed VM has Status 1; a VM without DN is known by its owner', async () => {
      const seg = vmSegment({ vmId: 48, start: OCT1, end: OCT1 + 3600, groupName: 'nova', ownerName: 'bob', status: 'error' });
      await importSegments(store, [seg], OCT1 + DAY);
      const [row] = await store.query("SELECT VOName, CommonName, Status FROM JobUsageRecord WHERE LocalJobId = '48'");
      expect(row).toEqual({ VOName: 'nova', CommonName: 'bob', Status: '1' });
    });
  });
}
