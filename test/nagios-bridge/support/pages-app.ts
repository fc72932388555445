/**
 * The appliance's server with the real access stage (admin, operator, viewer in an htpasswd file), a real bridge on
 * the suite's store, its NRDP entry (results go in as an agent sends them) and the operator pages, on a free port.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { createAccess, usersFileLine, type AccessSettings } from '../../../access/index.js';
import { packageRoot, silentLogger, type Clock } from '../../../common/index.js';
import { createServer } from '../../../graph-server/index.js';
import {
  createNagiosBridge, entrySettings, generateObjectConfig, NAGIOS_ENTRY_PATHS, nagiosEntriesRouter, nagiosPagesRouter, objectConfigSettings,
  type NagiosBridge, type NagiosBridgeOptions,
} from '../../../nagios-bridge/index.js';
import type { Store } from '../../../store/index.js';
import { tempDir } from '../../support/temp-files.js';

export const NRDP_TOKEN = 'pages-agent-token-0123456789';
export const PASSWORDS = { admin: 'admin-secret', operator: 'op-secret', viewer: 'viewer-secret' } as const;

export interface PagesApp {
  url: string;
  bridge: NagiosBridge;
  /** An API token of `user` with `role` (Bearer). */
  token(user: keyof typeof PASSWORDS, role: 'viewer' | 'operator' | 'admin'): Promise<string>;
  /** Posts results to the NRDP entry as JSONDATA (`[host, service, state, output, time]`); resolves with NRDP's status. */
  nrdp(results: readonly (readonly [string, string, number, string, number])[]): Promise<number>;
  close(): Promise<void>;
}

/** `Authorization` for one of the three users. */
export const basicAuth = (user: keyof typeof PASSWORDS) => ({ Authorization: `Basic ${Buffer.from(`${user}:${PASSWORDS[user]}`).toString('base64')}` });

/** A store migrated with queue, bridge and access migrations is the caller's. The bridge is started. */
export async function startPagesApp(
  store: Store,
  bridgeOptions: Omit<NagiosBridgeOptions, 'store'>,
  options: { anonymousRead?: boolean; clock?: Clock } = {},
): Promise<PagesApp> {
  const usersFile = join(tempDir(), 'users');
  writeFileSync(usersFile, `${Object.entries(PASSWORDS).map(([u, p]) => usersFileLine(u, p)).join('\n')}\n`);
  const accessSettings: AccessSettings = { usersFile, anonymousRead: options.anonymousRead ?? true, defaultRole: 'viewer', sessionHours: 12, roles: { admin: 'admin', operator: 'operator' } };
  const access = createAccess({ store, settings: accessSettings });
  const settings = { ...bridgeOptions.settings!, entries: entrySettings({ nrdpTokens: [{ name: 'agent', secret: NRDP_TOKEN }] }) };
  const bridge = createNagiosBridge({ store, ...bridgeOptions, settings });
  const pages = nagiosPagesRouter({
    bridge,
    generate: () => generateObjectConfig({ store, settings: { ...objectConfigSettings(), nagiosCfg: '/nonexistent/nagios.cfg' } }),
    requireRead: access.requireRead,
    requireAdmin: access.requireRole('admin'),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const entries = nagiosEntriesRouter({ submit: bridge.submit, access, settings: () => settings, active: () => true });
  const app = createServer({
    logger: silentLogger,
    metrics: new Registry(),
    access,
    viewsDir: join(packageRoot(), 'views'),
    health: () => Promise.resolve({ status: 'ok' as const, store: { backend: store.backend, description: 'test', schema: '' }, uptimeSeconds: 0 }),
    home: () => Promise.resolve([]),
    reload: () => Promise.resolve({ applied: false, issues: [] }),
    routers: [pages, entries],
    selfParsedPaths: NAGIOS_ENTRY_PATHS,
  });
  const server: Server = await new Promise((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  bridge.start();
  return {
    url,
    bridge,
    token: async (user, role) => (await access.tokens.create(`${user}-${role}`, user, role)).token,
    async nrdp(results) {
      const checkresults = results.map(([hostname, servicename, state, output, time]) => ({ checkresult: { type: 'service' }, hostname, servicename, state: String(state), output, time: String(time) }));
      const body = new URLSearchParams({ cmd: 'submitcheck', token: NRDP_TOKEN, JSONDATA: JSON.stringify({ checkresults }) });
      const res = await fetch(`${url}/nrdp/`, { method: 'POST', body });
      const answer = (await res.json()) as { result: { status: string | number } };
      return Number(answer.result.status);
    },
    async close() {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeIdleConnections();
      });
      await bridge.stop();
    },
  };
}
