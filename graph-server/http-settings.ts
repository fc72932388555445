/** The `HttpServer` class type: the names the appliance answers to, the proxy it trusts, and its connection limits. */
import express from 'express';
import { hostname, networkInterfaces } from 'node:os';
import { objectsOfType, warnUnknownAttribute, type BuildContext, type ClassTypeHandler, type LoadedConfig, type SourcePos } from '../grammar/index.js';

/** How the appliance's HTTP server meets the network; built by `httpServerClassType` or by hand (tests). */
export interface HttpServerSettings {
  /** Host names (and addresses) requests may name in `Host`, besides the machine's own; `*` turns the check off. */
  serverNames: readonly string[];
  /**
   * Express's `trust proxy` (`loopback`, addresses or CIDRs, or a hop count), or false without a proxy (the default).
   * Set, it makes X-Forwarded-For the client's address and turns the anonymous loopback-write exemption off.
   */
  trustProxy: string | number | false;
  /** A connection that has not sent its request headers within this long is closed (408). */
  headersTimeoutMs: number;
  /** A request whose body has not arrived within this long is closed (408). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** Open connections one client address may hold; more are answered 503 and closed. */
  maxConnectionsPerClient: number;
}

/** The defaults, which are also the settings of a configuration without an `HttpServer` class. */
export function defaultHttpServerSettings(): HttpServerSettings {
  return { serverNames: [], trustProxy: false, headersTimeoutMs: 20_000, requestTimeoutMs: 300_000, keepAliveTimeoutMs: 5_000, maxConnectionsPerClient: 256 };
}

const ATTRIBUTES = [
  'server_names', 'trust_proxy', 'headers_timeout_seconds', 'request_timeout_seconds', 'keep_alive_timeout_seconds', 'max_connections_per_client',
] as const;

/** `<class type="HttpServer">` with an `<attribute name="...">` per setting (see `config/server.xml`). */
export const httpServerClassType: ClassTypeHandler<HttpServerSettings> & { defaults(): HttpServerSettings } = {
  type: 'HttpServer',
  defaults: defaultHttpServerSettings,
  build(cls, ctx) {
    const label = `HttpServer "${cls.name}"`;
    const s = defaultHttpServerSettings();
    for (const [name, attr] of Object.entries(cls.attributes)) {
      const value = ctx.expand(attr.value, attr.pos).trim();
      const what = `${label}: ${name}`;
      switch (name as (typeof ATTRIBUTES)[number]) {
        case 'server_names':
          s.serverNames = value.split(/[\s,]+/).filter(Boolean).map(normalHost);
          break;
        case 'trust_proxy':
          s.trustProxy = trustProxy(value, attr.pos, what, ctx) ?? s.trustProxy;
          break;
        case 'headers_timeout_seconds':
          s.headersTimeoutMs = seconds(value, attr.pos, what, ctx) ?? s.headersTimeoutMs;
          break;
        case 'request_timeout_seconds':
          s.requestTimeoutMs = seconds(value, attr.pos, what, ctx) ?? s.requestTimeoutMs;
          break;
        case 'keep_alive_timeout_seconds':
          s.keepAliveTimeoutMs = seconds(value, attr.pos, what, ctx) ?? s.keepAliveTimeoutMs;
          break;
        case 'max_connections_per_client': {
          const n = /^\d+$/.test(value) ? Number(value) : NaN;
          if (n >= 1 && n <= 1_000_000) s.maxConnectionsPerClient = n;
          else ctx.issue(attr.pos, `${what} "${value}" is not a whole number from 1 to 1000000`);
          break;
        }
        default:
          warnUnknownAttribute(name, attr.pos, ATTRIBUTES, label, ctx);
      }
    }
    return s;
  },
};

function seconds(text: string, pos: SourcePos, what: string, ctx: BuildContext): number | undefined {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  // Node's timers overflow above 2^31-1 ms; a day is far more than any of these needs.
  if (n > 0 && n <= 86_400) return Math.round(n * 1000);
  ctx.issue(pos, `${what} "${text}" is not a number of seconds above 0 and at most 86400`);
  return undefined;
}

function trustProxy(text: string, pos: SourcePos, what: string, ctx: BuildContext): string | number | false | undefined {
  if (text === '' || /^(none|false|no|off)$/i.test(text)) return false;
  const value = /^\d+$/.test(text) ? Number(text) : text;
  try {
    // Express compiles the value as it would at start-up, so a bad address is found here with its position.
    express().set('trust proxy', value);
    return value;
  } catch (err) {
    ctx.issue(pos, `${what} "${text}": ${(err as Error).message}; use loopback, addresses or CIDRs separated by commas, a hop count, or none`);
    return undefined;
  }
}

/** Lower case, without a trailing dot or IPv6 brackets: the form names are compared in. */
export function normalHost(name: string): string {
  return name.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

const settingsOf = new WeakMap<LoadedConfig, HttpServerSettings>();

/** The settings of a loaded configuration's first `HttpServer` class, or the defaults; computed once per configuration. */
export function httpServerSettingsOf(config: LoadedConfig): HttpServerSettings {
  let s = settingsOf.get(config);
  if (!s) settingsOf.set(config, (s = objectsOfType<HttpServerSettings>(config, 'HttpServer')[0]?.value ?? defaultHttpServerSettings()));
  return s;
}

/**
 * The names a request's `Host` may carry without any configuration: loopback's, the machine's host name, and the
 * machine's own addresses (an address typed into a browser is not a rebinding attack: its origin is the address).
 */
export function defaultServerNames(): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
  return [...new Set(['localhost', '127.0.0.1', '::1', hostname(), ...addresses].map(normalHost))];
}
