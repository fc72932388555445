/** TimeGraph's frame: the x-range (starttime..endtime, or the data with `croptime`), the title's time line, and time text for tables and tooltips. */
import type { ChartSettings } from './chart-settings.js';
import { timeTitleLine } from './time-title.js';

/** The x-range in epoch seconds and the title split into its first line and the rest. */
export interface TimeFrame {
  begin: number;
  end: number;
  title: string;
  subtitle: string;
}

/** Splits a title at its first newline, as GraphTool drew title and subtitle. */
export function splitTitle(full: string): { title: string; subtitle: string } {
  const i = full.indexOf('\n');
  return i < 0 ? { title: full, subtitle: '' } : { title: full.slice(0, i), subtitle: full.slice(i + 1) };
}

/**
 * TimeGraph.setup: with `croptime`, the first bin to the last bin plus the span; otherwise the sql
 * vars' `starttime`..`endtime` (GraphTool's defaults: the last 24 hours). `title` may already carry
 * what the graph added to the first line (PieGraph's sum).
 */
export function timeFrame(settings: ChartSettings, bins: readonly number[], now: Date, title = settings.title): TimeFrame {
  const nowS = Math.floor(now.getTime() / 1000);
  let begin: number;
  let end: number;
  if (settings.croptime && bins.length > 0) {
    begin = Math.min(...bins);
    end = Math.max(...bins) + (settings.span ?? 0);
  } else {
    begin = settings.starttime ?? nowS - 86400;
    end = settings.endtime ?? nowS;
  }
  return { begin, end, ...splitTitle(`${title}\n${timeTitleLine(begin, end, settings.span)}`) };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS` UTC, as the CSV and XML print time groups. */
export function timeText(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The tooltip's time header: a bin's start, to the minute under a day's span, else the date. */
export function tooltipDateFormat(span: number | undefined): string {
  return span !== undefined && span < 86400 ? '%Y-%m-%d %H:%M UTC' : '%Y-%m-%d';
}
