/** NRDP's `XMLDATA` and `JSONDATA` payloads read into raw results; XML without DOCTYPE or entity declarations. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ResultKind } from '../types.js';
import type { RawResult } from './check-result-fields.js';

/** A payload that cannot be read; `message` is NRDP's (`BAD XML` / `BAD JSON`), `detail` says where and why. */
export class PayloadError extends Error {
  constructor(
    readonly nrdpMessage: 'BAD XML' | 'BAD JSON',
    readonly detail: string,
  ) {
    super(`${nrdpMessage}: ${detail}`);
  }
}

/** Most check results in one submission. */
export const MAX_RESULTS_PER_SUBMISSION = 10_000;

/** One result as NRDP's payload gives it: the fields, and where it stands (for messages). */
export interface PayloadResult {
  /** `checkresult 3` — the result's place in the submission, 1-based. */
  where: string;
  fields: Omit<RawResult, 'checkTime' | 'source' | 'submittedBy'> & { time?: string | undefined };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // The predefined entities and character references (`&#10;`); documents with declarations are refused before this.
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => name === 'checkresult',
});

function kindOf(type: unknown, where: string, bad: (d: string) => PayloadError): ResultKind {
  // NRDP: a result without a type is a host result.
  if (type === undefined || type === '') return 'host';
  if (typeof type !== 'string') throw bad(`${where}: type must be text, "host" or "service"`);
  const t = type.trim().toLowerCase();
  if (t === 'host' || t === 'service') return t;
  throw bad(`${where}: type "${type}" is neither host nor service`);
}

function textOf(value: unknown, field: string, where: string, bad: (d: string) => PayloadError): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw bad(`${where}: ${field} must be text`);
}

/** Reads `<checkresults><checkresult type="service">...</checkresult></checkresults>`. Throws {@link PayloadError}. */
export function readXmlPayload(xml: string): PayloadResult[] {
  const bad = (detail: string) => new PayloadError('BAD XML', detail);
  // Entity declarations are how XML bombs and external-entity reads start; NRDP payloads never need them.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw bad('DOCTYPE and entity declarations are not allowed');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    // The validator lists unclosed elements as `Invalid '["a","b"]' found.` at 1:1; say it in words.
    const unclosed = /^Invalid '\[(.*)\]' found/s.exec(valid.err.msg);
    const names = unclosed ? [...unclosed[1]!.matchAll(/"([^"]*)"/g)].map((m) => `<${m[1]}>`) : [];
    if (names.length) throw bad(`${names.join(', ')} not closed before the end of the data`);
    throw bad(`line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  const doc = parser.parse(xml) as Record<string, unknown>;
  const root = doc.checkresults;
  if (root === undefined) throw bad('the document element must be <checkresults>');
  const list = root === '' ? [] : ((root as Record<string, unknown>).checkresult as unknown[] | undefined) ?? [];
  return list.map((entry, i) => {
    const where = `checkresult ${i + 1}`;
    if (typeof entry !== 'object' || entry === null) throw bad(`${where} holds no fields`);
    const r = entry as Record<string, unknown>;
    return {
      where,
      fields: {
        kind: kindOf(r['@type'], where, bad),
        host: textOf(r.hostname, 'hostname', where, bad),
        service: textOf(r.servicename, 'servicename', where, bad),
        state: textOf(r.state, 'state', where, bad),
        output: textOf(r.output, 'output', where, bad),
        time: textOf(r.time, 'time', where, bad),
      },
    };
  });
}

/** Reads `{"checkresults":[{"checkresult":{"type":"service"},"hostname":...}]}`. Throws {@link PayloadError}. */
export function readJsonPayload(json: string): PayloadResult[] {
  const bad = (detail: string) => new PayloadError('BAD JSON', detail);
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw bad((err as Error).message);
  }
  const list = (doc as { checkresults?: unknown } | null)?.checkresults;
  if (!Array.isArray(list)) throw bad('expected {"checkresults": [ ... ]}');
  return list.map((entry: unknown, i) => {
    const where = `checkresults[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad(`${where} must be an object`);
    const r = entry as Record<string, unknown>;
    const head = r.checkresult;
    if (head !== undefined && (typeof head !== 'object' || head === null)) throw bad(`${where}.checkresult must be an object`);
    return {
      where,
      fields: {
        kind: kindOf((head as Record<string, unknown> | undefined)?.type, where, bad),
        host: textOf(r.hostname, 'hostname', where, bad),
        service: textOf(r.servicename, 'servicename', where, bad),
        state: textOf(r.state, 'state', where, bad),
        output: textOf(r.output, 'output', where, bad),
        time: textOf(r.time, 'time', where, bad),
      },
    };
  });
}
