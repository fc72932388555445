/**
 * The collector: where monitoring data enters (RSV/WLCG probe records, samples; line protocol and the sensor
 * agent build on it) and the monitoring repository (DataGrid WP4 MR).
 */
export { collectorClassTypes, collectorConfigOf, createCollector } from './create-collector.js';
export type { Collector, CollectorConfig, CollectorOptions } from './create-collector.js';
export { SELF_PARSED_PATHS } from './http-body.js';
export { collectorMigrations } from './migrations.js';
export type { MetricInfo } from './metric-catalog.js';
export { metricsClassType } from './metrics-class.js';
export type { MetricDeclaration } from './metrics-class.js';
export type { MonitoringRepository } from './monitoring-repository.js';
export { RECORD_FORMATS, readRecords } from './record-body.js';
export type { KeyedRecord, ReadRecordsOptions, RecordFormat } from './record-body.js';
export { RECORD_COLUMNS, recordRow, recordSample } from './record-ingest.js';
export { probeRecordFeed } from './record-feed.js';
export type { ProbeRecordFeed } from './record-feed.js';
export { SAMPLE_COLUMNS, sampleRow } from './sample-writer.js';
export { collectorClassType, defaultCollectorSettings, UNKNOWN_METRIC_POLICIES, WRITE_ROLES } from './settings.js';
export type { CollectorSettings, UnknownMetricPolicy, WriteRole } from './settings.js';
export type { Notify, Subscription } from './subscriptions.js';
export { REQUIRED_FIELDS, STATUS_WORDS, statusCode } from './types.js';
export type { ProbeRecord, SampleInput, StatusWord, StoredProbeRecord, StoredSample } from './types.js';
export { describeLoopbackWrites } from './write-gate.js';
export type { CollectorAccess } from './write-gate.js';
export { createLineProtocolRouter, DEFAULT_LINE_PROTOCOL_LIMITS, LineProtocolError, parseLineProtocol } from './line-protocol/index.js';
export type { FieldValue, LinePoint, LineProtocolLimits, LineProtocolRouterOptions, Precision } from './line-protocol/index.js';
export { createSensorAgent, sensorsClassType, sensorsConfigsOf } from './sensor-agent/index.js';
export type { SensorAgent, SensorAgentOptions, SensorDef, SensorsConfig } from './sensor-agent/index.js';
export { createInfluxExport, influxExportClassType, influxExportMigrations, influxExportSettingsOf } from './influx-export/index.js';
export type { InfluxExport, InfluxExportOptions, InfluxExportSettings } from './influx-export/index.js';
