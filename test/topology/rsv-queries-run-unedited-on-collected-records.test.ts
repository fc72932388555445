/**
 * Gratia-web's rsv_queries.xml, unedited, on what the appliance collected: RSV records posted to /rsv/records, the
 * topology registry written as the oim.* tables, rsvprocess.* as views over the stored records; answers checked
 * against hand-computed ones, on SQLite and on MariaDB.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS, createApplianceQueryEngine, loadApplianceConfig } from '../../appliance.js';
import { configErrors, formatIssue } from '../../grammar/index.js';
import type { QueryEngine } from '../../query-engine/index.js';
import { Topology, writeOimTables, type TopologyData } from '../../topology/index.js';
import { post, startCollectorApp, wlcgRecord, type CollectorApp } from '../collector/support/collector-app.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { serviceMissing } from '../support/services.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const RSV_QUERIES = new URL('../../../shared/fixtures/gratia-web/rsv_queries.xml', import.meta.url).pathname;
const haveFixture = existsSync(RSV_QUERIES);
if (!haveFixture) serviceMissing('the shared Gratia-web fixtures', `${RSV_QUERIES} is missing; put ../shared beside the checkout`);

/** 2025-11-24T16:00:00Z, a multiple of the queries' 7200 s span. */
const T0 = 1_764_000_000;

const TOPOLOGY: TopologyData = {
  sites: [{ id: 5, name: 'Example-Site', facility: 'Example University' }],
  resourceGroups: [
    {
      id: 1, name: 'RG1', site: 'Example-Site', gridType: 'OSG Production Resource', disable: false,
      resources: [
        {
          id: 11, name: 'CE1', fqdn: 'ce1.example.org', active: true, disable: false, services: [{ name: 'CE' }], owners: [{ vo: 'cms', percent: 100 }],
          wlcg: { accountingName: 'T2_XX_Example', interopMonitoring: true, interopAccounting: true, interopBdii: false },
          contacts: [{ type: 'Administrative Contact', name: 'Alice Admin', email: 'alice@example.org' }],
        },
        { id: 12, name: 'SE1', fqdn: 'se1.example.org', active: true, disable: false, services: [{ name: 'SRMv2' }], owners: [{ vo: 'atlas', percent: 60 }, { vo: 'cms', percent: 40 }], contacts: [] },
      ],
    },
    {
      id: 2, name: 'RG2', site: 'Example-Site', gridType: 'OSG Integration Test Bed Resource', disable: false,
      resources: [{ id: 21, name: 'CE2', fqdn: 'ce2.example.org', active: true, disable: false, services: [{ name: 'CE' }], owners: [], contacts: [] }],
    },
  ],
  vos: [
    { id: 3, name: 'cms', active: true, disable: false, primaryFields: ['HEP'], secondaryFields: ['USLHC'] },
    { id: 4, name: 'atlas', active: true, disable: false, primaryFields: ['HEP'], secondaryFields: [] },
  ],
  clusters: [],
};

const record = (host: string, metric: string, status: string, at: number, details = `${status} detail`) =>
  wlcgRecord({ metricName: metric, metricStatus: status, timestamp: String(at), serviceURI: `${host}:2119`, summaryData: status }, details);

/** The 2-hour bins as from_unixtime() gives them (MySQL DATETIME text, UTC). */
const BIN1 = '2025-11-24 16:00:00';
const BIN2 = '2025-11-24 18:00:00';

const PING = 'org.osg.general.ping-host';
const FTP = 'org.osg.globus.gridftp-simple';
const RECORDS = [
  record('ce1.example.org', PING, 'OK', T0 + 100),
  record('ce1.example.org', PING, 'CRITICAL', T0 + 200),
  record('ce1.example.org', FTP, 'OK', T0 + 7300),
  record('ce2.example.org', PING, 'UNKNOWN', T0 + 300),
  record('se1.example.org', PING, 'WARNING', T0 + 400),
  // A host the registry does not know is not in rsvprocess.metricdata, as RSV's collector kept only OIM resources.
  record('stray.example.org', PING, 'CRITICAL', T0 + 500),
];

const DBPARAM = `<graphtool-config>
  <class name="RSVConnMan" type="ConnectionManager">
    <attribute name="default"> rsv </attribute>
    <attribute name="appliance_store"> rsv </attribute>
    <connection name="rsv"><attribute name="Interface"> sqlite </attribute><attribute name="DatabaseFile"> unused.db </attribute></connection>
  </class>
</graphtool-config>`;

afterAll(removeTempDirs);

describe.skipIf(!haveFixture).each(testBackends())('rsv_queries.xml on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: ALL_MIGRATIONS });
  let app: CollectorApp;
  let engine: QueryEngine;
  const range = { starttime: String(T0), endtime: String(T0 + 86400) };

  beforeAll(async () => {
    // rsv_queries.xml is imported as it is; it imports the connections through $DBPARAM_LOCATION, as Gratia-web's does.
    const dir = tempDir({ 'dbparam/DBParam.xml': DBPARAM, 'config/rsv.xml': `<graphtool-config><import file="${RSV_QUERIES}"/></graphtool-config>` });
    const withRsv = loadApplianceConfig(join(dir, 'config'), dir, { DBPARAM_LOCATION: join(dir, 'dbparam', 'DBParam.xml') });
    expect(configErrors(withRsv).map(formatIssue)).toEqual([]);
    const topology = Topology.from([TOPOLOGY]).topology;
    await writeOimTables(fresh().store, topology);
    app = await startCollectorApp(fresh().store);
    const res = await post(app, '/rsv/records', RECORDS.join(''));
    expect(await res.json()).toEqual({ received: 6, accepted: 6, duplicates: 0 });
    engine = createApplianceQueryEngine(withRsv, fresh().store, undefined, () => topology);
  });
  afterAll(async () => {
    await engine?.close();
    await app?.close();
  });

  const run = async (name: string, params: Record<string, string> = {}) => {
    const result = await engine.runQuery(name, params);
    expect(result.error, `${name}: ${result.error ?? ''} (${result.sql})`).toBeUndefined();
    return result;
  };

  it('rsv_quality and rsv_count: OK and failed probes per host and 2-hour bin (UNKNOWN counts as neither)', async () => {
    const quality = await run('rsv_quality', range);
    expect(quality.data).toEqual({
      kind: 'pivot-group',
      pivots: [
        { pivot: 'ce1.example.org', groups: [{ group: BIN1, value: [1, 1] }, { group: BIN2, value: [1, 0] }] },
        { pivot: 'se1.example.org', groups: [{ group: BIN1, value: [0, 1] }] },
      ],
    });
    const count = await run('rsv_count', range);
    expect(count.data).toEqual({
      kind: 'pivot-group',
      pivots: [
        { pivot: 'ce1.example.org', groups: [{ group: BIN1, value: 2 }, { group: BIN2, value: 1 }] },
        { pivot: 'ce2.example.org', groups: [{ group: BIN1, value: 1 }] },
        { pivot: 'se1.example.org', groups: [{ group: BIN1, value: 1 }] },
      ],
    });
  });

  // `group by name` is ambiguous among oim.resource's and oim.metric's own name columns: MariaDB takes the select
  // alias, and so does the embedded store.
  it('rsv_metric_quality: OK and failed probes per metric', async () => {
    const byMetric = await run('rsv_metric_quality', { ...range, facility: '^ce1' });
    expect(byMetric.data).toEqual({
      kind: 'pivot-group',
      pivots: [
        { pivot: PING, groups: [{ group: BIN1, value: [1, 1] }] },
        { pivot: FTP, groups: [{ group: BIN2, value: [1, 0] }] },
      ],
    });
  });

  it('rsv_results and rsv_dist: the failed results newest first with their details, and the status counts', async () => {
    const results = await run('rsv_results', range);
    expect(results.data.kind).toBe('complex-pivot');
    const entries = results.data.kind === 'complex-pivot' ? results.data.entries : [];
    expect(entries.map((e) => [e.pivot, (e.value as unknown[])[0], (e.value as unknown[])[1], (e.value as unknown[])[3]])).toEqual([
      ['se1.example.org', PING, 'WARNING', 'WARNING detail'],
      ['ce2.example.org', PING, 'UNKNOWN', 'UNKNOWN detail'],
      ['ce1.example.org', PING, 'CRITICAL', 'CRITICAL detail'],
    ]);
    const dist = await run('rsv_dist', range);
    expect(dist.data.kind === 'pivot' ? Object.fromEntries(dist.data.entries.map((e) => [e.pivot, e.value])) : {}).toEqual({ OK: 2, CRITICAL: 1, UNKNOWN: 1, WARNING: 1 });
  });

  it('the OIM queries: ownership with percents, resources, VOs, fields of science, federations, contacts', async () => {
    const ownership = await run('ownership');
    expect(ownership.data).toEqual({ kind: 'complex-pivot', entries: [{ pivot: 'CE1', value: ['cms', 100] }, { pivot: 'SE1', value: ['atlas', 60] }, { pivot: 'SE1', value: ['cms', 40] }] });
    const resources = await run('resources');
    expect(resources.data).toEqual({ kind: 'pivot', entries: [{ pivot: 'CE1', value: 'ce1.example.org' }, { pivot: 'CE2', value: 'ce2.example.org' }, { pivot: 'SE1', value: 'se1.example.org' }] });
    const vos = await run('vo');
    expect(vos.data.kind === 'pivot' ? vos.data.entries.map((e) => e.pivot).sort() : []).toEqual(['atlas', 'cms']);
    const fos = await run('field_of_science');
    expect(fos.data.kind === 'complex-pivot' ? fos.data.entries.map((e) => `${String(e.pivot)}:${String(e.value)}`).sort() : []).toEqual(['atlas:HEP', 'cms:HEP', 'cms:USLHC']);
    const federations = await run('resource_to_federation');
    expect(federations.data).toEqual({ kind: 'pivot', entries: [{ pivot: 'CE1', value: 'T2_XX_Example' }] });
    const ce = await run('active_ce_svc_fed_rsg_rs_vo');
    expect(ce.data).toEqual({ kind: 'complex-pivot', entries: [{ pivot: 'T2_XX_Example', value: ['RG1', 'CE1', 'cms'] }] });
    const rel = await run('rsg-rs-vo-wlcg');
    expect(rel.data).toEqual({ kind: 'complex-pivot', entries: [{ pivot: 'RG1', value: ['CE1', 'T2_XX_Example', 'cms'] }] });
    const admins = await run('admins');
    expect(admins.data).toEqual({ kind: 'pivot-group', pivots: [{ pivot: 'CE1', groups: [{ group: 'Alice Admin', value: 'alice@example.org' }] }] });
  });

  it("Gratia-web's RSV parsers: two-hour quality, daily and total availability, and the resource-group maps", async () => {
    // ce1: BIN1 had a failure (0), BIN2 only an OK (1); ce2 had only UNKNOWN (0 both bins); se1 a WARNING (0).
    const reliability = await run('rsv_reliability', range);
    expect(reliability.data).toEqual({
      kind: 'pivot-group',
      pivots: [
        { pivot: 'ce1.example.org', groups: [{ group: BIN1, value: 0 }, { group: BIN2, value: 1 }] },
        { pivot: 'ce2.example.org', groups: [{ group: BIN1, value: 0 }, { group: BIN2, value: 0 }] },
        { pivot: 'se1.example.org', groups: [{ group: BIN1, value: 0 }, { group: BIN2, value: 0 }] },
      ],
    });
    const daily = await run('rsv_reliability_daily', range);
    expect(daily.data).toEqual({
      kind: 'pivot-group',
      pivots: [
        { pivot: 'ce1.example.org', groups: [{ group: '2025-11-24 00:00:00', value: 0.5 }] },
        { pivot: 'ce2.example.org', groups: [{ group: '2025-11-24 00:00:00', value: 0 }] },
        { pivot: 'se1.example.org', groups: [{ group: '2025-11-24 00:00:00', value: 0 }] },
      ],
    });
    const total = await run('rsv_reliability_total', range);
    expect(total.data).toEqual({ kind: 'pivot', entries: [{ pivot: 'ce1.example.org', value: 0.5 }, { pivot: 'ce2.example.org', value: 0 }, { pivot: 'se1.example.org', value: 0 }] });
    // Only CE1 is monitored for WLCG; the ITB group's CE2 is not a production resource.
    expect((await run('service_to_resource')).data).toEqual({ kind: 'pivot', entries: [{ pivot: ['CE', 'CE1'], value: 'RG1' }] });
    const all = await run('service_to_resource_all');
    expect(all.data.kind === 'pivot' ? all.data.entries.map((e) => `${String(e.pivot)}=${String(e.value)}`).sort() : []).toEqual(['CE,CE1=RG1', 'SRMv2,SE1=RG1']);
    expect((await run('resource_group_to_federation')).data).toEqual({ kind: 'pivot', entries: [{ pivot: 'RG1', value: 'T2_XX_Example' }] });
  });
});
