/**
 * Gratia's tables beside the job records (Gratia's Hibernate mappings `ServiceSummary`, `StorageElement`,
 * `StorageElementRecord`, `Subcluster`, `TransferSummary`, the collector's cluster tables): the CE status summaries and cluster names, the storage-element records, the
 * subcluster descriptions and the transfer summary, with Gratia's column names, so Gratia-web's status, storage and
 * transfer queries run unedited. The appliance's collector does not fill them yet (transfer accounting and storage
 * probes are another stage's part); they are there so those queries run, and for a site that loads Gratia's data.
 */
import type { ColumnDef, TableDef } from './types.js';

const str = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ name, type: 'varchar', ...extra });
const big = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ name, type: 'bigint', ...extra });
const int = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ name, type: 'int', ...extra });
const time = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ name, type: 'datetime', ...extra });
const id = (name: string): ColumnDef => ({ name, type: 'bigint', autoIncrement: true });

/** `MasterServiceSummary` (daily) and `MasterServiceSummaryHourly`: one CE's running, waiting and total jobs per VO. */
const serviceSummary = (name: string): TableDef => ({
  name,
  columns: [
    id('dbid'),
    time('Timestamp', { notNull: true }),
    str('ProbeName', { notNull: true, default: '' }),
    str('CEUniqueID', { notNull: true, default: '' }),
    big('VOcorrid', { notNull: true, default: 0 }),
    str('CEName', { notNull: true, default: 'Unknown' }),
    str('HostName', { notNull: true, default: 'Unknown' }),
    str('Clustercorrid', { notNull: true, default: '0' }),
    str('SiteName', { notNull: true, default: 'Unknown' }),
    big('RecordCount', { notNull: true, default: 1 }),
    big('RunningJobs', { notNull: true, default: 0 }),
    big('WaitingJobs', { notNull: true, default: 0 }),
    big('TotalJobs', { notNull: true, default: 0 }),
  ],
  // Gratia's DatabaseMaintenance indexes (index01..04).
  indexes: [
    { name: 'index01', columns: ['Timestamp'], keepName: true },
    { name: 'index02', columns: ['CEUniqueID'], keepName: true },
    { name: 'index03', columns: ['SiteName'], keepName: true },
    { name: 'index04', columns: ['VOcorrid'], keepName: true },
  ],
});

/** `StorageElement`: one storage area (an SE, a pool, a VO's space) as the storage probes describe it. */
const storageElement: TableDef = {
  name: 'StorageElement',
  columns: [
    id('dbid'),
    str('UniqueID'), str('SE'), str('Name'), str('ParentID'), str('VO'), str('OwnerDN'), str('SpaceType'),
    time('Timestamp'),
    str('Implementation'), str('Version'), str('Status'), str('ProbeName'), big('probeid'), str('SiteName'), str('Grid'),
  ],
  // Gratia-web's status queries read it `FORCE INDEX(Timestamp)`.
  indexes: [{ name: 'UniqueID', columns: ['UniqueID'], keepName: true }, { name: 'Timestamp', columns: ['Timestamp'], keepName: true }],
};

/** `StorageElementRecord`: one measurement of a storage area's space (bytes as the probe reports them) and files. */
const storageElementRecord: TableDef = {
  name: 'StorageElementRecord',
  columns: [
    id('dbid'),
    str('UniqueID'), str('MeasurementType'), str('StorageType'),
    time('Timestamp'),
    big('TotalSpace'), big('FreeSpace'), big('UsedSpace'), big('FileCountLimit'), big('FileCount'),
    str('ProbeName'), big('probeid'),
  ],
  // Gratia-web's status queries read it `FORCE INDEX(Timestamp)`.
  indexes: [{ name: 'UniqueID', columns: ['UniqueID'], keepName: true }, { name: 'Timestamp', columns: ['Timestamp'], keepName: true }],
};

/** `Subcluster`: a homogeneous part of a CE's cluster (GLUE's subcluster): its cores, hosts, processor and benchmark. */
const subcluster: TableDef = {
  name: 'Subcluster',
  columns: [
    id('dbid'),
    str('UniqueID'), str('Name'), str('Cluster'), str('Platform'), str('OS'), str('OSVersion'),
    time('Timestamp'),
    int('Cores'), int('Hosts'), int('Cpus'), int('RAM'),
    str('Processor'), str('BenchmarkName'), str('BenchmarkValue'), str('ProbeName'), big('probeid'), str('SiteName'), str('Grid'),
  ],
  // Gratia-web's status queries read it `FORCE INDEX(Timestamp)`.
  indexes: [{ name: 'UniqueID', columns: ['UniqueID'], keepName: true }, { name: 'Timestamp', columns: ['Timestamp'], keepName: true }],
};

/** `Cluster`: the cluster names CE records carry (Gratia's NewClusterUpdate inserts `name`, reads back `clusterid`). */
const cluster: TableDef = {
  name: 'Cluster',
  columns: [id('clusterid'), str('name', { notNull: true })],
  indexes: [{ name: 'name', columns: ['name'] }],
};

/**
 * `ClusterNameCorrection`: maps a reported cluster name to its `Cluster` (itself at first); `type` says how the status
 * queries combine its CEs' counts (1 sum, 2 max, 3 sum). Gratia's insert leaves `type` to the column default; 1 here.
 */
const clusterNameCorrection: TableDef = {
  name: 'ClusterNameCorrection',
  columns: [id('corrid'), big('clusterid', { notNull: true }), str('ClusterName', { notNull: true }), int('type', { notNull: true, default: 1 })],
  indexes: [{ name: 'ClusterName', columns: ['ClusterName'] }, { name: 'clusterid', columns: ['clusterid'] }],
};

/** Gratia's unique key of MasterTransferSummary (DatabaseMaintenance `index10`): one row per combination per day. */
export const TRANSFER_SUMMARY_KEY = ['StartTime', 'VOcorrid', 'ProbeName', 'CommonName', 'Protocol', 'RemoteSite', 'Status', 'IsNew', 'StorageUnit'] as const;

/** `MasterTransferSummary`: the daily transfer summary (Gratia's Storage and Transfer records go here, not to MasterSummaryData). */
const masterTransferSummary: TableDef = {
  name: 'MasterTransferSummary',
  columns: [
    id('TransferSummaryID'),
    time('StartTime', { notNull: true }),
    big('VOcorrid', { notNull: true, default: 0 }),
    str('ProbeName', { notNull: true, default: '' }),
    str('Grid', { notNull: true, default: 'OSG' }),
    str('CommonName', { notNull: true, default: 'Unknown' }),
    str('DistinguishedName', { notNull: true, default: 'Unknown' }),
    str('Protocol', { notNull: true, default: '' }),
    str('RemoteSite', { notNull: true, default: '' }),
    big('Status', { notNull: true, default: 0 }),
    big('IsNew', { notNull: true, default: 0 }),
    big('Njobs', { notNull: true, default: 0 }),
    { name: 'TransferSize', type: 'double', notNull: true, default: 0 },
    { name: 'TransferDuration', type: 'double', notNull: true, default: 0 },
    str('StorageUnit', { notNull: true, default: '0' }),
    big('ProjectNameCorrid', { notNull: true, default: 1 }),
  ],
  // Gratia's DatabaseMaintenance indexes (Gratia-web reads it `FORCE INDEX (index01)`); `index10` is the unique key re-summarising adds to.
  indexes: [
    { name: 'index10', columns: TRANSFER_SUMMARY_KEY, unique: true, keepName: true },
    ...(['StartTime', 'VOcorrid', 'ProbeName', 'CommonName', 'Protocol', 'RemoteSite', 'Status'] as const).map((c, i) => ({ name: `index0${i + 1}`, columns: [c], keepName: true })),
  ],
};

/** Gratia's CE status, storage, subcluster and transfer tables. */
export const GRATIA_STATUS_TABLES: readonly TableDef[] = [
  serviceSummary('MasterServiceSummary'), serviceSummary('MasterServiceSummaryHourly'), cluster, clusterNameCorrection, storageElement, storageElementRecord, subcluster, masterTransferSummary,
];
