/** What every transport does: deliver a batch of results (and commands) to one target and say, per item, how it went. */
import type { BridgeCommand, PassiveResult } from '../types.js';

/** A result reached the target (`ok`), may reach it on a later attempt (`retryable`), or never will (`final`). */
export type DeliveryOutcome = { status: 'ok' } | { status: 'retryable' | 'final'; reason: string };

/** One target's way in. Never throws for a delivery problem: each result gets its outcome. */
export interface Transport {
  /** `command_file`, `spool`, ... (labels metrics and messages). */
  readonly type: string;
  /** Delivers `results` in order; `outcomes[i]` belongs to `results[i]`. */
  deliver(results: readonly PassiveResult[]): Promise<DeliveryOutcome[]>;
  /**
   * Delivers downtime and acknowledgement commands, `outcomes[i]` for `commands[i]`. A transport without it cannot
   * carry commands: the outbox dead-letters them with that reason.
   */
  deliverCommands?(commands: readonly BridgeCommand[]): Promise<DeliveryOutcome[]>;
  /** Releases what it holds open (an HTTP transport's idle sockets); it may deliver again afterwards. */
  close?(): void;
}

export const delivered: DeliveryOutcome = { status: 'ok' };
export const retryLater = (reason: string): DeliveryOutcome => ({ status: 'retryable', reason });
export const never = (reason: string): DeliveryOutcome => ({ status: 'final', reason });
