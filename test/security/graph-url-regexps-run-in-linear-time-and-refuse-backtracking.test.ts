/**
 * Regular expressions in graph URLs run under RE2 on a real appliance process: hostile patterns answer promptly while
 * /healthz stays live, and backtracking-only syntax is a 400 naming the input and the feature in each output's shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const QUERY = 'vo_hours_bar_smry';
// A backtracking engine needs 37 s for the first on "Batch", and far longer per row for the second.
const HOSTILE_RESOURCE_TYPE = '(.*){30}Z';
const HOSTILE_USER = '(.*){40}Z';
// Generous: RE2 answers in milliseconds; a backtracking engine holds the loop or the workers for minutes.
const ANSWER_MS = 10_000;

let app: ApplianceProcess;

beforeAll(async () => {
  const dataDir = join(tempDir(), 'data');
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bin/appliance.ts'), 'demo', '--data', dataDir, '--days', '10'], {
    cwd: root,
    env: { ...process.env, APPLIANCE_USERS_FILE: '' },
    encoding: 'utf8',
  });
  expect(seeded.status, seeded.stderr).toBe(0);
  app = await startApplianceProcess({ dataDir });
}, 180_000);

afterAll(async () => {
  // A stuck event loop ignores SIGTERM: do not leave the process behind.
  if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  removeTempDirs();
});

function graphUrl(output: string, params: Record<string, string>): URL {
  return new URL(`gratia/${output}/${QUERY}?${new URLSearchParams(params).toString()}`, app.url);
}

/** Fetches `url` and measures /healthz while it runs. */
async function whileHealthz(url: URL): Promise<{ status: number; body: string; healthMs: number[] }> {
  const answer = fetch(url, { signal: AbortSignal.timeout(ANSWER_MS) }).then(async (res) => ({ status: res.status, body: await res.text() }));
  let done = false;
  void answer.finally(() => (done = true)).catch(() => {});
  const healthMs: number[] = [];
  do {
    const started = Date.now();
    const res = await fetch(new URL('healthz', app.url), { signal: AbortSignal.timeout(ANSWER_MS) });
    expect(res.status).toBe(200);
    healthMs.push(Date.now() - started);
  } while (!done && healthMs.length < 20);
  return { ...(await answer), healthMs };
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// Handlebars' escaping of the page's error paragraph.
const htmlEscape = (s: string) =>
  s.replace(/[&<>"'`=]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' })[c]!);

describe('hostile regular expressions in a graph URL', () => {
  it('resource-type=(.*){30}Z with OWNED is a prompt 400 and /healthz stays responsive', async () => {
    const r = await whileHealthz(graphUrl('xml', { 'opportunistic-filter': 'OWNED', 'resource-type': HOSTILE_RESOURCE_TYPE }));
    expect(r.status).toBe(400);
    expect(r.body).toContain('input "resource-type"');
    for (const ms of r.healthMs) expect(ms).toBeLessThan(2_000);
  }, 60_000);

  it('user=(.*){40}Z answers promptly, twice at once (the query workers are not held), with /healthz responsive', async () => {
    const url = graphUrl('json', { user: HOSTILE_USER });
    const [a, b] = await Promise.all([whileHealthz(url), whileHealthz(url)]);
    for (const r of [a, b]) {
      expect(r.status).toBe(200);
      for (const ms of r.healthMs) expect(ms).toBeLessThan(2_000);
    }
    // And the next ordinary query is not queued behind them.
    const next = await fetch(graphUrl('json', { vo: 'cms' }), { signal: AbortSignal.timeout(ANSWER_MS) });
    expect(next.status).toBe(200);
  }, 60_000);
});

describe('backtracking-only syntax in a graph URL is a 400 naming the input and the feature', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['a backreference', { vo: '(cms)\\1' }, 'input "vo": backreference \\1 is not supported (patterns use RE2 syntax)'],
    ['a lookahead', { user: 'x(?=y)' }, 'input "user": lookahead (?= is not supported (patterns use RE2 syntax)'],
    ['a lookbehind', { facility: '(?<!x)y' }, 'input "facility": negative lookbehind (?<! is not supported (patterns use RE2 syntax)'],
    ['a possessive quantifier', { probe: 'a++' }, 'input "probe": possessive quantifier ++ is not supported (patterns use RE2 syntax)'],
    ['a lookahead in resource-type', { 'opportunistic-filter': 'OWNED', 'resource-type': '(?=B)Batch' }, 'input "resource-type": lookahead (?= is not supported (patterns use RE2 syntax)'],
  ];
  for (const [what, params, message] of cases) {
    it(`${what}: GraphTool XML, CSV, JSON and the HTML page`, async () => {
      const xml = await fetch(graphUrl('xml', params));
      expect(xml.status).toBe(400);
      expect(await xml.text()).toContain(`<error>${xmlEscape(message)}</error>`);
      const csv = await fetch(graphUrl('csv', params));
      expect(csv.status).toBe(400);
      expect(await csv.text()).toBe(`error: ${message}\n`);
      const json = await fetch(graphUrl('json', params));
      expect(json.status).toBe(400);
      expect(((await json.json()) as { message: string }).message).toBe(message);
      const html = await fetch(graphUrl('html', params), { headers: { accept: 'text/html' } });
      expect(html.status).toBe(400);
      expect(await html.text()).toContain(htmlEscape(message));
    }, 30_000);
  }
});
