/** When sensors run: every interval at an offset (slots aligned to the Unix epoch), or a cron expression (node-cron's grammar). */
import cron from 'node-cron';

/**
 * `interval`: at every `offsetMs + k × everyMs` since the epoch (every 1h at offset 5m runs at 5 past each hour, UTC).
 * `cron`: node-cron's expression (optional seconds field first), in the server's local time, like cron.
 */
export type Schedule =
  | { kind: 'interval'; everyMs: number; offsetMs: number }
  | { kind: 'cron'; expression: string; fields: CronFields };

/** The allowed values of each cron field, as node-cron reads the expression. */
export interface CronFields {
  second: ReadonlySet<number>;
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  dayOfMonth: ReadonlySet<number>;
  month: ReadonlySet<number>;
  dayOfWeek: ReadonlySet<number>;
}

/** Reads a cron expression with node-cron; returns the reason when it is not one this agent can run. */
export function parseCron(expression: string): CronFields | string {
  const check = cron.validateDetailed(expression);
  if (!check.valid) return check.errors.map((e) => e.message).join('; ') || 'not a cron expression';
  const f = cron.parse(expression);
  // node-cron's extras (L, nth weekday) come back as text; the agent keeps to plain values, ranges, steps and names.
  if ([...f.dayOfMonth, ...f.dayOfWeek].some((v) => typeof v !== 'number')) return 'L and # day forms are not supported; list the days';
  const set = (values: readonly (number | string)[]) => new Set(values.map(Number));
  return {
    second: set(f.second), minute: set(f.minute), hour: set(f.hour),
    dayOfMonth: set(f.dayOfMonth), month: set(f.month), dayOfWeek: new Set(f.dayOfWeek.map((d) => Number(d) % 7)),
  };
}

/** How far ahead a cron schedule is searched before it counts as never running (e.g. `0 0 31 2 *`). */
const CRON_HORIZON_MS = 8 * 366 * 86_400_000;

/** The first run strictly after `after`; undefined when a cron schedule never runs. */
export function nextRun(schedule: Schedule, after: Date): Date | undefined {
  if (schedule.kind === 'interval') {
    const { everyMs, offsetMs } = schedule;
    const k = Math.floor((after.getTime() - offsetMs) / everyMs) + 1;
    return new Date(offsetMs + k * everyMs);
  }
  return nextCronRun(schedule.fields, after);
}

function nextCronRun(f: CronFields, after: Date): Date | undefined {
  const limit = after.getTime() + CRON_HORIZON_MS;
  // The first whole second after `after`; each mismatch jumps to the start of the next month, day, hour or minute.
  let t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  while (t.getTime() <= limit) {
    const [y, mo, d, h, mi, s] = [t.getFullYear(), t.getMonth(), t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds()];
    if (!f.month.has(mo + 1)) t = new Date(y, mo + 1, 1);
    else if (!f.dayOfMonth.has(d) || !f.dayOfWeek.has(t.getDay())) t = new Date(y, mo, d + 1);
    else if (!f.hour.has(h)) t = new Date(y, mo, d, h + 1);
    else if (!f.minute.has(mi)) t = new Date(y, mo, d, h, mi + 1);
    else if (!f.second.has(s)) t = new Date(y, mo, d, h, mi, s + 1);
    else return t;
  }
  return undefined;
}
