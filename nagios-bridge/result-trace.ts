/**
 * The per-result trace: what the entries received and for which targets it was queued (written in the enqueue's
 * transaction), and per target each delivery, failed attempt, dead letter and operator action. Bounded by age and rows.
 */
import { compilePattern } from '../common/index.js';
import type { Queryable, SqlValue, Store } from '../store/index.js';
import { resultDedupKey } from './outbox.js';
import { TRACE_EVENTS_TABLE, TRACE_RESULTS_TABLE } from './trace-schema.js';
import type { PassiveResult } from './types.js';

export const TRACE_EVENTS = ['delivered', 'failed', 'dead', 'retried', 'discarded'] as const;
/** `failed`: an attempt failed and will be retried; `dead`: dead-lettered; `retried`/`discarded`: an operator's action on a dead letter. */
export type TraceEvent = (typeof TRACE_EVENTS)[number];

/** A result as received. */
export interface TracedResult {
  id: number;
  /** The outbox's dedup key, which its events name. */
  key: string;
  kind: string;
  host: string;
  service: string;
  state: number;
  output: string;
  checkTime: number;
  receivedAt: number;
  source: string;
  submittedBy: string | undefined;
  targets: string[];
}

export interface TraceEventRow {
  target: string;
  event: TraceEvent;
  at: number;
  attempt: number | undefined;
  detail: string | undefined;
}

/** One event to record: `key` is the result's dedup key. */
export interface NewTraceEvent {
  key: string;
  target: string;
  event: TraceEvent;
  attempt?: number;
  detail?: string;
}

/** How a search's host and service are matched: exact names, prefixes, or anchored RE2 patterns (linear time). */
export const TRACE_MATCHES = ['exact', 'prefix', 'pattern'] as const;
export type TraceMatch = (typeof TRACE_MATCHES)[number];

export interface TraceSearch {
  host?: string;
  service?: string;
  /** Host and service as prefixes instead of exact names (the same as `match: 'prefix'`). */
  prefix?: boolean;
  /** Default `exact` (`prefix` when `prefix` is set). A pattern must match the whole name. */
  match?: TraceMatch;
  /** Received at or after (epoch ms). */
  from?: number;
  /** Received before (epoch ms). */
  to?: number;
  limit?: number;
}

/** Results a pattern search reads at most, newest first (the trace's default bound on results). */
export const MAX_PATTERN_SCAN = 200_000;

export interface ResultTrace {
  /** Records the results one submit newly queued, per target, inside the enqueue's transaction. */
  received(tx: Queryable, queued: ReadonlyMap<string, readonly PassiveResult[]>, now: Date): Promise<void>;
  record(q: Queryable, events: readonly NewTraceEvent[], now: Date): Promise<void>;
  /** The newest results matching, newest first. */
  search(search: TraceSearch): Promise<TracedResult[]>;
  /** A result and the events of its key in the order they happened; undefined when unknown (or past the retention). */
  trace(id: number): Promise<{ result: TracedResult; events: TraceEventRow[] } | undefined>;
  /** The events of each key, in the order they happened (at most 1000 per key). */
  eventsOf(keys: readonly string[]): Promise<Map<string, TraceEventRow[]>>;
  /** The id of the newest result of `host` and `service` with this key. */
  findKey(host: string, service: string, key: string): Promise<number | undefined>;
  /**
   * Deletes results received before `now - retentionMs` and all but the newest `maxResults`, and events older than
   * the retention or beyond ten per kept result. Returns the results deleted.
   */
  purge(now: Date, retentionMs: number, maxResults: number): Promise<number>;
}

/** Rows per multi-row INSERT and per purge DELETE, far under both backends' bound-value limits. */
const CHUNK = 500;
const RESULT_COLUMNS = ['result_key', 'kind', 'host', 'service', 'state', 'output', 'check_time', 'received_at', 'source', 'submitted_by', 'targets'];
const EVENT_COLUMNS = ['result_key', 'target', 'event', 'at', 'attempt', 'detail'];
/** Searches scan the table (it has no name index, to keep enqueue cheap): on SQLite a timeout moves them to a query worker, off the event loop. */
const SCAN = { timeoutMs: 30_000 };
/** Rows a pattern search reads per query. */
const PATTERN_CHUNK = 5_000;
const MAX_EVENTS_PER_RESULT = 1_000;

/** The pattern alone compiles first, so a `)` in it cannot close the anchoring group and pass as something else. */
function checked(pattern: string, input: string): string {
  compilePattern(pattern, { input });
  return pattern;
}

/** Output is kept for recognising the result, not in full. */
const MAX_OUTPUT = 1024;

type ResultRow = {
  id: number;
  result_key: string;
  kind: string;
  host: string;
  service: string;
  state: number;
  output: string;
  check_time: number;
  received_at: number;
  source: string;
  submitted_by: string | null;
  targets: string;
};

const toResult = (r: ResultRow): TracedResult => ({
  id: Number(r.id),
  key: r.result_key,
  kind: r.kind,
  host: r.host,
  service: r.service,
  state: Number(r.state),
  output: r.output,
  checkTime: Number(r.check_time),
  receivedAt: Number(r.received_at),
  source: r.source,
  submittedBy: r.submitted_by ?? undefined,
  targets: r.targets ? r.targets.split(',') : [],
});

/** `!`, `%` and `_` escaped for `LIKE ... ESCAPE '!'`. */
const likePrefix = (text: string) => `${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

export function createResultTrace(store: Store): ResultTrace {
  /** Deletes, oldest id first, the leading run of rows with `column < before` or `id <= maxId` (ids follow time, so the first young row ends it). */
  const purgeTable = async (table: string, column: string, before: number, maxId: number) => {
    let n = 0;
    for (;;) {
      const rows = await store.query<{ id: number; t: number }>(`SELECT id, ${column} AS t FROM ${table} ORDER BY id LIMIT ${CHUNK}`);
      let upTo: number | undefined;
      for (const r of rows) {
        if (!(Number(r.t) < before || Number(r.id) <= maxId)) break;
        upTo = Number(r.id);
      }
      if (upTo === undefined) return n;
      n += (await store.execute(`DELETE FROM ${table} WHERE id <= ?`, [upTo])).changes;
      if (rows.length < CHUNK || upTo !== Number(rows[rows.length - 1]!.id)) return n;
    }
  };

  /** One query per key on the (result_key, id) index, each bounded: a result failing for a day has thousands of events. */
  const eventsOf = async (keys: readonly string[]) => {
    const out = new Map<string, TraceEventRow[]>();
    for (const key of new Set(keys)) {
      const rows = await store.query<{ target: string; event: TraceEvent; at: number; attempt: number | null; detail: string | null }>(
        `SELECT target, event, at, attempt, detail FROM ${TRACE_EVENTS_TABLE} WHERE result_key = ? ORDER BY id LIMIT ${MAX_EVENTS_PER_RESULT}`,
        [key],
      );
      out.set(key, rows.map((e) => ({ target: e.target, event: e.event, at: Number(e.at), attempt: e.attempt == null ? undefined : Number(e.attempt), detail: e.detail ?? undefined })));
    }
    return out;
  };

  /**
   * Newest first, `PATTERN_CHUNK` rows a query (keyset on the id), each name tested by RE2 (linear in the name),
   * stopping at `limit` matches or after `MAX_PATTERN_SCAN` rows.
   */
  const searchPatterns = async (where: string[], params: SqlValue[], host: string | undefined, service: string | undefined, limit: number) => {
    const hostRe = host ? compilePattern(`^(?:${checked(host, 'host')})$`, { input: 'host' }) : undefined;
    const serviceRe = service ? compilePattern(`^(?:${checked(service, 'service')})$`, { input: 'service' }) : undefined;
    const found: TracedResult[] = [];
    let below: number | undefined;
    for (let scanned = 0; scanned < MAX_PATTERN_SCAN && found.length < limit; ) {
      const conditions = below === undefined ? where : [...where, 'id < ?'];
      const values = below === undefined ? params : [...params, below];
      const rows = await store.query<ResultRow>(
        `SELECT * FROM ${TRACE_RESULTS_TABLE}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        [...values, Math.min(PATTERN_CHUNK, MAX_PATTERN_SCAN - scanned)],
        SCAN,
      );
      for (const r of rows) {
        if ((!hostRe || hostRe.test(r.host)) && (!serviceRe || serviceRe.test(r.service)) && found.length < limit) found.push(toResult(r));
      }
      scanned += rows.length;
      if (rows.length < PATTERN_CHUNK) break;
      below = Number(rows[rows.length - 1]!.id);
    }
    return found;
  };

  return {
    async received(tx, queued, now) {
      const byKey = new Map<string, { result: PassiveResult; targets: string[] }>();
      for (const [target, results] of queued) {
        for (const r of results) {
          const key = resultDedupKey(r);
          const entry = byKey.get(key) ?? { result: r, targets: [] };
          if (!entry.targets.includes(target)) entry.targets.push(target);
          byKey.set(key, entry);
        }
      }
      const rows = [...byKey].map(([key, { result: r, targets }]): SqlValue[] => [
        key, r.kind, r.host, r.service ?? '', r.state, r.output.slice(0, MAX_OUTPUT), Math.floor(r.checkTime), now.getTime(), r.source, r.submittedBy ?? null, targets.join(','),
      ]);
      // Only results the outbox took as new come here, so a plain insert: no key lookup on the enqueue's hot path.
      for (let i = 0; i < rows.length; i += CHUNK) await tx.insertMany(TRACE_RESULTS_TABLE, RESULT_COLUMNS, rows.slice(i, i + CHUNK));
    },

    async record(q, events, now) {
      const rows = events.map((e): SqlValue[] => [e.key, e.target, e.event, now.getTime(), e.attempt ?? null, e.detail ?? null]);
      for (let i = 0; i < rows.length; i += CHUNK) await q.insertMany(TRACE_EVENTS_TABLE, EVENT_COLUMNS, rows.slice(i, i + CHUNK));
    },

    async search({ host, service, prefix = false, match = prefix ? 'prefix' : 'exact', from, to, limit = 100 }) {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (from !== undefined) {
        where.push('received_at >= ?');
        params.push(from);
      }
      if (to !== undefined) {
        where.push('received_at < ?');
        params.push(to);
      }
      if (match === 'pattern') return searchPatterns(where, params, host, service, limit);
      const byName = (column: string, value: string) => {
        if (match === 'exact') {
          where.push(`${column} = ?`);
          params.push(value);
          return;
        }
        // SQLite's LIKE ignores case; SUBSTR makes the match exact on both backends (LIKE lets MariaDB skip rows cheaply).
        where.push(`${column} LIKE ? ESCAPE '!' AND SUBSTR(${column}, 1, ?) = ?`);
        params.push(likePrefix(value), [...value].length, value);
      };
      if (host) byName('host', host);
      if (service !== undefined && (service || match === 'exact')) byName('service', service);
      const rows = await store.query<ResultRow>(
        `SELECT * FROM ${TRACE_RESULTS_TABLE}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        [...params, limit],
        SCAN,
      );
      return rows.map(toResult);
    },

    async trace(id) {
      const [row] = await store.query<ResultRow>(`SELECT * FROM ${TRACE_RESULTS_TABLE} WHERE id = ?`, [id]);
      if (!row) return undefined;
      return { result: toResult(row), events: (await eventsOf([row.result_key])).get(row.result_key) ?? [] };
    },

    eventsOf,

    async findKey(host, service, key) {
      const [row] = await store.query<{ id: number }>(
        `SELECT id FROM ${TRACE_RESULTS_TABLE} WHERE host = ? AND service = ? AND result_key = ? ORDER BY id DESC LIMIT 1`,
        [host, service, key],
        SCAN,
      );
      return row ? Number(row.id) : undefined;
    },

    async purge(now, retentionMs, maxResults) {
      const before = now.getTime() - retentionMs;
      const [top] = await store.query<{ r: number | null; e: number | null }>(
        `SELECT (SELECT MAX(id) FROM ${TRACE_RESULTS_TABLE}) AS r, (SELECT MAX(id) FROM ${TRACE_EVENTS_TABLE}) AS e`,
      );
      const n = await purgeTable(TRACE_RESULTS_TABLE, 'received_at', before, Number(top?.r ?? 0) - maxResults);
      await purgeTable(TRACE_EVENTS_TABLE, 'at', before, Number(top?.e ?? 0) - 10 * maxResults);
      return n;
    },
  };
}
