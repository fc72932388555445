/**
 * The OpenNebula XML-RPC client: every call sends the session first, decodes OpenNebula's `[ok, value, code]` reply
 * and turns a refusal into a typed {@link OpenNebulaError}. Methods are thin wrappers over `call`, so provisioning adds
 * `one.vm.allocate`, `one.vm.action`, ... as one line each.
 */
import { AppError } from '../common/index.js';
import { ONE_ERROR_CODES, OpenNebulaError } from './errors.js';
import { resolveSession, type SessionSource } from './session.js';
import { callXmlRpc } from './transport.js';

export type OpenNebulaClientOptions = SessionSource & {
  /** `http(s)://host:2633/RPC2`. */
  url: string;
  /** The bound on each call, ms (default 30 s). */
  timeoutMs?: number;
  /** The longest answer accepted, bytes (default 256 MiB: a large pool's accounting). */
  maxResponseBytes?: number;
  insecure?: boolean;
  ca?: string;
};

/** Pool filter flags: -4 primary group, -3 mine, -2 all, -1 mine and my groups, >= 0 that user id. */
export type PoolFilter = number;

/** `one.vmpool.info`'s state: -2 any, -1 any but DONE, or one VM STATE number. */
export type PoolState = number;

export interface OpenNebulaClient {
  /** The endpoint's URL as configured (without the session). */
  readonly url: string;
  /** Calls `method(session, ...params)`; resolves with the value of a successful reply. */
  call(method: string, params: readonly unknown[]): Promise<unknown>;
  /** `one.vmpool.accounting`: the `<HISTORY_RECORDS>` document, raw, for the importer. -1 = no bound. */
  vmpoolAccounting(filter: PoolFilter, start: number, end: number): Promise<string>;
  /** `one.vmpool.info`: the `<VM_POOL>` document (short bodies). (-1, -1) selects every id. */
  vmpoolInfo(filter: PoolFilter, startId: number, endId: number, state: PoolState): Promise<string>;
  /** `one.vmpool.infoextended`: as `vmpoolInfo`, with full templates. */
  vmpoolInfoExtended(filter: PoolFilter, startId: number, endId: number, state: PoolState): Promise<string>;
  /** `one.vm.info`: one `<VM>` document. */
  vmInfo(id: number): Promise<string>;
  /** `one.system.version`: the server's version string (`6.8.0`). */
  systemVersion(): Promise<string>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

function checkInteger(method: string, name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new OpenNebulaError('bad_parameters', method, `${method}: ${name} must be a 32-bit whole number, not ${value}`);
  }
}

/** Decodes `[ok, value, code, ...]`: the value when ok, a typed error with OpenNebula's message otherwise. */
export function decodeReply(method: string, reply: unknown): unknown {
  if (!Array.isArray(reply) || reply.length < 2 || typeof reply[0] !== 'boolean') {
    throw new OpenNebulaError('malformed', method, `${method}: the reply is not OpenNebula's [ok, value, code] array`);
  }
  const [ok, value, code] = reply as [boolean, unknown, unknown];
  if (ok) return value;
  const oneCode = typeof code === 'number' ? code : Number(code);
  const kind = ONE_ERROR_CODES.get(oneCode) ?? 'unknown_code';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const hex = Number.isFinite(oneCode) ? `0x${oneCode.toString(16)}` : String(code);
  throw new OpenNebulaError(kind, method, `${method} failed (${kind.replace(/_/g, ' ')}, code ${hex}): ${text}`, Number.isFinite(oneCode) ? oneCode : undefined);
}

const asString = (method: string, value: unknown): string => {
  if (typeof value !== 'string') throw new OpenNebulaError('malformed', method, `${method}: expected a string value, got ${typeof value}`);
  return value;
};

/** A client for one OpenNebula endpoint. The session is read when a call is made and never appears in an error. */
export function createOpenNebulaClient(options: OpenNebulaClientOptions): OpenNebulaClient {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new AppError('config', `OpenNebula url ${JSON.stringify(options.url)} is not a URL (http(s)://host:2633/RPC2)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('config', `OpenNebula url ${options.url} must be http: or https:`);
  if (url.username || url.password) throw new AppError('config', `OpenNebula url must not carry credentials; configure the session instead`);
  const transport = {
    url,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    ...(options.insecure !== undefined ? { insecure: options.insecure } : {}),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
  };
  const source: SessionSource = 'session' in options ? { session: options.session } : { sessionFile: options.sessionFile };

  const call = async (method: string, params: readonly unknown[]): Promise<unknown> => {
    const session = await resolveSession(source);
    return decodeReply(method, await callXmlRpc(transport, method, [session, ...params]));
  };
  const pool = (method: string) => async (filter: number, startId: number, endId: number, state: number) => {
    for (const [n, v] of [['filter', filter], ['start id', startId], ['end id', endId], ['state', state]] as const) checkInteger(method, n, v);
    return asString(method, await call(method, [filter, startId, endId, state]));
  };

  return {
    url: options.url,
    call,
    async vmpoolAccounting(filter, start, end) {
      const m = 'one.vmpool.accounting';
      for (const [n, v] of [['filter', filter], ['start', start], ['end', end]] as const) checkInteger(m, n, v);
      return asString(m, await call(m, [filter, start, end]));
    },
    vmpoolInfo: pool('one.vmpool.info'),
    vmpoolInfoExtended: pool('one.vmpool.infoextended'),
    async vmInfo(id) {
      checkInteger('one.vm.info', 'id', id);
      return asString('one.vm.info', await call('one.vm.info', [id]));
    },
    async systemVersion() {
      return asString('one.system.version', await call('one.system.version', []));
    },
  };
}
