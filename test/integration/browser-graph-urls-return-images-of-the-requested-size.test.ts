/** The graph mounts with the real image renderer in Debian's Chromium: decodable PNGs of the requested size (GraphTool's 800×500 by default), SVG for svg=1, error images, one render per cached request, and 503 with the fix when Chromium is missing. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as charts from '../../graph-server/charts/index.js';
import { createImageRenderer, type ImageRenderer } from '../../graph-server/images/index.js';
import { CHROMIUM_PATH, launchTestBrowser, startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG's IHDR chunk (right after the signature). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const browser: Browser | undefined = await launchTestBrowser();
let app: GraphTestApp;
let renderer: ImageRenderer;

/** Decodes the PNG in the browser: its natural size, or an error if it is not a valid image. */
async function decodedSize(png: Buffer): Promise<{ width: number; height: number }> {
  const page = await browser!.newPage();
  try {
    return await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      return { width: bitmap.width, height: bitmap.height };
    }, png.toString('base64'));
  } finally {
    await page.close();
  }
}

const get = async (path: string) => {
  const res = await fetch(`${app.url}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
};

describe.skipIf(!browser)('graph images in Chromium', () => {
  beforeAll(async () => {
    renderer = createImageRenderer({ chromiumPath: CHROMIUM_PATH });
    app = await startGraphTestApp({ charts, images: renderer });
  });
  afterAll(async () => {
    await renderer?.close();
    await browser?.close();
    await app?.close();
    removeTempDirs();
  });

  it('a bar graph URL returns a decodable PNG of the requested size', async () => {
    const { status, type, body } = await get('/gratia/bar_graphs/vo_hours_bar_smry?width=640&height=400&span=86400');
    expect(status).toBe(200);
    expect(type).toBe('image/png');
    expect(pngSize(body)).toEqual({ width: 640, height: 400 });
    expect(await decodedSize(body)).toEqual({ width: 640, height: 400 });
  });

  it('without width and height the image is 800×500, as GraphTool drew; pie and cumulative graphs too', async () => {
    for (const path of ['/gratia/bar_graphs/vo_job_cnt', '/gratia/pie_graphs/osg_vo_hours', '/gratia/cumulative_graphs/vo_success_cumulative_smry']) {
      const { status, body } = await get(path);
      expect(status, path).toBe(200);
      expect(pngSize(body), path).toEqual({ width: 800, height: 500 });
    }
  });

  it('svg=1 returns the same chart as SVG', async () => {
    const { status, type, body } = await get('/gratia/bar_graphs/vo_hours_bar_smry?svg=1&span=86400');
    expect(status).toBe(200);
    expect(type).toMatch(/^image\/svg\+xml/);
    const svg = body.toString('utf8');
    expect(svg).toMatch(/^<svg|^<\?xml/);
    expect(svg).toContain('Hours Spent on Jobs By VO');
  });

  it('a bad regular expression or a bad parameter is a 400 error image naming it', async () => {
    // Patterns are checked with RE2 before any SQL runs, so an unbalanced one is the client's 400, not a query error.
    const failed = await get('/gratia/bar_graphs/vo_hours_bar_smry?vo=(&svg=1');
    expect(failed.status).toBe(400);
    expect(failed.body.toString('utf8')).toContain('is not a valid regular expression');
    const bad = await get('/gratia/bar_graphs/vo_hours_bar_smry?span=daily&width=300&height=200');
    expect(bad.status).toBe(400);
    expect(pngSize(bad.body)).toEqual({ width: 300, height: 200 });
    const badSvg = await get('/gratia/bar_graphs/vo_hours_bar_smry?span=daily&svg=1');
    expect(badSvg.body.toString('utf8')).toContain('span');
  });

  it('a query that fails in the database is an error image with status 500, never a 200 picture of no data', async () => {
    await app.store.execute('ALTER TABLE MasterSummaryData RENAME TO MasterSummaryData_away');
    try {
      // Parameters no earlier test used, so no cached good run answers instead.
      const failed = await get('/gratia/bar_graphs/vo_hours_bar_smry?span=3600&svg=1');
      expect(failed.status).toBe(500);
      expect(failed.type).toMatch(/^image\/svg\+xml/);
      expect(failed.body.toString('utf8')).toContain('MasterSummaryData');
    } finally {
      await app.store.execute('ALTER TABLE MasterSummaryData_away RENAME TO MasterSummaryData');
    }
  });

  it('an identical request is served from the cache without drawing again', async () => {
    const path = '/gratia/bar_graphs/vo_cpu_hours_bar_smry?width=500&height=300';
    await get(path);
    const renders = renderer.stats().renders;
    const [a, b] = await Promise.all([get(path), get(path)]);
    expect(a.body.equals(b.body)).toBe(true);
    expect(renderer.stats().renders).toBe(renders);
    await get('/gratia/bar_graphs/vo_cpu_hours_bar_smry?width=501&height=300');
    expect(renderer.stats().renders).toBe(renders + 1);
  });
});

describe('graph images without Chromium', () => {
  let noChromium: GraphTestApp;
  beforeAll(async () => {
    noChromium = await startGraphTestApp({ charts, images: createImageRenderer({ chromiumPath: '/nonexistent/chromium' }) });
  });
  afterAll(async () => {
    await noChromium.close();
    removeTempDirs();
  });

  it('image URLs answer 503 with the one-line fix; the data and pages still work', async () => {
    const res = await fetch(`${noChromium.url}/gratia/bar_graphs/vo_hours_bar_smry`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/apt-get install chromium/);
    expect((await fetch(`${noChromium.url}/gratia/xml/vo_hours_bar_smry`)).status).toBe(200);
    expect((await fetch(`${noChromium.url}/gratia/html/vo_hours_bar_smry`)).status).toBe(200);
  });

  it('a width or height that is no size is a 400 naming it and the bounds, before Chromium is needed', async () => {
    for (const [query, message] of [
      ['width=50', 'width must be a whole number of pixels from 100 to 4000, got 50'],
      ['height=tall', 'height must be a whole number of pixels from 100 to 4000, got "tall"'],
    ] as const) {
      const res = await fetch(`${noChromium.url}/gratia/bar_graphs/vo_hours_bar_smry?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { message: string; field: string } }).error).toMatchObject({ message, field: query.split('=')[0] });
    }
  });
});
