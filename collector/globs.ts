/** Name globs (`cpu.*`, `node-??`): subscriptions, the event stream's replay and the export filter match names with them. */

import { RE2JS } from 're2js';
import { compilePattern } from '../common/index.js';

/** The longest node or metric name the collector stores (sample validation's limit). */
const MAX_NAME_CHARS = 255;

/** Whether a pattern has wildcards (`*` any run of characters, dots too; `?` one character); otherwise it names exactly. */
export function isPattern(text: string): boolean {
  return /[*?]/.test(text);
}

/**
 * A matcher for a list of globs, true when any glob matches the whole name; an empty list matches everything.
 * A single name without wildcards is compared as it is (the subscriptions' usual case, checked per committed sample).
 */
export function globMatcher(globs: readonly string[]): (name: string) => boolean {
  if (!globs.length) return () => true;
  if (globs.length === 1 && !isPattern(globs[0]!)) {
    const exact = globs[0]!;
    return (name) => name === exact;
  }
  // A glob that needs more characters than a name can have matches nothing; compiling one from a 16 KB URL held the
  // event loop for half a second per stream opened, so it is never compiled.
  const possible = globs.map((g) => g.replace(/\*+/g, '*')).filter((g) => g.replaceAll('*', '').length <= MAX_NAME_CHARS);
  if (!possible.length) return () => false;
  // RE2 (linear in the name) over quoted literals; a run of `*` is one `*`, so a hostile glob stays small.
  const source = possible.map((g) => g.split(/([*?])/).map(globPart).join('')).join('|');
  const re = compilePattern(`^(?s:${source})$`, { input: 'glob' });
  return (name) => re.test(name);
}

function globPart(part: string): string {
  if (part === '*') return '.*';
  if (part === '?') return '.';
  return part === '' ? '' : RE2JS.quote(part);
}

/** Splits a configured list (`cpu.*, mem.* disk.*`) into globs. */
export function splitGlobs(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}
