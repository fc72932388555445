/** The `:opportunistic-filter` hook per connection, with each connection's ownership lookup cached as GW cached OIM. */
import type { Clock } from '../../common/index.js';
import type { Store } from '../../store/index.js';
import { formatTypedValue, type TypedValue } from '../inputs/index.js';
import type { Ownership } from '../results/index.js';
import { buildOpportunisticFilter, loadOwnershipLookup, type OwnershipLookup, type SqlFragment } from '../sql/index.js';

/** GW re-read OIM's ownership every 600 s; the corrids and probes behind it are re-read as often. */
const LOOKUP_TTL_MS = 600_000;

/** Builds the filter fragment for one connection; the ownership lookup is read from that connection's tables. */
export class OpportunisticHook {
  private readonly lookups = new WeakMap<Store, { at: number; ownership: readonly Ownership[]; lookup: Promise<OwnershipLookup> }>();

  /** `ownership` is asked on every request: a refreshed registry's list is used at once (its lookup read anew). */
  constructor(
    private readonly currentOwnership: () => readonly Ownership[] | undefined,
    private readonly clock: Clock,
  ) {}

  /** The SQL for `:opportunistic-filter` on `store`; bad values are `bad_request`, missing ownership `unavailable`. */
  async fragment(store: Store, sqlVars: Readonly<Record<string, TypedValue>>): Promise<SqlFragment> {
    const value = sqlVars['opportunistic-filter'];
    const resourceType = sqlVars['resource-type'];
    const options = {
      value: value === undefined ? undefined : formatTypedValue(value),
      ...(resourceType === undefined ? {} : { resourceType: formatTypedValue(resourceType) }),
    };
    // BOTH needs no ownership, and the other values are checked before any lookup is read.
    if (options.value !== 'OWNED' && options.value !== 'OPPORTUNISTIC') return buildOpportunisticFilter(options);
    const ownership = this.currentOwnership();
    if (!ownership || ownership.length === 0) return buildOpportunisticFilter(options);
    buildOpportunisticFilter({ ...options, ownership, lookup: () => ({ vocorrids: [], probes: [], hostDescriptions: [] }) });
    return buildOpportunisticFilter({ ...options, ownership, lookup: await this.lookup(store, ownership) });
  }

  private lookup(store: Store, ownership: readonly Ownership[]): Promise<OwnershipLookup> {
    const now = this.clock().getTime();
    const cached = this.lookups.get(store);
    if (cached && cached.ownership === ownership && now - cached.at < LOOKUP_TTL_MS) return cached.lookup;
    const lookup = loadOwnershipLookup(store, ownership);
    lookup.catch(() => this.lookups.delete(store));
    this.lookups.set(store, { at: now, ownership, lookup });
    return lookup;
  }
}
