/** The entries' settings (who may submit what, limits) and how a `NagiosBridge` class's attributes and elements build them. */
import { AppError, compilePattern, type Pattern } from '../../common/index.js';
import { parseBoolean, type BuildContext, type ConfigClass, type ConfigNode } from '../../grammar/index.js';

/** Which hosts and services one user or token may submit results for: anchored RE2 patterns, as NSCA-ng's `hosts`/`services`. */
export interface SubmitLimits {
  hosts?: Pattern;
  services?: Pattern;
}

/** One NRDP token: its secret (compared in constant time) and what it may submit. */
export interface NrdpToken extends SubmitLimits {
  name: string;
  secret: string;
}

/** What both entries need to know; build with {@link readEntrySettings} or {@link entrySettings}. */
export interface EntrySettings {
  /** `WWW-Authenticate: Basic realm="..."` of cmd.cgi's first 401. */
  realm: string;
  /** cgi.cfg's `authorized_for_all_service_commands`: user names, or `*` for every user with the operator role. */
  serviceCommandUsers: readonly string[];
  /** cgi.cfg's `authorized_for_all_host_commands`. */
  hostCommandUsers: readonly string[];
  /** Per-user limits from `<submitter user=...>`; a user without one may submit for any host and service. */
  submitters: ReadonlyMap<string, SubmitLimits>;
  /** NRDP's `authorized_tokens`; none means NRDP answers "NO TOKENS" to every submission. */
  nrdpTokens: readonly NrdpToken[];
  /** Largest plugin output plus performance data of one result, in bytes. */
  maxOutputBytes: number;
  /** Turn `+` back into spaces in the output of RSV's requests (those with `btnSubmit=Commited`). */
  rsvPlusAsSpace: boolean;
}

/** Output plus perfdata limit: 8 KiB, Nagios core's own limit on one external command line. */
export const DEFAULT_MAX_OUTPUT_BYTES = 8192;

/** Attributes of the `NagiosBridge` class that {@link readEntrySettings} reads (the bridge's handler warns about the rest). */
export const ENTRY_ATTRIBUTES = [
  'cmd_cgi_realm',
  'authorized_for_all_service_commands',
  'authorized_for_all_host_commands',
  'max_output_bytes',
  'rsv_plus_as_space',
] as const;
/** Child elements of the `NagiosBridge` class that {@link readEntrySettings} reads. */
export const ENTRY_ELEMENTS = ['submitter', 'nrdp_token'] as const;

function names(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).filter(Boolean);
}

/** An anchored pattern: `osg-.*` must match the whole name, as NSCA-ng anchors its `hosts` and `services`. */
export function anchoredPattern(pattern: string, input: string): Pattern {
  compilePattern(pattern, { input });
  return compilePattern(`^(?:${pattern})$`, { input });
}

/** Settings written by hand (tests, defaults); patterns as text. Throws `AppError('bad_request')` for a bad pattern. */
export function entrySettings(init: {
  realm?: string;
  serviceCommandUsers?: readonly string[];
  hostCommandUsers?: readonly string[];
  submitters?: Record<string, { hosts?: string; services?: string }>;
  nrdpTokens?: readonly { name: string; secret: string; hosts?: string; services?: string }[];
  maxOutputBytes?: number;
  rsvPlusAsSpace?: boolean;
} = {}): EntrySettings {
  const limits = (l: { hosts?: string; services?: string }, who: string): SubmitLimits => ({
    ...(l.hosts === undefined ? {} : { hosts: anchoredPattern(l.hosts, `${who} hosts`) }),
    ...(l.services === undefined ? {} : { services: anchoredPattern(l.services, `${who} services`) }),
  });
  return {
    realm: init.realm ?? 'Nagios Access',
    serviceCommandUsers: init.serviceCommandUsers ?? [],
    hostCommandUsers: init.hostCommandUsers ?? [],
    submitters: new Map(Object.entries(init.submitters ?? {}).map(([user, l]) => [user, limits(l, `submitter ${user}`)])),
    nrdpTokens: (init.nrdpTokens ?? []).map((t) => ({ name: t.name, secret: t.secret, ...limits(t, `nrdp_token ${t.name}`) })),
    maxOutputBytes: init.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    rsvPlusAsSpace: init.rsvPlusAsSpace ?? true,
  };
}

function limitsOf(el: ConfigNode, label: string, ctx: BuildContext): SubmitLimits | undefined {
  const out: SubmitLimits = {};
  for (const key of ['hosts', 'services'] as const) {
    const text = el.attrs[key];
    if (text === undefined) continue;
    try {
      out[key] = anchoredPattern(text, `${label} ${key}`);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      ctx.issue(el.pos, `${label}: ${key}="${text}" is not a usable pattern: ${err.message}`);
      return undefined;
    }
  }
  return out;
}

/**
 * Reads the entries' part of a `NagiosBridge` class: the attributes in {@link ENTRY_ATTRIBUTES} and
 * `<submitter user="U" hosts="RE" services="RE"/>`, `<nrdp_token name="N" token="${SECRET}" hosts="RE" services="RE"/>`.
 * Problems are reported at their position through `ctx`; what is wrong is left out (a token or submitter with a bad
 * pattern is dropped, never widened to "anything").
 */
export function readEntrySettings(cls: ConfigClass, ctx: BuildContext): EntrySettings {
  const label = `NagiosBridge "${cls.name}"`;
  const attr = cls.attributes;
  const settings = entrySettings();
  if (attr.cmd_cgi_realm) {
    const realm = attr.cmd_cgi_realm.value;
    if (/["\\\r\n]/.test(realm) || realm === '') ctx.issue(attr.cmd_cgi_realm.pos, `${label}: cmd_cgi_realm must be non-empty and hold no quote, backslash or newline`);
    else settings.realm = realm;
  }
  settings.serviceCommandUsers = names(attr.authorized_for_all_service_commands?.value);
  settings.hostCommandUsers = names(attr.authorized_for_all_host_commands?.value);
  const max = attr.max_output_bytes;
  if (max) {
    const n = /^\d+$/.test(max.value) ? Number(max.value) : NaN;
    if (n >= 256 && n <= 1_048_576) settings.maxOutputBytes = n;
    else ctx.issue(max.pos, `${label}: max_output_bytes "${max.value}" is not a number of bytes between 256 and 1048576`);
  }
  const plus = attr.rsv_plus_as_space;
  if (plus) settings.rsvPlusAsSpace = parseBoolean(plus.value, plus.pos, `${label}: rsv_plus_as_space`, ctx) ?? settings.rsvPlusAsSpace;

  const submitters = new Map<string, SubmitLimits>();
  const tokens: NrdpToken[] = [];
  for (const el of cls.node.children) {
    if (el.tag === 'submitter') {
      const user = el.attrs.user;
      if (!user) {
        ctx.issue(el.pos, `${label}: <submitter> needs user="NAME"`);
        continue;
      }
      if (submitters.has(user)) ctx.issue(el.pos, `${label}: <submitter user="${user}"> is given twice; give each user once`);
      const limits = limitsOf(el, `${label}: <submitter user="${user}">`, ctx);
      // A submitter whose limits cannot be read gets an impossible limit rather than none.
      submitters.set(user, limits ?? { hosts: { test: () => false } });
    } else if (el.tag === 'nrdp_token') {
      const name = el.attrs.name;
      const secret = el.attrs.token === undefined ? '' : ctx.expand(el.attrs.token, el.pos);
      if (!name) ctx.issue(el.pos, `${label}: <nrdp_token> needs name="NAME"`);
      else if (secret.length < 16 || /\$\{?[A-Za-z_]/.test(secret)) ctx.issue(el.pos, `${label}: <nrdp_token name="${name}"> needs token="..." of at least 16 characters`);
      else if (tokens.some((t) => t.name === name || t.secret === secret)) ctx.issue(el.pos, `${label}: <nrdp_token name="${name}"> repeats the name or token of another nrdp_token`);
      else {
        const limits = limitsOf(el, `${label}: <nrdp_token name="${name}">`, ctx);
        if (limits) tokens.push({ name, secret, ...limits });
      }
    }
  }
  settings.submitters = submitters;
  settings.nrdpTokens = tokens;
  return settings;
}
