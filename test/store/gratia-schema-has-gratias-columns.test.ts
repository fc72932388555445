/** Contract: the Gratia tables exist with Gratia's exact column names, keys and collations, on every backend. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { GRATIA_TABLES, MASTER_SUMMARY_DIMENSIONS, MASTER_SUMMARY_MEASURES, gratiaMigrations, type Store, type UpsertOptions } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

/** Gratia's own column names (reference/graphtool.md §7), spelled as Gratia-web's SQL spells them. */
const GRATIA_COLUMNS: Record<string, readonly string[]> = {
  MasterSummaryData: [
    'SummaryID', 'EndTime', 'VOcorrid', 'ProbeName', 'CommonName', 'DistinguishedName', 'ResourceType', 'HostDescription',
    'ApplicationExitCode', 'Njobs', 'WallDuration', 'CpuUserDuration', 'CpuSystemDuration', 'Grid', 'Cores', 'ProjectNameCorrid',
  ],
  VO: ['VOid', 'VOName'],
  VONameCorrection: ['corrid', 'VOName', 'ReportableVOName', 'VOid'],
  ProjectNameCorrection: ['ProjectNameCorrid', 'ProjectName', 'ReportableProjectName'],
  Site: ['siteid', 'SiteName'],
  Probe: ['probeid', 'siteid', 'probename', 'active', 'currenttime', 'reporthh', 'reportmm', 'status', 'nRecords', 'nDuplicates', 'nConnections'],
};

/** Columns the reference names for the wide tables; they carry more (the `...Description` columns). */
const GRATIA_COLUMNS_AT_LEAST: Record<string, readonly string[]> = {
  JobUsageRecord: [
    'dbid', 'ResourceType', 'GlobalJobId', 'LocalJobId', 'ProcessIds', 'LocalUserId', 'GlobalUsername', 'VOName', 'ReportableVOName',
    'CommonName', 'KeyInfoId', 'KeyInfoContent', 'JobName', 'Charge', 'ChargeUnit', 'ChargeFormula', 'Status', 'WallDuration',
    'CpuUserDuration', 'CpuSystemDuration', 'NodeCount', 'NodeCountMetric', 'Njobs', 'Processors', 'ProcessorsMetric',
    'ProcessorsConsumptionRate', 'ProcessorsDescription', 'NodeCountDescription', 'StartTime', 'EndTime', 'MachineName', 'SubmitHost',
    'Queue', 'ProjectName', 'Host', 'HostDescription',
  ],
  JobUsageRecord_Meta: ['dbid', 'recordId', 'CreateTime', 'RecordKeyInfoId', 'RecordKeyInfoContent', 'ProbeName', 'probeid', 'ReportedSiteName', 'Grid', 'ServerDate', 'md5v2'],
  Resource: ['dbid', 'Value', 'Description'],
  Memory: ['dbid', 'Value', 'StorageUnit', 'PhaseUnit', 'Metrics', 'Type', 'Description'],
  Swap: ['dbid', 'Value', 'StorageUnit', 'PhaseUnit', 'Metrics', 'Type', 'Description'],
  Disk: ['dbid', 'Value', 'StorageUnit', 'PhaseUnit', 'Metrics', 'Type', 'Description'],
  Network: ['dbid', 'Value', 'StorageUnit', 'PhaseUnit', 'Metrics', 'Type', 'Description'],
  TimeDuration: ['dbid', 'Value', 'Type', 'Description'],
  ServiceLevel: ['dbid', 'Value', 'Type', 'Description'],
  JobUsageRecord_Xml: ['dbid', 'RawXml', 'ExtraXml'],
};

/** The columns of `table` as the database itself reports them, in table order. */
async function databaseColumns(store: Store, table: string): Promise<string[]> {
  if (store.backend === 'sqlite') {
    return (await store.query<{ name: string }>(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, [table])).map((r) => r.name);
  }
  const rows = await store.query<{ name: string }>(
    'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [table],
  );
  return rows.map((r) => r.name);
}

const msdRow = (overrides: Partial<Record<(typeof MASTER_SUMMARY_DIMENSIONS)[number] | (typeof MASTER_SUMMARY_MEASURES)[number], string | number>> = {}) => {
  const base = {
    EndTime: '2024-05-01 00:00:00', VOcorrid: 7, ProbeName: 'condor:ce.example.org', CommonName: 'Unknown', DistinguishedName: '',
    ResourceType: 'Batch', HostDescription: '', ApplicationExitCode: '0', Grid: 'OSG', Cores: 8, ProjectNameCorrid: 0,
    Njobs: 2, WallDuration: 3600, CpuUserDuration: 1800, CpuSystemDuration: 60, ...overrides,
  };
  return [...MASTER_SUMMARY_DIMENSIONS, ...MASTER_SUMMARY_MEASURES].map((c) => base[c]);
};
const MSD_COLUMNS = [...MASTER_SUMMARY_DIMENSIONS, ...MASTER_SUMMARY_MEASURES];
const SUM_MEASURES: UpsertOptions = { key: MASTER_SUMMARY_DIMENSIONS, update: Object.fromEntries(MASTER_SUMMARY_MEASURES.map((m) => [m, 'sum'] as const)) };

describe.each(testBackends())('the Gratia schema on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: gratiaMigrations });

  it('records the Gratia migrations (the accounting schema, then the status, storage, transfer and side tables)', async () => {
    expect((await fresh().store.schemaVersion()).stages).toMatchObject({ gratia: 2 });
  });

  it.each(Object.entries(GRATIA_COLUMNS))('%s has exactly Gratia\'s columns', async (table, columns) => {
    expect(await databaseColumns(fresh().store, table)).toEqual(columns);
  });

  it.each(Object.entries(GRATIA_COLUMNS_AT_LEAST))('%s has every column the reference names', async (table, columns) => {
    expect(await databaseColumns(fresh().store, table)).toEqual(expect.arrayContaining([...columns]));
  });

  it('creates every table of GRATIA_TABLES with its declared columns, spelled exactly', async () => {
    for (const t of GRATIA_TABLES) expect(await databaseColumns(fresh().store, t.name)).toEqual(t.columns.map((c) => c.name));
  });

  it('SELECT * returns Gratia\'s spelling of the column names', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM VO');
    await store.execute('INSERT INTO VO (VOName) VALUES (?)', ['cms']);
    expect(Object.keys((await store.query('SELECT * FROM VO'))[0]!)).toEqual(['VOid', 'VOName']);
  });

  it('MasterSummaryData sums the measures of a re-sent summary row instead of adding a row', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM MasterSummaryData');
    await store.upsert('MasterSummaryData', MSD_COLUMNS, [msdRow()], SUM_MEASURES);
    await store.upsert('MasterSummaryData', MSD_COLUMNS, [msdRow({ Njobs: 3, WallDuration: 600, CpuUserDuration: 300, CpuSystemDuration: 6 })], SUM_MEASURES);
    // A row differing in one dimension is a row of its own.
    await store.upsert('MasterSummaryData', MSD_COLUMNS, [msdRow({ Cores: 1 })], SUM_MEASURES);
    expect(
      await store.query('SELECT Cores, Njobs, WallDuration, CpuUserDuration, CpuSystemDuration FROM MasterSummaryData ORDER BY Cores'),
    ).toEqual([
      { Cores: 1, Njobs: 2, WallDuration: 3600, CpuUserDuration: 1800, CpuSystemDuration: 60 },
      { Cores: 8, Njobs: 5, WallDuration: 4200, CpuUserDuration: 2100, CpuSystemDuration: 66 },
    ]);
  });

  it('MasterSummaryData refuses a plain duplicate insert of the same dimensions', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM MasterSummaryData');
    await store.insertMany('MasterSummaryData', MSD_COLUMNS, [msdRow()]);
    const failure = await store.insertMany('MasterSummaryData', MSD_COLUMNS, [msdRow({ Njobs: 9 })]).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('conflict');
  });

  it('MasterSummaryData fills Gratia\'s defaults for the columns left out', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM MasterSummaryData');
    await store.execute('INSERT INTO MasterSummaryData (EndTime, VOcorrid, ProbeName) VALUES (?, ?, ?)', ['2024-05-02 00:00:00', 1, 'p']);
    expect(
      await store.query(
        'SELECT CommonName, DistinguishedName, ResourceType, HostDescription, ApplicationExitCode, Njobs, WallDuration, Grid, Cores, ProjectNameCorrid FROM MasterSummaryData',
      ),
    ).toEqual([
      { CommonName: 'Unknown', DistinguishedName: '', ResourceType: '', HostDescription: '', ApplicationExitCode: '0', Njobs: 0, WallDuration: 0, Grid: 'OSG', Cores: 1, ProjectNameCorrid: 0 },
    ]);
  });

  it('compares ordinary text case-insensitively and VO names (varchar binary) case-sensitively', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM VO');
    await store.execute('DELETE FROM Site');
    await store.insertMany('VO', ['VOName'], [['cms'], ['CMS']]);
    await store.insertMany('Site', ['SiteName'], [['FNAL_FERMIGRID']]);
    expect(await store.query('SELECT VOName FROM VO WHERE VOName = ?', ['CMS'])).toEqual([{ VOName: 'CMS' }]);
    expect(await store.query('SELECT SiteName FROM Site WHERE SiteName = ?', ['fnal_fermigrid'])).toEqual([{ SiteName: 'FNAL_FERMIGRID' }]);
    // The unique key follows the same rule: another spelling of a site is the same site.
    await expect(store.insertMany('Site', ['SiteName'], [['fnal_FermiGrid']])).rejects.toMatchObject({ code: 'conflict' });
  });

  it('runs Gratia-web\'s master_summary joins over the schema', async () => {
    const { store } = fresh();
    for (const t of ['MasterSummaryData', 'VO', 'VONameCorrection', 'Site', 'Probe']) await store.execute(`DELETE FROM ${t}`);
    await store.execute("INSERT INTO Site (siteid, SiteName) VALUES (1, 'Nebraska')");
    await store.execute("INSERT INTO Probe (probeid, siteid, probename) VALUES (1, 1, 'condor:red.unl.edu')");
    await store.execute("INSERT INTO VO (VOid, VOName) VALUES (1, 'cms')");
    await store.execute("INSERT INTO VONameCorrection (corrid, VOName, ReportableVOName, VOid) VALUES (7, '/cms/Role=pilot', 'cms', 1)");
    await store.upsert('MasterSummaryData', MSD_COLUMNS, [msdRow({ ProbeName: 'condor:red.unl.edu' })], SUM_MEASURES);
    const rows = await store.query(
      `SELECT VO.VOName, truncate(unix_timestamp(EndTime)/?, 0)*? as time, sum(Cores*WallDuration)/3600 AS hours
       FROM MasterSummaryData R JOIN Probe P on R.ProbeName = P.probename JOIN Site S on S.siteid = P.siteid
         JOIN VONameCorrection VC ON (VC.corrid=R.VOcorrid) JOIN VO on (VC.void = VO.void)
       WHERE R.EndTime >= ? AND R.EndTime < ? AND VO.VOName regexp ? AND (R.ResourceType regexp ? or R.ResourceType = '')
         AND (NOT (VO.VOName regexp ?)) AND R.WallDuration < 1100000000
       GROUP BY VO.VOName, time`,
      [86400, 86400, '2024-04-25 00:00:00', '2024-05-08 23:59:59', '.*', '^Batch$', 'Unknown|unknown|other'],
    );
    expect(rows).toEqual([{ VOName: 'cms', time: Date.UTC(2024, 4, 1) / 1000, hours: 8 }]);
  });
});
