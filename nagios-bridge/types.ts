/** The bridge's own vocabulary: one passive check result as it travels from an entry to a target's outbox. */
import { AppError } from '../common/index.js';

export const RESULT_KINDS = ['service', 'host'] as const;
/** A service result (`PROCESS_SERVICE_CHECK_RESULT`) or a host result (`PROCESS_HOST_CHECK_RESULT`). */
export type ResultKind = (typeof RESULT_KINDS)[number];

export const ENTRY_SOURCES = ['cmd.cgi', 'nrdp', 'rsv'] as const;
/** Where a result came in. */
export type EntrySource = (typeof ENTRY_SOURCES)[number];

/**
 * One passive check result, already validated: names hold no `;`, `[`, `]`, newline or NUL; `output` is the first line
 * of plugin output, `longOutput` the rest (real newlines; a transport escapes them for its protocol).
 */
export interface PassiveResult {
  kind: ResultKind;
  host: string;
  /** Set for service results, absent for host results. */
  service?: string;
  /** Nagios return code: 0 OK / UP, 1 WARNING / DOWN, 2 CRITICAL / UNREACHABLE, 3 UNKNOWN. */
  state: 0 | 1 | 2 | 3;
  output: string;
  longOutput?: string;
  perfdata?: string;
  /** The original check time, epoch seconds (what Nagios shows as last_check). */
  checkTime: number;
  source: EntrySource;
  /** Who submitted it (user or token name), for the trace. */
  submittedBy?: string;
}

/**
 * What an entry hands accepted results to; it resolves only once they are durably queued for every target. It rejects
 * with {@link UnroutedResultError} when a result matches no target's routes (nothing of the batch is queued), and with
 * the queue's `QueueFullError` (`retryAfterSeconds`) when an outbox is full.
 */
export type SubmitResults = (results: readonly PassiveResult[]) => Promise<void>;

/** No target's routes take this result: refused, so the client keeps it, rather than acknowledged and dropped. */
export class UnroutedResultError extends AppError {
  constructor(result: PassiveResult) {
    const what = result.kind === 'service' ? `service "${result.service ?? ''}" on host "${result.host}"` : `host "${result.host}"`;
    super('unprocessable', `no Nagios target's routes take results for ${what}; nothing was queued`, { host: result.host, service: result.service });
    this.name = 'UnroutedResultError';
  }
}
