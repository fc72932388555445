/** Which queued requests may start now: a pure function of the queue, the locks held and the node states. */

export interface QueuedCandidate {
  id: number;
  node: string;
  /** Its node first, then its concurrency key. */
  locks: readonly string[];
  intrusive: boolean;
}

/**
 * From `queued` (every queued request in (lane, id) order), each node's head, in that order, when none of its locks
 * is held by a running request or reserved by an earlier waiting head (so a later request never overtakes a waiting
 * one on a shared lock), and when it is intrusive only if its node is in maintenance. A waiting head holds its node's
 * whole queue back: only heads are candidates. At most `max`.
 */
export function pickRunnable<C extends QueuedCandidate>(queued: readonly C[], held: ReadonlySet<string>, maintenance: ReadonlySet<string>, max: number): C[] {
  const taken = new Set(held);
  const headSeen = new Set<string>();
  const picked: C[] = [];
  for (const q of queued) {
    if (picked.length >= max) break;
    if (headSeen.has(q.node)) continue;
    headSeen.add(q.node);
    const free = !q.locks.some((l) => taken.has(l)) && (!q.intrusive || maintenance.has(q.node));
    for (const l of q.locks) taken.add(l);
    if (free) picked.push(q);
  }
  return picked;
}
