/** The Gratia accounting tables, with Gratia's own column names, so real Gratia-web SQL runs against them. */
import { GRATIA_STATUS_TABLES } from './gratia-status-schema.js';
import { GRATIA_WEB_SIDE_TABLES } from './gratia-web-side-schema.js';
import type { ColumnDef, Migration, TableDef } from './types.js';

const str = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ name, type: 'varchar', ...extra });
const big = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ name, type: 'bigint', ...extra });
const dbl = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ name, type: 'double', ...extra });
const time = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ name, type: 'datetime', ...extra });
const id = (name: string): ColumnDef => ({ name, type: 'bigint', autoIncrement: true });

/** The dimension columns of MasterSummaryData: one row per distinct combination per day. */
export const MASTER_SUMMARY_DIMENSIONS = [
  'EndTime', 'VOcorrid', 'ProbeName', 'CommonName', 'DistinguishedName', 'ResourceType',
  'HostDescription', 'ApplicationExitCode', 'Grid', 'Cores', 'ProjectNameCorrid',
] as const;

/** The summed measures of MasterSummaryData. */
export const MASTER_SUMMARY_MEASURES = ['Njobs', 'WallDuration', 'CpuUserDuration', 'CpuSystemDuration'] as const;

const masterSummaryData: TableDef = {
  name: 'MasterSummaryData',
  columns: [
    id('SummaryID'),
    time('EndTime', { notNull: true }),
    big('VOcorrid', { notNull: true }),
    str('ProbeName', { notNull: true }),
    str('CommonName', { notNull: true, default: 'Unknown' }),
    str('DistinguishedName', { notNull: true, default: '' }),
    str('ResourceType', { notNull: true, default: '' }),
    str('HostDescription', { notNull: true, default: '' }),
    str('ApplicationExitCode', { notNull: true, default: '0' }),
    big('Njobs', { notNull: true, default: 0 }),
    dbl('WallDuration', { notNull: true, default: 0 }),
    dbl('CpuUserDuration', { notNull: true, default: 0 }),
    dbl('CpuSystemDuration', { notNull: true, default: 0 }),
    str('Grid', { notNull: true, default: 'OSG' }),
    big('Cores', { notNull: true, default: 1 }),
    big('ProjectNameCorrid', { notNull: true, default: 0 }),
  ],
  indexes: [
    // Gratia's unique key over every dimension: re-summarising a record adds to its row instead of duplicating it.
    { name: 'dims', columns: MASTER_SUMMARY_DIMENSIONS, unique: true },
    { name: 'EndTime', columns: ['EndTime'] },
    { name: 'VOcorrid', columns: ['VOcorrid'] },
    { name: 'ProbeName', columns: ['ProbeName'] },
    { name: 'ResourceType', columns: ['ResourceType'] },
  ],
};

const vo: TableDef = {
  name: 'VO',
  columns: [id('VOid'), str('VOName', { notNull: true, binary: true })],
  indexes: [{ name: 'VOName', columns: ['VOName'], unique: true }],
};

const voNameCorrection: TableDef = {
  name: 'VONameCorrection',
  columns: [id('corrid'), str('VOName', { notNull: true, binary: true }), str('ReportableVOName', { binary: true }), big('VOid')],
  indexes: [
    { name: 'names', columns: ['VOName', 'ReportableVOName'], unique: true },
    { name: 'VOid', columns: ['VOid'] },
  ],
};

const projectNameCorrection: TableDef = {
  name: 'ProjectNameCorrection',
  columns: [id('ProjectNameCorrid'), str('ProjectName', { binary: true }), str('ReportableProjectName', { binary: true })],
  indexes: [{ name: 'ProjectName', columns: ['ProjectName'], unique: true }],
};

const site: TableDef = {
  name: 'Site',
  columns: [id('siteid'), str('SiteName', { notNull: true })],
  indexes: [{ name: 'SiteName', columns: ['SiteName'], unique: true }],
};

const probe: TableDef = {
  name: 'Probe',
  columns: [
    id('probeid'),
    big('siteid', { notNull: true }),
    str('probename', { notNull: true }),
    { name: 'active', type: 'int', notNull: true, default: 1 },
    time('currenttime'),
    { name: 'reporthh', type: 'int', default: 24 },
    { name: 'reportmm', type: 'int', default: 0 },
    str('status', { default: 'alive' }),
    big('nRecords', { notNull: true, default: 0 }),
    big('nDuplicates', { notNull: true, default: 0 }),
    big('nConnections', { notNull: true, default: 0 }),
  ],
  indexes: [
    { name: 'probename', columns: ['probename'], unique: true },
    { name: 'siteid', columns: ['siteid'] },
  ],
};

/** JobUsageRecord fields that carry a free-text `...Description` column beside the value. */
const described = (name: string, type: 'varchar' | 'double' | 'bigint' | 'datetime'): ColumnDef[] => [
  { name, type },
  str(`${name}Description`),
];

const jobUsageRecord: TableDef = {
  name: 'JobUsageRecord',
  columns: [
    id('dbid'),
    ...described('RecordIdentity', 'varchar'),
    str('ResourceType'),
    str('GlobalJobId'),
    str('LocalJobId'),
    str('ProcessIds'),
    str('LocalUserId'),
    str('GlobalUsername'),
    str('VOName', { binary: true }),
    str('ReportableVOName', { binary: true }),
    str('CommonName'),
    str('KeyInfoId'),
    { name: 'KeyInfoContent', type: 'text' },
    ...described('JobName', 'varchar'),
    dbl('Charge'),
    str('ChargeDescription'),
    str('ChargeUnit'),
    str('ChargeFormula'),
    ...described('Status', 'varchar'),
    ...described('WallDuration', 'double'),
    ...described('CpuUserDuration', 'double'),
    ...described('CpuSystemDuration', 'double'),
    big('NodeCount'),
    str('NodeCountMetric'),
    str('NodeCountDescription'),
    big('Njobs', { default: 1 }),
    str('NjobsDescription'),
    big('Processors'),
    str('ProcessorsMetric'),
    dbl('ProcessorsConsumptionRate'),
    str('ProcessorsDescription'),
    ...described('StartTime', 'datetime'),
    ...described('EndTime', 'datetime'),
    ...described('MachineName', 'varchar'),
    ...described('SubmitHost', 'varchar'),
    ...described('Queue', 'varchar'),
    ...described('ProjectName', 'varchar'),
    { name: 'Host', type: 'text' },
    str('HostDescription'),
  ],
  indexes: [
    { name: 'EndTime', columns: ['EndTime'] },
    { name: 'VOName', columns: ['VOName', 'ReportableVOName'] },
    { name: 'LocalJobId', columns: ['LocalJobId'] },
    { name: 'GlobalJobId', columns: ['GlobalJobId'] },
  ],
};

const jobUsageRecordMeta: TableDef = {
  name: 'JobUsageRecord_Meta',
  columns: [
    big('dbid', { notNull: true }),
    str('recordId'),
    time('CreateTime'),
    str('CreateTimeDescription'),
    str('RecordKeyInfoId'),
    { name: 'RecordKeyInfoContent', type: 'text' },
    str('ProbeName'),
    str('ProbeNameDescription'),
    big('probeid'),
    str('SiteName'),
    str('SiteNameDescription'),
    str('ReportedSiteName'),
    str('Grid'),
    str('GridDescription'),
    time('ServerDate'),
    str('md5v2', { length: 64 }),
  ],
  primaryKey: ['dbid'],
  indexes: [
    { name: 'ProbeName', columns: ['ProbeName'] },
    { name: 'ServerDate', columns: ['ServerDate'] },
    { name: 'md5v2', columns: ['md5v2'], unique: true },
  ],
};

/** The per-job child tables: several rows per record, keyed by `dbid`. */
const child = (name: string, extra: ColumnDef[]): TableDef => ({
  name,
  columns: [big('dbid', { notNull: true }), ...extra],
  indexes: [{ name: 'dbid', columns: ['dbid'] }],
});
const measured = [dbl('Value'), str('StorageUnit'), str('PhaseUnit'), str('Metrics'), str('Type'), str('Description')];

const childTables: TableDef[] = [
  child('Resource', [str('Value'), str('Description')]),
  child('Memory', measured),
  child('Swap', measured),
  child('Disk', measured),
  child('Network', measured),
  child('TimeDuration', [dbl('Value'), str('Type'), str('Description')]),
  child('TimeInstant', [time('Value'), str('Type'), str('Description')]),
  child('ServiceLevel', [str('Value'), str('Type'), str('Description')]),
  child('ConsumableResource', [dbl('Value'), str('Units'), str('Description')]),
  child('PhaseResource', [dbl('Value'), str('Units'), str('PhaseUnit'), str('Description')]),
  child('JobUsageRecord_Xml', [{ name: 'RawXml', type: 'text' }, { name: 'ExtraXml', type: 'text' }]),
];

/** The Gratia tables, in dependency order. */
export const GRATIA_TABLES: readonly TableDef[] = [
  vo, voNameCorrection, projectNameCorrection, site, probe, masterSummaryData, jobUsageRecord, jobUsageRecordMeta, ...childTables,
];

/** The store's own migrations: the Gratia schema, then Gratia's other tables and Gratia-web's side tables. Later stages bring their own lists. */
export const gratiaMigrations: readonly Migration[] = [
  { stage: 'gratia', version: 1, name: 'Gratia accounting schema', steps: GRATIA_TABLES.map((t) => ({ createTable: t })) },
  {
    stage: 'gratia',
    version: 2,
    name: 'Gratia CE status, storage, subcluster and transfer tables; GIP, registration, GridScan and RSV summary tables',
    steps: [...GRATIA_STATUS_TABLES, ...GRATIA_WEB_SIDE_TABLES].map((t) => ({ createTable: t })),
  },
];
