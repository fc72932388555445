/** A warm pool of Chromium pages with Highcharts loaded: the browser starts on first use, and a crashed page or browser is replaced. */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { AppError, errorMessage, type Logger } from '../../common/index.js';
import { loadChartPage } from './chart-page.js';
import { launchChromium } from './chromium.js';

/** A page of the pool, with the viewport it currently has (changing it costs a round trip, so it is remembered). */
export interface PoolPage {
  readonly page: Page;
  readonly browser: Browser;
  /** The page's DevTools session: its screenshot call skips Playwright's waiting and can encode for speed. */
  readonly cdp: CDPSession;
  width: number;
  height: number;
  /** Images drawn on this page; it is replaced after `recycleAfter` of them. */
  renders: number;
  /** Set by the page's 'crash' event: a crashed page is not closed until someone closes it. */
  crashed: boolean;
}

export interface PagePoolOptions {
  chromiumPath: string;
  size: number;
  maxWaiting: number;
  launchTimeoutMs: number;
  /**
   * Images a page draws before it is replaced: Highcharts keeps a slot per chart ever made in `Highcharts.charts`,
   * and a long-lived page collects such leftovers; a fresh page every so often costs one script load.
   */
  recycleAfter: number;
  logger: Logger;
}

/** Counters for the status page and /metrics. */
export interface PagePoolStats {
  launches: number;
  launchFailures: number;
  pagesOpened: number;
  /** Renders that hit a dead page or browser and were run again on a new one. */
  recovered: number;
  busy: number;
  waiting: number;
  /** Warm pages ready for the next image, and pages being opened (Chromium starting, the chart page loading). */
  idle: number;
  opening: number;
}

export interface PagePool {
  /** Runs `work` on a page of its own; a page or browser that died under it is replaced and `work` runs once more. */
  withPage<T>(work: (page: PoolPage) => Promise<T>): Promise<T>;
  running(): boolean;
  lastLaunchFailed(): boolean;
  stats(): PagePoolStats;
  close(): Promise<void>;
}

const closedError = () => new AppError('unavailable', 'the image renderer is shut down');

/** Playwright's words for a page, context or browser that went away under a call. */
const GONE = /has been closed|Target closed|crashed|disconnected/i;

export function createPagePool(o: PagePoolOptions): PagePool {
  let browser: Promise<Browser> | undefined;
  let closed = false;
  let launchFailed = false;
  const idle: PoolPage[] = [];
  const waiters: (() => void)[] = [];
  let busy = 0;
  let opening = 0;
  const counts = { launches: 0, launchFailures: 0, pagesOpened: 0, recovered: 0 };

  function launch(): Promise<Browser> {
    const started = Date.now();
    const launching = launchChromium(o.chromiumPath, o.launchTimeoutMs).then(
      async (b) => {
        counts.launches++;
        launchFailed = false;
        if (closed) {
          await b.close();
          throw closedError();
        }
        o.logger.info('image renderer: Chromium started', { path: o.chromiumPath, ms: Date.now() - started });
        b.on('disconnected', () => {
          if (browser === launching) browser = undefined;
          if (!closed) o.logger.warn('image renderer: Chromium exited; the next image starts it again');
        });
        return b;
      },
      (err: unknown) => {
        counts.launchFailures++;
        launchFailed = true;
        if (browser === launching) browser = undefined;
        o.logger.error('image renderer: Chromium did not start', { path: o.chromiumPath, error: errorMessage(err) });
        throw err;
      },
    );
    return launching;
  }

  /** The running browser, started if there is none; every caller waiting for a start shares it. */
  async function runningBrowser(): Promise<Browser> {
    for (;;) {
      if (closed) throw closedError();
      const pending = (browser ??= launch());
      const b = await pending;
      if (b.isConnected()) return b;
      // Killed before its 'disconnected' event reached us: forget it (unless someone already did) and start another.
      if (browser === pending) browser = undefined;
    }
  }

  async function openPage(): Promise<PoolPage> {
    const b = await runningBrowser();
    const page = await b.newPage({ viewport: { width: 800, height: 500 }, deviceScaleFactor: 1 });
    let entry: PoolPage | undefined;
    page.on('crash', () => {
      o.logger.warn('image renderer: a Chromium page crashed; it is replaced');
      if (entry) entry.crashed = true;
      page.close().catch(() => {});
    });
    try {
      await loadChartPage(page);
      const cdp = await page.context().newCDPSession(page);
      counts.pagesOpened++;
      entry = { page, browser: b, cdp, width: 800, height: 500, renders: 0, crashed: false };
      return entry;
    } catch (err) {
      await page.close().catch(() => {});
      throw err;
    }
  }

  const alive = (p: PoolPage) => !p.crashed && !p.page.isClosed() && p.browser.isConnected();

  async function takePage(): Promise<PoolPage> {
    for (let p = idle.pop(); p; p = idle.pop()) {
      if (alive(p)) return p;
    }
    opening++;
    try {
      return await openPage();
    } finally {
      opening--;
    }
  }

  async function takeTurn(): Promise<void> {
    if (busy < o.size) {
      busy++;
      return;
    }
    if (waiters.length >= o.maxWaiting) {
      throw new AppError('unavailable', `too many images are being drawn (${o.size} drawing, ${waiters.length} waiting); try again shortly`);
    }
    // The turn is handed over by endTurn, so `busy` stays as it is.
    await new Promise<void>((resolve) => waiters.push(resolve));
  }

  function endTurn(): void {
    const next = waiters.shift();
    if (next) next();
    else busy--;
  }

  return {
    async withPage(work) {
      if (closed) throw closedError();
      await takeTurn();
      try {
        for (let attempt = 1; ; attempt++) {
          if (closed) throw closedError();
          let p: PoolPage | undefined;
          try {
            p = await takePage();
            const result = await work(p);
            if (++p.renders < o.recycleAfter) idle.push(p);
            else p.page.close().catch(() => {});
            return result;
          } catch (err) {
            // The page's own events may not have arrived yet: Playwright's message already says it went away.
            const gone = !(err instanceof AppError) && ((p !== undefined && !alive(p)) || GONE.test(errorMessage(err)));
            if (p && !gone && alive(p)) idle.push(p);
            else await p?.page.close().catch(() => {});
            // An AppError is a verdict (no Chromium, a timeout): drawing again would only repeat it.
            if (!gone || closed || attempt > 1) throw err;
            counts.recovered++;
            o.logger.warn('image renderer: the page or browser died during a render; drawing again on a new one', { error: errorMessage(err).split('\n')[0] });
          }
        }
      } finally {
        endTurn();
      }
    },
    running: () => browser !== undefined,
    lastLaunchFailed: () => launchFailed,
    stats: () => ({ ...counts, busy, waiting: waiters.length, idle: idle.length, opening }),
    async close() {
      if (closed) return;
      closed = true;
      // Waiters wake to find the pool closed and give up.
      for (const wake of waiters.splice(0)) wake();
      idle.length = 0;
      const pending = browser;
      browser = undefined;
      const b = await pending?.catch(() => undefined);
      await b?.close();
    },
  };
}
