/** Image sizes: GraphTool's 800×500 default, whole pixels from 100 to 4000, and a 400 naming `width` or `height` otherwise. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { createImageRenderer, DEFAULT_IMAGE_SIZE, imageSizeFromParams } from '../../graph-server/images/index.js';
import { caughtAppError } from '../support/app-error.js';

describe('imageSizeFromParams', () => {
  it('defaults to 800x500 as GraphTool did', () => {
    expect(imageSizeFromParams({})).toEqual({ width: 800, height: 500 });
    expect(imageSizeFromParams({ width: '', height: undefined })).toEqual(DEFAULT_IMAGE_SIZE);
  });

  it('reads whole pixels from URL text and numbers, the last of repeated parameters', () => {
    expect(imageSizeFromParams({ width: '1200', height: 900 })).toEqual({ width: 1200, height: 900 });
    expect(imageSizeFromParams({ width: ['300', '640'], height: ' 480 ' })).toEqual({ width: 640, height: 480 });
    expect(imageSizeFromParams({ width: '100', height: '4000' })).toEqual({ width: 100, height: 4000 });
  });

  it.each([
    ['width', { width: '99' }, 'got 99'],
    ['width', { width: '4001' }, 'got 4001'],
    ['height', { height: '12.5' }, 'got "12.5"'],
    ['height', { height: '0x200' }, 'got "0x200"'],
    ['width', { width: 'wide' }, 'got "wide"'],
    ['height', { height: -300 }, 'got -300'],
  ])('refuses a bad %s as bad_request naming it (%j)', (field, params, shown) => {
    const err = caughtAppError(() => imageSizeFromParams(params));
    expect(err.code).toBe('bad_request');
    expect(err.httpStatus).toBe(400);
    expect(err.message).toBe(`${field} must be a whole number of pixels from 100 to 4000, ${shown}`);
    expect(err.context).toEqual({ field });
  });
});

describe('render size bounds', () => {
  // A path that cannot exist: a size error must be found before the renderer even looks for Chromium.
  const renderer = createImageRenderer({ chromiumPath: '/nonexistent/chromium' });

  it.each([
    ['width', 50, 500],
    ['width', 800.5, 500],
    ['height', 800, 5000],
  ])('refuses %s out of bounds before starting anything', async (field, width, height) => {
    const err: unknown = await renderer.render({ options: {}, width, height }, 'png').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('bad_request');
    expect((err as AppError).message).toMatch(new RegExp(`^${field} must be`));
    expect(renderer.stats().launchFailures).toBe(0);
  });
});
