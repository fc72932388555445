/** Schema-qualified table names as prefixed tables: `oim.resource` → `oim_resource`, for stores that hold those schemas as prefixes. */
import type { SqlToken } from './sql-lexer.js';

const cache = new WeakMap<readonly SqlToken[], { key: string; tokens: readonly SqlToken[] }>();

/**
 * `tokens` with every `schema.table` of a listed schema (outside literals, quoted identifiers and comments, as a
 * whole name: `xoim.t` and `OIMR.id` are left alone) written `schema_table`. The result is cached per token list.
 */
export function qualifiedAsPrefixed(tokens: readonly SqlToken[], schemas: readonly string[]): readonly SqlToken[] {
  const key = schemas.join(',');
  const hit = cache.get(tokens);
  if (hit?.key === key) return hit.tokens;
  const names = schemas.map((s) => s.replace(/[^A-Za-z0-9_]/g, '')).filter(Boolean);
  if (!names.length) return tokens;
  const qualified = new RegExp(`(^|[^A-Za-z0-9_$.])(${names.join('|')})\\.([A-Za-z_])`, 'g');
  const mapped = tokens.map((t) => (t.kind === 'word' && t.text.includes('.') ? { ...t, text: t.text.replace(qualified, '$1$2_$3') } : t));
  cache.set(tokens, { key, tokens: mapped });
  return mapped;
}
