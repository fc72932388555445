/** Name globs (`cpu.*`, `node-??`): subscriptions, the event stream's replay and the export filter match names with them. */

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
  const source = globs.map((g) => g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')).join('|');
  const re = new RegExp(`^(?:${source})$`);
  return (name) => re.test(name);
}

/** Splits a configured list (`cpu.*, mem.* disk.*`) into globs. */
export function splitGlobs(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}
