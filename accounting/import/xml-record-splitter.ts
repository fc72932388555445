/**
 * Splits an OpenNebula XML document into its records without holding the document: `oneacct -x` output
 * (`<HISTORY_RECORDS>`: each `<HISTORY>` child), a `<VM_POOL>` (each `<VM>` child) or one `<VM>` (the whole
 * document). A tag-level scan over text chunks, so memory is bounded by the largest record, not by the file.
 * DOCTYPE and entity declarations are refused (nothing is ever expanded); broken nesting is an error with its line.
 */
import { AppError } from '../../common/index.js';

/** The document elements an import reads, and what a record of each is. */
export const DOCUMENT_KINDS = { HISTORY_RECORDS: 'HISTORY', VM_POOL: 'VM', VM: 'VM' } as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;

/** One record's XML text and the line (1-based) of the file it starts on. */
export interface XmlRecord {
  kind: DocumentKind;
  xml: string;
  line: number;
}

/** The XML is not well-formed (or declares a DOCTYPE): `line` says where. The whole file is refused. */
export class XmlSyntaxError extends AppError {
  constructor(message: string, readonly line: number) {
    super('bad_request', `line ${line}: ${message}`, { line });
  }
}

const NAME_END = /[\s/>]/;

/**
 * The records of `chunks` in document order. `maxRecordBytes` bounds one record (and any text between records);
 * a larger one is an error naming its line.
 */
export async function* splitXmlRecords(chunks: AsyncIterable<string> | Iterable<string>, maxRecordBytes: number): AsyncGenerator<XmlRecord> {
  let buf = '';
  /** Where the scan stands in `buf`, and the line of `buf[0]`; `counted` is how far `lineAt` has counted. */
  let pos = 0;
  let baseLine = 1;
  let countedTo = 0;
  let countedLine = 1;
  const stack: string[] = [];
  let root: DocumentKind | undefined;
  let recordStart = -1;
  let recordLine = 0;
  let ended = false;

  const lineAt = (offset: number): number => {
    if (offset < countedTo) {
      countedTo = 0;
      countedLine = baseLine;
    }
    for (let i = buf.indexOf('\n', countedTo); i !== -1 && i < offset; i = buf.indexOf('\n', i + 1)) countedLine++;
    countedTo = offset;
    return countedLine;
  };
  const fail = (message: string, offset: number): never => {
    throw new XmlSyntaxError(message, lineAt(offset));
  };
  /** Drops what is behind the scan (and behind an open record) so the buffer holds one record at most. */
  const compact = () => {
    const keep = recordStart >= 0 ? recordStart : pos;
    if (keep === 0) return;
    baseLine = lineAt(keep);
    buf = buf.slice(keep);
    pos -= keep;
    if (recordStart >= 0) recordStart -= keep;
    countedTo = 0;
    countedLine = baseLine;
  };

  /** Scans what `buf` holds; returns the records completed, and leaves `pos` at the first incomplete token. */
  const scan = (final: boolean): XmlRecord[] => {
    const out: XmlRecord[] = [];
    for (;;) {
      const lt = buf.indexOf('<', pos);
      if (lt === -1) {
        if (stack.length === 0 && buf.slice(pos).trim() !== '') fail(ended ? 'text after the document element' : 'text before the document element', pos);
        pos = buf.length;
        return out;
      }
      if (stack.length === 0 && buf.slice(pos, lt).trim() !== '') fail(ended ? 'text after the document element' : 'text before the document element', pos);
      const next = buf.charCodeAt(lt + 1);
      if (Number.isNaN(next)) {
        pos = lt;
        return out;
      }
      // <!-- comment -->, <![CDATA[ ... ]]>, <!DOCTYPE ...>, <? ... ?>
      if (next === 33 /* ! */) {
        if (buf.startsWith('<!--', lt)) {
          const end = buf.indexOf('-->', lt + 4);
          if (end === -1) return (pos = lt), final ? fail('a comment is not closed', lt) : out;
          pos = end + 3;
          continue;
        }
        if (buf.startsWith('<![CDATA[', lt)) {
          if (stack.length === 0) fail('CDATA outside the document element', lt);
          const end = buf.indexOf(']]>', lt + 9);
          if (end === -1) return (pos = lt), final ? fail('a CDATA section is not closed', lt) : out;
          pos = end + 3;
          continue;
        }
        if (buf.length - lt < 9 && !final) return (pos = lt), out;
        if (/^<!(DOCTYPE|ENTITY)/i.test(buf.slice(lt, lt + 9))) fail('DOCTYPE and entity declarations are not allowed (entities are never expanded)', lt);
        fail('markup "<!" that is neither a comment nor CDATA', lt);
      }
      if (next === 63 /* ? */) {
        const end = buf.indexOf('?>', lt + 2);
        if (end === -1) return (pos = lt), final ? fail('a processing instruction is not closed', lt) : out;
        pos = end + 2;
        continue;
      }
      const gt = tagEnd(buf, lt + 1);
      if (gt === -1) {
        pos = lt;
        if (final) fail('a tag is not closed', lt);
        return out;
      }
      if (next === 47 /* / */) {
        const name = buf.slice(lt + 2, gt).trim();
        const open = stack.pop();
        if (open === undefined) fail(`closing tag </${name}> without an opening tag`, lt);
        if (open !== name) fail(`closing tag </${name}> does not match <${open}>`, lt);
        if (stack.length === 0) ended = true;
        if (recordStart >= 0 && stack.length === (root === 'VM' ? 0 : 1)) {
          out.push({ kind: root!, xml: buf.slice(recordStart, gt + 1), line: recordLine });
          recordStart = -1;
        }
        pos = gt + 1;
        continue;
      }
      const m = NAME_END.exec(buf.slice(lt + 1, Math.min(gt + 1, lt + 256)));
      const name = buf.slice(lt + 1, lt + 1 + (m ? m.index : gt - lt - 1));
      if (name === '') fail('a tag without a name', lt);
      const selfClosing = buf.charCodeAt(gt - 1) === 47;
      if (stack.length === 0) {
        if (ended) fail(`a second document element <${name}>`, lt);
        if (!(name in DOCUMENT_KINDS)) fail(`the document element is <${name}>; an import reads <HISTORY_RECORDS> (oneacct -x), <VM_POOL> or <VM>`, lt);
        root = name as DocumentKind;
        if (root === 'VM') {
          recordStart = lt;
          recordLine = lineAt(lt);
        }
      } else if (stack.length === 1 && root !== 'VM' && recordStart < 0) {
        if (name !== DOCUMENT_KINDS[root!]) fail(`<${root}> holds <${name}>; it may only hold <${DOCUMENT_KINDS[root!]}> elements`, lt);
        recordStart = lt;
        recordLine = lineAt(lt);
      }
      if (selfClosing) {
        if (recordStart === lt) {
          out.push({ kind: root!, xml: buf.slice(lt, gt + 1), line: recordLine });
          recordStart = -1;
        }
        if (stack.length === 0) ended = true;
      } else {
        stack.push(name);
      }
      pos = gt + 1;
    }
  };

  for await (const chunk of chunks) {
    buf += chunk;
    for (const record of scan(false)) yield record;
    compact();
    if (buf.length > maxRecordBytes) {
      fail(`a record larger than ${Math.round(maxRecordBytes / 1024)} KB (setting max_record_kb) starts here`, 0);
    }
  }
  for (const record of scan(true)) yield record;
  if (stack.length > 0) fail(`<${stack.join('>, <')}> not closed before the end of the data`, buf.length);
  if (root === undefined) fail('no document element: the data is empty', buf.length);
}

/** The index of the `>` ending the tag whose name starts at `from` (quotes skipped), or -1 when not in `buf` yet. */
function tagEnd(buf: string, from: number): number {
  let i = from;
  for (;;) {
    const gt = buf.indexOf('>', i);
    if (gt === -1) return -1;
    const quote = nextQuote(buf, i, gt);
    if (quote === -1) return gt;
    const close = buf.indexOf(buf[quote]!, quote + 1);
    if (close === -1) return -1;
    i = close + 1;
  }
}

function nextQuote(buf: string, from: number, before: number): number {
  const d = buf.indexOf('"', from);
  const s = buf.indexOf("'", from);
  const q = d === -1 ? s : s === -1 ? d : Math.min(d, s);
  return q !== -1 && q < before ? q : -1;
}
