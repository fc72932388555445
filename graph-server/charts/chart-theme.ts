/** The dark theme of a chart: the same options with GraphTool's white-and-black ink swapped for a dark page's, data colours kept. */

/** Each light colour the charts paint their frame with (base-options' INK, the reset button, tooltips, `Other`) and its dark counterpart. */
export const DARK_INK: Readonly<Record<string, string>> = {
  '#000000': '#e6edf3',
  '#333333': '#c9d1d9',
  '#555555': '#8b98a5',
  '#999999': '#6e7b88',
  '#b0b0b0': '#5c6773',
  '#cccccc': '#3d4955',
  '#e0e0e0': '#2c3640',
  '#e6e6e6': '#2c3640',
  '#f7f7f7': '#222c37',
  '#ffffff': '#182029',
};

export const CHART_THEMES = ['light', 'dark'] as const;
export type ChartTheme = (typeof CHART_THEMES)[number];

/** Top-level options whose colours are data (a pivot's colour, a quality scale): a VO keeps its colour in both themes. */
const DATA_KEYS = new Set(['series', 'colors', 'colorAxis']);

/**
 * `options` for `theme`: unchanged for light; for dark a copy whose frame colours (text, axes, grid, background, plot options,
 * tooltip, legend) are {@link DARK_INK}'s. Series, palette and colour axes are left as they are.
 */
export function themedOptions<T>(options: T, theme: ChartTheme): T {
  if (theme === 'light') return options;
  if (options === null || typeof options !== 'object') return options;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k] = DATA_KEYS.has(k) ? v : recolour(v);
  return out as T;
}

function recolour(value: unknown): unknown {
  if (typeof value === 'string') return DARK_INK[value.toLowerCase()] ?? value;
  if (Array.isArray(value)) return value.map(recolour);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, recolour(v)]));
}
