/**
 * One client cannot take every query worker: with two slow runs of user A in flight, user B's query still answers,
 * and A's third run is a 429 with Retry-After in each output's own shape; an answer from the cache needs no slot.
 * Real HTTP, the real engine and store (SQLite's query workers; MariaDB when configured), the shipped limits.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Router, type RequestHandler } from 'express';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot, silentLogger } from '../../common/index.js';
import { loadConfig } from '../../grammar/index.js';
import {
  createGrafanaRouter, createGraphRoutes, createQueryLimiter, createServer, jsonGeneratorClassType, type QueryClient, type QueryLimiter,
} from '../../graph-server/index.js';
import { createQueryEngine, defaultQueryLimits, queryEngineClassTypes, type QueryEngine } from '../../query-engine/index.js';
import type { StoreConnection } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

/** Every statement stops by then; the slow ones run until it (SQLite: minutes of counting; MariaDB: SLEEP). */
const CEILING_S = 6;

function connectionXml(c: StoreConnection): string {
  if (c.interface === 'sqlite') return `<attribute name="Interface">sqlite</attribute><attribute name="DatabaseFile">${c.file}</attribute>`;
  return `<attribute name="Interface">MySQL</attribute><attribute name="Host">${c.host}</attribute><attribute name="Port">${c.port}</attribute>
    <attribute name="Database">${c.database}</attribute><attribute name="AuthDBUsername">${c.user}</attribute><attribute name="AuthDBPassword">${c.password}</attribute>`;
}

/** A slow query (its `tag` only makes runs distinct) and a quick one; SQLite's calls an emulated function on every row. */
function slowSql(c: StoreConnection): string {
  return c.interface === 'sqlite'
    ? `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x &lt; 1000000000) SELECT :tag, count(truncate(x, 0)) FROM c`
    : `SELECT :tag, SLEEP(${CEILING_S + 2})`;
}

interface Harness {
  url: string;
  limiter: QueryLimiter;
  close(): Promise<void>;
}

async function start(connection: StoreConnection): Promise<Harness> {
  const dir = tempDir({
    'q.xml': `<graphtool-config>
      <class name="CM" type="ConnectionManager"><attribute name="default">db</attribute><connection name="db">${connectionXml(connection)}</connection></class>
      <class type="QueryLimits" name="Limits"><attribute name="max_sql_query_timeout">${CEILING_S}</attribute></class>
      <class type="SqlQueries" name="Q"><attribute name="connection_manager">CM</attribute><attribute name="display_name">Test</attribute>
        <query name="slow"><inputs><input name="tag" kind="sql">a</input></inputs><sql>${slowSql(connection)}</sql><results function="simple_results_parser"/></query>
        <query name="quick"><inputs><input name="n" type="int" kind="sql">7</input></inputs><sql>SELECT 'quick', :n</sql><results function="simple_results_parser"/></query>
      </class>
      <class type="XmlGenerator" name="x"><queryobj>Q</queryobj></class>
      <class type="CsvGenerator" name="c"><queryobj>Q</queryobj></class>
      <class type="JsonGenerator" name="j"><queryobj>Q</queryobj></class>
      <class type="WebHost" name="web">
        <mount location="/gratia/xml" content="text/xml"><instance name="x"/></mount>
        <mount location="/gratia/csv" content="text/plain"><instance name="c"/></mount>
        <mount location="/gratia/json" content="application/json"><instance name="j"/></mount>
      </class></graphtool-config>`,
  });
  const config = loadConfig(join(dir, 'q.xml'), { classTypes: [...queryEngineClassTypes, jsonGeneratorClassType], env: {} });
  const engine: QueryEngine = createQueryEngine({ config });
  const limits = defaultQueryLimits();
  const limiter = createQueryLimiter({ limits: { perAddress: limits.maxQueriesPerAddress, perUser: limits.maxQueriesPerUser, holdMs: CEILING_S * 1000 } });
  // The access stage's part, reduced to what the limiter reads: who the request is from.
  const authenticate: RequestHandler = (req, _res, next) => {
    const user = req.get('x-test-user');
    (req as { auth?: unknown }).auth = { user: user ?? null, role: user ? 'viewer' : null, via: user ? 'basic' : 'anonymous' };
    next();
  };
  const pass: RequestHandler = (_req, _res, next) => next();
  const grafana = Router();
  grafana.use('/grafana', createGrafanaRouter({ engine, limiter }));
  const app = createServer({
    logger: silentLogger,
    metrics: new Registry(),
    access: { authenticate, csrf: pass, requireRead: pass, requireRole: () => pass, router: () => Router() },
    viewsDir: join(packageRoot(), 'views'),
    health: () => Promise.resolve({ status: 'ok' as const }),
    home: () => Promise.resolve([]),
    reload: () => Promise.resolve({ applied: false, issues: [] }),
    routers: [grafana, createGraphRoutes({ config, engine, charts: { buildChart: () => { throw new Error('no charts'); }, errorChart: () => { throw new Error('no charts'); } }, limiter }).router],
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    limiter,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await engine.close();
    },
  };
}

const as = (user?: string): RequestInit => (user ? { headers: { 'x-test-user': user } } : {});
const A: QueryClient = { kind: 'user', name: 'alice' };
const ANON: QueryClient = { kind: 'address', name: '127.0.0.1' };

/** Waits (bounded) until `client` has `n` runs in flight: the slow requests have reached the engine. */
async function inFlight(limiter: QueryLimiter, client: QueryClient, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (limiter.inFlight(client) < n) {
    if (Date.now() > deadline) throw new Error(`${client.name} never had ${n} runs in flight`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function expectRetryAfter(res: Response): void {
  expect(res.status).toBe(429);
  const seconds = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(CEILING_S);
}

describe.each(testBackends())('on $name, with the shipped limits (2 runs per user, 1 per anonymous address)', (backend) => {
  let h: Harness;
  let dispose: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const db = await backend.create();
    dispose = db.dispose;
    h = await start(db.connection);
    // Warm up: the three query workers start together (SQLite; from TypeScript sources a start takes seconds while
    // two cores count), and alice's quick answer is now cached.
    const warm = await Promise.all([fetch(`${h.url}/gratia/json/quick`, as('alice')), fetch(`${h.url}/gratia/json/quick?n=1`, as('w1')), fetch(`${h.url}/gratia/json/quick?n=2`, as('w2'))]);
    expect(warm.map((r) => r.status)).toEqual([200, 200, 200]);
  }, 30_000);

  afterAll(async () => {
    await h.close();
    await dispose();
    removeTempDirs();
  });

  it('answers B and refuses A\'s third run with 429 and Retry-After in each output\'s shape', async () => {
    const slow = [fetch(`${h.url}/gratia/xml/slow?tag=a1`, as('alice')), fetch(`${h.url}/gratia/json/slow?tag=a2`, as('alice'))];
    await inFlight(h.limiter, A, 2);

    // B's query runs now, on a worker A could not take; the bound is generous (A's runs last 6 s).
    const started = Date.now();
    const b = await fetch(`${h.url}/gratia/json/quick?n=5`, as('bob'));
    expect(b.status).toBe(200);
    expect(await b.json()).toMatchObject({ data: [{ pivot: 'quick', value: 5 }] });
    expect(Date.now() - started).toBeLessThan(3000);

    // A cached answer holds no slot: alice still gets the run she made before.
    expect((await fetch(`${h.url}/gratia/json/quick`, as('alice'))).status).toBe(200);

    const xml = await fetch(`${h.url}/gratia/xml/slow?tag=a3`, as('alice'));
    expectRetryAfter(xml);
    expect(await xml.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<graphtool>\n\t<error>user "alice" already has 2 queries running, its limit; retry in \d+ s<\/error>\n<\/graphtool>\n$/);

    const csv = await fetch(`${h.url}/gratia/csv/slow?tag=a4`, as('alice'));
    expectRetryAfter(csv);
    expect(await csv.text()).toMatch(/^error: user "alice" already has 2 queries running/);

    const json = await fetch(`${h.url}/gratia/json/slow?tag=a5`, as('alice'));
    expectRetryAfter(json);
    const jsonBody = (await json.json()) as { message: string; error: { code: string } };
    expect(jsonBody.message).toMatch(/^user "alice" already has 2 queries running/);
    expect(jsonBody.error.code).toBe('too_many_requests');

    const grafana = await fetch(`${h.url}/grafana/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-user': 'alice' },
      body: JSON.stringify({ targets: [{ refId: 'A', target: 'slow', payload: { tag: 'g1' } }] }),
    });
    expectRetryAfter(grafana);
    expect(((await grafana.json()) as { message: string }).message).toMatch(/^user "alice" already has 2 queries running/);

    // An anonymous address gets one run at once.
    const anon = fetch(`${h.url}/gratia/xml/slow?tag=n1`);
    await inFlight(h.limiter, ANON, 1);
    expectRetryAfter(await fetch(`${h.url}/gratia/xml/slow?tag=n2`));
    expect(h.limiter.refused()).toEqual({ per_user: 4, per_address: 1 });

    // The slow runs end at the ceiling with the timeout as their error (504 on every output); the slots are free again.
    for (const res of await Promise.all([...slow, anon])) {
      expect(res.status).toBe(504);
      // The embedded store's worker timeout, or MariaDB's max_statement_time.
      expect(await res.text()).toMatch(/ran past sql_query_timeout|max_statement_time exceeded/);
    }
    expect(h.limiter.inFlight(A)).toBe(0);
    expect((await fetch(`${h.url}/gratia/json/quick?n=9`, as('alice'))).status).toBe(200);
  }, 30_000);
});
