/**
 * Contract: Gratia's CE status, cluster, storage and transfer tables and Gratia-web's GIP, registration and RSV summary
 * tables exist on every backend with Gratia's column names, and Gratia-web's own SQL over them (the joins and sums of
 * its status, storage, transfer and GIP query files) gives the answers worked out by hand for the rows written here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gratiaMigrations, TRANSFER_SUMMARY_KEY, type Row } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

const plain = (rows: Row[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' || typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v])));

describe.each(testBackends())('Gratia status and Gratia-web side tables on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: gratiaMigrations });

  beforeAll(async () => {
    const s = fresh().store;
    await s.insertMany('VO', ['VOid', 'VOName'], [[1, 'cms'], [2, 'atlas']]);
    await s.insertMany('VONameCorrection', ['corrid', 'VOName', 'ReportableVOName', 'VOid'], [[10, 'cms', 'cms', 1], [20, 'atlas', 'atlas', 2]]);
    // Cluster "red" sums its CEs (type 1); cluster "shared" reports one pool through two CEs, so its counts are a MAX (type 2).
    await s.insertMany('Cluster', ['clusterid', 'name'], [[1, 'red'], [2, 'shared']]);
    await s.insertMany('ClusterNameCorrection', ['corrid', 'clusterid', 'ClusterName', 'type'], [[1, 1, 'red', 1], [2, 2, 'shared', 2]]);
    const hour = '2024-03-15 10:00:00';
    await s.insertMany('MasterServiceSummaryHourly', ['Timestamp', 'ProbeName', 'CEUniqueID', 'VOcorrid', 'CEName', 'HostName', 'Clustercorrid', 'SiteName', 'RunningJobs', 'WaitingJobs', 'TotalJobs'], [
      [hour, 'gip:red-gw1', 'red-gw1:2119/jobmanager-pbs-cms', 10, 'red-gw1', 'red-gw1.unl.edu', '1', 'Nebraska', 100, 5, 105],
      [hour, 'gip:red-gw2', 'red-gw2:2119/jobmanager-pbs-cms', 10, 'red-gw2', 'red-gw2.unl.edu', '1', 'Nebraska', 40, 0, 40],
      [hour, 'gip:ce1', 'ce1:2119/jobmanager-condor-atlas', 20, 'ce1', 'ce1.example.org', '2', 'MWT2', 70, 1, 71],
      [hour, 'gip:ce2', 'ce2:2119/jobmanager-condor-atlas', 20, 'ce2', 'ce2.example.org', '2', 'MWT2', 70, 1, 71],
    ]);
  });

  it('MasterServiceSummaryHourly: running jobs by VO sum a type-1 cluster and take the MAX of a type-2 one (GratiaStatusGeneric.ts_hourly)', async () => {
    const rows = await fresh().store.query(
      `SELECT VOName, SUM(MyColumn) AS running FROM (
         SELECT VO.VOName, Cluster.Name, MSS.CEName, Timestamp,
           CASE CNC.type WHEN 1 THEN SUM(RunningJobs) WHEN 2 THEN MAX(RunningJobs) ELSE SUM(RunningJobs) END AS MyColumn
         FROM MasterServiceSummaryHourly MSS
         JOIN VONameCorrection VNC on VNC.corrid=MSS.VOcorrid
         JOIN VO on VO.void=VNC.void
         JOIN ClusterNameCorrection CNC on CNC.corrid=MSS.Clustercorrid
         JOIN Cluster on Cluster.clusterid=CNC.clusterid
         WHERE MSS.SiteName regexp ? AND Timestamp >= ? AND Timestamp < ?
         GROUP BY VO.VOName, Cluster.Name, Timestamp
       ) AS fooInner GROUP BY VOName ORDER BY VOName`,
      ['.*', '2024-03-15 00:00:00', '2024-03-16 00:00:00'],
    );
    // cms: 100 + 40 on cluster red; atlas: MAX(70, 70) on cluster shared.
    expect(plain(rows)).toEqual([{ VOName: 'atlas', running: 70 }, { VOName: 'cms', running: 140 }]);
  });

  it('StorageElement and StorageElementRecord: the latest space of each area, by VO (GratiaStatusGeneric.se_rt)', async () => {
    const s = fresh().store;
    await s.insertMany('StorageElement', ['UniqueID', 'SE', 'Name', 'ParentID', 'VO', 'SpaceType', 'Timestamp', 'SiteName', 'ProbeName'], [
      ['srm.unl.edu:cms', 'srm.unl.edu', 'cms', 'srm.unl.edu', 'cms', 'Area', '2024-03-15 09:00:00', 'Nebraska', 'gip_storage:srm.unl.edu'],
      ['srm.unl.edu:atlas', 'srm.unl.edu', 'atlas', 'srm.unl.edu', 'atlas', 'Area', '2024-03-15 09:00:00', 'Nebraska', 'gip_storage:srm.unl.edu'],
    ]);
    await s.insertMany('StorageElementRecord', ['UniqueID', 'MeasurementType', 'StorageType', 'Timestamp', 'TotalSpace', 'FreeSpace', 'UsedSpace', 'ProbeName'], [
      ['srm.unl.edu:cms', 'raw', 'disk', '2024-03-15 09:00:00', 1000, 400, 600, 'gip_storage:srm.unl.edu'],
      ['srm.unl.edu:cms', 'raw', 'disk', '2024-03-15 10:00:00', 1000, 300, 700, 'gip_storage:srm.unl.edu'],
      ['srm.unl.edu:atlas', 'raw', 'disk', '2024-03-15 10:00:00', 500, 450, 50, 'gip_storage:srm.unl.edu'],
    ]);
    const rows = await s.query(
      `SELECT SE.VO, SUM(SER.UsedSpace) AS used, SUM(SER.FreeSpace) AS free FROM StorageElement SE
       JOIN StorageElementRecord SER ON SER.UniqueID = SE.UniqueID
       WHERE SER.Timestamp = (SELECT MAX(Timestamp) FROM StorageElementRecord L WHERE L.UniqueID = SER.UniqueID)
       GROUP BY SE.VO ORDER BY SE.VO`,
    );
    expect(plain(rows)).toEqual([{ VO: 'atlas', used: 50, free: 450 }, { VO: 'cms', used: 700, free: 300 }]);
  });

  it("MasterTransferSummary: a re-sent day adds to its row over Gratia's unique key; volume and rate by protocol (GratiaTransferQueries)", async () => {
    const s = fresh().store;
    const cols = ['StartTime', 'VOcorrid', 'ProbeName', 'CommonName', 'Protocol', 'RemoteSite', 'Status', 'IsNew', 'StorageUnit', 'Njobs', 'TransferSize', 'TransferDuration'];
    const sum = { update: { Njobs: 'sum', TransferSize: 'sum', TransferDuration: 'sum' } as const };
    const day = '2024-03-15 00:00:00';
    await s.upsert('MasterTransferSummary', cols, [
      [day, 10, 'gridftp:red-gw1', 'Unknown', 'gsiftp', 'fnal.gov', 0, 1, 'b', 10, 1e9, 100],
      [day, 10, 'gridftp:red-gw1', 'Unknown', 'xrootd', 'fnal.gov', 0, 1, 'b', 4, 2e8, 50],
    ], { key: TRANSFER_SUMMARY_KEY, ...sum });
    await s.upsert('MasterTransferSummary', cols, [[day, 10, 'gridftp:red-gw1', 'Unknown', 'gsiftp', 'fnal.gov', 0, 1, 'b', 5, 5e8, 100]], { key: TRANSFER_SUMMARY_KEY, ...sum });
    const rows = await s.query(
      `SELECT Protocol, COUNT(*) AS n, SUM(Njobs) AS transfers, SUM(TransferSize)/1000000 AS mb, SUM(TransferSize)/SUM(TransferDuration)/1000000 AS mb_per_s
       FROM MasterTransferSummary R FORCE INDEX (index01)
       WHERE StartTime >= ? AND StartTime < ? GROUP BY Protocol ORDER BY Protocol`,
      [day, '2024-03-16 00:00:00'],
    );
    expect(plain(rows)).toEqual([{ Protocol: 'gsiftp', n: 1, transfers: 15, mb: 1500, mb_per_s: 7.5 }, { Protocol: 'xrootd', n: 1, transfers: 4, mb: 200, mb_per_s: 4 }]);
  });

  it("GIP's vo_info, ce_info, se_info and subcluster_score: the sums and the latest snapshot its queries read", async () => {
    const s = fresh().store;
    await s.insertMany('vo_info', ['time', 'vo', 'hostName', 'queue', 'runningJobs', 'waitingJobs', 'totalCpus'], [
      ['2024-03-15 10:00:00', 'cms', 'red-gw1.unl.edu', 'cms', 120, 3, 500],
      ['2024-03-15 10:00:00', 'cms', 'red-gw2.unl.edu', 'cms', 30, 0, 500],
      ['2024-03-15 10:00:00', 'atlas', 'red-gw1.unl.edu', 'grid', 7, 9, 500],
    ]);
    await s.insertMany('ce_info', ['time', 'hostName', 'totalCpus', 'freeCpus', 'runningJobs', 'waitingJobs', 'lrmsType'], [
      ['2024-03-15 09:00:00', 'red-gw1.unl.edu', 480, 20, 460, 1, 'pbs'],
      ['2024-03-15 10:00:00', 'red-gw1.unl.edu', 500, 10, 490, 0, 'pbs'],
    ]);
    await s.insertMany('se_info', ['date', 'se', 'site', 'total', 'free'], [['2024-03-15 10:00:00', 'srm.unl.edu', 'Nebraska', 2000, 800]]);
    await s.insertMany('subcluster_score', ['timestamp', 'site', 'cluster', 'subcluster', 'ncores', 'si2k_score'], [
      ['2024-03-15 10:00:00', 'Nebraska', 'red', 'opteron', 400, 1500], ['2024-03-15 10:00:00', 'Nebraska', 'red', 'xeon', 100, 2500],
    ]);
    const byVo = await s.query('SELECT vo, SUM(runningJobs) AS running, SUM(waitingJobs) AS waiting FROM vo_info GROUP BY vo ORDER BY vo');
    expect(plain(byVo)).toEqual([{ vo: 'atlas', running: 7, waiting: 9 }, { vo: 'cms', running: 150, waiting: 3 }]);
    const latest = await s.query('SELECT hostName, totalCpus, freeCpus FROM ce_info WHERE time = (SELECT MAX(time) FROM ce_info)');
    expect(plain(latest)).toEqual([{ hostName: 'red-gw1.unl.edu', totalCpus: 500, freeCpus: 10 }]);
    const score = await s.query('SELECT site, SUM(ncores*si2k_score)/1000 AS ksi2k FROM subcluster_score GROUP BY site');
    expect(plain(score)).toEqual([{ site: 'Nebraska', ksi2k: 850 }]);
    // se_info's unique (date, se): GIP keeps one snapshot per SE and time.
    await expect(s.insertMany('se_info', ['date', 'se', 'site', 'total', 'free'], [['2024-03-15 10:00:00', 'srm.unl.edu', 'Nebraska', 1, 1]])).rejects.toThrow();
  });

  it("the registration database's vo_to_rs keeps its spaced column names; rsv_summary replaces a period's row by its key", async () => {
    const s = fresh().store;
    await s.insertMany('vo_to_rs', ['VO Name', 'Site Name'], [['cms,uscms', 'Nebraska']]);
    expect(await s.query('SELECT * from vo_to_rs')).toEqual([{ 'VO Name': 'cms,uscms', 'Site Name': 'Nebraska' }]);
    const cols = ['name', 'resource_type', 'time_length', 'starttime', 'endtime', 'up', 'unknown', 'critical', 'maintenance'];
    const key = { key: ['name', 'resource_type', 'time_length', 'starttime'] };
    await s.upsert('rsv_summary', cols, [['red-gw1.unl.edu', 'resource', 3600, '2024-03-15 10:00:00', '2024-03-15 11:00:00', 0.5, 0.5, 0, 0]], key);
    await s.upsert('rsv_summary', cols, [['red-gw1.unl.edu', 'resource', 3600, '2024-03-15 10:00:00', '2024-03-15 11:00:00', 0.75, 0, 0.25, 0]], key);
    const rows = await s.query('SELECT name, up, 1-up-maintenance-unknown AS down FROM rsv_summary WHERE time_length = 3600');
    expect(plain(rows)).toEqual([{ name: 'red-gw1.unl.edu', up: 0.75, down: 0.25 }]);
  });
});
