/** When sensors run: every interval at an offset (slots aligned to the Unix epoch), or a Vixie cron expression (read by croner). */
import { Cron } from 'croner';

/**
 * `interval`: at every `offsetMs + k × everyMs` since the epoch (every 1h at offset 5m runs at 5 past each hour, UTC).
 * `cron`: a cron expression (five fields, or six with seconds first), in the server's local time, like cron.
 */
export type Schedule =
  | { kind: 'interval'; everyMs: number; offsetMs: number }
  | { kind: 'cron'; expression: string; cron: Cron };

/**
 * Reads a cron expression; returns the reason when it is not one this agent can run. Day-of-month and day-of-week
 * follow Vixie cron: when both are restricted a day matching either runs (`0 0 13 * FRI` is every 13th and every
 * Friday), which is what admins' crontabs mean; croner's `domAndDow: false`.
 */
export function parseCron(expression: string): Cron | string {
  let cron: Cron;
  try {
    // Paused: the agent only asks for run times, it never lets croner fire anything.
    cron = new Cron(expression, { paused: true, domAndDow: false, mode: '5-or-6-parts' });
  } catch (err) {
    return (err as Error).message.replace(/^CronPattern: /, '');
  }
  if (!cron.nextRun(new Date())) return 'never runs (no date matches it)';
  return cron;
}

/** The first run strictly after `after`; undefined when a cron schedule never runs. */
export function nextRun(schedule: Schedule, after: Date): Date | undefined {
  if (schedule.kind === 'interval') {
    const { everyMs, offsetMs } = schedule;
    const k = Math.floor((after.getTime() - offsetMs) / everyMs) + 1;
    return new Date(offsetMs + k * everyMs);
  }
  return schedule.cron.nextRun(after) ?? undefined;
}
