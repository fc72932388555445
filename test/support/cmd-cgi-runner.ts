/**
 * Debian's real cmd.cgi (and statusjson.cgi beside it) served over HTTP(S) for tests and benchmarks: one CGI process per request, as Apache runs it,
 * with HTTP Basic checked here (401 + `WWW-Authenticate: Basic realm="Nagios4"` first) and `REMOTE_USER` set after it.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serviceMissing } from './services.js';

export const CMD_CGI = '/usr/lib/cgi-bin/nagios4/cmd.cgi';
/** Where the runner serves cmd.cgi (Debian's Apache path). */
export const CMD_CGI_PATH = '/cgi-bin/nagios4/cmd.cgi';
/** Debian's statusjson.cgi, served beside cmd.cgi (the cmd_cgi transport reads downtime ids from it). */
export const STATUSJSON_CGI = '/usr/lib/cgi-bin/nagios4/statusjson.cgi';
export const STATUSJSON_CGI_PATH = '/cgi-bin/nagios4/statusjson.cgi';
/** The CGIs the runner serves, by path. */
const CGIS: Record<string, string> = { [CMD_CGI_PATH]: CMD_CGI, [STATUSJSON_CGI_PATH]: STATUSJSON_CGI };

/** True when Debian's cmd.cgi can run here (root, to start it as the nagios user); otherwise says why (loud skip, or fails under CI). */
export function cmdCgiAvailable(): boolean {
  if (existsSync(CMD_CGI) && process.getuid?.() === 0) return true;
  serviceMissing("Debian's cmd.cgi", `needs ${CMD_CGI} (apt-get install -y --no-install-recommends nagios4-cgi) and root to run it as the nagios user`);
  return false;
}

export interface CmdCgiRunnerOptions {
  /** The Nagios directory holding `nagios.cfg` (a private instance's `dir`, test/support/nagios.ts); `cgi.cfg` is written there. */
  nagiosDir: string;
  /** Basic-auth users and their passwords; each is also authorized for all hosts, services and their commands in cgi.cfg. */
  users: Record<string, string>;
  /** Extra `cgi.cfg` lines, e.g. `cgi_cookie_fail_open=1`. */
  cgiCfg?: readonly string[];
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  tls?: { key: string; cert: string };
  /** The user the CGI runs as (default `nagios`: the private Nagios's FIFO is `nagios:nagios` 0660). */
  runAs?: string;
}

/** One request as the runner saw it. */
export interface CgiRequestLog {
  method: string;
  /** The query string, or the form body of a POST. */
  form: string;
  cookie?: string;
  /** HTTP status answered (401 from the runner's own auth check, else the CGI's). */
  status: number;
  /** The page's info or error line (`<P><DIV CLASS='infoMessage'>...`, `<p>Error: ...`), if any. */
  message?: string;
}

export interface CmdCgiRunner {
  /** The cmd.cgi URL, e.g. `http://127.0.0.1:PORT/cgi-bin/nagios4/cmd.cgi`. */
  url: string;
  /** Every request, in the order they were answered. */
  requests: CgiRequestLog[];
  /** Stops listening and waits for running CGIs to end. */
  close(): Promise<void>;
}

const idOf = (flag: '-u' | '-g', user: string) => Number(execFileSync('id', [flag, user]).toString().trim());

/** Writes `cgi.cfg` beside `nagios.cfg`: authentication on, every runner user authorized for all objects and commands. */
export function writeCgiConfig(nagiosDir: string, users: readonly string[], extra: readonly string[] = []): string {
  const file = join(nagiosDir, 'cgi.cfg');
  const who = users.join(',');
  const lines = [
    `main_config_file=${join(nagiosDir, 'nagios.cfg')}`,
    'physical_html_path=/usr/share/nagios4/htdocs',
    'url_html_path=/nagios4',
    'use_authentication=1',
    ...['services', 'hosts', 'service_commands', 'host_commands'].map((k) => `authorized_for_all_${k}=${who}`),
    ...extra,
  ];
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o644 });
  return file;
}

/** The user of a valid `Authorization: Basic` header, or undefined. */
function basicUser(req: IncomingMessage, users: Record<string, string>): string | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const user = text.slice(0, colon);
  return Object.hasOwn(users, user) && users[user] === text.slice(colon + 1) ? user : undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** Splits CGI output into its header lines and body (headers end at the first empty line, LF or CRLF). */
function parseCgiOutput(out: Buffer): { headers: [string, string][]; body: Buffer } {
  const text = out.toString('latin1');
  const m = /\r?\n\r?\n/.exec(text);
  const head = m ? text.slice(0, m.index) : '';
  const body = m ? out.subarray(m.index + m[0].length) : out;
  const headers = head
    .split(/\r?\n/)
    .filter(Boolean)
    .map((l): [string, string] => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]);
  return { headers, body };
}

/** Starts the runner on an ephemeral port of 127.0.0.1. */
export async function startCmdCgiRunner(options: CmdCgiRunnerOptions): Promise<CmdCgiRunner> {
  const cgiCfg = writeCgiConfig(options.nagiosDir, Object.keys(options.users), options.cgiCfg);
  const runAs = options.runAs ?? 'nagios';
  const uid = idOf('-u', runAs);
  const gid = idOf('-g', runAs);
  const requests: CgiRequestLog[] = [];
  const running = new Set<Promise<void>>();

  const runCgi = async (req: IncomingMessage, res: ServerResponse, user: string): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://runner');
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req) : Buffer.alloc(0);
    const cookie = req.headers.cookie;
    const env: Record<string, string> = {
      PATH: '/usr/bin:/bin',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      SERVER_SOFTWARE: 'appliance-test-cgi-runner',
      REQUEST_METHOD: method,
      SCRIPT_NAME: url.pathname,
      QUERY_STRING: url.search.slice(1),
      REMOTE_USER: user,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      AUTH_TYPE: 'Basic',
      NAGIOS_CGI_CONFIG: cgiCfg,
      ...(cookie === undefined ? {} : { HTTP_COOKIE: cookie }),
      ...(method === 'POST' ? { CONTENT_LENGTH: String(body.length), CONTENT_TYPE: req.headers['content-type'] ?? '' } : {}),
    };
    const out = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn(CGIS[url.pathname]!, [], { env, uid, gid, stdio: ['pipe', 'pipe', 'pipe'] });
      const parts: Buffer[] = [];
      const errs: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => parts.push(c));
      child.stderr.on('data', (c: Buffer) => errs.push(c));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(parts)) : reject(new Error(`${url.pathname} exited with ${code}: ${Buffer.concat(errs).toString()}`))));
      child.stdin.on('error', () => undefined);
      child.stdin.end(body);
    });
    const { headers, body: page } = parseCgiOutput(out);
    let status = 200;
    for (const [name, value] of headers) {
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
      else res.appendHeader(name, value);
    }
    const message = /<P><DIV CLASS='(?:info|error)Message'>.*|<p>Error:.*?<\/p>|Sorry Dave.*|It appears as though you do not have permission.*/.exec(page.toString('utf8'))?.[0];
    requests.push({ method, form: method === 'POST' ? body.toString('latin1') : url.search.slice(1), ...(cookie === undefined ? {} : { cookie }), status, ...(message ? { message } : {}) });
    res.statusCode = status;
    res.end(page);
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://runner');
    if (!Object.hasOwn(CGIS, url.pathname)) {
      res.statusCode = 404;
      res.end('Not Found\n');
      return;
    }
    const user = basicUser(req, options.users);
    if (!user) {
      // As Apache's mod_auth_basic: the CGI never runs without valid credentials.
      requests.push({ method: req.method ?? 'GET', form: url.search.slice(1), ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}), status: 401 });
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Nagios4"', 'Content-Type': 'text/html' });
      res.end('<html><body><h1>Unauthorized</h1></body></html>\n');
      req.resume();
      return;
    }
    const job = runCgi(req, res, user).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(`runner: ${String(err)}\n`);
    });
    running.add(job);
    void job.finally(() => running.delete(job));
  };

  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}${CMD_CGI_PATH}`,
    requests,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...running]);
      server.closeAllConnections();
      await closed;
    },
  };
}
