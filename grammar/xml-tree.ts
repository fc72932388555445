/** Parses one XML file into positioned nodes; malformed XML and entity declarations become issues. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ConfigIssue, ConfigNode, SourcePos } from './types.js';

type Ordered = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  captureMetaData: true,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  commentPropName: false,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** Maps character offsets to 1-based line and column. */
function positioner(text: string, file: string): (offset: number) => SourcePos {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

function build(entry: Ordered, at: (offset: number) => SourcePos): ConfigNode | undefined {
  const tag = Object.keys(entry).find((k) => k !== ':@');
  if (!tag || tag === '#text' || tag.startsWith('?')) return undefined;
  const meta = (entry as Record<symbol, { startIndex?: number } | undefined>)[META];
  const node: ConfigNode = {
    tag,
    attrs: { ...((entry[':@'] as Record<string, string> | undefined) ?? {}) },
    children: [],
    content: [],
    text: '',
    pos: at(meta?.startIndex ?? 0),
  };
  for (const child of (entry[tag] as Ordered[] | undefined) ?? []) {
    if ('#text' in child) {
      const t = String(child['#text']);
      node.content.push(t);
      node.text += t;
      continue;
    }
    const built = build(child, at);
    if (built) {
      node.children.push(built);
      node.content.push(built);
    }
  }
  return node;
}

/** The document's top-level elements, or the issues that stop it being read. */
export function parseXml(text: string, file: string): { roots: ConfigNode[]; issues: ConfigIssue[] } {
  const at = positioner(text, file);
  const entity = /<!ENTITY/i.exec(text);
  if (entity) {
    // Entity declarations are how XML bombs and external-entity reads start; configs never need them.
    return { roots: [], issues: [{ pos: at(entity.index), message: 'entity declarations are not allowed in configuration files', severity: 'error' }] };
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const unclosed = unclosedElements(valid.err.msg);
    if (unclosed) {
      // The validator reports unclosed elements at 1:1; the innermost one's start tag is where to look.
      const innermost = unclosed[unclosed.length - 1]!;
      const at0 = text.lastIndexOf(`<${innermost}`);
      const list = unclosed.map((t) => `<${t}>`).join(', ');
      return { roots: [], issues: [{ pos: at(Math.max(0, at0)), message: `malformed XML: ${list} not closed before the end of the file`, severity: 'error' }] };
    }
    return { roots: [], issues: [{ pos: { file, line: valid.err.line, column: valid.err.col }, message: `malformed XML: ${valid.err.msg}`, severity: 'error' }] };
  }
  try {
    const parsed = parser.parse(text) as Ordered[];
    return { roots: parsed.map((e) => build(e, at)).filter((n): n is ConfigNode => n !== undefined), issues: [] };
  } catch (err) {
    return { roots: [], issues: [{ pos: { file, line: 1, column: 1 }, message: `malformed XML: ${(err as Error).message}`, severity: 'error' }] };
  }
}

/** The element names of fast-xml-parser's "Invalid '[...]' found" (elements left open at the end), if that is the error. */
function unclosedElements(msg: string): string[] | undefined {
  const m = /^Invalid '(\[[\s\S]*\])' found\.?$/.exec(msg);
  if (!m) return undefined;
  try {
    const names = JSON.parse(m[1]!) as unknown;
    return Array.isArray(names) && names.every((n) => typeof n === 'string') && names.length ? names : undefined;
  } catch {
    return undefined;
  }
}

/** Every descendant element named `tag`, in document order (DOM getElementsByTagName). */
export function descendants(node: ConfigNode, tag: string): ConfigNode[] {
  const out: ConfigNode[] = [];
  const walk = (n: ConfigNode) => {
    for (const c of n.children) {
      if (c.tag === tag) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}
