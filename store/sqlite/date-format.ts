/** MySQL's DATE_FORMAT specifiers, in UTC (the store's session time zone on both backends). */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAY_MS = 86_400_000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return `${n}th`;
  return n + (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
}

function dayIndex(d: Date): number {
  return Math.floor(d.getTime() / DAY_MS);
}

/** First day (as a day index) of week 1 of `year`, in MySQL's week modes. */
function firstWeekStart(year: number, mondayFirst: boolean, fourDayRule: boolean): number {
  const jan1 = Math.floor(Date.UTC(year, 0, 1) / DAY_MS);
  const wd = new Date(jan1 * DAY_MS).getUTCDay(); // 0 = Sunday
  const offset = mondayFirst ? (wd + 6) % 7 : wd; // days since the week's first day
  if (fourDayRule) return offset <= 3 ? jan1 - offset : jan1 + (7 - offset);
  return offset === 0 ? jan1 : jan1 + (7 - offset);
}

/** WEEK(date, mode) for modes 0-3 and the year it belongs to (used by %X and %x). */
export function mysqlWeek(d: Date, mode: 0 | 1 | 2 | 3): { week: number; year: number } {
  const mondayFirst = mode === 1 || mode === 3;
  const fourDayRule = mode === 1 || mode === 3;
  const wraps = mode === 2 || mode === 3; // weeks 1..53, days before week 1 belong to last year's last week
  const day = dayIndex(d);
  let year = d.getUTCFullYear();
  let start = firstWeekStart(year, mondayFirst, fourDayRule);
  if (day < start) {
    if (!wraps) return { week: 0, year };
    year -= 1;
    start = firstWeekStart(year, mondayFirst, fourDayRule);
  } else if (wraps && fourDayRule) {
    const nextStart = firstWeekStart(year + 1, mondayFirst, fourDayRule);
    if (day >= nextStart) return { week: 1, year: year + 1 };
  }
  return { week: Math.floor((day - start) / 7) + 1, year };
}

/** Formats `d` with MySQL DATE_FORMAT specifiers (`%Y-%m-%d %H:%i:%s`, ...). Unknown `%x` prints `x`. */
export function formatMySqlDate(d: Date, format: string): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%' || i + 1 >= format.length) {
      out += c;
      continue;
    }
    const s = format[++i]!;
    const h = d.getUTCHours();
    const h12 = h % 12 === 0 ? 12 : h % 12;
    switch (s) {
      case 'a': out += DAYS[d.getUTCDay()]!.slice(0, 3); break;
      case 'b': out += MONTHS[d.getUTCMonth()]!.slice(0, 3); break;
      case 'c': out += String(d.getUTCMonth() + 1); break;
      case 'D': out += ordinal(d.getUTCDate()); break;
      case 'd': out += pad(d.getUTCDate()); break;
      case 'e': out += String(d.getUTCDate()); break;
      case 'f': out += pad(d.getUTCMilliseconds() * 1000, 6); break;
      case 'H': out += pad(h); break;
      case 'h': case 'I': out += pad(h12); break;
      case 'i': out += pad(d.getUTCMinutes()); break;
      case 'j': out += pad(dayIndex(d) - Math.floor(Date.UTC(d.getUTCFullYear(), 0, 1) / DAY_MS) + 1, 3); break;
      case 'k': out += String(h); break;
      case 'l': out += String(h12); break;
      case 'M': out += MONTHS[d.getUTCMonth()]!; break;
      case 'm': out += pad(d.getUTCMonth() + 1); break;
      case 'p': out += h < 12 ? 'AM' : 'PM'; break;
      case 'r': out += `${pad(h12)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`; break;
      case 'S': case 's': out += pad(d.getUTCSeconds()); break;
      case 'T': out += `${pad(h)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`; break;
      case 'U': out += pad(mysqlWeek(d, 0).week); break;
      case 'u': out += pad(mysqlWeek(d, 1).week); break;
      case 'V': out += pad(mysqlWeek(d, 2).week); break;
      case 'v': out += pad(mysqlWeek(d, 3).week); break;
      case 'W': out += DAYS[d.getUTCDay()]!; break;
      case 'w': out += String(d.getUTCDay()); break;
      case 'X': out += String(mysqlWeek(d, 2).year); break;
      case 'x': out += String(mysqlWeek(d, 3).year); break;
      case 'Y': out += pad(d.getUTCFullYear(), 4); break;
      case 'y': out += pad(d.getUTCFullYear() % 100); break;
      default: out += s; // includes %%
    }
  }
  return out;
}
