/** Image sizes: GraphTool's defaults (800×500) and the bounds a request may ask for. */
import { AppError } from '../../common/index.js';

/** GraphTool's `prefs` defaults for `width` and `height`. */
export const DEFAULT_IMAGE_SIZE = { width: 800, height: 500 } as const;

/** The smallest and largest side, in pixels, a request may ask for: big enough for a poster, small enough not to exhaust the browser. */
export const IMAGE_SIZE_LIMITS = { min: 100, max: 4000 } as const;

/** An image's size in CSS pixels (the PNG has exactly these many pixels: device scale factor 1). */
export interface ImageSize {
  width: number;
  height: number;
}

/** Throws `bad_request` naming the parameter unless `value` is a whole number within {@link IMAGE_SIZE_LIMITS}. */
export function checkImageSide(name: 'width' | 'height', value: number): number {
  if (!Number.isInteger(value) || value < IMAGE_SIZE_LIMITS.min || value > IMAGE_SIZE_LIMITS.max) {
    throw new AppError(
      'bad_request',
      `${name} must be a whole number of pixels from ${IMAGE_SIZE_LIMITS.min} to ${IMAGE_SIZE_LIMITS.max}, got ${String(value)}`,
      { field: name },
    );
  }
  return value;
}

/**
 * The size a request's `width` and `height` parameters ask for (text, as in a URL query), with GraphTool's defaults
 * for the missing ones; a value that is not a whole number within the limits is `bad_request` naming the parameter.
 */
export function imageSizeFromParams(params: Readonly<Record<string, unknown>>): ImageSize {
  const side = (name: 'width' | 'height'): number => {
    const raw = params[name];
    if (raw === undefined || raw === '') return DEFAULT_IMAGE_SIZE[name];
    const text: unknown = Array.isArray(raw) ? (raw as unknown[])[raw.length - 1] : raw;
    // Number('') and Number(' ') are 0 and Number('0x10') is 16: only plain digits count as a size.
    const value = typeof text === 'number' ? text : typeof text === 'string' && /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
    if (Number.isNaN(value)) {
      throw new AppError('bad_request', `${name} must be a whole number of pixels from ${IMAGE_SIZE_LIMITS.min} to ${IMAGE_SIZE_LIMITS.max}, got ${JSON.stringify(text)}`, { field: name });
    }
    return checkImageSide(name, value);
  };
  return { width: side('width'), height: side('height') };
}
