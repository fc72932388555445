/**
 * What operators of a graph server look at first, on the appliance's /metrics: query time by query (and its outcome),
 * result and image cache lookups by outcome, Chromium's render time and its pages, and static files under their own
 * route labels rather than `unmatched`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type RunningAppliance } from '../../appliance.js';
import { CHROMIUM_PATH } from '../support/browser.js';
import { serviceMissing } from '../support/services.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

let app: RunningAppliance;
const QUERY = 'vo_hours_bar_smry';

beforeAll(async () => {
  app = await startAppliance(0, { dataDir: join(tempDir(), 'data'), seedDemo: false, env: { ...process.env, APPLIANCE_CHROMIUM: CHROMIUM_PATH } });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  removeTempDirs();
});

const get = async (path: string) => {
  const res = await fetch(new URL(path, app.url));
  await res.arrayBuffer();
  return res.status;
};
const metrics = async () => (await fetch(new URL('metrics', app.url))).text();
/** The value of one sample line, e.g. `name{a="b"}`; undefined when the line is absent. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('/metrics for the graph server', () => {
  it('times each query run by its qualified name and counts the cache answers: a miss, then hits for the other outputs', async () => {
    const before = await metrics();
    expect(sample(before, 'appliance_graph_cache_lookups_total{cache="results",outcome="hit"}')).toBe(0);
    expect(await get(`gratia/xml/${QUERY}?span=86400`)).toBe(200);
    expect(await get(`gratia/csv/${QUERY}?span=86400`)).toBe(200);
    expect(await get(`gratia/json/${QUERY}?span=86400`)).toBe(200);
    const after = await metrics();
    const [series] = after.split('\n').filter((l) => l.startsWith('appliance_graph_query_duration_seconds_count{') && l.includes(QUERY));
    expect(series, after.slice(0, 2000)).toMatch(new RegExp(`^appliance_graph_query_duration_seconds_count\\{query="[\\w.]*${QUERY}",outcome="ok"\\} 1$`));
    expect(sample(after, 'appliance_graph_cache_lookups_total{cache="results",outcome="miss"}')).toBe(1);
    expect(sample(after, 'appliance_graph_cache_lookups_total{cache="results",outcome="hit"}')).toBe(2);
  });

  it('labels static files by their mount, not as unmatched', async () => {
    expect(await get('static/appliance.css')).toBe(200);
    expect(await get('gratia/vendor/highcharts/highcharts.js')).toBe(200);
    expect(await get('static/no-such-file.css')).toBe(404);
    const text = await metrics();
    expect(sample(text, 'appliance_http_requests_total{method="GET",route="/static/*",status="200"}')).toBe(1);
    expect(sample(text, 'appliance_http_requests_total{method="GET",route="/gratia/vendor/highcharts/*",status="200"}')).toBe(1);
    // A file that is not there is answered by the 404 handler, like any unknown URL.
    expect(sample(text, 'appliance_http_requests_total{method="GET",route="/static/*",status="404"}')).toBeUndefined();
  });

  it("shows the renderer's pages and browser, and times each image Chromium draws", async () => {
    const idle = await metrics();
    expect(sample(idle, 'appliance_image_browser_running')).toBe(0);
    expect(sample(idle, 'appliance_image_pages{state="busy"}')).toBe(0);
    if (!existsSync(CHROMIUM_PATH)) {
      serviceMissing('Chromium', `install Debian's chromium (${CHROMIUM_PATH})`);
      return;
    }
    expect(await get(`gratia/bar_graphs/${QUERY}?span=86400&width=400&height=300`)).toBe(200);
    expect(await get(`gratia/bar_graphs/${QUERY}?span=86400&width=400&height=300`)).toBe(200);
    const text = await metrics();
    expect(sample(text, 'appliance_image_render_seconds_count{format="png"}')).toBe(1);
    expect(sample(text, 'appliance_graph_cache_lookups_total{cache="images",outcome="miss"}')).toBe(1);
    expect(sample(text, 'appliance_graph_cache_lookups_total{cache="images",outcome="hit"}')).toBe(1);
    expect(sample(text, 'appliance_image_browser_running')).toBe(1);
    expect(sample(text, 'appliance_image_pages{state="idle"}')).toBe(1);
    expect(sample(text, 'appliance_image_pages{state="busy"}')).toBe(0);
  }, 60_000);
});
