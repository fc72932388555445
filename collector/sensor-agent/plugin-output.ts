/** A Nagios plugin's result: exit code → state, first line → output, long output, and `|` performance data. */
import { parsePerfdata, type PerfDatum } from './perfdata.js';

/** The state code of an exit status (0 OK … 3 UNKNOWN, the collector's `STATUS_WORDS`): 0..3 as they are, anything else (or a signal) UNKNOWN, as Nagios does. */
export function stateCode(exitCode: number | null): number {
  return exitCode !== null && exitCode >= 0 && exitCode <= 3 ? exitCode : 3;
}

export interface PluginOutput {
  /** The first line's text before `|`, trimmed. */
  output: string;
  /** The lines after the first, up to the line holding the second `|` (Nagios 3+ multi-line format). */
  longOutput: string;
  perfdata: PerfDatum[];
  problems: string[];
}

/**
 * Splits plugin output the way Nagios does: `TEXT | PERFDATA` on the first line; then long-output lines; a later
 * line with `|` ends the long output, and the rest of it and every following line are more performance data.
 */
export function parsePluginOutput(stdout: string): PluginOutput {
  const lines = stdout.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const [first = '', ...rest] = lines;
  const bar = first.indexOf('|');
  const output = (bar < 0 ? first : first.slice(0, bar)).trim();
  const perfTexts = bar < 0 ? [] : [first.slice(bar + 1)];
  const long: string[] = [];
  let inPerf = false;
  for (const line of rest) {
    if (inPerf) {
      perfTexts.push(line);
      continue;
    }
    const b = line.indexOf('|');
    if (b < 0) {
      long.push(line);
      continue;
    }
    long.push(line.slice(0, b));
    perfTexts.push(line.slice(b + 1));
    inPerf = true;
  }
  const { data, problems } = parsePerfdata(perfTexts.join(' '));
  return { output, longOutput: long.join('\n').trim(), perfdata: data, problems };
}
