/** What became of one result at each of its targets: the trace's events read together with where the outbox holds it now. */
import type { ItemPlace } from '../../queue/index.js';
import type { TraceEventRow } from '../result-trace.js';
import { age, utc } from './page-format.js';

/** One target's line of a traced result. */
export interface TargetOutcome {
  target: string;
  /** delivered, queued, dead, discarded, or gone (purged from the outbox, or its target removed). */
  status: 'delivered' | 'queued' | 'delivering' | 'dead' | 'discarded' | 'gone';
  text: string;
  attempts: number;
}

const ATTEMPTS = new Set(['delivered', 'failed', 'dead']);

export function targetOutcome(target: string, events: readonly TraceEventRow[], place: ItemPlace | undefined, now: number): TargetOutcome {
  const own = events.filter((e) => e.target === target);
  const attempts = own.filter((e) => ATTEMPTS.has(e.event)).length;
  const last = own[own.length - 1];
  const delivered = [...own].reverse().find((e) => e.event === 'delivered');
  if (delivered && (!place || place.state === 'done')) {
    return { target, status: 'delivered', text: `delivered ${utc(delivered.at)} (attempt ${delivered.attempt ?? attempts})`, attempts };
  }
  if (place?.state === 'dead') return { target, status: 'dead', text: `dead letter: ${place.lastError ?? last?.detail ?? ''}`, attempts };
  if (place?.state === 'leased') return { target, status: 'delivering', text: 'being delivered now', attempts };
  if (place?.state === 'queued') {
    const ahead = place.ahead ?? 0;
    const wait = place.nextAttemptAt > now ? `, next attempt in ${age(place.nextAttemptAt - now)}` : '';
    const why = place.lastError ? `; last failure: ${place.lastError}` : '';
    return { target, status: 'queued', text: `queued, ${ahead ? `${ahead} older result${ahead === 1 ? '' : 's'} of this service ahead` : 'next for its service'}${wait}${why}`, attempts };
  }
  if (place?.state === 'done') return { target, status: 'delivered', text: 'delivered', attempts };
  if (last?.event === 'discarded') return { target, status: 'discarded', text: `discarded ${utc(last.at)} ${last.detail ?? ''}`.trim(), attempts };
  return { target, status: 'gone', text: 'no longer in the outbox (purged, or its target was removed)', attempts };
}
