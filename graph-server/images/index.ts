/** Server-side chart images: the same Highcharts options as the interactive page, drawn as PNG or SVG in headless Chromium. */
export { createImageRenderer, IMAGE_CONTENT_TYPES, IMAGE_FORMATS } from './image-renderer.js';
export type { ImageFormat, ImageRenderer, ImageRendererOptions, ImageRendererStats } from './image-renderer.js';
export { footerText, imageChartOptions } from './image-options.js';
export type { FooterStat, ImageFooter, ImageInput } from './image-options.js';
export { checkImageSide, DEFAULT_IMAGE_SIZE, IMAGE_SIZE_LIMITS, imageSizeFromParams } from './image-size.js';
export type { ImageSize } from './image-size.js';
export { CHROMIUM_FLAGS, CHROMIUM_MISSING, defaultChromiumPath } from './chromium.js';
