/** Where a target delivers, for pages: only fields known to hold no secret, and a URL without its credentials or query. */
import type { TargetSettings } from './settings.js';

/** `path` (and ` + spool DIR`), or `url` stripped of user, password, query and fragment. Other fields are never shown. */
export function targetAddress(target: TargetSettings): string {
  const t = target as unknown as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof t.url === 'string') parts.push(safeUrl(t.url));
  if (typeof t.path === 'string' && t.path) parts.push(t.path);
  if (typeof t.spool === 'string' && t.spool) parts.push(`spool ${t.spool}`);
  return parts.join(' + ');
}

function safeUrl(text: string): string {
  try {
    const u = new URL(text);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString();
  } catch {
    // Not a URL we can take apart: show only that there is one rather than risk showing a secret inside it.
    return '(url)';
  }
}
