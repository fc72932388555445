/** Without Chromium an image is a 503 carrying the one-line fix, and nothing is started or broken by asking. */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { CHROMIUM_MISSING, createImageRenderer } from '../../graph-server/images/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const input = { options: { series: [{ data: [1, 2, 3] }] }, width: 800, height: 500 };

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe('an image renderer without Chromium', () => {
  it('says so in one line with the fix, as 503, for PNG and SVG alike', async () => {
    const renderer = createImageRenderer({ chromiumPath: '/nonexistent/chromium' });
    for (const format of ['png', 'svg'] as const) {
      const err = await failure(renderer.render(input, format));
      expect(err.code).toBe('unavailable');
      expect(err.httpStatus).toBe(503);
      expect(err.message).toBe('PNG/SVG graphs need Chromium: apt-get install chromium (or set APPLIANCE_CHROMIUM to its path)');
      expect(err.message).toBe(CHROMIUM_MISSING);
    }
    expect(await renderer.available()).toBe(false);
    await renderer.close();
  });

  it('reads the path from APPLIANCE_CHROMIUM when none is given', async () => {
    const saved = process.env.APPLIANCE_CHROMIUM;
    process.env.APPLIANCE_CHROMIUM = '/nonexistent/from-env/chromium';
    try {
      const renderer = createImageRenderer();
      const err = await failure(renderer.render(input, 'png'));
      expect(err.context).toEqual({ chromiumPath: '/nonexistent/from-env/chromium' });
    } finally {
      if (saved === undefined) delete process.env.APPLIANCE_CHROMIUM;
      else process.env.APPLIANCE_CHROMIUM = saved;
    }
  });

  describe('with an executable that is not a browser', () => {
    const dir = tempDir({ 'not-chromium': '#!/bin/sh\necho "this is not a browser" >&2\nexit 3\n' });
    const fake = join(dir, 'not-chromium');
    chmodSync(fake, 0o755);
    afterAll(removeTempDirs);

    it('answers 503 in one line naming the path and the fix, and counts the failed start', async () => {
      const renderer = createImageRenderer({ chromiumPath: fake, launchTimeoutMs: 10_000 });
      expect(await renderer.available()).toBe(true);
      const err = await failure(renderer.render(input, 'png'));
      expect(err.code).toBe('unavailable');
      expect(err.message).not.toContain('\n');
      expect(err.message).toMatch(new RegExp(`^PNG/SVG graphs need Chromium, but ${fake} did not start \\(exit code 3: this is not a browser\\): apt-get install chromium \\(or set APPLIANCE_CHROMIUM to its path\\)$`));
      expect(await renderer.available()).toBe(false);
      expect(renderer.stats()).toMatchObject({ launches: 0, launchFailures: 1, renders: 0, failures: 1, busy: 0 });
      await renderer.close();
    });
  });
});
