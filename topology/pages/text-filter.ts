/** The pages' filter box: a plain case-insensitive substring (linear time, whatever the text), and the query's bounded fields. */
import { AppError } from '../../common/index.js';

/** The longest filter taken (names in OSG Topology are well under this). */
export const MAX_FILTER = 200;

/** A field's one value from the query string, trimmed; a repeated or over-long field is a 400 naming it. */
export function textField(query: unknown, name: string, max: number = MAX_FILTER): string | undefined {
  const v: unknown = query && typeof query === 'object' ? (query as Record<string, unknown>)[name] : undefined;
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new AppError('bad_request', `field "${name}": expected one value`, { field: name });
  if (v.length > max) throw new AppError('bad_request', `field "${name}": at most ${max} characters`, { field: name });
  const text = v.trim();
  return text === '' ? undefined : text;
}

/** A whole number in `[min, max]`, or `fallback` when absent; anything else is a 400 naming the field. */
export function countField(query: unknown, name: string, min: number, max: number, fallback: number): number {
  const text = textField(query, name, 20);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new AppError('bad_request', `field "${name}": "${text}" is not a whole number from ${min} to ${max}`, { field: name });
  }
  return Number(text);
}

/** A test over an entry's texts: true when any holds `filter` (ignoring case), always true without a filter. */
export type TextMatch = (...texts: readonly (string | undefined)[]) => boolean;

export function textMatch(filter: string | undefined): TextMatch {
  if (filter === undefined) return () => true;
  const wanted = filter.toLowerCase();
  return (...texts) => texts.some((t) => t !== undefined && t.toLowerCase().includes(wanted));
}
