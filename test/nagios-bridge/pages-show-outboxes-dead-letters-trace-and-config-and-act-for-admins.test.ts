/**
 * The bridge's operator pages over HTTP (SQLite, and MariaDB when configured), with the real access stage and results
 * sent through the bridge's NRDP entry: the overview, a target's outbox and chart data, dead letters with Retry and
 * Discard (admin only, CSRF for sessions, committed before the redirect, the per-service order kept), the JSON API,
 * the trace search and the config page; bad input is a 400 naming the field. The transport is a stand-in that
 * records what it was given (delivery into a real Nagios 4 is the Chromium test's).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { defaultBridgeSettings, nagiosBridgeMigrations, type DeliveryOutcome, type NagiosBridgeSettings, type PassiveResult, type Transport } from '../../nagios-bridge/index.js';
import { queueMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import { client } from '../access/support/access-app.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { basicAuth, PASSWORDS, startPagesApp, type PagesApp } from './support/pages-app.js';

/** What the stand-in Nagios took, in order, and how it answers each result (by its output). */
const seen: string[] = [];
const answers = new Map<string, DeliveryOutcome>();
const transport: Transport = {
  type: 'test',
  deliver: (rs: readonly PassiveResult[]) =>
    Promise.resolve(
      rs.map((r) => {
        const outcome = answers.get(r.output) ?? { status: 'ok' };
        if (outcome.status === 'ok') seen.push(`${r.host}/${r.service ?? ''}@${r.checkTime}`);
        return outcome;
      }),
    ),
};

const settings: NagiosBridgeSettings = {
  ...defaultBridgeSettings(),
  targets: [
    { name: 'central', type: 'command_file', path: '/srv/central/nagios.cmd' },
    { name: 'backup', type: 'command_file', path: '/srv/backup/nagios.cmd' },
  ],
  // Only ce9 hosts go to backup (central, which no route names, gets every result).
  routes: [{ target: 'backup', host: { test: (h: string) => h.startsWith('ce9.') } }],
  retryMinMs: 1,
  retryMaxMs: 5,
};

const html = { accept: 'text/html' };

for (const backend of testBackends()) {
  describe(`Nagios pages on ${backend.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let app: PagesApp;
    beforeAll(async () => {
      const db = await backend.create();
      store = db.open();
      dispose = db.dispose;
      await store.migrate([...queueMigrations, ...nagiosBridgeMigrations, ...accessMigrations]);
      // Each backend's suite starts with an empty Nagios.
      seen.length = 0;
      answers.clear();
      app = await startPagesApp(store, { settings, pollMs: 10, transportFor: () => transport });
    });
    afterAll(async () => {
      await app?.close();
      await store?.close();
      await dispose?.();
      removeTempDirs();
    });

    const get = async (path: string, headers: Record<string, string> = html) => {
      const res = await fetch(app.url + path, { headers });
      return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
    };
    const post = (path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
      return fetch(app.url + path, { method: 'POST', body, headers: { ...html, ...headers }, redirect: 'manual' });
    };
    const dead = (target: string) => app.bridge.deadLetters(target)!.list(100);
    const letterOf = async (target: string, output: string) => (await dead(target)).letters.find((l) => l.output === output);

    it('the overview has a row per target with depth, dead letters and deliveries, linked to its page; anonymous may read it', async () => {
      answers.set('refused-1', { status: 'final', reason: 'Nagios refused it' });
      expect(await app.nrdp([['ce1.pages', 'ping', 0, 'delivered-1', 1_700_000_000], ['ce1.pages', 'disk', 2, 'refused-1', 1_700_000_001]])).toBe(0);
      await vi.waitFor(async () => expect((await dead('central')).total).toBe(1), { timeout: 5000 });
      await vi.waitFor(() => expect(seen).toContain('ce1.pages/ping@1700000000'), { timeout: 5000 });
      const { status, text } = await get('/nagios/');
      expect(status).toBe(200);
      expect(text).toContain('<title>Nagios · Fabric Appliance</title>');
      expect(text).toContain('<a href="/nagios/" class="current" aria-current="page">Nagios</a>');
      const row = /<tr data-target="central">([\s\S]*?)<\/tr>/.exec(text)![1]!;
      expect(row).toContain('<a href="/nagios/targets/central">central</a>');
      expect(row).toContain('/srv/central/nagios.cmd');
      expect(row).toContain('<td data-depth="0">0');
      expect(row).toContain('<a href="/nagios/dead-letters?target=central">1</a>');
      expect(row).toMatch(/\(1 delivered, 1 failed attempts\)/);
      expect(row).toContain('Nagios refused it');
      expect(text).toContain('<tr data-target="backup">');
      for (const link of ['/nagios/dead-letters', '/nagios/trace', '/nagios/config', '/nagios/objects.cfg']) expect(text).toContain(`href="${link}"`);
    });

    it('a target page charts deliveries, failures and the sampled depth per minute; a bad span is a 400 naming hours, an unknown target 404', async () => {
      await app.bridge.housekeep();
      const { status, text } = await get('/nagios/targets/central?hours=1');
      expect(status).toBe(200);
      expect(text).toContain('<script src="/nagios/static/highcharts.js"></script>');
      const chart = JSON.parse(/nagiosOutboxChart\('outbox-chart', (.*)\);<\/script>/.exec(text)![1]!) as { delivered: [number, number][]; failed: [number, number][]; depth: [number, number][] };
      expect(chart.delivered.length).toBeGreaterThanOrEqual(60);
      expect(chart.delivered.reduce((n, [, v]) => n + v, 0)).toBe(1);
      expect(chart.failed.reduce((n, [, v]) => n + v, 0)).toBe(1);
      // Only sampled minutes: the one sample the housekeeping just took.
      expect(chart.depth.map(([, d]) => d)).toEqual([0]);
      const js = await fetch(`${app.url}/nagios/static/highcharts.js`);
      expect(js.status).toBe(200);
      expect((await js.text()).slice(0, 300)).toContain('Highcharts');
      const bad = await get('/nagios/targets/central?hours=0', {});
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('field \\"hours\\"');
      expect((await get('/nagios/targets/nowhere')).status).toBe(404);
    });

    it('dead letters list the reason, the result, attempts and times; readers see no buttons, admins do', async () => {
      const anonymous = await get('/nagios/dead-letters?target=central');
      expect(anonymous.status).toBe(200);
      const row = /<tr data-id="\d+">([\s\S]*?)<\/tr>/.exec(anonymous.text)![1]!;
      expect(row).toContain('ce1.pages / disk');
      expect(row).toContain('2023-11-14 22:13:21 UTC');
      expect(row).toContain('refused-1');
      expect(row).toContain('Nagios refused it');
      expect(row).not.toContain('unknown');
      expect(anonymous.text).toContain('Retry and Discard need the admin role');
      expect(anonymous.text).not.toContain('>Retry</button>');
      const admin = await get('/nagios/dead-letters?target=central', { ...html, ...basicAuth('admin') });
      expect(admin.text).toContain('>Retry</button>');
      expect((await get('/nagios/dead-letters?target=nowhere')).status).toBe(404);
      expect((await get('/nagios/dead-letters?limit=x', {})).text).toContain('field \\"limit\\"');
    });

    it('Retry and Discard: 401 anonymous, 403 below admin and for a session without its CSRF token; nothing changes', async () => {
      const letter = (await letterOf('central', 'refused-1'))!;
      expect((await post('/nagios/dead-letters/central', { retry: String(letter.id) })).status).toBe(401);
      expect((await post('/nagios/dead-letters/central', { retry: String(letter.id) }, basicAuth('viewer'))).status).toBe(403);
      expect((await post('/nagios/dead-letters/central', { retry: String(letter.id) }, basicAuth('operator'))).status).toBe(403);
      const browser = client(app.url);
      expect((await browser.send('/login', { json: { username: 'admin', password: PASSWORDS.admin } })).status).toBe(200);
      const refused = await browser.send('/nagios/dead-letters/central', { form: { retry: String(letter.id) } });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toMatch(/CSRF/);
      expect((await dead('central')).total).toBe(1);
    });

    it('bad form input is a 400 naming the field, nothing acted on', async () => {
      const admin = basicAuth('admin');
      for (const [form, name] of [
        [{ retry: 'abc' }, 'retry'],
        [{ action: 'retry' }, 'id'],
        [{ action: 'explode', id: '1' }, 'action'],
        [{ id: '1' }, 'action'],
      ] as const) {
        const res = await post('/nagios/dead-letters/central', form, { ...admin, accept: 'application/json' });
        expect(res.status, JSON.stringify(form)).toBe(400);
        expect(await res.text()).toContain(`field \\"${name}\\"`);
      }
      expect((await post('/nagios/dead-letters/nowhere', { retry: '1' }, admin)).status).toBe(404);
      expect((await dead('central')).total).toBe(1);
    });

    it('an admin session retries with its CSRF token: committed before the redirect, back in the outbox, delivered, traced with who', async () => {
      const letter = (await letterOf('central', 'refused-1'))!;
      answers.delete('refused-1');
      const browser = client(app.url);
      const login = await browser.send('/login', { json: { username: 'admin', password: PASSWORDS.admin } });
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const res = await browser.send('/nagios/dead-letters/central', { form: { _csrf: csrfToken, retry: String(letter.id) } });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/nagios/dead-letters?target=central&done=retried&n=1');
      // The redirect came after the commit: the letter is out of the dead list already.
      expect((await dead('central')).letters.map((l) => l.id)).not.toContain(letter.id);
      const page = await (await browser.send(res.headers.get('location')!, { headers: html })).text();
      expect(page).toMatch(/1 retried at <a href="\/nagios\/targets\/central">central<\/a>: back in its outbox/);
      await vi.waitFor(() => expect(seen).toContain('ce1.pages/disk@1700000001'), { timeout: 5000 });
      const id = await app.bridge.trace.findKey('ce1.pages', 'disk', letter.key!);
      // The delivery's trace event commits just after the transport took it.
      await vi.waitFor(async () => expect((await app.bridge.trace.trace(id!))!.events.map((e) => [e.event, e.detail ?? ''])).toEqual([['dead', 'Nagios refused it'], ['retried', 'by admin'], ['delivered', '']]), { timeout: 5000 });
    });

    it('a retried older result is never delivered after a newer one of its service: before it while that one waits, dead again as stale once it went', async () => {
      // A dead, then B (newer, same service) failing for now: the retried A is the partition's head again, so it goes first.
      answers.set('a-old', { status: 'final', reason: 'refused for now' });
      answers.set('b-new', { status: 'retryable', reason: 'Nagios down' });
      expect(await app.nrdp([['ce1.pages', 'order', 0, 'a-old', 1_700_000_100]])).toBe(0);
      await vi.waitFor(async () => expect(await letterOf('central', 'a-old')).toBeDefined(), { timeout: 5000 });
      expect(await app.nrdp([['ce1.pages', 'order', 0, 'b-new', 1_700_000_200]])).toBe(0);
      const a = (await letterOf('central', 'a-old'))!;
      answers.delete('a-old');
      expect((await post('/nagios/dead-letters/central', { retry: String(a.id) }, basicAuth('admin'))).status).toBe(303);
      answers.delete('b-new');
      await vi.waitFor(() => expect(seen.filter((s) => s.startsWith('ce1.pages/order@'))).toEqual(['ce1.pages/order@1700000100', 'ce1.pages/order@1700000200']), { timeout: 5000 });

      // C dead, then D (newer) delivered: the retried C must not move Nagios back in time.
      answers.set('c-old', { status: 'final', reason: 'refused for now' });
      expect(await app.nrdp([['ce1.pages', 'later', 0, 'c-old', 1_700_000_300]])).toBe(0);
      await vi.waitFor(async () => expect(await letterOf('central', 'c-old')).toBeDefined(), { timeout: 5000 });
      expect(await app.nrdp([['ce1.pages', 'later', 0, 'd-new', 1_700_000_400]])).toBe(0);
      await vi.waitFor(() => expect(seen).toContain('ce1.pages/later@1700000400'), { timeout: 5000 });
      answers.delete('c-old');
      const c = (await letterOf('central', 'c-old'))!;
      expect((await post('/nagios/dead-letters/central', { retry: String(c.id) }, basicAuth('admin'))).status).toBe(303);
      await vi.waitFor(async () => expect((await letterOf('central', 'c-old'))?.reason).toMatch(/^stale: check time 1700000300 is older than 1700000400/), { timeout: 5000 });
      expect(seen.filter((s) => s.startsWith('ce1.pages/later@'))).toEqual(['ce1.pages/later@1700000400']);
    });

    it('Discard deletes for good: gone from the list, a retry of it changes nothing, never delivered, traced', async () => {
      answers.set('discard-me', { status: 'final', reason: 'refused' });
      answers.set('discard-me-too', { status: 'final', reason: 'refused' });
      expect(await app.nrdp([['ce1.pages', 'gone', 0, 'discard-me', 1_700_000_500], ['ce1.pages', 'gone2', 0, 'discard-me-too', 1_700_000_501]])).toBe(0);
      await vi.waitFor(async () => expect((await letterOf('central', 'discard-me-too'))).toBeDefined(), { timeout: 5000 });
      await vi.waitFor(async () => expect((await letterOf('central', 'discard-me'))).toBeDefined(), { timeout: 5000 });
      const letters = [(await letterOf('central', 'discard-me'))!, (await letterOf('central', 'discard-me-too'))!];
      const ids = letters.map((l) => l.id);
      const res = await post('/nagios/dead-letters/central', { action: 'discard', id: ids.map(String) }, basicAuth('admin'));
      expect(res.headers.get('location')).toBe('/nagios/dead-letters?target=central&done=discarded&n=2');
      expect(await letterOf('central', 'discard-me')).toBeUndefined();
      answers.delete('discard-me');
      const token = await app.token('admin', 'admin');
      const again = await fetch(`${app.url}/api/v1/nagios/dead-letters/central/retry`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ids }) });
      expect(await again.json()).toEqual({ target: 'central', retried: 0 });
      // Not in the outbox in any state: nothing is left that could be delivered.
      expect(await app.bridge.outbox('central')!.queue.locate(letters.map((l) => l.key!))).toEqual(new Map());
      expect(seen.filter((s) => s.includes('/gone'))).toEqual([]);
      const trace = await get('/nagios/trace?host=ce1.pages&service=gone');
      expect(trace.text).toMatch(/<strong>central<\/strong>: discarded [^<]* by admin/);
    });

    it('the JSON API lists and acts with tokens: admin acts, a viewer token reads but gets 403, bad bodies name the field', async () => {
      answers.set('api-1', { status: 'final', reason: 'refused by api test' });
      expect(await app.nrdp([['ce1.pages', 'api', 1, 'api-1', 1_700_000_600]])).toBe(0);
      await vi.waitFor(async () => expect(await letterOf('central', 'api-1')).toBeDefined(), { timeout: 5000 });
      const [admin, viewer] = [await app.token('admin', 'admin'), await app.token('viewer', 'viewer')];
      const api = (path: string, token: string, body?: unknown) =>
        fetch(`${app.url}/api/v1/nagios/dead-letters${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const all = (await (await api('', viewer)).json()) as { targets: { target: string; total: number; letters: { id: number; output: string; reason: string; host: string; checkTime: number; deadAt: string }[] }[] };
      expect(all.targets.map((t) => t.target)).toEqual(['central', 'backup']);
      const letter = all.targets[0]!.letters.find((l) => l.output === 'api-1')!;
      expect(letter).toMatchObject({ host: 'ce1.pages', checkTime: 1_700_000_600, reason: 'refused by api test' });
      expect(letter.deadAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect((await api('/central', viewer)).status).toBe(200);
      expect((await api('/central/retry', viewer, { ids: [letter.id] })).status).toBe(403);
      for (const [body, name] of [[{}, 'ids'], [{ ids: ['x'] }, 'ids'], [{ ids: [letter.id], all: true }, 'ids'], [{ all: 'yes' }, 'all']] as const) {
        const res = await api('/central/discard', admin, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(((await res.json()) as { message: string }).message).toContain(`field "${name}"`);
      }
      const explode = await api('/central/explode', admin, { ids: [1] });
      expect(explode.status).toBe(400);
      expect(((await explode.json()) as { message: string }).message).toContain('field "action"');
      expect((await api('/nowhere/retry', admin, { ids: [1] })).status).toBe(404);
      answers.delete('api-1');
      expect(await (await api('/central/retry', admin, { all: true })).json()).toMatchObject({ target: 'central', retried: 2 });
      await vi.waitFor(() => expect(seen).toContain('ce1.pages/api@1700000600'), { timeout: 5000 });
    });

    it('the trace finds results by exact name, prefix or RE2 pattern and received time, newest first, saying received, queued and delivered', async () => {
      answers.set('waits', { status: 'retryable', reason: 'FIFO missing' });
      expect(await app.nrdp([['ce9.pages', 'load', 1, 'waits', 1_700_000_700], ['ce9.pages', 'load', 1, 'behind', 1_700_000_800]])).toBe(0);
      // Queued for both targets (the route sends ce9 hosts to backup too): delivered at central once its head passes.
      await vi.waitFor(async () => expect((await app.bridge.trace.search({ host: 'ce9.pages' })).length).toBe(2), { timeout: 5000 });
      // One consistent read: each target tried "waits" and holds it for its retry (a claim may be holding it at one read).
      let exact = { status: 0, text: '', type: '' };
      await vi.waitFor(async () => {
        exact = await get('/nagios/trace?host=ce9.pages&service=load');
        expect(exact.status).toBe(200);
        const rows = [...exact.text.matchAll(/<tr data-id="(\d+)">([\s\S]*?)<\/tr>/g)].map((m) => m[2]!);
        expect(rows).toHaveLength(2);
        // Newest first: "behind" waits behind "waits" for its service, at both targets.
        expect(rows[0]).toContain('behind');
        expect(rows[0]).toContain('nrdp by agent');
        expect(rows[0]).toMatch(/<strong>backup<\/strong>: queued, 1 older result of this service ahead/);
        expect(rows[0]).toMatch(/<strong>central<\/strong>: queued, 1 older result of this service ahead/);
        expect(rows[1]).toMatch(/<strong>central<\/strong>: queued, next for its service[^<]*last failure: FIFO missing/);
        expect(rows[1]).toMatch(/<strong>backup<\/strong>: queued, next for its service[^<]*last failure: FIFO missing/);
      }, { timeout: 5000 });
      expect(exact.text).toContain('WARNING');

      const prefix = await get('/nagios/trace?host=ce9.&match=prefix');
      expect([...prefix.text.matchAll(/<tr data-id=/g)]).toHaveLength(2);
      const pattern = await get('/nagios/trace?host=ce%5B19%5D%5C.pages&service=lo.d%7Cping&match=pattern&limit=500');
      const found = [...pattern.text.matchAll(/<tr data-id="\d+">[\s\S]*?<td>([^<]*)<\/td>/g)].map((m) => m[1]);
      expect(new Set(found)).toEqual(new Set(['ce9.pages / load', 'ce1.pages / ping']));
      // A pattern matches the whole name: "ce9" alone finds nothing.
      expect(await get('/nagios/trace?host=ce9&match=pattern')).toMatchObject({ text: expect.stringContaining('No traced result matches') as string });
      const future = await get('/nagios/trace?host=ce9.pages&from=2099-01-01T00:00');
      expect(future.text).toContain('No traced result matches');
      const limited = await get('/nagios/trace?host=ce9.pages&limit=1');
      expect([...limited.text.matchAll(/<tr data-id=/g)]).toHaveLength(1);
      expect(limited.text).toContain('1 shown: there may be more');

      answers.delete('waits');
      await vi.waitFor(() => expect(seen).toContain('ce9.pages/load@1700000800'), { timeout: 5000 });
      const id = [...(await get('/nagios/trace?host=ce9.pages&service=load')).text.matchAll(/<tr data-id="(\d+)">([\s\S]*?)<\/tr>/g)].find((m) => m[2]!.includes('waits'))![1]!;
      await vi.waitFor(async () => expect((await get(`/nagios/trace/${id}`)).text).toMatch(/<strong>central<\/strong>|central<\/a>: delivered/), { timeout: 5000 });
      const detail = await get(`/nagios/trace/${id}`);
      expect(detail.text).toContain('from the <strong>nrdp</strong> entry by <strong>agent</strong>');
      expect(detail.text).toMatch(/<tr class="event-failed"><td>[^<]+<\/td><td>(central|backup)<\/td><td>failed<\/td><td>1<\/td><td>FIFO missing<\/td><\/tr>/);
      expect(detail.text).toMatch(/<tr class="event-delivered">/);
    });

    it('bad trace input is a 400 naming the field: lookarounds, unknown match, times, limits, ids', async () => {
      for (const [query, name] of [
        ['host=(%3F%3Dx)&match=pattern', 'host'],
        ['service=a)%7C(b&match=pattern', 'service'],
        ['match=glob', 'match'],
        ['from=yesterday', 'from'],
        ['from=2026-02-30', 'from'],
        ['from=2026-03-02&to=2026-03-01', 'to'],
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
      ] as const) {
        const res = await get(`/nagios/trace?${query}`, { accept: 'application/json' });
        expect(res.status, query).toBe(400);
        expect(res.text, query).toContain(`\\"${name}\\"`);
      }
      const lookahead = await get('/nagios/trace?host=(%3F%3Dx)&match=pattern', {});
      expect(lookahead.text).toContain('lookahead');
      expect((await get('/nagios/trace/abc', {})).status).toBe(400);
      expect((await get('/nagios/trace/999999999')).status).toBe(404);
    });

    it('the config page shows the generated text, when, its counts, and links the raw text', async () => {
      const { status, text } = await get('/nagios/config');
      expect(status).toBe(200);
      expect(text).toContain('<a href="/nagios/objects.cfg">');
      expect(text).toMatch(/<pre class="config" id="object-config"># Generated by/);
      expect(text).toMatch(/host_name\s+ce1\.pages/);
      expect(text).toMatch(/Generated<\/dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      expect(text).toContain('Not run for this page');
    });
  });
}
