/** Colours: one stable colour per pivot name (the stored registry's, else a hash of the name), and matplotlib's RdYlGn for quality percentages. */

/**
 * GraphTool's `hex_colors` (from PhEDEx) first, then further distinct colours, so that the
 * ten-odd pivots of a typical graph rarely share one.
 */
export const PIVOT_PALETTE = [
  '#e66266', '#fff8a9', '#7bea81', '#8d4dff', '#ffbc71', '#a57e81', '#baceac', '#00ccff', '#ccffff', '#ff99cc',
  '#cc99ff', '#ffcc99', '#3366ff', '#33cccc', '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
  '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#5254a3',
  '#9c9ede', '#e7ba52',
] as const;

/** `Other` is always grey: it is not a pivot and should not look like one. */
export const OTHER_COLOR = '#c0c0c0';

/** `unknown` (a pivot the data could not name) is always a darker grey, apart from `Other` and from every palette colour. */
export const UNKNOWN_COLOR = '#8a8a8a';

/** The colour a name always has, whatever the registry says: `Other` and `unknown` (any case), or undefined. */
export function fixedPivotColor(label: string): string | undefined {
  const lower = label.trim().toLowerCase();
  if (lower === 'other') return OTHER_COLOR;
  if (lower === 'unknown') return UNKNOWN_COLOR;
  return undefined;
}

/**
 * The colour of registry slot `slot` (the order names were first drawn in): the palette, then golden-angle hues at
 * alternating lightness, so names past the palette still get colours of their own.
 */
export function slotColor(slot: number): string {
  const own = PIVOT_PALETTE[slot];
  if (own !== undefined) return own;
  const n = slot - PIVOT_PALETTE.length;
  const hue = (n * 137.508) % 360;
  const lightness = [0.55, 0.4, 0.7][n % 3]!;
  return hslHex(hue, 0.65, lightness);
}

function hslHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (k: number) => {
    const x = (k + h / 30) % 12;
    return l - a * Math.max(-1, Math.min(x - 3, 9 - x, 1));
  };
  return `#${[f(0), f(8), f(4)].map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('')}`;
}

/** FNV-1a over the name's UTF-16 code units: cheap, and the same in every process and browser. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The colour of a pivot: `color_override[name]` when the query sets one, grey for `Other`, else
 * a palette colour picked by a hash of the name. GraphTool cycled its palette by position, so a
 * VO changed colour from graph to graph; hashing the name keeps it.
 */
export function pivotColor(label: string, override: Readonly<Record<string, string>> = {}, registered?: ReadonlyMap<string, string>): string {
  const o = override[label];
  if (o) return o;
  const fixed = fixedPivotColor(label);
  if (fixed) return fixed;
  return registered?.get(label) ?? PIVOT_PALETTE[fnv1a(label) % PIVOT_PALETTE.length] ?? PIVOT_PALETTE[0];
}

/**
 * The colours of one chart's pivots, given largest first. A name in `registered` (the stored name → colour registry)
 * has that colour on every graph. Any other takes its hashed `pivotColor` unless a larger pivot of the same chart
 * already has it, in which case it takes the next free one.
 */
export function pivotColors(labels: readonly string[], override: Readonly<Record<string, string>> = {}, registered?: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const label of labels) {
    let color = pivotColor(label, override, registered);
    if (!override[label] && !fixedPivotColor(label) && !registered?.has(label) && used.has(color)) {
      const start = fnv1a(label) % PIVOT_PALETTE.length;
      for (let i = 1; i < PIVOT_PALETTE.length; i++) {
        const candidate = PIVOT_PALETTE[(start + i) % PIVOT_PALETTE.length] ?? color;
        if (!used.has(candidate)) {
          color = candidate;
          break;
        }
      }
    }
    used.add(color);
    out.set(label, color);
  }
  return out;
}

/** matplotlib's RdYlGn colour map (ColorBrewer), 11 stops from 0 (red) to 1 (green). */
export const RDYLGN = [
  '#a50026', '#d73027', '#f46d43', '#fdae61', '#fee08b', '#ffffbf', '#d9ef8b', '#a6d96a', '#66bd63', '#1a9850', '#006837',
] as const;

const rgb = (hex: string): [number, number, number] => [
  parseInt(hex.slice(1, 3), 16),
  parseInt(hex.slice(3, 5), 16),
  parseInt(hex.slice(5, 7), 16),
];
const toHex = (c: number[]): string => `#${c.map((x) => Math.round(x).toString(16).padStart(2, '0')).join('')}`;

/** The RdYlGn colour of a percentage (clamped to 0–100), interpolated between the map's stops. */
export function qualityColor(percent: number): string {
  const x = Math.min(Math.max(percent, 0), 100) / 100;
  const pos = x * (RDYLGN.length - 1);
  const i = Math.min(Math.floor(pos), RDYLGN.length - 2);
  const a = rgb(RDYLGN[i] ?? RDYLGN[0]);
  const b = rgb(RDYLGN[i + 1] ?? RDYLGN[0]);
  const t = pos - i;
  return toHex(a.map((v, k) => v + ((b[k] ?? v) - v) * t));
}

/** The map as Highcharts colour-axis stops. */
export function qualityStops(): [number, string][] {
  return RDYLGN.map((c, i) => [i / (RDYLGN.length - 1), c]);
}
