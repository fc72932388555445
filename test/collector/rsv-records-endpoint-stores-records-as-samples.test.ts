/** POST /rsv/records on every backend: records stored with their raw text, turned into samples, re-sent records not stored twice. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { COLLECTOR_APP_MIGRATIONS, post, startCollectorApp, wlcgRecord, type CollectorApp } from './support/collector-app.js';

describe.each(testBackends())('POST /rsv/records on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
  let app: CollectorApp;
  beforeEach(async () => {
    await app?.close();
    for (const t of ['samples', 'probe_records', 'metrics']) await fresh().store.execute(`DELETE FROM ${t}`);
    app = await startCollectorApp(fresh().store);
  });
  afterAll(() => app?.close());

  it('stores each record with its raw text and makes it a sample: node = service host, metric = metricName, value = status code', async () => {
    const body = wlcgRecord() + wlcgRecord({ metricName: 'org.osg.certificates.cacert-expiry', metricStatus: 'CRITICAL', summaryData: 'CRITICAL: CA expired' }, 'line one\nline two');
    const res = await post(app, '/rsv/records', body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2, accepted: 2, duplicates: 0 });
    const records = await fresh().store.query<{ raw: string; host: string; metric_status: string; status_code: number; details: string }>(
      'SELECT raw, host, metric_status, status_code, details FROM probe_records ORDER BY id',
    );
    expect(records.map((r) => [r.host, r.metric_status, Number(r.status_code)])).toEqual([['osg-edu.cs.wisc.edu', 'OK', 0], ['osg-edu.cs.wisc.edu', 'CRITICAL', 2]]);
    expect(records[1]!.raw).toBe(body.split('EOT\n')[1] + 'EOT');
    expect(records[1]!.details).toBe('line one\nline two');
    const latest = (await (await fetch(`${app.url}/api/v1/samples/latest?node=osg-edu.cs.wisc.edu`)).json()) as { samples: Record<string, unknown>[] };
    expect(latest.samples).toEqual([
      expect.objectContaining({ node: 'osg-edu.cs.wisc.edu', metric: 'org.osg.certificates.cacert-expiry', value: 2, source: 'rsv', summary: 'CRITICAL: CA expired', details: 'line one\nline two', time: '2010-07-25T05:18:14.000Z' }),
      expect.objectContaining({ metric: 'org.osg.general.ping-host', value: 0, summary: 'OK' }),
    ]);
  });

  it('does not store a re-sent identical record twice, also within one request and across text and JSON forms', async () => {
    const one = wlcgRecord();
    expect(await (await post(app, '/rsv/records', one + one)).json()).toEqual({ received: 2, accepted: 1, duplicates: 1 });
    expect(await (await post(app, '/rsv/records', one)).json()).toEqual({ received: 1, accepted: 0, duplicates: 1 });
    const json = [{ metricName: 'org.osg.general.ping-host', metricType: 'status', timestamp: '2010-07-25T05:18:14Z', metricStatus: 'OK', serviceType: 'OSG-CE',
      serviceURI: 'osg-edu.cs.wisc.edu:2119', gatheredAt: 'rsv.example.edu', summaryData: 'OK', detailsData: 'Host osg-edu is alive and responding to pings!' }];
    const res = await post(app, '/rsv/records', JSON.stringify([...json, { ...json[0], metricStatus: 'WARNING' }]), { 'content-type': 'application/json' });
    expect(await res.json()).toEqual({ received: 2, accepted: 1, duplicates: 1 });
    expect((await fresh().store.query('SELECT id FROM samples')).length).toBe(2);
    expect((await fresh().store.query('SELECT id FROM probe_records')).length).toBe(2);
  });

  it('takes wlcg-multiple output and RSV brief output with the metric in the query string', async () => {
    const multi = await post(app, '/rsv/records?format=wlcg-multiple', wlcgRecord({ hostName: 'a.example' }) + wlcgRecord({ hostName: 'b.example' }));
    expect(await multi.json()).toMatchObject({ accepted: 2 });
    const brief = await post(app, '/rsv/records?format=brief&metric=org.osg.globus.gridftp-simple&host=se.example.edu:2811&gatheredAt=rsv.example.edu', 'RSV BRIEF RESULTS:\nWARNING\nslow transfer\n');
    expect(brief.status).toBe(200);
    const [sample] = await app.collector.repository.getLastSamples(['se.example.edu'], []);
    expect(sample).toMatchObject({ metric: 'org.osg.globus.gridftp-simple', value: 1, summary: 'WARNING', details: 'slow transfer' });
  });

  it('counts accepted, duplicate and rejected records and inserted samples on /metrics', async () => {
    await post(app, '/rsv/records', wlcgRecord() + wlcgRecord());
    await post(app, '/rsv/records', wlcgRecord({ metricStatus: 'FINE' }));
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('appliance_collector_records_total{result="accepted"} 1');
    expect(text).toContain('appliance_collector_records_total{result="duplicate"} 1');
    expect(text).toContain('appliance_collector_records_total{result="rejected"} 1');
    expect(text).toContain('appliance_collector_samples_inserted_total{source="rsv"} 1');
    expect(text).toContain('appliance_collector_rejected_requests_total{endpoint="/rsv/records",status="400"} 1');
  });
});
