/** Escaping for the XML exports: text and attribute values, with characters XML 1.0 cannot carry dropped. */

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlText(value: string | number): string {
  return String(value)
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** `<name attrs>text</name>`, or nothing when the value is null. */
export function element(name: string, value: string | number | null, attrs = ''): string {
  if (value === null) return '';
  return `<${name}${attrs}>${xmlText(value)}</${name}>`;
}
