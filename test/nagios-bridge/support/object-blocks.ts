/** Reads generated object definitions back into blocks of directives, so tests assert on values rather than on padding. */

export interface ObjectBlock {
  type: string;
  directives: Record<string, string>;
}

/** Every `define TYPE {` ... `}` block of `text`, directives as written (first occurrence of a key). */
export function objectBlocks(text: string): ObjectBlock[] {
  const out: ObjectBlock[] = [];
  let current: ObjectBlock | undefined;
  for (const line of text.split('\n')) {
    const open = /^define (\w+) \{$/.exec(line);
    if (open) current = { type: open[1]!, directives: {} };
    else if (line === '}' && current) {
      out.push(current);
      current = undefined;
    } else if (current) {
      const m = /^ {2}(\S+) +(.*)$/.exec(line);
      if (m) current.directives[m[1]!] ??= m[2]!;
    }
  }
  return out;
}

/** The directives of the generated service `description` on `host`, if defined. */
export const serviceBlock = (text: string, host: string, description: string) =>
  objectBlocks(text).find((b) => b.type === 'service' && b.directives.host_name === host && b.directives.service_description === description)?.directives;

/** The directives of the generated host `name`, if defined. */
export const hostBlock = (text: string, name: string) => objectBlocks(text).find((b) => b.type === 'host' && b.directives.host_name === name)?.directives;
