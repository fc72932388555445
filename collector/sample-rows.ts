/** Reading samples back: the select list and the row-to-sample mapping shared by every read. */
import { parseSqlDateTime } from '../common/index.js';
import type { Row } from '../store/index.js';
import type { StoredSample } from './types.js';

export const SAMPLE_SELECT = 'SELECT id, node, metric, time, value, source, summary, details, tags FROM samples';

export function toStoredSample(r: Row): StoredSample {
  const time = r.time instanceof Date ? r.time : new Date(parseSqlDateTime(String(r.time)));
  const s: StoredSample = { id: Number(r.id), node: String(r.node), metric: String(r.metric), time, value: Number(r.value), source: String(r.source) };
  if (typeof r.summary === 'string') s.summary = r.summary;
  if (typeof r.details === 'string') s.details = r.details;
  if (typeof r.tags === 'string' && r.tags) s.tags = JSON.parse(r.tags) as Record<string, string>;
  return s;
}

/** `col IN (?, ?, ...)` with its values, or nothing when the list is empty (meaning: all). */
export function inList(column: string, values: readonly string[]): { sql: string; params: string[] } | undefined {
  if (!values.length) return undefined;
  return { sql: `${column} IN (${values.map(() => '?').join(', ')})`, params: [...values] };
}
