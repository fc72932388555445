/** The per-client limit on query runs at once: one client cannot take every query worker (SQLite) or pool connection (MariaDB). */
import type { Request } from 'express';
import { Counter, Gauge, type Registry } from 'prom-client';
import { AppError, systemClock, type Clock } from '../../common/index.js';

/** Why a run was refused: the client's kind whose limit it met. */
export const REFUSAL_REASONS = ['per_address', 'per_user'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Who a run counts against: an authenticated user (by name), else the address Express resolves with `trust proxy`. */
export interface QueryClient {
  kind: 'user' | 'address';
  name: string;
}

/** Runs at once per client kind; 0 means no limit. */
export interface ClientLimits {
  perAddress: number;
  perUser: number;
  /** The longest a run holds its slot (the statement ceiling), in ms: `Retry-After` says when the oldest must have ended. */
  holdMs: number;
}

export interface QueryLimiterOptions {
  limits: ClientLimits;
  clock?: Clock;
  /** Where the refusal counters and the in-flight gauge are registered (default: none). */
  registry?: Registry;
}

/** Counts each client's query runs in flight and refuses those past its limit. */
export interface QueryLimiter {
  /**
   * Runs `work` in one of `client`'s slots, freed when it settles. Over the limit it throws `too_many_requests`
   * with `context.retryAfterSeconds`, and `work` does not start.
   */
  run<T>(client: QueryClient, work: () => Promise<T>): Promise<T>;
  /** New limits (a configuration reload); runs in flight keep their slots. */
  setLimits(limits: ClientLimits): void;
  /** Runs in flight for `client`. */
  inFlight(client: QueryClient): number;
  /** Runs refused since start, by reason. */
  refused(): Record<RefusalReason, number>;
}

/** The client a request counts as: `req.auth.user` as the access stage sets it, else `req.ip`. */
export function queryClientOf(req: Request): QueryClient {
  // Read structurally: graph-server does not depend on the access stage, it only reads what authenticate set.
  const user = (req as { auth?: { user?: string | null } }).auth?.user;
  if (user) return { kind: 'user', name: user };
  return { kind: 'address', name: req.ip ?? req.socket.remoteAddress ?? 'unknown' };
}

/** Creates a {@link QueryLimiter}. */
export function createQueryLimiter(options: QueryLimiterOptions): QueryLimiter {
  const clock = options.clock ?? systemClock;
  let limits = options.limits;
  // Start times of each client's runs in flight, oldest first; a client with none has no entry.
  const running = new Map<string, number[]>();
  const refusals: Record<RefusalReason, number> = { per_address: 0, per_user: 0 };
  const registers = options.registry ? [options.registry] : [];
  const refusedCounter = new Counter({
    name: 'appliance_query_runs_refused_total',
    help: 'Graph and Grafana query runs refused with 429 because the client had its limit of runs at once, by reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  for (const reason of REFUSAL_REASONS) refusedCounter.inc({ reason }, 0);
  const inFlightGauge = new Gauge({ name: 'appliance_query_runs_in_flight', help: 'Graph and Grafana query runs in flight.', registers });

  const keyOf = (c: QueryClient): string => `${c.kind}:${c.name}`;

  return {
    async run(client, work) {
      const limit = client.kind === 'user' ? limits.perUser : limits.perAddress;
      const key = keyOf(client);
      const starts = running.get(key) ?? [];
      const now = clock().getTime();
      if (limit > 0 && starts.length >= limit) {
        const reason: RefusalReason = client.kind === 'user' ? 'per_user' : 'per_address';
        refusals[reason]++;
        refusedCounter.inc({ reason });
        // The oldest run ends by its start plus the statement ceiling (plus the results' work): a truthful earliest retry.
        const oldest = starts[0] ?? now;
        const retryAfterSeconds = Math.max(1, Math.ceil((oldest + limits.holdMs - now) / 1000));
        const who = client.kind === 'user' ? `user "${client.name}"` : `address ${client.name}`;
        throw new AppError(
          'too_many_requests',
          `${who} already has ${starts.length} quer${starts.length === 1 ? 'y' : 'ies'} running, its limit; retry in ${retryAfterSeconds} s`,
          { retryAfterSeconds, limit, reason },
        );
      }
      starts.push(now);
      running.set(key, starts);
      inFlightGauge.inc();
      try {
        return await work();
      } finally {
        const at = starts.indexOf(now);
        if (at >= 0) starts.splice(at, 1);
        if (starts.length === 0) running.delete(key);
        inFlightGauge.dec();
      }
    },
    setLimits(next) {
      limits = next;
    },
    inFlight: (client) => running.get(keyOf(client))?.length ?? 0,
    refused: () => ({ ...refusals }),
  };
}
