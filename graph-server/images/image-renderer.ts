/** PNG and SVG images of Highcharts charts, drawn in headless Chromium by a warm page pool. */
import { AppError, errorMessage, silentLogger, type Logger } from '../../common/index.js';
import { clearChart, drawChart } from './chart-page.js';
import { defaultChromiumPath, isExecutable } from './chromium.js';
import { imageChartOptions, type ImageInput } from './image-options.js';
import { checkImageSide } from './image-size.js';
import { createPagePool, type PagePoolStats, type PoolPage } from './page-pool.js';

/** The image formats: PNG by default, SVG for `svg=1`. */
export const IMAGE_FORMATS = ['png', 'svg'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** The Content-Type of each format. */
export const IMAGE_CONTENT_TYPES: Record<ImageFormat, string> = { png: 'image/png', svg: 'image/svg+xml; charset=utf-8' };

export interface ImageRendererOptions {
  /** The Chromium executable; default `APPLIANCE_CHROMIUM`, else `/usr/bin/chromium`. */
  chromiumPath?: string;
  /** Pages drawing at once (default 2); more requests wait their turn. */
  poolSize?: number;
  /** Requests that may wait for a page before more are refused with 503 (default 100). */
  maxWaiting?: number;
  /** How long Chromium may take to start (default 30 s). */
  launchTimeoutMs?: number;
  /** How long one image may take once it has a page (default 20 s); the page is then discarded. */
  renderTimeoutMs?: number;
  /** Images a page draws before it is replaced by a fresh one (default 1000). */
  recycleAfter?: number;
  logger?: Logger;
  /** Called with the seconds each image took to draw once it had a page (for /metrics). */
  onRender?: (format: ImageFormat, seconds: number) => void;
}

/** Counters for the status page and /metrics. */
export interface ImageRendererStats extends PagePoolStats {
  renders: number;
  failures: number;
  /** Whether Chromium runs now. */
  running: boolean;
}

export interface ImageRenderer {
  /**
   * Draws `input` as PNG (exactly width×height pixels) or SVG (self-contained: no CSS variables). Starts Chromium on
   * the first call. Errors: `bad_request` for a size out of bounds (naming the parameter), `unavailable` without
   * Chromium (with the one-line fix), when too many images wait or one takes too long, `internal` when Highcharts
   * refuses the options.
   */
  render(input: ImageInput, format: ImageFormat): Promise<Buffer>;
  /** Whether images can be drawn: the browser runs, or its executable is there and did not fail to start last time. Never starts it. */
  available(): Promise<boolean>;
  stats(): ImageRendererStats;
  /** Closes the browser; renders after this answer `unavailable`. */
  close(): Promise<void>;
}

/** Creates the renderer; nothing is started until the first image is asked for. */
export function createImageRenderer(options: ImageRendererOptions = {}): ImageRenderer {
  const chromiumPath = options.chromiumPath ?? defaultChromiumPath();
  const renderTimeoutMs = options.renderTimeoutMs ?? 20_000;
  const logger = options.logger ?? silentLogger;
  const pool = createPagePool({
    chromiumPath,
    size: Math.max(1, options.poolSize ?? 2),
    maxWaiting: options.maxWaiting ?? 100,
    launchTimeoutMs: options.launchTimeoutMs ?? 30_000,
    recycleAfter: Math.max(1, options.recycleAfter ?? 1000),
    logger,
  });
  const counts = { renders: 0, failures: 0 };

  async function draw(p: PoolPage, chartOptions: Record<string, unknown>, format: ImageFormat, width: number, height: number): Promise<Buffer> {
    if (p.width !== width || p.height !== height) {
      await p.page.setViewportSize({ width, height });
      p.width = width;
      p.height = height;
    }
    if (format === 'svg') return Buffer.from(await drawChart(p.page, chartOptions, true), 'utf8');
    await drawChart(p.page, chartOptions, false);
    const shot = await p.cdp.send('Page.captureScreenshot', {
      format: 'png',
      // Faster zlib settings: a somewhat larger file (about 20 % here), encoded sooner; the answer is cached anyway.
      optimizeForSpeed: true,
      captureBeyondViewport: false,
      clip: { x: 0, y: 0, width, height, scale: 1 },
    });
    // Not awaited: the answer is ready, and the page runs this before any next draw sent to it.
    clearChart(p.page).catch(() => {});
    return Buffer.from(shot.data, 'base64');
  }

  /** Gives up on a page that takes too long: closing it ends whatever it was doing, and the pool opens another. */
  async function bounded(p: PoolPage, work: Promise<Buffer>): Promise<Buffer> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        p.page.close().catch(() => {});
        reject(new AppError('unavailable', `drawing the chart took longer than ${renderTimeoutMs / 1000} s`));
      }, renderTimeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      work.catch(() => {});
    }
  }

  return {
    async render(input, format) {
      checkImageSide('width', input.width);
      checkImageSide('height', input.height);
      if (!IMAGE_FORMATS.includes(format)) throw new AppError('bad_request', `image format must be one of ${IMAGE_FORMATS.join(', ')}`, { field: 'format' });
      const chartOptions = imageChartOptions(input);
      try {
        const image = await pool.withPage(async (p) => {
          const started = performance.now();
          const drawn = await bounded(p, draw(p, chartOptions, format, input.width, input.height));
          options.onRender?.(format, (performance.now() - started) / 1000);
          return drawn;
        });
        counts.renders++;
        return image;
      } catch (err) {
        counts.failures++;
        if (err instanceof AppError) throw err;
        // Highcharts refusing options is the chart builder's bug: say which error, not where in Playwright it surfaced.
        const reason = errorMessage(err).split('\n')[0]!.replace(/^page\.\w+:\s*/, '').replace(/^Error:\s*/, '');
        throw new AppError('internal', `drawing the ${format.toUpperCase()} image failed: ${reason}`, {}, { cause: err });
      }
    },
    async available() {
      if (pool.running()) return true;
      return !pool.lastLaunchFailed() && (await isExecutable(chromiumPath));
    },
    stats: () => ({ ...pool.stats(), ...counts, running: pool.running() }),
    close: () => pool.close(),
  };
}
