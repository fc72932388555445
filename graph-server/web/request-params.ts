/** URL parameters as GraphTool's handlers saw them: one text value per key. */

/**
 * The request's query parameters as `key → text`. A repeated key keeps its last value (a form's later field wins);
 * nested objects from bracket syntax are not parameters GraphTool knew and are dropped.
 */
export function requestParams(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!query || typeof query !== 'object') return out;
  for (const [key, raw] of Object.entries(query as Record<string, unknown>)) {
    const value: unknown = Array.isArray(raw) ? (raw as unknown[])[raw.length - 1] : raw;
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** A cache key for a query run: the qualified name and the parameters in key order. */
export function runKey(qualifiedName: string, params: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(params).sort().map((k) => [k, params[k] ?? '']);
  return `${qualifiedName}?${new URLSearchParams(sorted).toString()}`;
}

/** `?k=v&...` (URL-encoded), or `''` without parameters. */
export function queryString(params: Readonly<Record<string, string>>): string {
  const text = new URLSearchParams(Object.entries(params)).toString();
  return text ? `?${text}` : '';
}

/** `params` without the given keys. */
export function without(params: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => !keys.includes(k)));
}
