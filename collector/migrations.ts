/** The collector's tables (stage `collector`): samples, probe records, declared metrics and the sample id sequence. */
import type { Migration } from '../store/index.js';
import { latestSamplesMigration } from './latest-samples.js';

/** The sequence row that hands out sample ids; its row lock orders commits (see sample-writer.ts). */
export const SAMPLE_SEQUENCE = 'samples';

export const collectorMigrations: readonly Migration[] = [
  {
    stage: 'collector',
    version: 1,
    name: 'samples, probe records, declared metrics',
    steps: [
      {
        createTable: {
          name: 'samples',
          columns: [
            { name: 'id', type: 'bigint', autoIncrement: true },
            // Host and metric names are compared exactly: Nagios service names are case-sensitive.
            { name: 'node', type: 'varchar', length: 255, notNull: true, binary: true },
            { name: 'metric', type: 'varchar', length: 255, notNull: true, binary: true },
            { name: 'time', type: 'datetime', notNull: true },
            { name: 'value', type: 'double', notNull: true },
            { name: 'source', type: 'varchar', length: 64, notNull: true },
            { name: 'summary', type: 'text' },
            { name: 'details', type: 'text' },
            { name: 'tags', type: 'text' },
          ],
          indexes: [
            { name: 'samples_node_metric_time', columns: ['node', 'metric', 'time'] },
            { name: 'samples_time', columns: ['time'] },
          ],
        },
      },
      {
        createTable: {
          name: 'probe_records',
          columns: [
            { name: 'id', type: 'bigint', autoIncrement: true },
            { name: 'record_key', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'metric_name', type: 'varchar', length: 255, notNull: true, binary: true },
            { name: 'host', type: 'varchar', length: 255, notNull: true, binary: true },
            { name: 'metric_type', type: 'varchar', length: 32, notNull: true },
            { name: 'metric_status', type: 'varchar', length: 16, notNull: true },
            { name: 'status_code', type: 'int', notNull: true },
            { name: 'service_type', type: 'varchar', length: 64, notNull: true },
            { name: 'service_uri', type: 'varchar', length: 255 },
            { name: 'gathered_at', type: 'varchar', length: 255 },
            { name: 'host_name', type: 'varchar', length: 255 },
            { name: 'timestamp_text', type: 'varchar', length: 64, notNull: true },
            { name: 'time', type: 'datetime', notNull: true },
            { name: 'summary', type: 'text' },
            { name: 'details', type: 'text' },
            { name: 'fields', type: 'text', notNull: true },
            { name: 'raw', type: 'text', notNull: true },
            { name: 'received_at', type: 'datetime', notNull: true },
            { name: 'sample_id', type: 'bigint', notNull: true },
          ],
          indexes: [
            { name: 'probe_records_key', columns: ['record_key'], unique: true },
            { name: 'probe_records_host_metric_time', columns: ['host', 'metric_name', 'time'] },
            { name: 'probe_records_received', columns: ['received_at'] },
          ],
        },
      },
      {
        createTable: {
          name: 'metrics',
          columns: [
            { name: 'name', type: 'varchar', length: 255, notNull: true, binary: true },
            { name: 'description', type: 'text' },
            { name: 'unit', type: 'varchar', length: 64 },
            /** `config` (a Metrics class) or `auto` (first seen in a sample). */
            { name: 'declared_by', type: 'varchar', length: 16, notNull: true },
            { name: 'first_seen', type: 'datetime', notNull: true },
          ],
          primaryKey: ['name'],
        },
      },
      {
        createTable: {
          name: 'collector_sequences',
          columns: [
            { name: 'name', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'next_id', type: 'bigint', notNull: true },
          ],
          primaryKey: ['name'],
        },
      },
      {
        sql: {
          sqlite: `INSERT OR IGNORE INTO collector_sequences (name, next_id) VALUES ('${SAMPLE_SEQUENCE}', 1)`,
          mysql: `INSERT IGNORE INTO collector_sequences (name, next_id) VALUES ('${SAMPLE_SEQUENCE}', 1)`,
        },
      },
    ],
  },
  latestSamplesMigration,
  {
    stage: 'collector',
    version: 3,
    name: 'probe records by sample id',
    // The Nagios bridge tails the records by sample id (commit order) on a leased cursor.
    steps: [{ createIndex: { table: 'probe_records', name: 'sample_id', columns: ['sample_id'] } }],
  },
];
