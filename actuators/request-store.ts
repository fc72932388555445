/** The dispatcher's SQL: requests stored, claimed, renewed, finished, swept and purged, each in one short transaction taking `now`. */
import type { Queryable, Store, Transaction } from '../store/index.js';
import { pickRunnable } from './pick.js';
import { ATTEMPTS_TABLE, CLAIM_LOCK_TABLE, NODES_TABLE, REQUESTS_TABLE } from './schema.js';
import type { ActuatorOutcome, AttemptRecord, HandleStatus, RequestStatus } from './types.js';

export interface NewRequest {
  handle: string;
  actuator: string;
  node: string;
  urgent: boolean;
  locks: string[];
  params: Record<string, string>;
  intrusive: boolean;
  queuedAt: number;
  deadline: number;
}

/** A request this process has leased to run. */
export interface ClaimedRun {
  id: number;
  handle: string;
  actuator: string;
  node: string;
  params: Record<string, string>;
  attempt: number;
}

/** What one claim did besides leasing runs: the requests it ended (timeouts, abandoned runs) or put back (idempotent). */
export interface ClaimReport {
  runs: ClaimedRun[];
  timedOut: number;
  abandoned: number;
  requeued: number;
}

type RequestRow = Record<string, unknown>;
const COLUMNS = 'id, handle, actuator, node, lane_rank, status, locks, params, queued_at, deadline, started_at, ended_at, exit_code, output, note';
const opt = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
/** A text column's value (MySQL may hand back a Buffer). */
const text = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'string' ? v : JSON.stringify(v));

export async function insertRequest(store: Store, r: NewRequest): Promise<void> {
  await store.execute(
    `INSERT INTO ${REQUESTS_TABLE} (handle, actuator, node, lane_rank, status, locks, params, intrusive, queued_at, deadline, attempt) VALUES (?, ?, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, 0)`,
    [r.handle, r.actuator, r.node, r.urgent ? 0 : 1, JSON.stringify(r.locks), JSON.stringify(r.params), r.intrusive ? 1 : 0, r.queuedAt, r.deadline],
  );
}

/**
 * One claim, in one transaction behind the claim lock: runs whose lease ran out are abandoned (or, for an idempotent
 * actuator, queued again at their place for a new attempt), queued requests past their deadline end TIMEOUT, then
 * the runnable heads (pickRunnable) are leased to `owner`.
 */
export async function claimRuns(store: Store, o: { owner: string; now: number; leaseMs: number; max: number; idempotent: (actuator: string) => boolean }): Promise<ClaimReport> {
  return store.transaction(async (tx) => {
    await tx.execute(`UPDATE ${CLAIM_LOCK_TABLE} SET claims = claims + 1 WHERE id = 1`);
    const { abandoned, requeued } = await sweepLostRuns(tx, o.now, o.idempotent);
    const timedOut = (
      await tx.execute(`UPDATE ${REQUESTS_TABLE} SET status = 'TIMEOUT', ended_at = ?, note = ? WHERE status = 'QUEUED' AND deadline < ?`, [
        o.now, 'its timeout passed before it could start; it never ran', o.now,
      ])
    ).changes;
    if (o.max <= 0) return { runs: [], timedOut, abandoned, requeued };
    const held = new Set<string>();
    for (const r of await tx.query<{ locks: string }>(`SELECT locks FROM ${REQUESTS_TABLE} WHERE status = 'RUNNING'`)) for (const l of JSON.parse(r.locks) as string[]) held.add(l);
    const maintenance = new Set((await tx.query<{ node: string }>(`SELECT node FROM ${NODES_TABLE} WHERE state = 'maintenance'`)).map((r) => r.node));
    const queued = (
      await tx.query<RequestRow>(`SELECT id, handle, actuator, node, locks, params, intrusive, attempt FROM ${REQUESTS_TABLE} WHERE status = 'QUEUED' ORDER BY lane_rank, id LIMIT 5000`)
    ).map((r) => ({
      id: Number(r.id), handle: String(r.handle), actuator: String(r.actuator), node: String(r.node), locks: JSON.parse(String(r.locks)) as string[],
      params: JSON.parse(String(r.params)) as Record<string, string>, intrusive: Number(r.intrusive) === 1, attempt: Number(r.attempt),
    }));
    const runs: ClaimedRun[] = [];
    for (const q of pickRunnable(queued, held, maintenance, o.max)) {
      const attempt = q.attempt + 1;
      const changed = await tx.execute(`UPDATE ${REQUESTS_TABLE} SET status = 'RUNNING', started_at = ?, attempt = ?, owner = ?, lease_until = ? WHERE id = ? AND status = 'QUEUED'`, [
        o.now, attempt, o.owner, o.now + o.leaseMs, q.id,
      ]);
      if (!changed.changes) continue;
      await tx.execute(`INSERT INTO ${ATTEMPTS_TABLE} (request_id, attempt, owner, started_at, outcome) VALUES (?, ?, ?, ?, 'RUNNING')`, [q.id, attempt, o.owner, o.now]);
      runs.push({ id: q.id, handle: q.handle, actuator: q.actuator, node: q.node, params: q.params, attempt });
    }
    return { runs, timedOut, abandoned, requeued };
  });
}

/** Runs whose lease ran out: their process died mid-run, so the outcome is unknown. */
async function sweepLostRuns(tx: Transaction, now: number, idempotent: (actuator: string) => boolean): Promise<{ abandoned: number; requeued: number }> {
  const lost = await tx.query<RequestRow>(`SELECT id, actuator, attempt, owner, queued_at, deadline FROM ${REQUESTS_TABLE} WHERE status = 'RUNNING' AND lease_until < ?`, [now]);
  let abandoned = 0;
  let requeued = 0;
  for (const r of lost) {
    const id = Number(r.id);
    const attempt = Number(r.attempt);
    await tx.execute(`UPDATE ${ATTEMPTS_TABLE} SET outcome = 'ABANDONED', ended_at = ? WHERE request_id = ? AND attempt = ?`, [now, id, attempt]);
    const why = `attempt ${attempt} abandoned: the process running it (${String(r.owner)}) stopped during the run, its outcome is unknown`;
    if (idempotent(String(r.actuator))) {
      // Back at its place in its node's queue (its id keeps the order), with its full timeout again: it did start in time.
      const timeout = Number(r.deadline) - Number(r.queued_at);
      await tx.execute(`UPDATE ${REQUESTS_TABLE} SET status = 'QUEUED', owner = NULL, lease_until = NULL, deadline = ?, note = ? WHERE id = ? AND status = 'RUNNING'`, [
        now + timeout, `${why}; queued again (the actuator is idempotent)`, id,
      ]);
      requeued++;
    } else {
      await tx.execute(`UPDATE ${REQUESTS_TABLE} SET status = 'ABANDONED', ended_at = ?, lease_until = NULL, note = ? WHERE id = ? AND status = 'RUNNING'`, [
        now, `${why}; not re-run (the actuator is not declared idempotent)`, id,
      ]);
      abandoned++;
    }
  }
  return { abandoned, requeued };
}

/** Extends the run's lease; false when it is no longer this owner's attempt (another process found it lost). */
export async function renewRun(store: Store, run: ClaimedRun, owner: string, until: number): Promise<boolean> {
  const r = await store.execute(`UPDATE ${REQUESTS_TABLE} SET lease_until = ? WHERE id = ? AND owner = ? AND attempt = ? AND status = 'RUNNING'`, [until, run.id, owner, run.attempt]);
  return r.changes > 0;
}

/** Records the outcome; false when the attempt was no longer this owner's (the outcome is then not stored). */
export async function finishRun(store: Store, run: ClaimedRun, owner: string, outcome: ActuatorOutcome, now: number): Promise<boolean> {
  return store.transaction(async (tx) => {
    const r = await tx.execute(
      `UPDATE ${REQUESTS_TABLE} SET status = 'FINISHED', ended_at = ?, exit_code = ?, output = ?, note = ?, lease_until = NULL WHERE id = ? AND owner = ? AND attempt = ? AND status = 'RUNNING'`,
      [now, outcome.exitCode, outcome.output, outcome.note ?? null, run.id, owner, run.attempt],
    );
    if (!r.changes) return false;
    await tx.execute(`UPDATE ${ATTEMPTS_TABLE} SET outcome = 'FINISHED', ended_at = ?, exit_code = ? WHERE request_id = ? AND attempt = ?`, [now, outcome.exitCode, run.id, run.attempt]);
    return true;
  });
}

/** Deletes requests (and their attempts) that ended before `before`, a chunk at a time; returns how many. */
export async function purgeEnded(store: Store, before: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await store.transaction(async (tx) => {
      const ids = (await tx.query<{ id: number }>(`SELECT id FROM ${REQUESTS_TABLE} WHERE status IN ('TIMEOUT', 'FINISHED', 'ABANDONED') AND ended_at < ? LIMIT 500`, [before])).map((r) => Number(r.id));
      if (!ids.length) return 0;
      const marks = ids.map(() => '?').join(', ');
      await tx.execute(`DELETE FROM ${ATTEMPTS_TABLE} WHERE request_id IN (${marks})`, ids);
      await tx.execute(`DELETE FROM ${REQUESTS_TABLE} WHERE id IN (${marks})`, ids);
      return ids.length;
    });
    total += n;
    if (n < 500) return total;
  }
}

function toStatus(r: RequestRow, attempts: AttemptRecord[]): HandleStatus {
  const locks = JSON.parse(String(r.locks)) as string[];
  return {
    handle: String(r.handle), actuator: String(r.actuator), node: String(r.node), status: String(r.status) as RequestStatus, urgent: Number(r.lane_rank) === 0,
    concurrencyKey: locks.slice(1), params: JSON.parse(String(r.params)) as Record<string, string>, queuedAt: Number(r.queued_at), deadline: Number(r.deadline),
    startedAt: opt(r.started_at), endedAt: opt(r.ended_at), exitCode: r.exit_code === null || r.exit_code === undefined ? (r.ended_at == null ? undefined : null) : Number(r.exit_code),
    output: text(r.output) ?? '', note: text(r.note), attempts,
  };
}

async function attemptsOf(q: Queryable, ids: readonly number[]): Promise<Map<number, AttemptRecord[]>> {
  const out = new Map<number, AttemptRecord[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (!chunk.length) break;
    const rows = await q.query<RequestRow>(`SELECT request_id, attempt, owner, started_at, ended_at, outcome, exit_code FROM ${ATTEMPTS_TABLE} WHERE request_id IN (${chunk.map(() => '?').join(', ')}) ORDER BY request_id, attempt`, chunk);
    for (const a of rows) {
      const list = out.get(Number(a.request_id)) ?? [];
      list.push({ attempt: Number(a.attempt), owner: String(a.owner), startedAt: Number(a.started_at), endedAt: opt(a.ended_at), outcome: String(a.outcome) as RequestStatus, exitCode: a.exit_code == null ? (a.ended_at == null ? undefined : null) : Number(a.exit_code) });
      out.set(Number(a.request_id), list);
    }
  }
  return out;
}

async function withAttempts(q: Queryable, rows: RequestRow[]): Promise<HandleStatus[]> {
  const attempts = await attemptsOf(q, rows.map((r) => Number(r.id)));
  return rows.map((r) => toStatus(r, attempts.get(Number(r.id)) ?? []));
}

export async function readStatus(q: Queryable, handle: string): Promise<HandleStatus | undefined> {
  const rows = await q.query<RequestRow>(`SELECT ${COLUMNS} FROM ${REQUESTS_TABLE} WHERE handle = ?`, [handle]);
  return (await withAttempts(q, rows))[0];
}

/** A node's unfinished requests, running first, then the queue in the order it runs. */
export async function readNodeQueue(q: Queryable, node: string, limit: number): Promise<HandleStatus[]> {
  const rows = await q.query<RequestRow>(`SELECT ${COLUMNS} FROM ${REQUESTS_TABLE} WHERE node = ? AND status IN ('RUNNING', 'QUEUED') ORDER BY status DESC, lane_rank, id LIMIT ?`, [node, limit]);
  return withAttempts(q, rows);
}

/** The latest requests (newest first), optionally of one node. */
export async function readRecent(q: Queryable, limit: number, node?: string): Promise<HandleStatus[]> {
  const rows = node === undefined
    ? await q.query<RequestRow>(`SELECT ${COLUMNS} FROM ${REQUESTS_TABLE} ORDER BY id DESC LIMIT ?`, [limit])
    : await q.query<RequestRow>(`SELECT ${COLUMNS} FROM ${REQUESTS_TABLE} WHERE node = ? ORDER BY id DESC LIMIT ?`, [node, limit]);
  return withAttempts(q, rows);
}

export async function readNodeState(q: Queryable, node: string): Promise<{ state: string; since: number; reason: string | undefined } | undefined> {
  const [r] = await q.query<RequestRow>(`SELECT state, since, reason FROM ${NODES_TABLE} WHERE node = ?`, [node]);
  return r ? { state: String(r.state), since: Number(r.since), reason: text(r.reason) } : undefined;
}

export async function readNodeStates(q: Queryable): Promise<Map<string, { state: string; since: number }>> {
  const rows = await q.query<RequestRow>(`SELECT node, state, since FROM ${NODES_TABLE}`);
  return new Map(rows.map((r) => [String(r.node), { state: String(r.state), since: Number(r.since) }]));
}

export async function writeNodeState(store: Store, node: string, state: string, since: number, reason: string | undefined): Promise<void> {
  await store.upsert(NODES_TABLE, ['node', 'state', 'since', 'reason'], [[node, state, since, reason ?? null]], { key: ['node'] });
}

/** Whether a drain is done: nothing of the node runs, and its queue is empty or waits at an intrusive head. */
export async function nodeDrained(q: Queryable, node: string): Promise<boolean> {
  const [running] = await q.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${REQUESTS_TABLE} WHERE node = ? AND status = 'RUNNING'`, [node]);
  if (Number(running?.n ?? 0) > 0) return false;
  const [head] = await q.query<{ intrusive: number }>(`SELECT intrusive FROM ${REQUESTS_TABLE} WHERE node = ? AND status = 'QUEUED' ORDER BY lane_rank, id LIMIT 1`, [node]);
  return !head || Number(head.intrusive) === 1;
}

/** Per-status counts, for the metrics and the page. */
export async function countByStatus(q: Queryable): Promise<Record<string, number>> {
  const rows = await q.query<{ status: string; n: number }>(`SELECT status, COUNT(*) AS n FROM ${REQUESTS_TABLE} GROUP BY status`);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
