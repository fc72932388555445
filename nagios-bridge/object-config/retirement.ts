/** The retirement rules, pure: when a host or service is active, retired or removed, and its freshness threshold. */
import type { ObjectConfigSettings } from './object-settings.js';

export const LIFECYCLE_STATES = ['active', 'retired', 'removed'] as const;
/** `active`: reporting; `retired`: silent for `retire_after`, still defined with notifications off; `removed`: silent for `remove_after`, left out. */
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** What a host or service is at `nowS`, given when the bridge last took a result for it (epoch seconds). */
export function lifecycleState(lastSeenS: number, nowS: number, settings: Pick<ObjectConfigSettings, 'retireAfterMs' | 'removeAfterMs'>): LifecycleState {
  const silentMs = (nowS - lastSeenS) * 1000;
  if (silentMs >= settings.removeAfterMs) return 'removed';
  if (silentMs >= settings.retireAfterMs) return 'retired';
  return 'active';
}

/** The reporting interval the threshold is built on: the source's schedule, else the measured one, else the default (seconds). */
export function reportingInterval(seen: { scheduleSeconds?: number; intervalSeconds?: number }, settings: Pick<ObjectConfigSettings, 'defaultIntervalMs'>): number {
  if (seen.scheduleSeconds && seen.scheduleSeconds > 0) return seen.scheduleSeconds;
  if (seen.intervalSeconds && seen.intervalSeconds > 0) return seen.intervalSeconds;
  return Math.ceil(settings.defaultIntervalMs / 1000);
}

/** `freshness_threshold`: two intervals plus the margin, so one late or lost result does not make a service stale. */
export function freshnessThreshold(intervalS: number, settings: Pick<ObjectConfigSettings, 'freshnessMarginMs'>): number {
  return 2 * Math.ceil(intervalS) + Math.ceil(settings.freshnessMarginMs / 1000);
}
