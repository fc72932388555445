/** The website.xml mounts over HTTP: index pages, GraphTool XML/CSV and JSON with the mount's Content-Type, run/ alias, parameters passed to the query, 404 with close names, 400 naming the parameter, 503 for images without a renderer, and the shared cache. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryEngine } from '../../query-engine/index.js';
import { renderCsv, renderIndexXml, renderJson, renderQueryXml } from '../../graph-server/index.js';
import type { ChartMaker } from '../../graph-server/web/index.js';
import { startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';

/** The data mounts never draw: a chart request here is a bug. */
const noCharts: ChartMaker = {
  buildChart: () => { throw new Error('the data mounts must not build charts'); },
  errorChart: () => { throw new Error('the data mounts must not build charts'); },
};

let app: GraphTestApp;
const runs: string[] = [];

beforeAll(async () => {
  app = await startGraphTestApp({
    charts: noCharts,
    wrapEngine: (engine: QueryEngine) => ({
      queries: () => engine.queries(),
      runQuery: (name, params) => (runs.push(`${name}?${new URLSearchParams(params).toString()}`), engine.runQuery(name, params)),
    }),
  });
});
afterAll(async () => {
  await app.close();
  removeTempDirs();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { headers });
const PARAMS = { vo: 'cms|atlas', span: '86400', starttime: '2024-03-05 00:00:00' };
const qs = `?${new URLSearchParams(PARAMS).toString()}`;

describe('graph routes: data mounts', () => {
  it('GET /gratia/xml/ is the GraphTool index of every listed SqlQueries class', async () => {
    const res = await get('/gratia/xml/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    const body = await res.text();
    const classes = ['GratiaBarQueries', 'GratiaPieQueries', 'GratiaCumulativeQueries', 'RsvAvailabilityQueries', 'VmQueries'];
    const sections = classes.map((c) => {
      const qs = app.engine.queries().filter((q) => q.className === c);
      return { displayName: app.config.objects.get(c) ? (app.config.objects.get(c)!.value as { attributes: Record<string, string> }).attributes.display_name : undefined, queries: qs.map((q) => ({ name: q.name, title: q.title })) };
    });
    expect(body).toBe(renderIndexXml(sections, { staticBaseUrl: '/gratia/static/content', baseUrl: '/gratia/xml' }));
    expect(body).toContain('<pagelist name="Bar Graphs" id="1">');
    expect(body).toContain('/gratia/xml/vo_hours_bar_smry</page>');
    expect((await get('/gratia/xml')).status).toBe(200);
  });

  it('GET /gratia/xml/<query>?k=v runs the query with those parameters; the <url> names the bar grapher', async () => {
    const res = await get(`/gratia/xml/vo_hours_bar_smry${qs}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    const body = await res.text();
    const direct = await app.engine.runQuery('GratiaBarQueries.vo_hours_bar_smry', PARAMS);
    expect(direct.error).toBeUndefined();
    expect(body).toBe(renderQueryXml(direct, { staticBaseUrl: '/gratia/static/content', baseUrl: '/gratia/xml', graphUrl: '/gratia/bar_graphs' }));
    expect(body).toContain('<var name="vo">cms|atlas</var>');
    expect(body).toContain('<url>/gratia/bar_graphs/vo_hours_bar_smry?');
    expect(body).toContain('<pivot name="cms">');
    expect(body).not.toContain('<pivot name="dzero">');
    expect(await (await get(`/gratia/xml/run/vo_hours_bar_smry${qs}`)).text()).toBe(body);
  });

  it('CSV and JSON mounts serve the same run in their formats and Content-Types', async () => {
    const direct = await app.engine.runQuery('GratiaBarQueries.vo_hours_bar_smry', PARAMS);
    const csv = await get(`/gratia/csv/vo_hours_bar_smry${qs}`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await csv.text()).toBe(renderCsv(direct));
    const json = await get(`/gratia/json/run/vo_hours_bar_smry${qs}`);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await json.text();
    expect(text).toBe(renderJson(direct));
    expect((JSON.parse(text) as { sql_vars: Record<string, unknown> }).sql_vars.vo).toBe('cms|atlas');
  });

  it('a generated document says its charset and length, and HEAD answers the same headers without the body', async () => {
    const res = await get(`/gratia/xml/vo_hours_bar_smry${qs}`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(res.headers.get('content-length')).toBe(String(body.length));
    const head = await fetch(`${app.url}/gratia/csv/vo_hours_bar_smry${qs}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('a pie query is at the pie grapher but not the bar grapher; the JSON index lists every class', async () => {
    const xml = await (await get('/gratia/xml/osg_vo_hours')).text();
    expect(xml).toContain('<url>/gratia/pie_graphs/osg_vo_hours?');
    const bar = await get('/gratia/bar_graphs/osg_vo_hours');
    expect(bar.status).toBe(404);
    const index = (await (await get('/gratia/json/')).json()) as { sections: { name: string; queries: { name: string; url: string }[] }[] };
    expect(index.sections.map((s) => s.name)).toEqual(['Bar Graphs', 'Pie Charts', 'Cumulative Graphs', 'Probe availability (WLCG)', 'Virtual machines']);
    expect(index.sections[1]!.queries.find((q) => q.name === 'osg_vo_hours')?.url).toBe('/gratia/json/osg_vo_hours');
  });

  it('the XSL the XML names is served from /gratia/static/content', async () => {
    const res = await get('/gratia/static/content/xml_results.xsl');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<xsl:stylesheet');
  });

  it('an unknown query is a 404 naming close names: JSON for scripts, a page with links for browsers', async () => {
    const res = await get('/gratia/xml/vo_hours_bar');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string; suggestions: string[] } };
    expect(body.error.code).toBe('not_found');
    expect(body.error.suggestions).toContain('vo_hours_bar_smry');
    const page = await get('/gratia/html/vo_hours_bar', { accept: 'text/html' });
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain('href="/gratia/html/vo_hours_bar_smry"');
  });

  it('a bad parameter is a 400 naming it, in the mount\'s format', async () => {
    const xml = await get('/gratia/xml/vo_hours_bar_smry?span=daily');
    expect(xml.status).toBe(400);
    expect(xml.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await xml.text()).toMatch(/<error>[^<]*span[^<]*<\/error>/);
    const json = await get('/gratia/json/vo_hours_bar_smry?span=daily');
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { message: string } }).error.message).toContain('span');
    const csv = await get('/gratia/csv/vo_hours_bar_smry?starttime=yesterday-ish');
    expect(csv.status).toBe(400);
    expect(await csv.text()).toContain('starttime');
  });

  it.each([
    ['a month that does not exist', 'starttime=2026-13-45', 'is not a valid calendar date'],
    ['a day November does not have', 'starttime=2026-11-31', 'is not a valid calendar date'],
    ['a bare YYYYMMDD', 'starttime=20261120', 'write it as 2026-11-20'],
    ['a reversed range', 'starttime=2024-03-10&endtime=2024-03-01', 'endtime 2024-03-01 23:59:59 is before starttime 2024-03-10 00:00:00'],
  ])('%s is a 400 on every data mount, never a graph of 1970 to today or an empty CSV with 200', async (_name, query, reason) => {
    for (const mount of ['xml', 'csv', 'json']) {
      const res = await get(`/gratia/${mount}/vo_hours_bar_smry?${query}`);
      expect(res.status, `${mount} ${query}`).toBe(400);
      expect(await res.text()).toContain(reason);
    }
  });

  it('a CSV downloads as a file named for the query', async () => {
    const res = await get(`/gratia/csv/vo_hours_bar_smry${qs}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="vo_hours_bar_smry.csv"');
  });

  it('without an image renderer the graph mounts answer 503 with the fix and the rest still works', async () => {
    const res = await get('/gratia/bar_graphs/vo_hours_bar_smry');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Chromium.*apt-get install chromium/);
    expect((await get('/gratia/xml/vo_hours_bar_smry')).status).toBe(200);
  });

  it('identical requests share one run: concurrent ones and XML, CSV, JSON of the same parameters', async () => {
    const params = `?vo=ligo&span=604800`;
    runs.length = 0;
    const bodies = await Promise.all([1, 2, 3].map(() => get(`/gratia/xml/vo_job_cnt${params}`).then((r) => r.text())));
    expect(new Set(bodies).size).toBe(1);
    await get(`/gratia/csv/vo_job_cnt${params}`);
    await get(`/gratia/json/vo_job_cnt${params}`);
    expect(runs).toEqual(['GratiaBarQueries.vo_job_cnt?vo=ligo&span=604800']);
    await get(`/gratia/csv/vo_job_cnt?vo=ligo&span=86400`);
    expect(runs).toHaveLength(2);
  });
});
