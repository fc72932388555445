/** Nagios performance data: `'label'=value[UOM];[warn];[crit];[min];[max]`, space separated (Nagios plugin guidelines). */

/** One perfdata item. `value` is undefined for `U` (the plugin could not determine it). */
export interface PerfDatum {
  label: string;
  value: number | undefined;
  /** Unit of measure as written (`s`, `ms`, `%`, `B`, `KB`, `c`, ...); '' when none. */
  uom: string;
  /** Threshold ranges as written (`10`, `10:`, `~:10`, `@10:20`); undefined when empty. */
  warn?: string;
  crit?: string;
  min?: number;
  max?: number;
}

export interface ParsedPerfdata {
  data: PerfDatum[];
  /** Items that do not follow the grammar, each with why; the well-formed ones are kept. */
  problems: string[];
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;
const RANGE = /^@?(?:~|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)?(?::(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)?)?$/;

/** Splits perfdata into items: spaces separate them, except inside a quoted label (where `''` is a quote). */
function splitItems(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      // Inside quotes, '' is an escaped quote; keep both so the label reader sees it.
      if (quoted && text[i + 1] === "'") {
        current += "''";
        i++;
        continue;
      }
      quoted = !quoted;
      current += c;
    } else if (/\s/.test(c) && !quoted) {
      if (current) items.push(current);
      current = '';
    } else current += c;
  }
  if (current) items.push(current);
  return items;
}

function parseItem(item: string): PerfDatum | string {
  let label: string;
  let rest: string;
  if (item.startsWith("'")) {
    const end = /^'((?:[^']|'')*)'=/.exec(item);
    if (!end) return `"${item}": a quoted label must be followed by =`;
    label = end[1]!.replace(/''/g, "'");
    rest = item.slice(end[0].length);
  } else {
    const eq = item.indexOf('=');
    if (eq < 0) return `"${item}": no "=" between label and value`;
    label = item.slice(0, eq);
    rest = item.slice(eq + 1);
  }
  if (!label) return `"${item}": empty label`;
  const [valuePart = '', warn = '', crit = '', min = '', max = ''] = rest.split(';');
  let value: number | undefined;
  let uom: string;
  if (valuePart === 'U') {
    value = undefined;
    uom = '';
  } else {
    const m = NUMBER.exec(valuePart);
    if (!m) return `"${item}": value "${valuePart}" is not a number`;
    value = Number(m[0]);
    uom = valuePart.slice(m[0].length);
    if (!/^[A-Za-z%]*$/.test(uom)) return `"${item}": unit "${uom}" is not a unit of measure`;
  }
  const datum: PerfDatum = { label, value, uom };
  for (const [key, text] of [['warn', warn], ['crit', crit]] as const) {
    if (!text) continue;
    if (!RANGE.test(text)) return `"${item}": ${key} "${text}" is not a range`;
    datum[key] = text;
  }
  for (const [key, text] of [['min', min], ['max', max]] as const) {
    if (!text) continue;
    const n = NUMBER.exec(text);
    // Some plugins append the unit to min/max too (`0%`); the number is what counts.
    if (!n || !/^[A-Za-z%]*$/.test(text.slice(n[0].length))) return `"${item}": ${key} "${text}" is not a number`;
    datum[key] = Number(n[0]);
  }
  return datum;
}

/** Parses a plugin's performance data; malformed items are reported and skipped, the others kept. */
export function parsePerfdata(text: string): ParsedPerfdata {
  const data: PerfDatum[] = [];
  const problems: string[] = [];
  for (const item of splitItems(text.trim())) {
    const parsed = parseItem(item);
    if (typeof parsed === 'string') problems.push(parsed);
    else data.push(parsed);
  }
  return { data, problems };
}
