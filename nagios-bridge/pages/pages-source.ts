/** What the Nagios pages read and act on: the narrow view of the bridge they need, and each target's row. */
import type { Clock } from '../../common/index.js';
import type { NagiosBridge, TargetStats } from '../create-bridge.js';
import { age, perMinute, utc } from './page-format.js';

/** The parts of the bridge the pages use. */
export type PagesBridge = Pick<NagiosBridge, 'stats' | 'deadLetters' | 'outbox' | 'trace' | 'minutes'>;

/** One target as the overview and the target page show it. */
export interface TargetRow {
  name: string;
  type: string;
  address: string;
  depth: number;
  queued: number;
  delivering: number;
  dead: number;
  oldest: string;
  lastError: string;
  lastErrorAt: string;
  deliveredLastHour: number;
  deliveredPerMinute: string;
  failedLastHour: number;
}

const HOUR = 3_600_000;

/** The target's row: its outbox now, and the last hour from the per-minute counts (every appliance on the store adds up there). */
export async function targetRow(bridge: PagesBridge, stats: TargetStats, clock: Clock): Promise<TargetRow> {
  const now = clock();
  // The last 60 whole minutes up to this one: the current minute is still filling.
  const minutes = await bridge.minutes.range(stats.name, new Date(now.getTime() - HOUR), now);
  const hour = minutes.slice(-60);
  const delivered = hour.reduce((n, m) => n + m.delivered, 0);
  const failed = hour.reduce((n, m) => n + m.failed, 0);
  // The store's last failure is every appliance's and survives restarts; this process's own is the fallback.
  const stored = await bridge.minutes.lastFailure(stats.name);
  const own = stats.lastError ? { reason: stats.lastError.reason, at: Date.parse(stats.lastError.at) } : undefined;
  const last = stored && own ? (stored.at >= own.at ? stored : own) : (stored ?? own);
  return {
    name: stats.name,
    type: stats.type,
    address: stats.address,
    depth: stats.queued + stats.delivering,
    queued: stats.queued,
    delivering: stats.delivering,
    dead: stats.dead,
    oldest: stats.queued + stats.delivering ? age(stats.oldestAgeMs) : '',
    lastError: last?.reason ?? '',
    lastErrorAt: utc(last?.at),
    deliveredLastHour: delivered,
    deliveredPerMinute: perMinute(delivered, hour.length),
    failedLastHour: failed,
  };
}
