/** Python 2's `xml.sax.saxutils.XMLGenerator` as GraphTool drove it: the same escaping, quoting and empty-element form. */

/** Text that {@link escapeText} changes; attribute values that {@link quoteAttr} changes beyond adding quotes. */
const NEEDS_ESCAPE = /[&<>]/;
const NEEDS_QUOTING = /[&<>\n\r\t"]/;

/** `saxutils.escape`: only `&`, `<` and `>`; quotes stay as they are in text. */
export function escapeText(text: string): string {
  // Most text is the indentation between elements and plain numbers: one scan instead of three replaces.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `saxutils.quoteattr`: escapes as text plus tab, newline and carriage return as character
 * references, then picks the quote. A value holding `"` but no `'` is single-quoted (so a JSON
 * pivot name prints `name='"cms"'`); one holding both gets `&quot;`.
 */
export function quoteAttr(value: string): string {
  if (!NEEDS_QUOTING.test(value)) return `"${value}"`;
  const data = escapeText(value).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
  if (!data.includes('"')) return `"${data}"`;
  if (!data.includes("'")) return `'${data}'`;
  return `"${data.replace(/"/g, '&quot;')}"`;
}

/** Attributes in the order they are written. */
export type Attrs = readonly (readonly [name: string, value: string])[];

/**
 * Builds a document the way GraphTool called `XMLGenerator`: every element is written as
 * `<x ...>` ... `</x>` (Python 2 had no self-closing form), and the whitespace between elements
 * is whatever the caller writes with {@link text}, so the output keeps GraphTool's layout.
 */
export class XmlWriter {
  // One growing string: V8 joins the pieces lazily, which is cheaper than an array of a thousand parts and a join.
  private out = '';

  /** `startDocument()`: the XML declaration and its newline. */
  declaration(): this {
    this.out += '<?xml version="1.0" encoding="UTF-8"?>\n';
    return this;
  }

  /** Text written past the generator (GraphTool wrote the stylesheet PI and DOCTYPE to the stream itself). */
  raw(text: string): this {
    this.out += text;
    return this;
  }

  start(name: string, attrs: Attrs = []): this {
    let tag = `<${name}`;
    for (const [k, v] of attrs) tag += ` ${k}=${quoteAttr(v)}`;
    this.out += `${tag}>`;
    return this;
  }

  end(name: string): this {
    this.out += `</${name}>`;
    return this;
  }

  /** `characters()`: escaped text, including the newlines and tabs GraphTool indented with. */
  text(text: string): this {
    this.out += escapeText(text);
    return this;
  }

  /** An element holding only text. */
  element(name: string, content: string, attrs: Attrs = []): this {
    return this.start(name, attrs).text(content).end(name);
  }

  toString(): string {
    return this.out;
  }
}
