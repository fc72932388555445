/** The Collector and Metrics class types: settings and declarations from GraphTool XML, every bad value at its position. */
import { afterAll, describe, expect, it } from 'vitest';
import { collectorClassTypes, collectorConfigOf, defaultCollectorSettings } from '../../collector/index.js';
import { formatIssue, loadConfig } from '../../grammar/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const load = (xml: string) => {
  const dir = tempDir({ 'collector.xml': `<graphtool-config>\n${xml}\n</graphtool-config>\n` });
  return loadConfig(dir, { classTypes: [...collectorClassTypes], env: { GATHERED: 'rsv.example.edu' } });
};

describe('Collector and Metrics class types', () => {
  it('builds settings and merged declarations from a valid file', () => {
    const config = load(`<class type="Collector" name="Collector">
  <attribute name="unknown_metrics"> reject </attribute>
  <attribute name="allow_loopback_writes"> true </attribute>
  <attribute name="max_body_bytes"> 2MB </attribute>
  <attribute name="max_records_per_request"> 5_000 </attribute>
  <attribute name="retention_days"> 0 </attribute>
  <attribute name="gathered_at"> $GATHERED </attribute>
</class>
<class type="Metrics" name="Rsv">
  <attribute name="names"> org.osg.general.ping-host org.osg.certificates.cacert-expiry </attribute>
  <metric name="org.osg.srm.srmping" unit="">SRM ping</metric>
</class>
<class type="Metrics" name="Host">
  <metric name="cpu.load1" unit="1">one-minute load</metric>
  <metric name="org.osg.general.ping-host"/>
</class>`);
    expect(config.issues.map(formatIssue)).toEqual([]);
    const { settings, metrics } = collectorConfigOf(config);
    expect(settings).toEqual({ ...defaultCollectorSettings(), unknownMetrics: 'reject', allowLoopbackWrites: true, maxBodyBytes: 2 * 1024 * 1024, maxRecordsPerRequest: 5000, retentionDays: 0, gatheredAt: 'rsv.example.edu' });
    expect(metrics.map((m) => m.name)).toEqual(['org.osg.general.ping-host', 'org.osg.certificates.cacert-expiry', 'org.osg.srm.srmping', 'cpu.load1']);
    expect(metrics[3]).toEqual({ name: 'cpu.load1', unit: '1', description: 'one-minute load' });
  });

  it('reports every bad value with its file, line and column, and keeps the default for it', () => {
    const config = load(`<class type="Collector" name="Collector">
  <attribute name="unknown_metrics"> ignore </attribute>
  <attribute name="write_role"> root </attribute>
  <attribute name="max_body_bytes"> lots </attribute>
  <attribute name="max_record_per_request"> 10 </attribute>
</class>
<class type="Metrics" name="M">
  <metric name="has space"/>
  <metric/>
</class>`);
    const lines = config.issues.map((i) => `${i.pos.line}:${i.pos.column} ${i.severity} ${i.message}`);
    expect(lines).toEqual([
      '3:3 error Collector "Collector": unknown_metrics "ignore" is not one of declare, reject',
      '4:3 error Collector "Collector": write_role "root" is not one of viewer, operator, admin',
      '5:3 error Collector "Collector": max_body_bytes "lots" is not a size; write bytes, or a number with k, MB or GB',
      '6:3 warning Collector "Collector": unknown attribute "max_record_per_request"; did you mean "max_records_per_request"?',
      '9:3 error Metrics "M": metric name "has space" may not contain spaces or ";"',
      '10:3 error Metrics "M": <metric> needs name="..."',
    ]);
    expect(collectorConfigOf(config).settings.unknownMetrics).toBe('declare');
  });
});
