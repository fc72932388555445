/** Query-string and JSON field readers shared by the collector's HTTP routes. */
import type { Request } from 'express';
import { AppError } from '../common/index.js';

/** The first value of a query parameter, or undefined. */
export function queryText(req: Request, name: string): string | undefined {
  const v: unknown = (req.query as Record<string, unknown>)[name];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
}

/** Every value of a repeated or comma-separated parameter (`node=a&node=b` or `node=a,b`). */
export function queryList(req: Request, name: string): string[] {
  const v: unknown = (req.query as Record<string, unknown>)[name];
  const values = (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
  return values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

/** A time given as ISO-8601 (a missing zone means UTC) or as epoch seconds. */
export function parseTime(text: string, what: string): Date {
  const t = text.trim();
  let ms: number;
  if (/^-?\d+(\.\d+)?$/.test(t)) ms = Number(t) * 1000;
  else ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(t) || !/T|\d \d/.test(t) ? t : `${t.replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) throw new AppError('bad_request', `${what} "${text}" is not a time; use ISO-8601 (2026-03-01T10:00:00Z) or epoch seconds`, { field: what });
  return new Date(ms);
}

/** A whole number parameter within bounds, or the default. */
export function queryInt(req: Request, name: string, fallback: number, max: number): number {
  const text = queryText(req, name);
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new AppError('bad_request', `${name} "${text}" is not a whole number from 1 to ${max}`, { field: name });
  return n;
}
