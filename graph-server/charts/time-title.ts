/** TimeGraph's second title line, `14 Days from 2016-06-17 to 2016-06-30`, as GraphTool's `add_time_to_title` wrote it. */

const HOUR_SWITCH = 7;
const DAY_SWITCH = 7;
const WEEK_SWITCH = 7;

/** GraphTool's `time_interval`: the tick/format granularity for a time range. */
export function timeInterval(begin: number, end: number): number {
  if (end - begin < 600 * HOUR_SWITCH) return 600;
  if (end - begin < 86400 * DAY_SWITCH) return 3600;
  if (end - begin < 86400 * 7 * WEEK_SWITCH) return 86400;
  return 86400 * 7;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `%U`: the week of the year, weeks starting on Sunday, days before the first Sunday in week 0. */
function weekOfYear(d: Date): number {
  const yday = Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000);
  return Math.floor((yday + 7 - d.getUTCDay()) / 7);
}

function formatTime(seconds: number, formattingInterval: number): string {
  const d = new Date(seconds * 1000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  switch (formattingInterval) {
    case 600:
      return `${hm}:${pad(d.getUTCSeconds())}`;
    case 3600:
      return `${date} ${hm}`;
    case 86400:
      return date;
    default:
      return `Week ${pad(weekOfYear(d))} of ${d.getUTCFullYear()}`;
  }
}

/**
 * The line GraphTool added under a time graph's title: the range counted in units of the span
 * (rounded up), then both ends formatted by the range's length, with ` UTC` when the span is under a day.
 */
export function timeTitleLine(begin: number, end: number, span: number | undefined): string {
  const interval = span ?? timeInterval(begin, end);
  const formatting = timeInterval(begin, end);
  let name: string;
  let slice: number;
  if (interval < 600) [name, slice] = ['Seconds', 1];
  else if (interval < 3600) [name, slice] = ['Minutes', 60];
  else if (interval < 86400) [name, slice] = ['Hours', 3600];
  else if (interval < 86400 * 7) [name, slice] = ['Days', 86400];
  else [name, slice] = ['Weeks', 86400 * 7];
  const count = Math.ceil((end - begin) / slice);
  const utc = slice < 86400 ? ' UTC' : '';
  return `${count} ${name} from ${formatTime(begin, formatting)} to ${formatTime(end, formatting)}${utc}`;
}
