/** Name patterns of the export filter: shell-style globs (`cpu.*`, `node-??`), a list matching if any glob does. */

/** A matcher for a list of globs; an empty list matches everything. `*` is any text (dots too), `?` one character. */
export function globMatcher(globs: readonly string[]): (name: string) => boolean {
  if (!globs.length) return () => true;
  const source = globs.map((g) => g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')).join('|');
  const re = new RegExp(`^(?:${source})$`);
  return (name) => re.test(name);
}

/** Splits a configured list (`cpu.*, mem.* disk.*`) into globs. */
export function splitGlobs(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}
