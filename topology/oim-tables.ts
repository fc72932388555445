/**
 * The registry as OIM's tables (`oim.resource`, `oim.vo`, ...) and the collected RSV results as `rsvprocess.metricdata`
 * and `rsvprocess.metricdetail`, in the appliance's store. The store holds them as `oim_<table>` and
 * `rsvprocess_<table>`; the query engine maps the schema-qualified names of queries run on the appliance's store.
 */
import type { Migration, Store, Transaction } from '../store/index.js';
import { ITB_GRID_TYPE, PRODUCTION_GRID_TYPE } from './types.js';
import type { Topology } from './topology.js';

/** The schemas Gratia-web's RSV queries name, held as table prefixes (`oim.resource` is `oim_resource`). */
export const TOPOLOGY_SCHEMAS = ['oim', 'rsvprocess'] as const;

/** OIM's metric status ids (`oim.metric_status`): the collector's status code plus one. */
export const METRIC_STATUSES = [[1, 'OK'], [2, 'WARNING'], [3, 'CRITICAL'], [4, 'UNKNOWN']] as const;

const int = (name: string) => ({ name, type: 'int' as const, notNull: true });
const text = (name: string, length = 255) => ({ name, type: 'varchar' as const, length });

const TABLES = {
  oim_site: { columns: [int('id'), text('name'), text('facility'), { name: 'description', type: 'text' as const }], primaryKey: ['id'] },
  oim_osg_grid_type: { columns: [int('id'), text('name'), text('description')], primaryKey: ['id'] },
  oim_resource_group: {
    columns: [int('id'), text('name'), int('site_id'), int('osg_grid_type_id'), int('disable'), { name: 'description', type: 'text' as const }],
    primaryKey: ['id'],
  },
  oim_resource: {
    columns: [int('id'), text('name'), text('fqdn'), int('resource_group_id'), int('active'), int('disable'), { name: 'description', type: 'text' as const }],
    primaryKey: ['id'],
    indexes: [{ name: 'fqdn', columns: ['fqdn'] }],
  },
  oim_service: { columns: [int('id'), text('name'), text('description')], primaryKey: ['id'] },
  oim_resource_service: { columns: [int('resource_id'), int('service_id'), int('hidden'), int('central')], primaryKey: ['resource_id', 'service_id'] },
  oim_resource_wlcg: {
    columns: [int('resource_id'), int('interop_bdii'), int('interop_monitoring'), int('interop_accounting'), text('accounting_name')],
    primaryKey: ['resource_id'],
  },
  oim_vo: { columns: [int('id'), text('name'), text('long_name'), int('active'), int('disable')], primaryKey: ['id'] },
  oim_vo_resource_ownership: { columns: [int('resource_id'), int('vo_id'), int('percent')], primaryKey: ['resource_id', 'vo_id'] },
  oim_field_of_science: { columns: [int('id'), text('name')], primaryKey: ['id'] },
  oim_vo_field_of_science: { columns: [int('vo_id'), int('field_of_science_id'), int('rank_id')], primaryKey: ['vo_id', 'field_of_science_id'] },
  oim_contact: { columns: [int('id'), text('name'), text('primary_email')], primaryKey: ['id'] },
  oim_resource_contact: { columns: [int('resource_id'), int('contact_id'), text('contact_type', 64)], primaryKey: ['resource_id', 'contact_id', 'contact_type'] },
  topology_cluster_node: { columns: [text('cluster'), text('node')], primaryKey: ['cluster', 'node'] },
} as const;

type TableName = keyof typeof TABLES;

const RSV_VIEWS = {
  // OIM's metric ids are the metric names here: the collector's metric catalog has no numeric ids, and a join needs none.
  oim_metric: {
    sqlite: 'SELECT name AS id, name AS name, name AS common_name, description AS description FROM metrics',
    mysql: 'SELECT name AS id, name AS name, name AS common_name, description AS description FROM metrics',
  },
  // One row per stored record whose host is a registered resource, as RSV's collector filled metricdata from OIM.
  rsvprocess_metricdata: {
    sqlite:
      "SELECT pr.id AS id, r.id AS resource_id, pr.metric_name AS metric_id, pr.status_code + 1 AS metric_status_id, CAST(strftime('%s', pr.time) AS INTEGER) AS `timestamp` " +
      'FROM probe_records pr JOIN oim_resource r ON r.fqdn = pr.host',
    mysql:
      'SELECT pr.id AS id, r.id AS resource_id, pr.metric_name AS metric_id, pr.status_code + 1 AS metric_status_id, UNIX_TIMESTAMP(pr.time) AS `timestamp` ' +
      'FROM probe_records pr JOIN oim_resource r ON r.fqdn = pr.host',
  },
  rsvprocess_metricdetail: {
    sqlite: 'SELECT pr.id AS id, pr.details AS detail FROM probe_records pr',
    mysql: 'SELECT pr.id AS id, pr.details AS detail FROM probe_records pr',
  },
} as const;

/**
 * OIM's tables the registry has no entries for yet, so the queries reading them run (and find nothing): scheduled
 * downtimes (`oim.resource_downtime`, which the Nagios bridge's downtimes are to fill) and the metrics critical per
 * service (`oim.metric_service`).
 */
const EMPTY_OIM_TABLES = {
  oim_resource_downtime: {
    columns: [int('id'), int('resource_id'), { name: 'start_time', type: 'datetime' as const, notNull: true }, { name: 'end_time', type: 'datetime' as const, notNull: true }, { name: 'downtime_summary', type: 'text' as const }, int('disable')],
    primaryKey: ['id'],
    indexes: [{ name: 'resource', columns: ['resource_id', 'start_time'] }],
  },
  oim_metric_service: { columns: [text('metric_id'), int('service_id'), int('critical')], primaryKey: ['metric_id', 'service_id'] },
} as const;

/** Stage `topology`: the OIM tables, the metric statuses, and the views over the collector's records (after its migrations). */
export const topologyMigrations: readonly Migration[] = [
  {
    stage: 'topology',
    version: 1,
    name: 'OIM tables of the registry, rsvprocess views of the collected records',
    steps: [
      ...Object.entries(TABLES).map(([name, def]) => ({ createTable: { name, ...def } })),
      { createTable: { name: 'oim_metric_status', columns: [int('id'), text('description', 32)], primaryKey: ['id'] } },
      ...METRIC_STATUSES.map(([id, word]) => ({
        sql: {
          sqlite: `INSERT OR IGNORE INTO oim_metric_status (id, description) VALUES (${id}, '${word}')`,
          mysql: `INSERT IGNORE INTO oim_metric_status (id, description) VALUES (${id}, '${word}')`,
        },
      })),
      ...Object.entries(RSV_VIEWS).map(([name, body]) => ({
        sql: { sqlite: `CREATE VIEW IF NOT EXISTS ${name} AS ${body.sqlite}`, mysql: `CREATE OR REPLACE VIEW ${name} AS ${body.mysql}` },
      })),
    ],
  },
  {
    stage: 'topology',
    version: 2,
    name: 'OIM downtime and metric-service tables (no registry entries yet)',
    steps: Object.entries(EMPTY_OIM_TABLES).map(([name, def]) => ({ createTable: { name, ...def } })),
  },
];

type Row = (string | number | null)[];

const b = (v: boolean): number => (v ? 1 : 0);

/** Ids by name in first-seen order (services, fields of science, grid types, contacts have none in the registry). */
class Ids {
  private readonly ids = new Map<string, number>();
  private next = 1;
  constructor(seed: readonly (readonly [number, string])[] = []) {
    for (const [id, name] of seed) {
      this.ids.set(name, id);
      this.next = Math.max(this.next, id + 1);
    }
  }
  of(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(name, id);
    }
    return id;
  }
  entries(): [string, number][] {
    return [...this.ids];
  }
}

/** The rows of every table, from one registry. */
export function oimRows(topology: Topology): Record<TableName, Row[]> {
  const siteIds = new Map(topology.sites().map((s) => [s.name, s.id]));
  const gridTypes = new Ids([[1, PRODUCTION_GRID_TYPE], [2, ITB_GRID_TYPE]]);
  const services = new Ids();
  const fields = new Ids();
  const contacts = new Ids();
  const contactEmail = new Map<string, string | null>();
  const voIds = new Map(topology.vos().map((v) => [v.name.toLowerCase(), v.id]));
  const rows: Record<TableName, Row[]> = Object.fromEntries(Object.keys(TABLES).map((t) => [t, []])) as unknown as Record<TableName, Row[]>;
  rows.oim_site = topology.sites().map((s) => [s.id, s.name, s.facility, s.description ?? null]);
  for (const g of topology.resourceGroups()) {
    rows.oim_resource_group.push([g.id, g.name, siteIds.get(g.site) ?? 0, gridTypes.of(g.gridType), b(g.disable), g.description ?? null]);
    for (const r of g.resources) {
      rows.oim_resource.push([r.id, r.name, r.fqdn, g.id, b(r.active), b(r.disable), r.description ?? null]);
      for (const s of new Set(r.services.map((x) => x.name))) rows.oim_resource_service.push([r.id, services.of(s), 0, 0]);
      if (r.wlcg) rows.oim_resource_wlcg.push([r.id, b(r.wlcg.interopBdii), b(r.wlcg.interopMonitoring), b(r.wlcg.interopAccounting), r.wlcg.accountingName ?? null]);
      const owned = new Set<number>();
      for (const o of r.owners) {
        const vo = voIds.get(o.vo.toLowerCase());
        if (vo === undefined || owned.has(vo)) continue;
        owned.add(vo);
        rows.oim_vo_resource_ownership.push([r.id, vo, o.percent]);
      }
      const listed = new Set<string>();
      for (const c of r.contacts) {
        const key = `${c.name}\u0000${c.email ?? ''}`;
        const id = contacts.of(key);
        contactEmail.set(key, c.email ?? null);
        const link = `${id}\u0000${c.type}`;
        if (listed.has(link)) continue;
        listed.add(link);
        rows.oim_resource_contact.push([r.id, id, c.type]);
      }
    }
  }
  rows.oim_osg_grid_type = gridTypes.entries().map(([name, id]) => [id, name, name]);
  const serviceDescriptions = new Map(topology.resources().flatMap((r) => r.services.map((s) => [s.name, s.description ?? s.name] as const)));
  rows.oim_service = services.entries().map(([name, id]) => [id, name, serviceDescriptions.get(name) ?? name]);
  for (const v of topology.vos()) {
    rows.oim_vo.push([v.id, v.name, v.longName ?? v.name, b(v.active), b(v.disable)]);
    const ranked = new Set<number>();
    for (const [rank, list] of [[1, v.primaryFields], [2, v.secondaryFields]] as const) {
      for (const f of list) {
        const id = fields.of(f);
        if (ranked.has(id)) continue;
        ranked.add(id);
        rows.oim_vo_field_of_science.push([v.id, id, rank]);
      }
    }
  }
  rows.oim_field_of_science = fields.entries().map(([name, id]) => [id, name]);
  rows.oim_contact = contacts.entries().map(([key, id]) => [id, key.split('\u0000')[0] ?? '', contactEmail.get(key) ?? null]);
  rows.topology_cluster_node = topology.clusters().flatMap((c) => [...new Set(c.nodes)].map((n) => [c.name, n]));
  return rows;
}

async function replaceAll(tx: Transaction, rows: Record<TableName, Row[]>): Promise<void> {
  for (const [table, def] of Object.entries(TABLES) as [TableName, (typeof TABLES)[TableName]][]) {
    await tx.execute(`DELETE FROM ${table}`);
    const list = rows[table];
    const columns = def.columns.map((c) => c.name);
    // Bounded statements: one insert of thousands of rows would pass SQLite's variable limit.
    for (let i = 0; i < list.length; i += 500) await tx.insertMany(table, columns, list.slice(i, i + 500));
  }
}

/** Replaces the OIM tables' rows with the registry's, in one transaction: a reader sees the old rows or the new, never a mix. */
export async function writeOimTables(store: Store, topology: Topology): Promise<void> {
  const rows = oimRows(topology);
  await store.transaction((tx) => replaceAll(tx, rows));
}
