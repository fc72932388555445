/**
 * One pull of one OpenNebula endpoint: take the endpoint's leased cursor (so one appliance at a time pulls it), ask
 * `one.vmpool.accounting` for the window from the last successful pull's watermark (less the overlap) to now, hand
 * the document to the importer (one transaction, idempotent by key), then move the watermark. A crash anywhere before
 * the watermark moves leaves it where it was: the next pull reads the same window again and the import rewrites the
 * same keys, so nothing is lost and nothing counted twice. Open records (ETIME = 0) come back on every pull.
 */
import { errorMessage, systemClock, type Clock } from '../common/index.js';
import { createOpenNebulaClient, OpenNebulaError, type OpenNebulaClient } from '../opennebula/index.js';
import { createCursors } from '../queue/index.js';
import type { Store } from '../store/index.js';
import type { OpenNebulaSourceSettings } from './opennebula-source.js';
import { logPullEnd, logPullStart } from './opennebula-pull-store.js';

/** What a pull needs of the importer (core's `importOpenNebulaXml`, bound to the store and the stage's settings). */
export type PullImporter = (
  xml: string,
  source: { endpoint: string; now: number; origin: string },
) => Promise<{ importId: number | null; records: number; rejected: number }>;

export interface PullDeps {
  store: Store;
  importer: PullImporter;
  /** This appliance process, as the lease owner (host:pid:start). */
  owner: string;
  clock?: Clock;
  /** Builds the client of an endpoint (default: the production client from its settings). */
  client?: (source: OpenNebulaSourceSettings) => OpenNebulaClient;
}

export type PullOutcome =
  | { status: 'ok'; endpoint: string; from: number; to: number; pullId: number; importId: number | null; records: number; rejected: number; bytes: number; watermarkMoved: boolean }
  | { status: 'failed'; endpoint: string; from: number; to: number; pullId: number; kind: string; reason: string; transient: boolean }
  /** Another appliance holds the endpoint's lease: it is pulling it now. */
  | { status: 'held'; endpoint: string };

/** The cursor an endpoint's watermark lives in (epoch seconds; 0 = never pulled). */
export const pullCursorName = (endpoint: string) => `opennebula_pull:${endpoint}`;

export function clientOf(source: OpenNebulaSourceSettings): OpenNebulaClient {
  const session = source.session !== undefined ? { session: source.session } : { sessionFile: source.sessionFile ?? '' };
  return createOpenNebulaClient({
    url: source.url, ...session, timeoutMs: source.timeoutMs, maxResponseBytes: source.maxResponseBytes, insecure: source.insecure,
    ...(source.ca !== undefined ? { ca: source.ca } : {}),
  });
}

/** The window a pull asks for: from the watermark less the overlap (never before `firstStart`) to `now`. */
export function pullWindow(source: Pick<OpenNebulaSourceSettings, 'firstStart' | 'overlapSeconds'>, watermark: number, now: number): { from: number; to: number } {
  const from = watermark > 0 ? Math.max(source.firstStart, watermark - source.overlapSeconds) : source.firstStart;
  return { from: Math.min(from, now), to: now };
}

/**
 * Pulls `source` once. With `window`, a one-off pull of that period: the watermark stays where it is. Never throws
 * for the endpoint's or the import's failures: they are logged with their reason and returned.
 */
export async function pullEndpoint(deps: PullDeps, source: OpenNebulaSourceSettings, window?: { from: number; to: number }): Promise<PullOutcome> {
  const clock = deps.clock ?? systemClock;
  const cursors = createCursors(deps.store);
  const name = pullCursorName(source.name);
  const lease = await cursors.acquire(name, deps.owner, source.leaseMs, clock());
  if (!lease) return { status: 'held', endpoint: source.name };
  const startedAt = clock();
  const now = Math.floor(startedAt.getTime() / 1000);
  const { from, to } = window ?? pullWindow(source, lease.position, now);
  try {
    const pullId = await logPullStart(deps.store, { endpoint: source.name, owner: deps.owner, from, to, now });
    let xml: string;
    try {
      xml = await (deps.client ?? clientOf)(source).vmpoolAccounting(source.filter, from, to);
    } catch (err) {
      const kind = err instanceof OpenNebulaError ? err.kind : 'config';
      const transient = err instanceof OpenNebulaError ? err.transient : false;
      const reason = errorMessage(err);
      await logPullEnd(deps.store, pullId, Math.floor(clock().getTime() / 1000), { status: 'failed', failureKind: kind, reason });
      return { status: 'failed', endpoint: source.name, from, to, pullId, kind, reason, transient };
    }
    const bytes = Buffer.byteLength(xml, 'utf8');
    // The answer took up to timeoutMs of the lease; renew before the import, and import only while still the holder.
    if (!(await lease.renew(clock()))) {
      const reason = `the lease on ${source.name} lapsed during the call (lease_seconds ${source.leaseMs / 1000}); another appliance pulls it now`;
      await logPullEnd(deps.store, pullId, Math.floor(clock().getTime() / 1000), { status: 'failed', failureKind: 'lease_lost', reason, responseBytes: bytes });
      return { status: 'failed', endpoint: source.name, from, to, pullId, kind: 'lease_lost', reason, transient: true };
    }
    let result: Awaited<ReturnType<PullImporter>>;
    try {
      result = await deps.importer(xml, { endpoint: source.name, now, origin: `pull ${source.url} [${from}, ${to})` });
    } catch (err) {
      const reason = `the import failed: ${errorMessage(err)}`;
      await logPullEnd(deps.store, pullId, Math.floor(clock().getTime() / 1000), { status: 'failed', failureKind: 'import', reason, responseBytes: bytes });
      return { status: 'failed', endpoint: source.name, from, to, pullId, kind: 'import', reason, transient: false };
    }
    // The import is committed; only now may the watermark move. A lost lease here changes nothing: the next holder
    // reads this window again, and the import is idempotent by key.
    const watermarkMoved = window === undefined && to > lease.position ? await lease.advance(to, clock()) : false;
    await logPullEnd(deps.store, pullId, Math.floor(clock().getTime() / 1000), { status: 'ok', responseBytes: bytes, ...result });
    return { status: 'ok', endpoint: source.name, from, to, pullId, ...result, bytes, watermarkMoved };
  } finally {
    await lease.release(clock()).catch(() => undefined);
  }
}
