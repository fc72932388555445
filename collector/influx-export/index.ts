/** The InfluxDB export: samples to InfluxDB 1.x/2.x/3.x or VictoriaMetrics for Grafana, with a leased cursor. */
export { exportCursorName, influxExportMigrations, LEGACY_CURSOR_TABLE } from './export-schema.js';
export type { SampleFeed } from './export-target.js';
export { createInfluxExport } from './influx-export.js';
export type { InfluxExport, InfluxExportOptions } from './influx-export.js';
export { DEFAULT_FIELD, sampleToLine } from './sample-to-line.js';
export { EXPORT_MODES, defaultExportSettings, influxExportClassType, influxExportSettingsOf } from './settings.js';
export type { ExportMode, InfluxExportSettings } from './settings.js';
