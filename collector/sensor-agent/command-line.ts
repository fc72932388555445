/** Splits a configured command line into argv without a shell: quotes and backslashes as a POSIX shell reads them. */

/** The arguments of `text`, or the reason it cannot be split (an unterminated quote). No variables, globs or pipes. */
export function splitCommandLine(text: string): string[] | string {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) current += text[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inArg = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      inArg = true;
    } else if (/\s/.test(c)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += c;
      inArg = true;
    }
  }
  if (quote) return `unterminated ${quote} quote`;
  if (inArg) args.push(current);
  return args;
}
