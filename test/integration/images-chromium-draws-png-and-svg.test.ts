/**
 * The image renderer against Debian's real Chromium: decodable PNGs of exactly the asked size, self-contained SVG,
 * bounded concurrency, a browser started only on first use, and a killed browser replaced on the next image.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { createImageRenderer, defaultChromiumPath, type ImageRenderer } from '../../graph-server/images/index.js';
import { serviceMissing } from '../support/services.js';

const chromiumPath = defaultChromiumPath();
const present = existsSync(chromiumPath);
if (!present) serviceMissing('Chromium', 'apt-get install chromium');

interface Png {
  width: number;
  height: number;
  pixel(x: number, y: number): [number, number, number];
}

/** Decodes an 8-bit RGB or RGBA PNG completely: signature, IHDR, the inflated IDAT stream and every scanline filter. */
function decodePng(buf: Buffer): Png {
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      expect(data[12]).toBe(0); // not interlaced
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      expect(channels).not.toBe(0);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe(height * (stride + 1));
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? out[y * stride + i - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= channels && y > 0 ? out[(y - 1) * stride + i - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter];
      if (predicted === undefined) throw new Error(`bad PNG filter ${filter} on row ${y}`);
      out[y * stride + i] = (x + predicted) & 0xff;
    }
  }
  return {
    width,
    height,
    pixel: (x, y) => {
      const o = y * stride + x * channels;
      return [out[o]!, out[o + 1]!, out[o + 2]!];
    },
  };
}

/** A chart whose pixels are known: green background, one red column reaching the top of the plot. */
const redOnGreen = {
  chart: { type: 'column', backgroundColor: '#00ff00', plotBackgroundColor: '#00ff00' },
  title: { text: 'red on green' },
  legend: { enabled: false },
  yAxis: { max: 10, title: { text: null }, gridLineWidth: 0 },
  plotOptions: { column: { pointPadding: 0, groupPadding: 0, borderWidth: 0 } },
  series: [{ name: 'r', color: '#ff0000', data: [10] }],
};

/** Chromium processes this test process started (the browser itself; its renderers are its own children). */
function chromiumChildren(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [, comm, state, ppid] = /^\d+ \((.*)\) (\S) (\d+)/.exec(stat) ?? [];
        return Number(ppid) === process.pid && /chrom/.test(comm ?? '') && state !== 'Z';
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

/** Every process under `pid` (Chromium's renderers are children of its zygote, not of the browser process). */
function descendants(pid: number): { pid: number; cmdline: string }[] {
  const parentOf = new Map<number, number>();
  for (const d of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const m = /^\d+ \(.*\) \S (\d+)/.exec(readFileSync(`/proc/${d}/stat`, 'utf8'));
      if (m) parentOf.set(Number(d), Number(m[1]));
    } catch {
      // exited while we looked
    }
  }
  const under = (p: number): boolean => {
    for (let up = parentOf.get(p); up !== undefined && up > 1; up = parentOf.get(up)) if (up === pid) return true;
    return false;
  };
  return [...parentOf.keys()].filter(under).map((p) => {
    try {
      return { pid: p, cmdline: readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ') };
    } catch {
      return { pid: p, cmdline: '' };
    }
  });
}

describe.skipIf(!present)('the image renderer on real Chromium', () => {
  const renderers: ImageRenderer[] = [];
  const renderer = (poolSize = 2) => {
    const r = createImageRenderer({ chromiumPath, poolSize });
    renderers.push(r);
    return r;
  };
  afterAll(async () => {
    for (const r of renderers) await r.close();
  });

  it('starts Chromium only on the first image and closes it on close()', async () => {
    const before = chromiumChildren();
    const r = renderer();
    expect(await r.available()).toBe(true);
    expect(chromiumChildren()).toEqual(before);
    expect(r.stats().launches).toBe(0);
    await r.render({ options: redOnGreen, width: 400, height: 300 }, 'png');
    const started = chromiumChildren().filter((pid) => !before.includes(pid));
    expect(started).toHaveLength(1);
    await r.render({ options: redOnGreen, width: 400, height: 300 }, 'svg');
    expect(r.stats()).toMatchObject({ launches: 1, pagesOpened: 1, renders: 2, failures: 0 });
    await r.close();
    expect(chromiumChildren()).not.toContain(started[0]);
    await expect(r.render({ options: redOnGreen, width: 400, height: 300 }, 'png')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('draws a PNG that decodes to exactly the asked size with the chart in its pixels', async () => {
    const r = renderer();
    for (const [width, height] of [[800, 500], [300, 200], [1200, 900]] as const) {
      const png = decodePng(await r.render({ options: redOnGreen, width, height }, 'png'));
      expect([png.width, png.height]).toEqual([width, height]);
      expect(png.pixel(1, 1)).toEqual([0, 255, 0]);
      expect(png.pixel(width - 2, height - 2)).toEqual([0, 255, 0]);
      // The single column fills the plot's width, so the middle of the image is red.
      expect(png.pixel(Math.floor(width / 2), Math.floor(height / 2))).toEqual([255, 0, 0]);
    }
  });

  it('draws the footer statistics into the image', async () => {
    const r = renderer();
    const footer = [{ label: 'Maximum', value: '12,345.6', units: 'Hours' }, { label: 'Current', value: '7' }];
    const svg = (await r.render({ options: redOnGreen, width: 800, height: 500, footer }, 'svg')).toString('utf8');
    expect(svg).toMatch(/<g class="highcharts-caption"|class="highcharts-caption"/);
    expect(svg).toContain('Maximum: 12,345.6 Hours');
    expect(svg).toContain('Current: 7');
    // The caption takes room under the plot: the PNG's bottom rows are no longer all background under the red column.
    const withFooter = decodePng(await r.render({ options: redOnGreen, width: 800, height: 500, footer }, 'png'));
    const without = decodePng(await r.render({ options: redOnGreen, width: 800, height: 500 }, 'png'));
    const redRows = (png: Png) => Array.from({ length: png.height }, (_, y) => y).filter((y) => png.pixel(400, y).join() === '255,0,0').length;
    expect(redRows(withFooter)).toBeLessThan(redRows(without));
  });

  it('draws SVG that parses as XML, has the asked size and no CSS variables left', async () => {
    const r = renderer();
    // Default colours, a heat map and a stacked bar: the parts Highcharts 13 paints with var(--highcharts-*) unless told otherwise.
    const charts = [
      { series: [{ data: [1, 3, 2] }, { data: [2, 1, 3] }], plotOptions: { column: { stacking: 'normal' } }, chart: { type: 'column' } },
      { chart: { type: 'heatmap' }, colorAxis: { min: 0, max: 100, stops: [[0, '#ff0000'], [0.5, '#ffff00'], [1, '#00ff00']] }, series: [{ data: [[0, 0, 10], [0, 1, 60], [1, 0, 95], [1, 1, 100]] }] },
    ];
    for (const options of charts) {
      const svg = (await r.render({ options, width: 640, height: 480 }, 'svg')).toString('utf8');
      expect(XMLValidator.validate(svg)).toBe(true);
      expect(svg).not.toContain('var(--');
      const root = (new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: Record<string, string> }).svg;
      expect([root['@_width'], root['@_height']]).toEqual(['640', '480']);
    }
  });

  it('draws 10 images at once on a pool of 2 pages, every one whole', async () => {
    const r = renderer(2);
    const sizes = Array.from({ length: 10 }, (_, i) => ({ width: 300 + i * 20, height: 200 + i * 10 }));
    const pngs = await Promise.all(sizes.map((s) => r.render({ options: redOnGreen, ...s }, 'png')));
    pngs.forEach((buf, i) => {
      const png = decodePng(buf);
      expect([png.width, png.height]).toEqual([sizes[i]!.width, sizes[i]!.height]);
      expect(png.pixel(Math.floor(png.width / 2), Math.floor(png.height / 2))).toEqual([255, 0, 0]);
    });
    expect(r.stats()).toMatchObject({ launches: 1, pagesOpened: 2, renders: 10, failures: 0, busy: 0, waiting: 0 });
  });

  it('replaces a killed browser on the next image', async () => {
    const before = chromiumChildren();
    const r = renderer();
    await r.render({ options: redOnGreen, width: 400, height: 300 }, 'png');
    const [first] = chromiumChildren().filter((pid) => !before.includes(pid));
    expect(first).toBeDefined();
    process.kill(first!, 'SIGKILL');
    const png = decodePng(await r.render({ options: redOnGreen, width: 400, height: 300 }, 'png'));
    expect(png.pixel(200, 150)).toEqual([255, 0, 0]);
    const now = chromiumChildren().filter((pid) => !before.includes(pid));
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(first);
    expect(r.stats()).toMatchObject({ launches: 2, renders: 2, failures: 0 });
  });

  it('replaces a page whose renderer process died, keeping the browser', async () => {
    const before = chromiumChildren();
    const r = renderer(1);
    await r.render({ options: redOnGreen, width: 400, height: 300 }, 'png');
    const [browserPid] = chromiumChildren().filter((pid) => !before.includes(pid));
    const renderers = descendants(browserPid!).filter((p) => p.cmdline.includes('--type=renderer'));
    expect(renderers.length).toBeGreaterThan(0);
    for (const p of renderers) process.kill(p.pid, 'SIGKILL');
    const png = decodePng(await r.render({ options: redOnGreen, width: 400, height: 300 }, 'png'));
    expect(png.pixel(200, 150)).toEqual([255, 0, 0]);
    expect(chromiumChildren()).toContain(browserPid);
    expect(r.stats()).toMatchObject({ launches: 1, pagesOpened: 2, renders: 2, failures: 0 });
  });

  it('draws on a fresh page after recycleAfter images', async () => {
    const r = createImageRenderer({ chromiumPath, poolSize: 1, recycleAfter: 2 });
    renderers.push(r);
    for (let i = 0; i < 5; i++) await r.render({ options: redOnGreen, width: 400, height: 300 }, 'png');
    expect(r.stats()).toMatchObject({ launches: 1, pagesOpened: 3, renders: 5 });
  });

  it('reports options Highcharts refuses as an internal error naming Highcharts, and keeps drawing', async () => {
    const r = renderer(1);
    await expect(r.render({ options: { chart: { type: 'no-such-type' }, series: [{ data: [1] }] }, width: 400, height: 300 }, 'png')).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/^drawing the PNG image failed: Highcharts error #17/) as unknown,
    });
    const png = decodePng(await r.render({ options: redOnGreen, width: 400, height: 300 }, 'png'));
    expect(png.pixel(200, 150)).toEqual([255, 0, 0]);
    expect(r.stats()).toMatchObject({ pagesOpened: 1, renders: 1, failures: 1 });
  });
});
