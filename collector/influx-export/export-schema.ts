/** The export's own table: one cursor per export, the id of the last sample the server acknowledged. */
import type { Migration } from '../../store/index.js';

export const CURSOR_TABLE = 'influx_export_cursor';

/** Migrations of stage `influx_export`; run them with the other stages' before an export starts. */
export const influxExportMigrations: readonly Migration[] = [
  {
    stage: 'influx_export',
    version: 1,
    name: 'export cursors',
    steps: [
      {
        createTable: {
          name: CURSOR_TABLE,
          columns: [
            { name: 'name', type: 'varchar', length: 100, notNull: true, binary: true },
            { name: 'last_id', type: 'bigint', notNull: true },
            { name: 'updated_at', type: 'datetime', notNull: true },
          ],
          primaryKey: ['name'],
        },
      },
    ],
  },
];
