/** Who may submit which result: cgi.cfg's command lists and the appliance's roles for users, per-user and per-token name limits. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PassiveResult } from '../types.js';
import type { EntrySettings, NrdpToken, SubmitLimits } from './entry-settings.js';

/** The outcome for a user: allowed, read-only (role below operator), or not authorized for this command. */
export type UserVerdict = 'ok' | 'read_only' | 'not_authorized';

/** Whether a result's host and service pass `limits`. */
export function withinLimits(limits: SubmitLimits | undefined, result: Pick<PassiveResult, 'host' | 'service'>): boolean {
  if (!limits) return true;
  if (limits.hosts && !limits.hosts.test(result.host)) return false;
  return !(result.service !== undefined && limits.services && !limits.services.test(result.service));
}

/**
 * Whether `user` (null for a service token) holding `role` may submit `result`. As cmd.cgi: read-only users (our
 * viewers) may submit nothing; the others must be named in the list for the result's kind, or the list must hold `*`
 * (a service token passes only through `*`), and the result must fall within the user's `<submitter>` limits.
 */
export function authorizeUser(settings: EntrySettings, user: string | null, role: string | null, result: PassiveResult): UserVerdict {
  if (role !== 'operator' && role !== 'admin') return 'read_only';
  const list = result.kind === 'service' ? settings.serviceCommandUsers : settings.hostCommandUsers;
  if (!list.includes('*') && (user === null || !list.includes(user))) return 'not_authorized';
  return withinLimits(user === null ? undefined : settings.submitters.get(user), result) ? 'ok' : 'not_authorized';
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The configured NRDP token whose secret is `presented`, compared in constant time; undefined when none is. */
export function findNrdpToken(settings: EntrySettings, presented: string): NrdpToken | undefined {
  const want = digest(presented);
  let found: NrdpToken | undefined;
  // Every token is compared, so the time taken says nothing about which one (or whether one) matched.
  for (const token of settings.nrdpTokens) if (timingSafeEqual(digest(token.secret), want) && !found) found = token;
  return found;
}
