/** `<target type="cmd_cgi">` and `<target type="nrdp">`: a remote Nagios reached over HTTP(S), read with every problem at its place. */
import type { BuildContext, ConfigNode, SourcePos } from '../grammar/index.js';

/** What every HTTP(S) target has. */
export interface HttpTargetSettings {
  url: string;
  /** PEM file of the CA (or self-signed certificate) to trust for HTTPS. */
  caFile?: string;
  /** Skips certificate verification (HTTPS). */
  insecure: boolean;
  /** Per request (default 30 s). */
  timeoutMs: number;
}

/** A remote Nagios's cmd.cgi: one commit per result, HTTP Basic, the CSRF handshake, the page read. */
export interface CmdCgiTargetSettings extends HttpTargetSettings {
  name: string;
  type: 'cmd_cgi';
  user: string;
  /** One of the two: the password itself, or a file holding it (better for secrets). */
  password?: string;
  passwordFile?: string;
  /** Commits in flight at once (default 4). */
  concurrency: number;
  pos?: SourcePos;
}

/** An NRDP server: a batch per `cmd=submitcheck` post. */
export interface NrdpTargetSettings extends HttpTargetSettings {
  name: string;
  type: 'nrdp';
  /** One of the two: the token itself, or a file holding it. */
  token?: string;
  tokenFile?: string;
  pos?: SourcePos;
}

export const CMD_CGI_ATTRS = ['name', 'type', 'url', 'user', 'password', 'password_file', 'ca_file', 'insecure', 'timeout', 'concurrency'] as const;
export const NRDP_ATTRS = ['name', 'type', 'url', 'token', 'token_file', 'ca_file', 'insecure', 'timeout'] as const;

const DEFAULT_TIMEOUT_MS = 30_000;
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Reads the attributes both remote kinds share; undefined when one is wrong (each problem reported). */
function readHttp(el: ConfigNode, what: string, ctx: BuildContext): HttpTargetSettings | undefined {
  const { url = '', ca_file: caFile, insecure = 'false', timeout } = el.attrs;
  let ok = true;
  const href = ctx.expand(url, el.pos).trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(href);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    ctx.issue(el.pos, `${what}: url="${url}" must be an http:// or https:// URL`);
    ok = false;
  } else if (parsed.username || parsed.password) {
    ctx.issue(el.pos, `${what}: url="${url}" holds credentials; give them as attributes (user/password_file, token_file)`);
    ok = false;
  }
  const ca = caFile === undefined ? undefined : ctx.expand(caFile, el.pos).trim();
  if (ca !== undefined && !ca.startsWith('/')) {
    ctx.issue(el.pos, `${what}: ca_file="${caFile}" must be an absolute path`);
    ok = false;
  }
  if (ca !== undefined && parsed?.protocol === 'http:') ctx.issue(el.pos, `${what}: ca_file is for https:// URLs; url is http://`, 'warning');
  const flag = insecure.trim().toLowerCase();
  if (!['true', 'false', 'yes', 'no', '1', '0'].includes(flag)) {
    ctx.issue(el.pos, `${what}: insecure="${insecure}" must be true or false`);
    ok = false;
  }
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (timeout !== undefined) {
    const m = /^(\d+)\s*(ms|s|m)$/.exec(timeout.trim());
    const ms = m ? Number(m[1]) * UNITS[m[2]!]! : 0;
    if (ms >= 100 && ms <= 600_000) timeoutMs = ms;
    else {
      ctx.issue(el.pos, `${what}: timeout="${timeout}" must be a duration from 100ms to 10m, e.g. 30s`);
      ok = false;
    }
  }
  return ok ? { url: href, ...(ca ? { caFile: ca } : {}), insecure: ['true', 'yes', '1'].includes(flag), timeoutMs } : undefined;
}

/** One of `value` / `file` (an absolute path), as the target's secret; false when both, neither or a relative file. */
function readSecret(el: ConfigNode, what: string, ctx: BuildContext, names: [string, string]): { value?: string; file?: string } | false {
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

/** `<target type="cmd_cgi" url= user= password|password_file= [ca_file= insecure= timeout= concurrency=]/>`. */
export function buildCmdCgiTarget(el: ConfigNode, name: string, what: string, ctx: BuildContext): CmdCgiTargetSettings | undefined {
  const http = readHttp(el, what, ctx);
  const user = el.attrs.user;
  let ok = http !== undefined;
  if (!user || /[:\s]/.test(user)) {
    ctx.issue(el.pos, `${what}: user="${user ?? ''}" must be the cmd.cgi user's name (no ':' or spaces)`);
    ok = false;
  }
  const secret = readSecret(el, what, ctx, ['password', 'password_file']);
  let concurrency = 4;
  if (el.attrs.concurrency !== undefined) {
    const n = /^\d+$/.test(el.attrs.concurrency.trim()) ? Number(el.attrs.concurrency.trim()) : NaN;
    if (n >= 1 && n <= 64) concurrency = n;
    else {
      ctx.issue(el.pos, `${what}: concurrency="${el.attrs.concurrency}" is not a whole number from 1 to 64`);
      ok = false;
    }
  }
  if (!ok || !secret || !http) return undefined;
  return {
    name,
    type: 'cmd_cgi',
    ...http,
    user: user!,
    ...(secret.value !== undefined ? { password: secret.value } : { passwordFile: secret.file! }),
    concurrency,
    pos: el.pos,
  };
}

/** `<target type="nrdp" url= token|token_file= [ca_file= insecure= timeout=]/>`. */
export function buildNrdpTarget(el: ConfigNode, name: string, what: string, ctx: BuildContext): NrdpTargetSettings | undefined {
  const http = readHttp(el, what, ctx);
  const secret = readSecret(el, what, ctx, ['token', 'token_file']);
  if (!http || !secret) return undefined;
  return { name, type: 'nrdp', ...http, ...(secret.value !== undefined ? { token: secret.value } : { tokenFile: secret.file! }), pos: el.pos };
}
