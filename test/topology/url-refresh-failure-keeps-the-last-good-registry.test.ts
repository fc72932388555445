/** URL summaries: fetched on refresh with bounds on time and size; a failed refresh keeps the last good registry and shows in status and /metrics. */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopologyLoader, TOPOLOGY_DEFAULTS, type TopologyConfig } from '../../topology/index.js';

const RG = readFileSync(join(import.meta.dirname, 'fixtures', 'rgsummary.xml'), 'utf8');

type Answer = 'good' | 'changed' | 'error' | 'huge' | 'slow' | 'broken';
/** What the summary server answers next. */
let answer = 'good' as Answer;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (answer === 'good') res.end(RG);
    else if (answer === 'changed') res.end(RG.replace('red-gw1.unl.edu', 'red-gw9.unl.edu'));
    else if (answer === 'error') res.writeHead(503).end('maintenance');
    else if (answer === 'broken') res.end(RG.slice(0, 500));
    else if (answer === 'huge') {
      // No Content-Length: the limit must hold while the body streams in.
      res.write(RG);
      res.end('x'.repeat(200_000));
    } else res.write('<ResourceSummary>'); // slow: the rest never comes
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rgsummary/xml`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
});

function config(): TopologyConfig {
  return {
    data: { sites: [], resourceGroups: [], vos: [], clusters: [] },
    summaries: [{ kind: 'rgsummary', url, pos: { file: 'topology.xml', line: 3, column: 5 } }],
    ...TOPOLOGY_DEFAULTS,
    fetchTimeoutSeconds: 1,
    maxBytes: 100_000,
  };
}

describe('refreshing a summary URL', () => {
  it('swaps in a good summary, and keeps the last good registry through every kind of failure', async () => {
    const registry = new Registry();
    const published: string[] = [];
    const loader = createTopologyLoader({ registry, onChange: async (t) => void published.push(t.resource('Nebraska')?.fqdn ?? '-') });
    await loader.applyConfig([config()]);
    // Before the first fetch the URL has given nothing.
    expect(loader.current().resources()).toEqual([]);

    answer = 'good';
    await loader.refresh();
    const first = loader.current();
    expect(first.resource('Nebraska')?.fqdn).toBe('red-gw1.unl.edu');
    expect(loader.status().sources).toMatchObject([{ source: url, kind: 'rgsummary', ok: true }]);

    const failures: [Answer, RegExp][] = [
      ['error', /HTTP 503/],
      ['huge', /over the limit of 100000 bytes \(max_bytes\)/],
      ['slow', /no complete answer within 1 s \(fetch_timeout_seconds\)/],
      ['broken', /malformed XML/],
    ];
    for (const [kind, message] of failures) {
      answer = kind;
      await loader.refresh();
      expect(loader.current().resource('Nebraska')?.fqdn).toBe('red-gw1.unl.edu');
      const [status] = loader.status().sources;
      expect(status).toMatchObject({ ok: false });
      expect(status?.error).toMatch(message);
      expect(status?.lastSuccess).toBeDefined();
    }
    const metrics = await registry.metrics();
    expect(metrics).toContain(`appliance_topology_refresh_failures_total{source="${url}"} 4`);
    expect(metrics).toContain(`appliance_topology_source_up{source="${url}"} 0`);

    answer = 'changed';
    await loader.refresh();
    expect(loader.current().resource('Nebraska')?.fqdn).toBe('red-gw9.unl.edu');
    expect(loader.status().sources[0]).toMatchObject({ ok: true });
    expect(await registry.metrics()).toContain(`appliance_topology_source_up{source="${url}"} 1`);
    // One write per registry built; the failed refreshes rebuilt it from the kept summary.
    expect(published[0]).toBe('-');
    expect(published.at(-1)).toBe('red-gw9.unl.edu');
    await loader.stop();
  });

  it('refreshes on its schedule through the injected scheduler, and stops cleanly', async () => {
    const timers: { fn: () => void; ms: number }[] = [];
    const scheduler = { setTimeout: (fn: () => void, ms: number) => timers.push({ fn, ms }), clearTimeout: () => undefined };
    answer = 'good';
    const loader = createTopologyLoader({ scheduler });
    await loader.applyConfig([{ ...config(), refreshSeconds: 120 }]);
    loader.start();
    await expect.poll(() => timers.length).toBe(1);
    expect(loader.current().resource('Nebraska')?.fqdn).toBe('red-gw1.unl.edu');
    expect(timers[0]!.ms).toBe(120_000);
    answer = 'changed';
    timers[0]!.fn();
    await expect.poll(() => loader.current().resource('Nebraska')?.fqdn).toBe('red-gw9.unl.edu');
    await expect.poll(() => timers.length).toBe(2);
    await loader.stop();
  });
});
