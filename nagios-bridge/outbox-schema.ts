/** The bridge's own tables (stage `nagios_bridge`): per target and service, the check time of the newest result delivered; version 2, the hosts and services seen. */
import type { Migration } from '../store/index.js';
import { seenObjectsMigration } from './object-config/seen-objects.js';
import { nagiosTraceMigrations } from './trace-schema.js';
import { nagiosCommandsMigrations } from './command-log.js';

/** One row per (target, service key): what keeps an older result from being delivered after a newer one. */
export const DELIVERED_TABLE = 'nagios_delivered';

/** The bridge's migrations: its delivered marks (stage `nagios_bridge`), its trace (stage `nagios_trace`) and its commands (stage `nagios_commands`). */
export const nagiosBridgeMigrations: readonly Migration[] = [
  {
    stage: 'nagios_bridge',
    version: 1,
    name: 'newest delivered check time per target and service',
    steps: [
      {
        createTable: {
          name: DELIVERED_TABLE,
          columns: [
            { name: 'target', type: 'varchar', length: 64, notNull: true, binary: true },
            // The outbox partition: `host|service` (`host|` for a host result), hashed when longer than 190.
            { name: 'service_key', type: 'varchar', length: 190, notNull: true, binary: true },
            // Epoch seconds of the newest delivered result's check time.
            { name: 'check_time', type: 'bigint', notNull: true },
            { name: 'delivered_at', type: 'bigint', notNull: true },
          ],
          primaryKey: ['target', 'service_key'],
        },
      },
    ],
  },
  seenObjectsMigration,
  ...nagiosTraceMigrations,
  ...nagiosCommandsMigrations,
];
