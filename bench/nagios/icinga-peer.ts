/**
 * The Icinga 2 line: the same results into a fresh private Icinga 2 (test/support/icinga.ts) two ways, each timed until
 * Icinga's API shows every service's last result: straight, one `process-check-result` request per result from 16
 * keep-alive clients (one per host, in order), as a script would; and through the bridge, submitted in batches of 512
 * per host to its durable outbox (SQLite, fsynced) and delivered by its icinga2 target.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createNagiosBridge, defaultBridgeSettings, nagiosBridgeMigrations, type PassiveResult } from '../../nagios-bridge/index.js';
import { queueMigrations } from '../../queue/index.js';
import { createIcinga, ICINGA_BIN, type IcingaInstance } from '../../test/support/icinga.js';
import { sqliteBackend } from '../../test/support/stores.js';
import { benchObjects, HOSTS, hostResult, outputOf, roundsFor, SERVICES, SERVICES_PER_HOST } from './bench-results.js';
import type { Peer, PeerLine } from './peers.js';

const BATCH = 512;

async function withIcinga<T>(work: (icinga: IcingaInstance) => Promise<T>): Promise<T> {
  const icinga = await createIcinga(benchObjects());
  try {
    await icinga.start();
    return await work(icinga);
  } finally {
    await icinga.dispose();
  }
}

/** Waits until every bench service's last result is round `last`; resolves with the time it first saw that. */
async function untilIcingaShows(icinga: IcingaInstance, last: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const want = outputOf(last);
  for (;;) {
    const { json } = await icinga.api('/v1/objects/services?attrs=last_check_result');
    const done = (json.results ?? []).filter((r) => ((r.attrs as { last_check_result?: { output?: string } } | undefined)?.last_check_result?.output ?? '') === want).length;
    if (done === SERVICES) return performance.now();
    if (Date.now() > deadline) throw new Error(`Icinga shows the last round for ${done} of ${SERVICES} services after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One host's results in the order its client sends them. */
const hostResults = (h: number, rounds: number, firstTime: number): PassiveResult[] => Array.from({ length: rounds * SERVICES_PER_HOST }, (_, i) => hostResult(h, i, firstTime));

async function direct(icinga: IcingaInstance, rounds: number, firstTime: number): Promise<{ ms: number; requestMs: number }> {
  const agent = new Agent({ ca: readFileSync(icinga.caFile), keepAlive: true, maxSockets: HOSTS });
  const auth = `Basic ${Buffer.from(`${icinga.user}:${icinga.password}`).toString('base64')}`;
  const post = (r: PassiveResult) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({
        type: 'Service', filter: 'host.name==h && service.name==s', filter_vars: { h: r.host, s: r.service },
        exit_status: r.state, plugin_output: r.output, performance_data: r.perfdata ? [r.perfdata] : [], execution_start: r.checkTime, execution_end: r.checkTime,
      });
      const req = request(new URL('/v1/actions/process-check-result', icinga.url), { method: 'POST', agent, headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: auth } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`Icinga answered ${res.statusCode} for ${r.host}!${r.service}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: HOSTS }, async (_, h) => {
      for (const r of hostResults(h, rounds, firstTime)) await post(r);
    }));
    const requestMs = performance.now() - started;
    const shown = await untilIcingaShows(icinga, rounds - 1, 120_000);
    return { ms: shown - started, requestMs };
  } finally {
    agent.destroy();
  }
}

async function throughBridge(icinga: IcingaInstance, rounds: number, firstTime: number): Promise<{ ms: number; requestMs: number }> {
  const db = await sqliteBackend.create();
  const store = db.open();
  await store.migrate([...queueMigrations, ...nagiosBridgeMigrations]);
  const target = { name: 'icinga', type: 'icinga2' as const, url: icinga.url, user: icinga.user, password: icinga.password, caFile: icinga.caFile, insecure: false, parallel: 16, timeoutMs: 30_000 };
  const bridge = createNagiosBridge({ store, settings: { ...defaultBridgeSettings(), targets: [target], maxQueued: 10_000_000 } });
  bridge.start();
  try {
    const started = performance.now();
    await Promise.all(Array.from({ length: HOSTS }, async (_, h) => {
      const mine = hostResults(h, rounds, firstTime);
      for (let i = 0; i < mine.length; i += BATCH) await bridge.submit(mine.slice(i, i + BATCH));
    }));
    const requestMs = performance.now() - started;
    const shown = await untilIcingaShows(icinga, rounds - 1, 300_000);
    const [s] = await bridge.stats();
    if (s && s.dead > 0) throw new Error(`the bridge dead-lettered ${s.dead} results: ${s.lastError?.reason ?? ''}`);
    return { ms: shown - started, requestMs };
  } finally {
    await bridge.stop();
    await store.close();
    await db.dispose();
  }
}

export const icingaPeer: Peer = {
  name: 'Icinga 2: through the bridge vs one API request per result',
  async run(o) {
    if (!existsSync(ICINGA_BIN) || process.getuid?.() !== 0) return [{ key: 'icinga-direct', peer: 'Icinga 2', work: '', unmeasured: `needs ${ICINGA_BIN} (apt-get install icinga2) and root` }];
    // As many results as the single cmd.cgi line: Icinga takes one request per result either way.
    const rounds = roundsFor(o.single);
    const results = rounds * SERVICES;
    const firstTime = Math.floor(Date.now() / 1000) - rounds - 60;
    const d = await withIcinga((icinga) => direct(icinga, rounds, firstTime));
    const b = await withIcinga((icinga) => throughBridge(icinga, rounds, firstTime));
    const line = (key: string, work: string, m: { ms: number; requestMs: number }, note: string): PeerLine => ({ key, peer: 'Icinga 2.13', work, results, ms: m.ms, rate: (results * 1000) / m.ms, note });
    return [
      line('icinga-direct', '1 process-check-result request per result, 16 clients', d, 'straight to the API; not durable'),
      line('icinga-bridge', `bridge: batches of ${BATCH} per host, icinga2 target (parallel 16)`, b, `acknowledged after fsync in ${(b.requestMs / 1000).toFixed(2)} s; durable, ordered per service`),
    ];
  },
};
