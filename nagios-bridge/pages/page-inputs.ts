/** Reading the pages' query and form fields: each bad value is a 400 naming its field, never a guess. */
import type { Request } from 'express';
import { AppError } from '../../common/index.js';

/** The longest text field taken (host and service names are at most 1023 bytes; a pattern at most 4096 characters). */
const MAX_TEXT = 4096;

/** A field's one value from the query string or a parsed form/JSON body; a repeated field is refused. */
export function field(source: unknown, name: string): string | undefined {
  const v: unknown = source && typeof source === 'object' ? (source as Record<string, unknown>)[name] : undefined;
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') throw new AppError('bad_request', `field "${name}": expected one value`, { field: name });
  if (v.length > MAX_TEXT) throw new AppError('bad_request', `field "${name}": at most ${MAX_TEXT} characters`, { field: name });
  return v;
}

/** A whole number in `[min, max]`, or `fallback` when absent. */
export function intField(source: unknown, name: string, min: number, max: number, fallback: number): number {
  const text = field(source, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new AppError('bad_request', `field "${name}": "${preview(text)}" is not a whole number from ${min} to ${max}`, { field: name });
  }
  return Number(text);
}

/** One of `choices`, or `fallback` when absent. */
export function choiceField<T extends string>(source: unknown, name: string, choices: readonly T[], fallback: T): T {
  const text = field(source, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) throw new AppError('bad_request', `field "${name}": "${preview(text)}" is not one of ${choices.join(', ')}`, { field: name });
  return text as T;
}

const EPOCH_SECONDS = /^\d{1,11}$/;
// What a datetime-local input sends (`2026-03-01T10:00`), with optional seconds and a Z; no zone means UTC.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?Z?$/;

/** A time as epoch seconds or ISO-8601 in UTC (`2026-03-01`, `2026-03-01T10:00[:00][Z]`), as epoch ms; undefined when absent. */
export function timeField(source: unknown, name: string): number | undefined {
  const text = field(source, name)?.trim();
  if (text === undefined || text === '') return undefined;
  if (EPOCH_SECONDS.test(text)) return Number(text) * 1000;
  const m = ISO_TIME.exec(text);
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m ?? [];
  const t = m ? Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) : NaN;
  // Date.UTC rolls 02-30 over into March: the fields must read back as written.
  const back = new Date(t);
  if (!m || Number.isNaN(t) || back.getUTCDate() !== Number(d) || back.getUTCHours() !== Number(h) || back.getUTCMinutes() !== Number(mi)) {
    throw new AppError('bad_request', `field "${name}": "${preview(text)}" is not a time; use ISO-8601 in UTC (2026-03-01T10:00) or epoch seconds`, { field: name });
  }
  return t;
}

/** Item ids: a form's repeated `name` fields or a JSON array of whole numbers; at most `max`. */
export function idsField(source: unknown, name: string, max: number): number[] | undefined {
  const v: unknown = source && typeof source === 'object' ? (source as Record<string, unknown>)[name] : undefined;
  if (v === undefined) return undefined;
  const list: unknown[] = Array.isArray(v) ? v : [v];
  if (list.length > max) throw new AppError('bad_request', `field "${name}": at most ${max} ids at once`, { field: name });
  return list.map((x) => {
    const n = typeof x === 'number' ? x : typeof x === 'string' && /^\d{1,15}$/.test(x.trim()) ? Number(x) : NaN;
    if (!Number.isSafeInteger(n) || n <= 0) throw new AppError('bad_request', `field "${name}": ${preview(JSON.stringify(x) ?? String(x))} is not an item id (a whole number)`, { field: name });
    return n;
  });
}

/** The query string of a request, for the readers above. */
export const query = (req: Request): unknown => req.query;

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
