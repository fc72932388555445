/**
 * The commands the bridge queued (stage `nagios_commands`): one row per command with the appliance's id, written in
 * the enqueue's transaction, so the commands API can answer ids, find the downtime a later removal names, and list a
 * host's commands with what happened to them per target (the trace's events, keyed by the command id).
 */
import { createHash } from 'node:crypto';
import type { Migration, Queryable, SqlValue, Store } from '../store/index.js';
import { TRACE_EVENTS_TABLE } from './trace-schema.js';
import type { BridgeCommand } from './types.js';
import type { TraceEvent } from './result-trace.js';

export const COMMANDS_TABLE = 'nagios_commands';

/** Most commands one listing returns. */
export const MAX_COMMANDS_LISTED = 500;
/** Events read for one listing (a command has a few per target). */
const MAX_EVENTS_LISTED = 20_000;
const MAX_KEY = 190;
const CHUNK = 500;

/** A host or service as stored: itself up to 190 characters, else `#` and its SHA-256 (the column's limit). */
const nameKey = (name: string) => (name.length <= MAX_KEY ? name : `#${createHash('sha256').update(name).digest('hex')}`);

export const nagiosCommandsMigrations: readonly Migration[] = [
  {
    stage: 'nagios_commands',
    version: 1,
    name: 'commands queued, by the appliance id answered for them',
    steps: [
      {
        createTable: {
          name: COMMANDS_TABLE,
          columns: [
            { name: 'id', type: 'bigint', autoIncrement: true },
            { name: 'command_id', type: 'varchar', length: 32, notNull: true, binary: true },
            // The outbox's dedup key (sha256 hex) of a command sent with a request id: a re-send answers the first id.
            { name: 'dedup_key', type: 'varchar', length: 64, binary: true },
            { name: 'host', type: 'varchar', length: 190, notNull: true, binary: true },
            // '' for a host command.
            { name: 'service', type: 'varchar', length: 190, notNull: true, binary: true, default: '' },
            { name: 'action', type: 'varchar', length: 32, notNull: true },
            // The command as queued (JSON).
            { name: 'payload', type: 'text', notNull: true },
            { name: 'submitted_at', type: 'bigint', notNull: true },
            { name: 'submitted_by', type: 'varchar', length: 190 },
            // The targets it was queued for, comma-separated (target names hold no comma).
            { name: 'targets', type: 'text', notNull: true },
          ],
          indexes: [
            { name: 'by_command_id', columns: ['command_id'], unique: true },
            { name: 'by_dedup', columns: ['dedup_key'] },
            { name: 'by_host', columns: ['host', 'id'] },
          ],
        },
      },
    ],
  },
];

/** What happened to a command at one target: the newest event (`queued` before any). */
export interface CommandAtTarget {
  target: string;
  /** `queued`: no attempt yet; `unknown`: its events are past the trace's retention. */
  state: 'queued' | 'unknown' | TraceEvent;
  at?: number;
  attempt?: number;
  detail?: string;
}

export interface LoggedCommand {
  id: string;
  command: BridgeCommand;
  submittedAt: number;
  submittedBy?: string;
  targets: CommandAtTarget[];
}

export interface CommandLog {
  /** Records newly queued commands (each with its `commandId`) and their targets, inside the enqueue's transaction. */
  record(tx: Queryable, entries: readonly { command: BridgeCommand; dedupKey?: string; targets: readonly string[] }[]): Promise<void>;
  /** The command ids already recorded for these dedup keys. */
  idsOf(tx: Queryable, dedupKeys: readonly string[]): Promise<Map<string, string>>;
  /** One command by its id. */
  find(id: string): Promise<BridgeCommand | undefined>;
  /** A host's (or one of its services') newest commands, newest first, with their state per target. */
  list(search: { host: string; service?: string; limit?: number }): Promise<LoggedCommand[]>;
  /** Deletes commands submitted before `before` and all but the newest `maxRows`; returns how many. */
  purge(before: Date, maxRows: number): Promise<number>;
}

type Row = { command_id: string; payload: string; submitted_at: number; submitted_by: string | null; targets: string };

/** `eventsKeptMs`: how long the trace keeps events (older commands without any are `unknown`, not `queued`). */
export function createCommandLog(store: Store, eventsKeptMs: number, clock: () => Date): CommandLog {
  return {
    async record(tx, entries) {
      const rows = entries.map(({ command: c, dedupKey, targets }): SqlValue[] => [
        c.commandId!, dedupKey ?? null, nameKey(c.host), nameKey(c.service ?? ''), c.action, JSON.stringify(c), c.submittedAt, c.submittedBy ?? null, targets.join(','),
      ]);
      const columns = ['command_id', 'dedup_key', 'host', 'service', 'action', 'payload', 'submitted_at', 'submitted_by', 'targets'];
      for (let i = 0; i < rows.length; i += CHUNK) await tx.insertMany(COMMANDS_TABLE, columns, rows.slice(i, i + CHUNK));
    },

    async idsOf(tx, dedupKeys) {
      const out = new Map<string, string>();
      const unique = [...new Set(dedupKeys)];
      for (let i = 0; i < unique.length; i += CHUNK) {
        const chunk = unique.slice(i, i + CHUNK);
        const rows = await tx.query<{ dedup_key: string; command_id: string }>(
          `SELECT dedup_key, command_id FROM ${COMMANDS_TABLE} WHERE dedup_key IN (${chunk.map(() => '?').join(', ')}) ORDER BY id`,
          chunk,
        );
        for (const r of rows) if (!out.has(r.dedup_key)) out.set(r.dedup_key, r.command_id);
      }
      return out;
    },

    async find(id) {
      const [row] = await store.query<{ payload: string }>(`SELECT payload FROM ${COMMANDS_TABLE} WHERE command_id = ?`, [id]);
      return row ? (JSON.parse(row.payload) as BridgeCommand) : undefined;
    },

    async list({ host, service, limit = 100 }) {
      const n = Math.max(1, Math.min(MAX_COMMANDS_LISTED, Math.floor(limit)));
      const where = service === undefined ? 'host = ?' : 'host = ? AND service = ?';
      const params: SqlValue[] = service === undefined ? [nameKey(host)] : [nameKey(host), nameKey(service)];
      const rows = await store.query<Row>(
        `SELECT command_id, payload, submitted_at, submitted_by, targets FROM ${COMMANDS_TABLE} WHERE ${where} ORDER BY id DESC LIMIT ?`,
        [...params, n],
      );
      const latest = new Map<string, Map<string, CommandAtTarget>>();
      const ids = rows.map((r) => r.command_id);
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const events = await store.query<{ result_key: string; target: string; event: TraceEvent; at: number; attempt: number | null; detail: string | null }>(
          `SELECT result_key, target, event, at, attempt, detail FROM ${TRACE_EVENTS_TABLE} WHERE result_key IN (${chunk.map(() => '?').join(', ')}) ORDER BY id LIMIT ${MAX_EVENTS_LISTED}`,
          chunk,
        );
        for (const e of events) {
          const perTarget = latest.get(e.result_key) ?? new Map<string, CommandAtTarget>();
          perTarget.set(e.target, {
            target: e.target,
            state: e.event,
            at: Number(e.at),
            ...(e.attempt == null ? {} : { attempt: Number(e.attempt) }),
            ...(e.detail == null ? {} : { detail: e.detail }),
          });
          latest.set(e.result_key, perTarget);
        }
      }
      return rows.map((r) => {
        const seen = latest.get(r.command_id);
        const targets = r.targets ? r.targets.split(',') : [];
        return {
          id: r.command_id,
          command: JSON.parse(r.payload) as BridgeCommand,
          submittedAt: Number(r.submitted_at),
          ...(r.submitted_by == null ? {} : { submittedBy: r.submitted_by }),
          targets: targets.map((t) => seen?.get(t) ?? { target: t, state: Number(r.submitted_at) * 1000 < clock().getTime() - eventsKeptMs ? ('unknown' as const) : ('queued' as const) }),
        };
      });
    },

    async purge(before, maxRows) {
      const [top] = await store.query<{ m: number | null }>(`SELECT MAX(id) AS m FROM ${COMMANDS_TABLE}`);
      const maxId = Number(top?.m ?? 0) - maxRows;
      const byAge = await store.execute(`DELETE FROM ${COMMANDS_TABLE} WHERE submitted_at < ?`, [Math.floor(before.getTime() / 1000)]);
      const byCount = maxId > 0 ? await store.execute(`DELETE FROM ${COMMANDS_TABLE} WHERE id <= ?`, [maxId]) : { changes: 0 };
      return byAge.changes + byCount.changes;
    },
  };
}
