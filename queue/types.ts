/** The work queue's public types: how a queue is declared, what is enqueued and claimed, and its errors. */
import { AppError } from '../common/index.js';

export const QUEUE_MODES = ['unordered', 'ordered', 'serialized'] as const;
/**
 * How a queue treats partitions. `unordered`: any ready item, urgent first, then enqueue order. `ordered`: at most
 * one leased item per partition, and only the partition's head (its first unfinished item by lane, then enqueue
 * order) may be claimed, so an item waiting for its retry holds its partition back. `serialized`: at most one leased
 * item per partition, but any ready item of it may be claimed, so an item waiting for its retry steps aside.
 * An ordered queue declared with `runLength` > 1 leases a run instead: the head and the ready items right behind it
 * in the partition's order, up to that many, all in one claim (the consumer then keeps their order itself).
 */
export type QueueMode = (typeof QUEUE_MODES)[number];

export const LANES = ['normal', 'urgent'] as const;
export type Lane = (typeof LANES)[number];

export const ITEM_STATES = ['queued', 'leased', 'done', 'dead'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

/** One unit of work to enqueue. */
export interface EnqueueItem<P> {
  payload: P;
  /** e.g. `target|host|service` or a node name; default '' (one partition). */
  partition?: string;
  lane?: Lane;
  /** Unique per queue: enqueueing a key already stored (in any state, until purged) is a no-op. */
  dedupKey?: string;
  /** The earliest time to hand it out (default: now). */
  notBefore?: Date;
}

/** A leased item, as `claim` hands it out; pass it back to `complete`, `fail` or `renew`. */
export interface ClaimedItem<P> {
  readonly id: number;
  /** Identifies this claim: a later claim of the same item after the lease expired gets another. */
  readonly token: string;
  readonly owner: string;
  readonly partition: string;
  readonly lane: Lane;
  readonly payload: P;
  /** Claims of the item so far, this one included. */
  readonly attempts: number;
  readonly dedupKey: string | undefined;
  readonly createdAt: number;
  /** Epoch ms; renew before it passes. */
  readonly leaseUntil: number;
}

/** A failure is either worth retrying (with backoff, up to the attempt and age limits) or not (dead at once). */
export type FailureKind = 'retryable' | 'final';

/** What `fail` did: scheduled a retry, dead-lettered the item, or nothing because this claim no longer holds it. */
export type FailOutcome = 'retry' | 'dead' | 'lost';

/** A dead-lettered item, for operators. */
export interface DeadItem {
  id: number;
  partition: string;
  lane: Lane;
  payload: string;
  attempts: number;
  lastError: string | undefined;
  errorClass: string | undefined;
  createdAt: number;
  deadAt: number;
}

/** Where one item is, for operators tracing it. */
export interface ItemPlace {
  id: number;
  state: ItemState;
  /** Claims so far (reset by an operator's retry). */
  attempts: number;
  /** Epoch ms of the next attempt (a queued item waiting for its retry). */
  nextAttemptAt: number;
  lastError: string | undefined;
  /** Unfinished items of its partition handed out before it (0: it is next); undefined for a done or dead item. */
  ahead: number | undefined;
}

/** Items per state and the age of the oldest unfinished one. */
export interface QueueStats {
  depth: Record<ItemState, number>;
  /** Milliseconds since the oldest queued or leased item was enqueued; 0 when there is none. */
  oldestAgeMs: number;
}

/**
 * The queue holds its limit of unfinished items and refuses new work (the overflow policy: never drop). An HTTP
 * caller answers 503 with `Retry-After: retryAfterSeconds`.
 */
export class QueueFullError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(queue: string, limit: number, retryAfterSeconds: number) {
    super('unavailable', `queue "${queue}" holds its limit of ${limit} unfinished items and refuses new work; retry after ${retryAfterSeconds} s`, {
      queue,
      limit,
      retryAfterSeconds,
    });
    this.name = 'QueueFullError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Thrown by a consumer's handler for an item it did not attempt (e.g. an earlier item of its partition in the same
 * claim failed): the item is handed back as it was, its attempt not counted and no retry delay, for a later claim.
 */
export class NotAttempted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotAttempted';
  }
}

/** Thrown by a consumer's handler for work that must not be retried: the item is dead-lettered at once. */
export class FinalFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FinalFailure';
  }
}
