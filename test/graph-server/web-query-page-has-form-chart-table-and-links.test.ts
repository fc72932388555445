/** The interactive pages over HTTP: the query page's form from its inputs, the embedded chart, the table and the data links; form submissions as GW made them; errors on the page; the index pages and the home sections. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as charts from '../../graph-server/charts/index.js';
import { startGraphTestApp, DEMO_NOW, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';

let app: GraphTestApp;
beforeAll(async () => {
  app = await startGraphTestApp({ charts });
});
afterAll(async () => {
  await app.close();
  removeTempDirs();
});

const page = async (path: string) => {
  const res = await fetch(`${app.url}${path}`, { headers: { accept: 'text/html' } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', html: await res.text() };
};
const embeddedSpec = (html: string): unknown => JSON.parse(/<script type="application\/json" id="chart-spec">(.*?)<\/script>/s.exec(html)![1]!);
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&#x27;/g, "'");
const links = (html: string) => Object.fromEntries([...html.matchAll(/<a href="([^"]+)" data-output="(\w+)"/g)].map((m) => [m[2]!, decode(m[1]!)]));

describe('query page', () => {
  it('shows a form from the inputs with the values that ran, the chart buildChart made, the numbers and the data links', async () => {
    const { status, type, html } = await page('/gratia/html/vo_hours_bar_smry?vo=cms|atlas&span=86400');
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/html/);
    const result = await app.engine.runQuery('GratiaBarQueries.vo_hours_bar_smry', { vo: 'cms|atlas', span: '86400' });
    const start = result.inputs.starttime;
    expect(start?.type).toBe('datetime');
    // datetime inputs are date-time pickers holding what ran (UTC)
    expect(html).toContain(`<input type="datetime-local" step="1" id="in-starttime" name="starttime" value="${(start!.value as Date).toISOString().slice(0, 19)}">`);
    expect(html).toMatch(/<select id="in-span" name="span">.*<option value="86400" selected>Daily<\/option>/s);
    expect(html).toMatch(/<option value="3600">Hourly<\/option>/);
    expect(html).toMatch(/<input type="text" id="in-vo" name="vo" value="cms\|atlas"/);
    expect(html).toContain('regular expression');
    expect(html).toMatch(/<select id="in-relativetime" name="relativetime">/);

    const spec = embeddedSpec(html);
    expect(spec).toEqual(JSON.parse(JSON.stringify(charts.buildChart(result, { vo: 'cms|atlas', span: '86400' }, { now: DEMO_NOW }))));
    const { table } = spec as { table: { rows: unknown[][] } };
    expect(table.rows.length).toBeGreaterThan(0);
    expect((html.match(/<tr>/g) ?? []).length).toBe(table.rows.length + 1);

    expect(links(html)).toEqual({
      // as=xml: the XML itself, which a browser's Accept would otherwise turn into its HTML rendering
      XML: '/gratia/xml/vo_hours_bar_smry?vo=cms%7Catlas&span=86400&as=xml',
      CSV: '/gratia/csv/vo_hours_bar_smry?vo=cms%7Catlas&span=86400',
      JSON: '/gratia/json/vo_hours_bar_smry?vo=cms%7Catlas&span=86400',
      PNG: '/gratia/bar_graphs/vo_hours_bar_smry?vo=cms%7Catlas&span=86400',
    });
    expect(html).toContain('src="/gratia/vendor/highcharts/highcharts.js"');
    expect(html).toContain('src="/static/query-page.js"');
  });

  it('takes the form as GW did: pickers\' T-times, blank fields dropped, a plain VO anchored, a relative range', async () => {
    const { status, html } = await page('/gratia/html/vo_hours_bar_smry?starttime=2024-03-01T00:00&endtime=2024-03-10T23:59:59&span=86400&vo=cms&relativetime=');
    expect(status).toBe(200);
    expect(links(html).XML).toBe('/gratia/xml/vo_hours_bar_smry?starttime=2024-03-01+00%3A00%3A00&endtime=2024-03-10+23%3A59%3A59&span=86400&vo=%5Ecms%24&as=xml');
    expect(html).toContain('value="2024-03-01T00:00:00"');
    const rel = await page('/gratia/html/vo_hours_bar_smry?relativetime=604800&starttime=2020-01-01T00:00');
    // The query's starttime rounds down to the day: the last 7 days start 6 days back, so 7 daily bins, titled 7 days.
    expect(links(rel.html).XML).toBe(`/gratia/xml/vo_hours_bar_smry?starttime=time.time()-518400&endtime=time.time()&span=86400&as=xml`.replace('(', '%28').replace(')', '%29').replace('(', '%28').replace(')', '%29'));
    expect((embeddedSpec(rel.html) as { subtitle?: string }).subtitle).toMatch(/^7 Days from 2024-03-09 /);
    expect(rel.html).toMatch(/<option value="604800" selected>last 7 days<\/option>/);
  });

  it('a bad parameter is a 400 page naming it, with the form to fix it', async () => {
    const { status, html } = await page('/gratia/html/vo_hours_bar_smry?span=daily');
    expect(status).toBe(400);
    expect(html).toMatch(/<p class="error" role="alert" id="query-error">[^<]*span[^<]*<\/p>/);
    expect(html).toContain('id="query-form"');
  });

  it('an invalid regular expression is a 400 shown on the page and in the chart, before any SQL runs', async () => {
    const { status, html } = await page('/gratia/html/vo_hours_bar_smry?vo=(');
    expect(status).toBe(400);
    expect(html).toMatch(/id="query-error">input &quot;vo&quot;: &quot;\(&quot; is not a valid regular expression/);
    expect((embeddedSpec(html) as { subtitle: string }).subtitle).toContain('input "vo": "(" is not a valid regular expression');
  });

  it('pie and cumulative queries have their pages and their own grapher link', async () => {
    const pie = await page('/gratia/html/osg_vo_hours');
    expect(pie.status).toBe(200);
    expect(links(pie.html).PNG).toMatch(/^\/gratia\/pie_graphs\/osg_vo_hours/);
    const cumulative = await page('/gratia/html/vo_success_cumulative_smry');
    expect(links(cumulative.html).PNG).toMatch(/^\/gratia\/cumulative_graphs\//);
  });
});

describe('index and home', () => {
  it('GET /gratia/html/ lists each section with its queries by title', async () => {
    const { status, html } = await page('/gratia/html/');
    expect(status).toBe(200);
    expect(html).toContain('<h2>Bar Graphs</h2>');
    expect(html).toContain('<a href="/gratia/html/vo_hours_bar_smry">Hours Spent on Jobs By VO</a>');
  });

  it('sections() gives the home page each display_name with its queries linking to their pages', async () => {
    const sections = app.routes.sections();
    expect(sections.map((s) => s.title)).toEqual(['Bar Graphs', 'Pie Charts', 'Cumulative Graphs', 'Probe availability (WLCG)', 'Virtual machines']);
    expect(sections[0]!.links).toContainEqual({ title: 'Hours Spent on Jobs By VO', href: '/gratia/html/vo_hours_bar_smry', note: 'GratiaStackedBar' });
    expect(sections.flatMap((s) => s.links)).toHaveLength(app.engine.queries().filter((q) => q.displayName !== undefined).length);
    const home = await page('/');
    expect(home.html).toContain('href="/gratia/html/osg_vo_hours"');
  });

  it('Highcharts and the modules the page loads are served locally', async () => {
    for (const f of ['highcharts.js', 'modules/heatmap.js', 'modules/exporting.js', 'modules/offline-exporting.js', 'modules/accessibility.js']) {
      const res = await fetch(`${app.url}/gratia/vendor/highcharts/${f}`);
      expect(res.status, f).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
    }
    expect((await fetch(`${app.url}/static/query-page.js`)).status).toBe(200);
  });
});
