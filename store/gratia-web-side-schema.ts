/**
 * The tables of Gratia-web's side databases, with their published columns (OSG-Measurements-Metrics
 * `config/gip_schema`, `config/registration_schema`, `tools/gridscan_download.py`, `tools/rsv_calc.py`): GIP's CE, VO
 * and SE snapshots and subcluster scores, the registration database's VO-to-site and resource lists, the GridScan results and RSV's
 * availability summaries, so the query files that read them run unedited on the appliance's store. GIP's MySQL
 * `timestamp` columns are DATETIME here (UTC text on both backends, as every other time the store keeps).
 */
import type { ColumnDef, TableDef } from './types.js';

const str = (name: string, length = 255): ColumnDef => ({ name, type: 'varchar', length });
const int = (name: string): ColumnDef => ({ name, type: 'int' });
const big = (name: string): ColumnDef => ({ name, type: 'bigint' });
const time = (name: string, notNull = false): ColumnDef => ({ name, type: 'datetime', ...(notNull ? { notNull } : {}) });

/** GIP's `ce_info`: one CE's batch system snapshot. */
const ceInfo: TableDef = {
  name: 'ce_info',
  columns: [time('time', true), int('runningJobs'), int('totalCpus'), str('lrmsType', 10), str('lrmsVersion', 32), int('freeCpus'), str('hostName', 63), int('waitingJobs')],
  indexes: [{ name: 'time_key', columns: ['time'] }, { name: 'host_key', columns: ['hostName'] }],
};

/** GIP's `vo_info`: one VO's view of one CE queue. */
const voInfo: TableDef = {
  name: 'vo_info',
  columns: [
    time('time', true), int('runningJobs'), int('totalCpus'), int('freeJobSlots'), int('maxTotalJobs'), int('totalJobs'), str('status', 32),
    str('lrmsType', 10), str('lrmsVersion', 32), str('vo', 32), int('assignedJobSlots'), int('freeCpus'), int('waitingJobs'), int('maxRunningJobs'),
    str('hostName', 64), str('queue', 32),
  ],
  indexes: [{ name: 'host_idx', columns: ['hostName', 'time'] }, { name: 'time_idx', columns: ['time'] }],
};

/** GIP's `se_info`: one SE's total and free space at a time. */
const seInfo: TableDef = {
  name: 'se_info',
  columns: [time('date', true), str('se'), str('site'), big('total'), big('free')],
  indexes: [{ name: 'se_info_idx', columns: ['date', 'se'], unique: true }, { name: 'se_info_date', columns: ['date'] }],
};

/** GIP's `site_info`: which CE belongs to which site. */
const siteInfo: TableDef = {
  name: 'site_info',
  columns: [str('sitename'), str('cename')],
  indexes: [{ name: 'site_pair', columns: ['sitename', 'cename'], unique: true }],
};

/** GIP's `subcluster_score`: a subcluster's cores and SpecInt2000 score at a time. */
const subclusterScore: TableDef = {
  name: 'subcluster_score',
  columns: [time('timestamp'), str('site'), str('cluster'), str('subcluster'), int('ncores'), int('si2k_score'), str('ownership'), str('proc')],
};

/** GIP's `cpu_score`: SpecInt2000 and SpecInt2006 scores by CPU model. */
const cpuScore: TableDef = { name: 'cpu_score', columns: [str('cpu'), int('si2k'), int('si2k6')] };

/** The registration database's `vo_to_rs`: VO names (a longtext list) per site, columns named with spaces. */
const voToRs: TableDef = { name: 'vo_to_rs', columns: [{ name: 'VO Name', type: 'text' }, str('Site Name')] };

/** The registration database's `rs` (resources): only the two columns its published query reads are known. */
const rs: TableDef = { name: 'rs', columns: [str('resName'), str('resDNS')] };

/** GridScan's results (`gridscan_download.py`): whether a site passed at a time. */
const gridScan: TableDef = { name: 'GridScan', columns: [time('time'), str('sitename'), int('pass')] };

/**
 * RSV's availability summaries (`rsv_calc.py` REPLACEs them by name, resource type, period length and start): the
 * fractions of the period a resource was up, unknown, critical and in maintenance.
 */
const rsvSummary: TableDef = {
  name: 'rsv_summary',
  columns: [
    { name: 'name', type: 'varchar', notNull: true }, { name: 'resource_type', type: 'varchar', length: 32, notNull: true }, { name: 'time_length', type: 'int', notNull: true },
    time('starttime', true), time('endtime'),
    { name: 'up', type: 'double' }, { name: 'unknown', type: 'double' }, { name: 'critical', type: 'double' }, { name: 'maintenance', type: 'double' },
  ],
  primaryKey: ['name', 'resource_type', 'time_length', 'starttime'],
};

/** Gratia-web's side tables: GIP, registration, GridScan, RSV summaries. */
export const GRATIA_WEB_SIDE_TABLES: readonly TableDef[] = [ceInfo, voInfo, seInfo, siteInfo, subclusterScore, cpuScore, voToRs, rs, gridScan, rsvSummary];
