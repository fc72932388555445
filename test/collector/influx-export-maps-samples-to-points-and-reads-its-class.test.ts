/** Samples as line-protocol points (the inverse of ingest), and the `InfluxExport` class type with its errors at their positions. */
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, formatIssue } from '../../grammar/index.js';
import { parseLineProtocol } from '../../collector/line-protocol/index.js';
import { influxExportClassType, influxExportSettingsOf, sampleToLine } from './influx-export-support.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const time = new Date('2024-05-01T12:00:00.250Z');

describe('sampleToLine', () => {
  it('splits the metric at its first dot into measurement and field, with the node as host and the tags kept', () => {
    expect(sampleToLine({ id: 1, node: 'n1', metric: 'cpu.usage_idle', time, value: 97.5, source: 'x', tags: { cpu: 'cpu0' } }))
      .toBe('cpu,cpu=cpu0,host=n1 usage_idle=97.5 1714564800250');
    expect(sampleToLine({ id: 1, node: 'n1', metric: 'disk.io.reads', time, value: 3, source: 'x' })).toBe('disk,host=n1 io.reads=3 1714564800250');
  });

  it('writes a metric without a dot as field "value", and lets the node win over a host tag', () => {
    expect(sampleToLine({ id: 1, node: 'n1', metric: 'org.osg', time, value: 0, source: 'x' })).toBe('org,host=n1 osg=0 1714564800250');
    expect(sampleToLine({ id: 1, node: 'n1', metric: 'load', time, value: 2, source: 'x', tags: { host: 'spoofed' } })).toBe('load,host=n1 value=2 1714564800250');
  });

  it('escapes what line protocol needs escaped, so the ingest parser reads the same sample back', () => {
    const line = sampleToLine({ id: 1, node: 'node a,b', metric: 'my meas.f=x', time, value: -1.5e-7, source: 'x', tags: { 'k ey': 'v=1,2' } })!;
    const [point] = parseLineProtocol(line, { nowNs: 0n, precision: 'ms' });
    expect(point).toMatchObject({ measurement: 'my meas', tags: { host: 'node a,b', 'k ey': 'v=1,2' }, fields: { 'f=x': { type: 'float', value: -1.5e-7 } } });
    expect(point!.timestampNs).toBe(1_714_564_800_250_000_000n);
  });

  it('skips values InfluxDB cannot store', () => {
    expect(sampleToLine({ id: 1, node: 'n', metric: 'm', time, value: Number.NaN, source: 'x' })).toBeUndefined();
    expect(sampleToLine({ id: 1, node: 'n', metric: 'm', time, value: Infinity, source: 'x' })).toBeUndefined();
  });
});

function load(xml: string) {
  const dir = tempDir({ 'export.xml': `<graphtool-config>\n${xml}\n</graphtool-config>\n` });
  const config = loadConfig(dir, { classTypes: [influxExportClassType], env: { INFLUX_TOKEN: 'secret' } });
  const value = influxExportSettingsOf(config)[0];
  return { value, issues: config.issues.map((i) => formatIssue(i).replace(`${dir}/`, '')) };
}

describe('the InfluxExport class type', () => {
  it('reads every attribute', () => {
    const { value, issues } = load(`<class type="InfluxExport" name="grafana">
  <attribute name="url">http://127.0.0.1:8086/</attribute>
  <attribute name="mode">v2</attribute>
  <attribute name="org">site</attribute>
  <attribute name="bucket">mon/autogen</attribute>
  <attribute name="token">$INFLUX_TOKEN</attribute>
  <attribute name="batch_size">500</attribute>
  <attribute name="poll_interval">500ms</attribute>
  <attribute name="timeout">30s</attribute>
  <attribute name="min_retry_delay">2s</attribute>
  <attribute name="max_retry_delay">5m</attribute>
  <attribute name="metrics">load.*, cpu.*</attribute>
  <attribute name="nodes">wn-* ce01</attribute>
</class>`);
    expect(issues).toEqual([]);
    expect(value).toMatchObject({
      name: 'grafana', url: 'http://127.0.0.1:8086', mode: 'v2', org: 'site', bucket: 'mon/autogen', token: 'secret', batchSize: 500,
      pollIntervalMs: 500, timeoutMs: 30_000, minRetryDelayMs: 2000, maxRetryDelayMs: 300_000, metrics: ['load.*', 'cpu.*'], nodes: ['wn-*', 'ce01'],
    });
  });

  it('reads a v1 target for Debian\'s InfluxDB 1.6', () => {
    const { value, issues } = load(`<class type="InfluxExport" name="old">
  <attribute name="url">http://db:8086</attribute><attribute name="mode">v1</attribute>
  <attribute name="database">mon</attribute><attribute name="retention_policy">autogen</attribute>
  <attribute name="username">u</attribute><attribute name="password">p</attribute>
</class>`);
    expect(issues).toEqual([]);
    expect(value).toMatchObject({ mode: 'v1', database: 'mon', retentionPolicy: 'autogen', username: 'u', password: 'p' });
  });

  it('reads the lease, defaults it to 30 s or three timeouts, and refuses one shorter than two timeouts', () => {
    expect(load(`<class type="InfluxExport" name="a"><attribute name="url">http://x</attribute><attribute name="bucket">b</attribute>
  <attribute name="lease">2m</attribute></class>`).value).toMatchObject({ leaseMs: 120_000 });
    expect(load(`<class type="InfluxExport" name="a"><attribute name="url">http://x</attribute><attribute name="bucket">b</attribute></class>`).value)
      .toMatchObject({ leaseMs: 30_000, timeoutMs: 10_000 });
    expect(load(`<class type="InfluxExport" name="a"><attribute name="url">http://x</attribute><attribute name="bucket">b</attribute>
  <attribute name="timeout">20s</attribute></class>`).value).toMatchObject({ leaseMs: 60_000 });
    expect(load(`<class type="InfluxExport" name="short"><attribute name="url">http://x</attribute><attribute name="bucket">b</attribute>
  <attribute name="lease">15s</attribute></class>`).issues).toEqual([
      'export.xml:3:3: InfluxExport "short": lease "15s" must be at least twice the timeout (10000 ms)',
    ]);
  });

  it('reports every bad value at its position', () => {
    const { issues } = load(`<class type="InfluxExport" name="bad">
  <attribute name="url">ftp://x</attribute>
  <attribute name="mode">v3</attribute>
  <attribute name="batch_size">0</attribute>
  <attribute name="timeout">soon</attribute>
  <attribute name="bucket_name">x</attribute>
</class>
<class type="InfluxExport" name="v1-without-db"><attribute name="url">http://x</attribute><attribute name="mode">v1</attribute></class>
<class type="InfluxExport" name="no-url"><attribute name="bucket">b</attribute></class>`);
    expect(issues).toEqual([
      'export.xml:7:3: warning: InfluxExport "bad": unknown attribute "bucket_name"; did you mean "bucket"?',
      'export.xml:3:3: InfluxExport "bad": url "ftp://x" is not an http:// or https:// URL',
      'export.xml:4:3: InfluxExport "bad": mode "v3" is not one of v1, v2',
      'export.xml:2:1: InfluxExport "bad": mode v2 needs <attribute name="bucket"> (db/rp for InfluxDB 1.8)',
      'export.xml:5:3: InfluxExport "bad": batch_size "0" is not a whole number from 1 to 100000',
      'export.xml:6:3: InfluxExport "bad": timeout "soon" is not a duration; write e.g. 500ms, 30s, 5m',
      'export.xml:9:1: InfluxExport "v1-without-db": mode v1 needs <attribute name="database">',
      'export.xml:10:1: InfluxExport "no-url": needs <attribute name="url">, e.g. http://127.0.0.1:8086',
    ]);
  });
});
