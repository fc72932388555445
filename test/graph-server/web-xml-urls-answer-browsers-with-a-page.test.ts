/** GraphTool XML URLs: a browser (Accept ranking text/html above XML) gets an HTML page of the same run with links to the data; scripts (*\/*, XML, curl, wget, no Accept) get the XML byte for byte as before; Vary: Accept on both. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as charts from '../../graph-server/charts/index.js';
import { renderIndexXml, renderQueryXml } from '../../graph-server/index.js';
import { startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';

let app: GraphTestApp;
beforeAll(async () => {
  app = await startGraphTestApp({ charts });
});
afterAll(async () => {
  await app.close();
  removeTempDirs();
});

const CHROMIUM = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const PARAMS = { vo: 'cms|atlas', span: '86400', starttime: '2024-03-05 00:00:00' };
const path = `/gratia/xml/vo_hours_bar_smry?${new URLSearchParams(PARAMS).toString()}`;
const get = (p: string, headers: Record<string, string>) => fetch(`${app.url}${p}`, { headers });
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');

describe('XML URLs in a browser', () => {
  it('a browser gets the run as a page: title, the numbers, links to the page, CSV, JSON, the XML and the graph', async () => {
    for (const accept of [CHROMIUM, FIREFOX]) {
      const res = await get(path, { accept });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('vary')).toMatch(/Accept/);
      const html = await res.text();
      const result = await app.engine.runQuery('GratiaBarQueries.vo_hours_bar_smry', PARAMS);
      const chart = charts.buildChart(result, PARAMS, { now: new Date(Date.UTC(2024, 2, 15, 12)) });
      expect(html).toContain(`<h1>${chart.title}</h1>`);
      expect(chart.table.rows.length).toBeGreaterThan(0);
      const rows = [...html.matchAll(/<tr>(<td>.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1]));
      expect(rows).toEqual(chart.table.rows.map((r) => r.map((c) => (c === null ? '' : String(c)))));
      const links: Record<string, string> = Object.fromEntries([...html.matchAll(/<a href="([^"]+)" data-output="([\w ]+)"/g)].map((m) => [m[2]!, decode(m[1]!)]));
      const q = new URLSearchParams(PARAMS).toString();
      expect(links).toEqual({
        'Interactive page': `/gratia/html/vo_hours_bar_smry?${q}`,
        CSV: `/gratia/csv/vo_hours_bar_smry?${q}`,
        JSON: `/gratia/json/vo_hours_bar_smry?${q}`,
        XML: `/gratia/xml/vo_hours_bar_smry?${q}&as=xml`,
        PNG: `/gratia/bar_graphs/vo_hours_bar_smry?${q}`,
      });
      // The page's own XML link gives the XML even with the browser's Accept.
      const xml = await get(links.XML ?? '', { accept });
      expect(xml.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(await xml.text()).toBe(renderQueryXml(result, { staticBaseUrl: '/gratia/static/content', baseUrl: '/gratia/xml', graphUrl: '/gratia/bar_graphs' }));
    }
  });

  it('scripts keep the XML byte for byte: no Accept, */*, XML, curl, wget and GraphTool-style clients', async () => {
    const result = await app.engine.runQuery('GratiaBarQueries.vo_hours_bar_smry', PARAMS);
    const expected = renderQueryXml(result, { staticBaseUrl: '/gratia/static/content', baseUrl: '/gratia/xml', graphUrl: '/gratia/bar_graphs' });
    for (const headers of [
      {}, { accept: '*/*' }, { accept: 'application/xml' }, { accept: 'text/xml' }, { accept: 'text/xml, text/html' },
      { accept: '*/*', 'user-agent': 'curl/8.5.0' }, { accept: '*/*', 'user-agent': 'Wget/1.21.4' },
      { accept: 'application/xml;q=1, text/html;q=0.5' }, { 'accept-encoding': 'identity', 'user-agent': 'Python-urllib/3.11' },
    ] as Record<string, string>[]) {
      const res = await get(path, headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(res.headers.get('vary')).toMatch(/Accept/);
      expect(await res.text(), JSON.stringify(headers)).toBe(expected);
    }
  });

  it('a failed or refused run keeps its status on the page; the index is a page for a browser and XML for scripts', async () => {
    const bad = await get('/gratia/xml/vo_hours_bar_smry?vo=(', { accept: CHROMIUM });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await bad.text()).toContain('is not a valid regular expression');
    const badXml = await get('/gratia/xml/vo_hours_bar_smry?vo=(', { accept: '*/*' });
    expect(badXml.status).toBe(400);
    expect(await badXml.text()).toMatch(/^<\?xml[^]*<error>input "vo"/);

    const index = await get('/gratia/xml/', { accept: CHROMIUM });
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<a href="/gratia/xml/vo_hours_bar_smry">');
    const indexXml = await get('/gratia/xml/', { accept: '*/*' });
    expect(indexXml.headers.get('vary')).toMatch(/Accept/);
    expect(await indexXml.text()).toMatch(/^<\?xml/);
    expect(renderIndexXml).toBeTypeOf('function');
  });
});
