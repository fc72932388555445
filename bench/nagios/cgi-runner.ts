/**
 * A minimal CGI runner for Debian's cmd.cgi, for the benchmark only: an HTTP server that checks Basic auth as Apache
 * does and then runs cmd.cgi once per request as the nagios user (QUERY_STRING/stdin, REMOTE_USER, HTTP_COOKIE).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const CMD_CGI = '/usr/lib/cgi-bin/nagios4/cmd.cgi';
const PATH = '/cgi-bin/nagios4/cmd.cgi';

export const cmdCgiInstalled = (): boolean => existsSync(CMD_CGI) && process.getuid?.() === 0;

export interface CgiRunner {
  url: string;
  /** The success or error line of every page cmd.cgi answered (it answers 200 either way). */
  messages: string[];
  close(): Promise<void>;
}

const idOf = (flag: string) => Number(execFileSync('id', [flag, 'nagios']).toString().trim());

function runCgi(env: Record<string, string>, body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(CMD_CGI, [], { env, uid: idOf('-u'), gid: idOf('-g'), stdio: ['pipe', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`cmd.cgi exited with ${code}`))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(body);
  });
}

/** Writes cgi.cfg beside the instance's nagios.cfg (authentication on, `user` allowed everything) and serves cmd.cgi. */
export async function startCgiRunner(nagiosDir: string, user: string, password: string): Promise<CgiRunner> {
  const cgiCfg = join(nagiosDir, 'cgi.cfg');
  const who = ['services', 'hosts', 'service_commands', 'host_commands'].map((k) => `authorized_for_all_${k}=${user}`);
  writeFileSync(cgiCfg, [`main_config_file=${join(nagiosDir, 'nagios.cfg')}`, 'physical_html_path=/usr/share/nagios4/htdocs', 'url_html_path=/nagios4', 'use_authentication=1', ...who, ''].join('\n'), { mode: 0o644 });
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const messages: string[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Nagios4"' }).end();
      return;
    }
    const body = Buffer.concat(parts);
    const url = new URL(req.url ?? '/', 'http://runner');
    const page = await runCgi({
      PATH: '/usr/bin:/bin', GATEWAY_INTERFACE: 'CGI/1.1', REQUEST_METHOD: req.method ?? 'GET', SCRIPT_NAME: PATH, QUERY_STRING: url.search.slice(1),
      REMOTE_USER: user, AUTH_TYPE: 'Basic', NAGIOS_CGI_CONFIG: cgiCfg, HTTP_COOKIE: req.headers.cookie ?? '',
      CONTENT_LENGTH: String(body.length), CONTENT_TYPE: req.headers['content-type'] ?? '',
    }, body);
    messages.push(/<P><DIV CLASS='(?:info|error)Message'>[^<]*|<p>Error:[^<]*/i.exec(page)?.[0] ?? page.slice(0, 200));
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(page.slice(page.search(/\r?\n\r?\n/)));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`,
    messages,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
