/** Attributes several `<target>` types share (secrets, `insecure`, `timeout`, counts), each problem reported at the element. */
import type { BuildContext, ConfigNode } from '../grammar/index.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** One of `value` / `file` (an absolute path), as the target's secret; false when both, neither or a relative file. */
export function readSecretAttrs(el: ConfigNode, what: string, ctx: BuildContext, names: [string, string]): { value?: string; file?: string } | false {
  const [name, fileName] = names;
  const value = el.attrs[name];
  const file = el.attrs[fileName] === undefined ? undefined : ctx.expand(el.attrs[fileName], el.pos).trim();
  if ((value === undefined) === (file === undefined)) {
    ctx.issue(el.pos, `${what}: give exactly one of ${name}="..." or ${fileName}="/path" (the file is better for secrets)`);
    return false;
  }
  if (file !== undefined && !file.startsWith('/')) {
    ctx.issue(el.pos, `${what}: ${fileName}="${el.attrs[fileName]}" must be an absolute path`);
    return false;
  }
  // Not expanded: a password may hold `$`.
  if (value !== undefined) return { value };
  return { file: file! };
}

/** `insecure="true|false"` (also yes/no, 1/0; default false); undefined when it is none of those. */
export function readInsecure(el: ConfigNode, what: string, ctx: BuildContext): boolean | undefined {
  const text = el.attrs.insecure ?? 'false';
  const flag = text.trim().toLowerCase();
  if (!['true', 'false', 'yes', 'no', '1', '0'].includes(flag)) {
    ctx.issue(el.pos, `${what}: insecure="${text}" must be true or false`);
    return undefined;
  }
  return ['true', 'yes', '1'].includes(flag);
}

/** `timeout="30s"`, from 100ms to 10m (default 30 s); undefined when it is no such duration. */
export function readTimeout(el: ConfigNode, what: string, ctx: BuildContext): number | undefined {
  const text = el.attrs.timeout;
  if (text === undefined) return 30_000;
  const m = /^(\d+)\s*(ms|s|m)$/.exec(text.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2]!]! : 0;
  if (ms >= 100 && ms <= 600_000) return ms;
  ctx.issue(el.pos, `${what}: timeout="${text}" must be a duration from 100ms to 10m, e.g. 30s`);
  return undefined;
}

/** A whole number from 1 to 64 in attribute `name` (requests in flight), or `fallback`; undefined when it is not one. */
export function readInFlight(el: ConfigNode, name: string, fallback: number, what: string, ctx: BuildContext): number | undefined {
  const text = el.attrs[name];
  if (text === undefined) return fallback;
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (n >= 1 && n <= 64) return n;
  ctx.issue(el.pos, `${what}: ${name}="${text}" is not a whole number from 1 to 64`);
  return undefined;
}
