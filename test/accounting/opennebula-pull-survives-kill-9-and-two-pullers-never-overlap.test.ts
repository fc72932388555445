/**
 * Pulls across processes: a puller killed with SIGKILL while its call is in flight loses nothing (the watermark had
 * not moved; the next process reads the same window once the dead one's lease lapses, and its pull shows as
 * interrupted), and two pullers of one endpoint on one MariaDB never call OpenNebula at once and import every record
 * once, each pull starting where the other's left off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingMigrations, openNebulaPullMigrations, pullCursorName, recentPulls, SEGMENTS_TABLE, type OpenNebulaSourceSettings } from '../../accounting/index.js';
import { createCursors, cursorMigrations } from '../../queue/index.js';
import type { Store, StoreConnection } from '../../store/index.js';
import { generateHistory, startOpenNebulaStandin, type OpenNebulaStandin } from '../support/opennebula-standin.js';
import { testBackends } from '../support/stores.js';

const script = fileURLToPath(new URL('./support/pull-process.ts', import.meta.url));

interface Puller {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
}

function startPuller(connection: StoreConnection, source: OpenNebulaSourceSettings, owner: string, okLimit: number): Puller {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, PULL_STORE: JSON.stringify(connection), PULL_SOURCE: JSON.stringify(source), PULL_OWNER: owner, PULL_TICK_MS: '20', PULL_OK_LIMIT: String(okLimit) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child, lines, exited,
    async waitFor(re, timeoutMs = 90_000) {
      const until = Date.now() + timeoutMs;
      while (!lines.some((l) => re.test(l))) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`${owner} printed no ${re}:\n${lines.slice(-5).join('\n')}\n${err}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function sourceFor(one: OpenNebulaStandin, over: Partial<OpenNebulaSourceSettings> = {}): OpenNebulaSourceSettings {
  return {
    name: 'site', url: one.url, session: one.session, schedule: '* * * * *', filter: -2, firstStart: 0, overlapSeconds: 300,
    timeoutMs: 10_000, maxResponseBytes: 64 * 1024 * 1024, leaseMs: 12_000, retryBaseMs: 1_000, retryCapMs: 2_000, insecure: false,
    pos: { file: 'test.xml', line: 1, column: 1 }, ...over,
  };
}

async function prepare(backend: ReturnType<typeof testBackends>[number]) {
  const db = await backend.create();
  const store = db.open();
  await store.migrate([...cursorMigrations, ...accountingMigrations, ...openNebulaPullMigrations]);
  return { ...db, store };
}

const countSegments = async (store: Store) =>
  Number((await store.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${SEGMENTS_TABLE} WHERE endpoint = 'site'`))[0]?.n);

describe.each(testBackends())('a puller killed with SIGKILL mid-pull, on $name', (backend) => {
  let db: Awaited<ReturnType<typeof prepare>>;
  let one: OpenNebulaStandin;
  const children: Puller[] = [];
  beforeAll(async () => {
    db = await prepare(backend);
    one = await startOpenNebulaStandin();
    one.records = generateHistory({ vms: 300, start: 1_790_000_000, segmentsPerVm: 2, open: true });
  });
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await one?.close();
    await db?.store.close();
    await db?.dispose();
  });

  it('loses nothing and imports every record once after a restart', async () => {
    one.behave('one.vmpool.accounting', { kind: 'hang' }, 1);
    const a = startPuller(db.connection, sourceFor(one), 'puller-a', 1);
    children.push(a);
    await until('the first accounting call', () => one.calls.some((c) => c.method === 'one.vmpool.accounting'));
    a.child.kill('SIGKILL');
    await a.exited;
    expect((await recentPulls(db.store, { endpoint: 'site' })).map((p) => [p.status, p.owner])).toEqual([['running', 'puller-a']]);
    expect((await createCursors(db.store).read(pullCursorName('site')))?.position).toBe(0);
    expect(await countSegments(db.store)).toBe(0);

    const b = startPuller(db.connection, sourceFor(one), 'puller-b', 1);
    children.push(b);
    await b.waitFor(/^done$/);
    expect(b.lines.filter((l) => l.startsWith('ok '))).toHaveLength(1);
    // The dead puller's window again: from first_start, since its watermark never moved.
    expect(b.lines.find((l) => l.startsWith('ok '))).toMatch(/^ok 0 \d+ 600$/);
    expect(await countSegments(db.store)).toBe(600);
    const log = await recentPulls(db.store, { endpoint: 'site' });
    expect(log.map((p) => [p.status, p.owner, p.records])).toEqual([['ok', 'puller-b', 600], ['interrupted', 'puller-a', null]]);
    expect((await createCursors(db.store).read(pullCursorName('site')))?.position).toBe(log[0]?.windowTo);
  }, 120_000);
});

const mariadb = testBackends().find((b) => b.name === 'mysql');

describe.skipIf(!mariadb)('two pullers of one endpoint on one MariaDB', () => {
  let db: Awaited<ReturnType<typeof prepare>>;
  let one: OpenNebulaStandin;
  const children: Puller[] = [];
  beforeAll(async () => {
    db = await prepare(mariadb!);
    one = await startOpenNebulaStandin();
    one.records = generateHistory({ vms: 200, start: 1_790_000_000, segmentsPerVm: 2, open: true });
  });
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await one?.close();
    await db?.store.close();
    await db?.dispose();
  });

  it('never call OpenNebula at once, and chain their windows through the one watermark', async () => {
    // Every answer takes 300 ms, so pulls that were not kept apart by the lease would overlap at the stand-in.
    one.behave('one.vmpool.accounting', { kind: 'delay', ms: 300 });
    const source = sourceFor(one);
    const pullers = [startPuller(db.connection, source, 'puller-1', 3), startPuller(db.connection, source, 'puller-2', 3)];
    children.push(...pullers);
    await Promise.all(pullers.map((p) => p.waitFor(/^done$/, 120_000)));
    expect(one.maxInFlight.get('one.vmpool.accounting')).toBe(1);
    expect(await countSegments(db.store)).toBe(400);
    const log = (await recentPulls(db.store, { endpoint: 'site' })).reverse();
    expect(log.map((p) => p.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(new Set(log.map((p) => p.owner))).toEqual(new Set(['puller-1', 'puller-2']));
    // Each pull starts at the previous one's watermark less the overlap, whichever process made it.
    for (let i = 1; i < log.length; i++) expect(log[i]?.windowFrom).toBe(Math.max(0, (log[i - 1]?.windowTo ?? 0) - 300));
  }, 180_000);
});
