/**
 * One record of an OpenNebula document read into plain objects: a `oneacct -x` HISTORY with its VM, or a VM with
 * its embedded HISTORY_RECORDS (one item per HISTORY, each with the VM it belongs to; a VM without history is one
 * item without a HISTORY, which validation rejects). Text only: no value is converted here.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XmlSyntaxError, type XmlRecord } from './xml-record-splitter.js';

/** An element read as text (a leaf) or as its children by name (repeated names as arrays where a VM repeats them). */
export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

/** One HISTORY record as read, with the VM document it came with, and the line of the file it starts on. */
export interface HistoryItem {
  line: number;
  history: XmlNode | undefined;
  vm: XmlNode | undefined;
}

/** Elements a VM or HISTORY may repeat: always arrays, so one DISK reads like two. */
const REPEATED = new Set(['HISTORY', 'DISK', 'NIC', 'IP', 'SNAPSHOT', 'NIC_ALIAS']);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  // Only the predefined entities and character references: the splitter refused any DOCTYPE before this.
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => REPEATED.has(name),
});

const asNode = (v: XmlValue | undefined): XmlNode | undefined => (v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined);

/** The HISTORY items of one record. Throws {@link XmlSyntaxError} (with the file's line) when the record is not well-formed. */
export function readHistoryItems(record: XmlRecord): HistoryItem[] {
  const valid = XMLValidator.validate(record.xml);
  if (valid !== true) throw new XmlSyntaxError(valid.err.msg, record.line + valid.err.line - 1);
  const doc = parser.parse(record.xml) as XmlNode;
  if (record.kind === 'HISTORY_RECORDS') {
    const list = doc.HISTORY;
    const history = Array.isArray(list) ? asNode(list[0]) ?? {} : {};
    return [{ line: record.line, history, vm: asNode(history.VM) }];
  }
  const vm = asNode(doc.VM) ?? {};
  const records = asNode(vm.HISTORY_RECORDS);
  const histories = records && Array.isArray(records.HISTORY) ? records.HISTORY : [];
  if (histories.length === 0) return [{ line: record.line, history: undefined, vm }];
  const lines = elementLines(record.xml, 'HISTORY', record.line);
  return histories.map((h, i) => ({ line: lines[i] ?? record.line, history: asNode(h) ?? {}, vm }));
}

/** The file lines of each `<name>` start tag in `xml`, which starts at `firstLine`. */
function elementLines(xml: string, name: string, firstLine: number): number[] {
  const out: number[] = [];
  let line = firstLine;
  let at = 0;
  const re = new RegExp(`<${name}[\\s>/]`, 'g');
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    for (let i = xml.indexOf('\n', at); i !== -1 && i < m.index; i = xml.indexOf('\n', i + 1)) line++;
    at = m.index;
    out.push(line);
  }
  return out;
}
