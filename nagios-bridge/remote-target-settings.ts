/** `<target type="cmd_cgi">` and `<target type="nrdp">`: a remote Nagios reached over HTTP(S), read with every problem at its place. */
import type { BuildContext, ConfigNode, SourcePos } from '../grammar/index.js';
import { readInFlight, readInsecure, readSecretAttrs, readTimeout } from './target-attributes.js';
import { CMD_CGI_DATE_FORMATS, type CmdCgiDateFormat } from './transports/index.js';

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
  /** The remote nagios.cfg's `date_format`, in which cmd.cgi reads a downtime's times (default `us`). */
  dateFormat?: CmdCgiDateFormat;
  /** The time zone the remote cmd.cgi runs in (IANA name; default this machine's). */
  timeZone?: string;
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

export const CMD_CGI_ATTRS = ['name', 'type', 'url', 'user', 'password', 'password_file', 'ca_file', 'insecure', 'timeout', 'concurrency', 'date_format', 'time_zone'] as const;
export const NRDP_ATTRS = ['name', 'type', 'url', 'token', 'token_file', 'ca_file', 'insecure', 'timeout'] as const;

/** Reads the attributes both remote kinds share; undefined when one is wrong (each problem reported). */
function readHttp(el: ConfigNode, what: string, ctx: BuildContext): HttpTargetSettings | undefined {
  const { url = '', ca_file: caFile } = el.attrs;
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
  const insecure = readInsecure(el, what, ctx);
  const timeoutMs = readTimeout(el, what, ctx);
  if (!ok || insecure === undefined || timeoutMs === undefined) return undefined;
  return { url: href, ...(ca ? { caFile: ca } : {}), insecure, timeoutMs };
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
  const secret = readSecretAttrs(el, what, ctx, ['password', 'password_file']);
  const concurrency = readInFlight(el, 'concurrency', 4, what, ctx);
  const dateFormat = el.attrs.date_format?.trim();
  if (dateFormat !== undefined && !(CMD_CGI_DATE_FORMATS as readonly string[]).includes(dateFormat)) {
    ctx.issue(el.pos, `${what}: date_format="${el.attrs.date_format}" must be one of ${CMD_CGI_DATE_FORMATS.join(', ')} (the remote nagios.cfg's date_format)`);
    ok = false;
  }
  const timeZone = el.attrs.time_zone?.trim();
  if (timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      ctx.issue(el.pos, `${what}: time_zone="${el.attrs.time_zone}" is not a time zone name (e.g. UTC, Europe/Zurich)`);
      ok = false;
    }
  }
  if (!ok || !secret || !http || concurrency === undefined) return undefined;
  return {
    name,
    type: 'cmd_cgi',
    ...http,
    user: user!,
    ...(secret.value !== undefined ? { password: secret.value } : { passwordFile: secret.file! }),
    concurrency,
    ...(dateFormat === undefined ? {} : { dateFormat: dateFormat as CmdCgiDateFormat }),
    ...(timeZone === undefined ? {} : { timeZone }),
    pos: el.pos,
  };
}

/** `<target type="nrdp" url= token|token_file= [ca_file= insecure= timeout=]/>`. */
export function buildNrdpTarget(el: ConfigNode, name: string, what: string, ctx: BuildContext): NrdpTargetSettings | undefined {
  const http = readHttp(el, what, ctx);
  const secret = readSecretAttrs(el, what, ctx, ['token', 'token_file']);
  if (!http || !secret) return undefined;
  return { name, type: 'nrdp', ...http, ...(secret.value !== undefined ? { token: secret.value } : { tokenFile: secret.file! }), pos: el.pos };
}
