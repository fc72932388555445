/** An Express app with the Handlebars views, the access stage and a few guarded routes, served on an ephemeral port. */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAccess, type Access, type AccessSettings } from '../../../access/index.js';
import { packageRoot, type Clock } from '../../../common/index.js';
import { useHandlebarsViews } from '../../../graph-server/index.js';
import type { Store } from '../../../store/index.js';

export interface AccessApp {
  url: string;
  access: Access;
  close(): Promise<void>;
}

/** A clock the test moves by hand. */
export function fakeClock(start = '2026-03-01T10:00:00Z'): { clock: Clock; advance(ms: number): void; now(): Date } {
  let now = new Date(start);
  return { clock: () => now, advance: (ms) => (now = new Date(now.getTime() + ms)), now: () => now };
}

/**
 * Routes: `GET /whoami` (anyone: req.auth as JSON), `GET /data` (requireRead), `POST /ops` (operator),
 * `GET /admin` (admin), plus the access router.
 */
export async function startAccessApp(store: Store, settings: AccessSettings, clock: Clock): Promise<AccessApp> {
  const access = createAccess({ store, settings, clock });
  const app = express();
  app.set('trust proxy', 'loopback');
  useHandlebarsViews(app, join(packageRoot(), 'views'));
  app.use(access.authenticate);
  app.use(access.csrf);
  app.use(access.router());
  app.get('/whoami', (req, res) => res.json(req.auth));
  app.get('/data', access.requireRead, (_req, res) => res.json({ data: [1, 2, 3] }));
  app.post('/ops', express.urlencoded({ extended: false }), access.requireRole('operator'), (req, res) => res.json({ done: true, by: req.auth?.user }));
  app.get('/admin', access.requireRole('admin'), (_req, res) => res.json({ admin: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    access,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `Authorization: Basic` for a user and password. */
export function basic(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}

/** A tiny cookie jar: keeps what Set-Cookie sets (and drops what it expires), sends it back. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie lines of the last response. */
  lastSetCookie: string[] = [];

  take(res: Response): void {
    this.lastSetCookie = res.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** A browser-ish client: follows nothing, keeps cookies. */
export function client(baseUrl: string, jar = new CookieJar()) {
  const send = async (path: string, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string>; json?: unknown } = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (jar.cookies.size) headers.cookie = jar.header();
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(baseUrl + path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
    jar.take(res);
    return res;
  };
  return { jar, send };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#x3D;': '=', '&#x60;': '`' };

/** The value of `<input ... name="NAME" value="...">` in a page, unescaped as a browser would. */
export function inputValue(html: string, name: string): string | undefined {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return m?.[1]?.replace(/&(amp|lt|gt|quot|#x27|#x3D|#x60);/g, (e) => ENTITIES[e] ?? e);
}
