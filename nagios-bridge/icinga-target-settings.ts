/** `<target type="icinga2">`: an Icinga 2 API endpoint, read with every problem at its place. */
import type { BuildContext, ConfigNode, SourcePos } from '../grammar/index.js';
import { readInFlight, readInsecure, readSecretAttrs, readTimeout } from './target-attributes.js';

/** Icinga 2's REST API (`/v1/actions/...`), HTTPS with an ApiUser's Basic credentials. */
export interface IcingaTargetSettings {
  name: string;
  type: 'icinga2';
  /** The API's base, e.g. `https://icinga.example.org:5665` (its host must match the certificate's name). */
  url: string;
  user: string;
  /** One of the two: the password itself, or a file holding it (better for secrets; read for every batch). */
  password?: string;
  passwordFile?: string;
  /** PEM file of Icinga's CA (`/var/lib/icinga2/certs/ca.crt`) to trust instead of the system's. */
  caFile?: string;
  /** Skips certificate verification (labs only). */
  insecure: boolean;
  /** Requests in flight at once (default 8): Icinga has no bulk endpoint, so a batch goes as parallel single requests. */
  parallel: number;
  /** Per request (default 30 s). */
  timeoutMs: number;
  pos?: SourcePos;
}

export const ICINGA_ATTRS = ['name', 'type', 'url', 'user', 'password', 'password_file', 'ca_file', 'insecure', 'parallel', 'timeout'] as const;

/** `<target type="icinga2" url= user= password|password_file= [ca_file= insecure= parallel= timeout=]/>`; undefined when any attribute is wrong (each reported). */
export function buildIcingaTarget(el: ConfigNode, name: string, what: string, ctx: BuildContext): IcingaTargetSettings | undefined {
  const a = el.attrs;
  let ok = true;
  const bad = (message: string) => {
    ctx.issue(el.pos, `${what}: ${message}`);
    ok = false;
  };
  const href = ctx.expand(a.url ?? '', el.pos).trim();
  let url: URL | undefined;
  try {
    url = new URL(href);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:') bad(`url="${a.url ?? ''}" must be the https:// address of Icinga's API, e.g. https://icinga.example.org:5665 (the API speaks HTTPS only)`);
  else if (url.username || url.password) bad(`url="${a.url ?? ''}" holds credentials; give them as user= and password_file=`);
  else if (url.pathname !== '/' || url.search) bad(`url="${a.url ?? ''}" must be the API's base (scheme, host and port) without a path; the bridge adds /v1/actions/...`);
  const user = a.user;
  if (!user || /[:\s]/.test(user)) bad(`user="${user ?? ''}" must be the name of an Icinga ApiUser (no ':' or spaces)`);
  const secret = readSecretAttrs(el, what, ctx, ['password', 'password_file']);
  if (!secret) ok = false;
  const caFile = a.ca_file === undefined ? undefined : ctx.expand(a.ca_file, el.pos).trim();
  if (caFile !== undefined && !caFile.startsWith('/')) bad(`ca_file="${a.ca_file ?? ''}" must be the absolute path of Icinga's CA certificate`);
  const insecure = readInsecure(el, what, ctx);
  if (insecure && caFile !== undefined) ctx.issue(el.pos, `${what}: insecure="true" ignores ca_file; give one of them`, 'warning');
  const parallel = readInFlight(el, 'parallel', 8, what, ctx);
  const timeoutMs = readTimeout(el, what, ctx);
  if (!ok || !secret || insecure === undefined || parallel === undefined || timeoutMs === undefined) return undefined;
  return {
    name,
    type: 'icinga2',
    url: url!.origin,
    user: user!,
    ...(secret.value !== undefined ? { password: secret.value } : { passwordFile: secret.file! }),
    ...(caFile !== undefined ? { caFile } : {}),
    insecure,
    parallel,
    timeoutMs,
    pos: el.pos,
  };
}
