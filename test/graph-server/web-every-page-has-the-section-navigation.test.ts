/** The navigation over HTTP: every page shows the sections with the current one highlighted, inner pages a breadcrumb to their section, /gratia/ lists the mounts, and /grafana/ is a set-up page for a browser while Grafana still gets its status. */
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as charts from '../../graph-server/charts/index.js';
import { APPLIANCE_NAV, createGrafanaRouter, navState } from '../../graph-server/index.js';
import { startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';

let app: GraphTestApp;
beforeAll(async () => {
  app = await startGraphTestApp({
    charts,
    routers: (engine) => {
      const grafana = Router();
      grafana.use('/grafana', createGrafanaRouter({ engine }));
      return [grafana];
    },
  });
});
afterAll(async () => {
  await app.close();
  removeTempDirs();
});

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const page = async (path: string) => {
  const res = await fetch(`${app.url}${path}`, { headers: { accept: BROWSER } });
  return { status: res.status, html: await res.text() };
};
const navLinks = (html: string) => [...(/<nav class="sections"[^>]*>(.*?)<\/nav>/s.exec(html)?.[1] ?? '').matchAll(/<a href="([^"]+)"( class="current")?/g)].map((m) => ({ href: m[1], current: m[2] !== undefined }));
const crumb = (html: string) => /<nav class="crumbs"[^>]*>(.*?)<\/nav>/s.exec(html)?.[1];

describe('section navigation', () => {
  it('every section of APPLIANCE_NAV is in the bar of every page, the current one highlighted', async () => {
    const expected = APPLIANCE_NAV.map((s) => s.href);
    expect(expected).toEqual(['/gratia/', '/rsv/', '/samples/', '/grafana/', '/nagios/', '/topology/', '/accounting/']);
    for (const [path, current] of [
      ['/', undefined], ['/gratia/', '/gratia/'], ['/gratia/html/', '/gratia/'], ['/gratia/html/vo_hours_bar_smry', '/gratia/'],
      ['/gratia/xml/vo_hours_bar_smry', '/gratia/'], ['/grafana/', '/grafana/'], ['/no/such/page', undefined],
    ] as const) {
      const { html } = await page(path);
      const links = navLinks(html);
      expect(links.map((l) => l.href), path).toEqual(expected);
      expect(links.filter((l) => l.current).map((l) => l.href), path).toEqual(current ? [current] : []);
    }
  });

  it('an inner page has a breadcrumb to its section (and the mount index); a section page has none', async () => {
    expect(crumb((await page('/gratia/')).html)).toBeUndefined();
    expect(crumb((await page('/gratia/html/')).html)).toMatch(/^<a href="\/gratia\/">Graphs<\/a> › <span>/);
    const query = crumb((await page('/gratia/html/vo_hours_bar_smry')).html)!;
    expect(query).toMatch(/^<a href="\/gratia\/">Graphs<\/a> › <a href="\/gratia\/html\/">[^<]+<\/a> › <span>Hours Spent on Jobs By VO/);
  });

  it('navState matches a section by its longest prefix, and its own page is not an inner page', () => {
    const sections = [{ title: 'A', href: '/a/', prefixes: ['/a/'] }, { title: 'AB', href: '/a/b/', prefixes: ['/a/b/'] }];
    expect(navState(sections, '/a/b/c').sections.filter((s) => s.current).map((s) => s.title)).toEqual(['AB']);
    expect(navState(sections, '/a').crumb).toBeUndefined();
    expect(navState(sections, '/a/x').crumb).toEqual({ title: 'A', href: '/a/' });
    expect(navState(sections, '/other').sections.some((s) => s.current)).toBe(false);
  });
});

describe('/gratia/ and /grafana/', () => {
  it('/gratia/ lists every query mount of website.xml with its index, pages first', async () => {
    const { status, html } = await page('/gratia/');
    expect(status).toBe(200);
    const hrefs = [...html.matchAll(/<tr data-output="(\w+)"><td><a href="([^"]+)">/g)].map((m) => [m[1], m[2]]);
    expect(hrefs).toEqual(app.routes.website.queryMounts
      .map((m) => [m.output, `${m.location}/`])
      .sort((a, b) => ['html', 'graph', 'xml', 'csv', 'json'].indexOf(a[0]!) - ['html', 'graph', 'xml', 'csv', 'json'].indexOf(b[0]!)));
    expect(hrefs[0]).toEqual(['html', '/gratia/html/']);
    expect(html).toContain('<code>/gratia/static/content</code>');
  });

  it('a browser at /grafana/ gets the datasource URL and every dashboard\'s JSON; Grafana\'s own request gets the status', async () => {
    const { status, html } = await page('/grafana/');
    expect(status).toBe(200);
    expect(html).toContain(`<code id="datasource-url">${app.url}/grafana</code>`);
    for (const slug of ['bar-graphs', 'pie-charts', 'cumulative-graphs']) {
      expect(html).toContain(`<a href="/grafana/dashboards/${slug}.json" download="${slug}.json">`);
      const json = await (await fetch(`${app.url}/grafana/dashboards/${slug}.json`)).json() as { title: string };
      expect(html).toContain(`&quot;title&quot;: &quot;${json.title}&quot;`);
    }
    for (const accept of ['application/json, text/plain, */*', '*/*']) {
      const res = await fetch(`${app.url}/grafana/`, { headers: { accept } });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ status: 'ok' });
    }
  });

  it('the query page\'s CSV link downloads a file: a download attribute and the mount\'s attachment header', async () => {
    const { html } = await page('/gratia/html/vo_hours_bar_smry');
    const m = /<a href="([^"]+)" data-output="CSV" download="vo_hours_bar_smry.csv">/.exec(html);
    expect(m).not.toBeNull();
    const res = await fetch(`${app.url}${m![1]!.replace(/&amp;/g, '&')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="vo_hours_bar_smry.csv"');
  });
});
