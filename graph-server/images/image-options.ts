/** The Highcharts options an image is drawn with: the chart's own, fixed in size, without animation, buttons or credits, with its footer as a caption. */

/** One footer statistic: GraphTool printed `Maximum: 1,234 Hours` and the like under bar graphs. */
export interface FooterStat {
  label: string;
  value: string | number;
  units?: string;
}

/** A chart's footer: one line of text, or its statistics (each a ready string or a {@link FooterStat}). */
export type ImageFooter = string | readonly (string | FooterStat)[];

/** What an image is drawn from: Highcharts options (JSON, no functions), the size in pixels and an optional footer. */
export interface ImageInput {
  options: Readonly<Record<string, unknown>>;
  width: number;
  height: number;
  footer?: ImageFooter;
}

type Options = Record<string, unknown>;

const objectAt = (o: Readonly<Options>, key: string): Options => {
  const v = o[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Options) : {};
};

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A number as the footer shows it: grouped thousands, at most two decimals (`12,345.68`); text as given. */
const formatValue = (value: string | number): string =>
  typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : value;

/** The footer as one line of caption text (Highcharts' caption takes simple markup, so the statistics are escaped). */
export function footerText(footer: ImageFooter | undefined): string {
  if (footer === undefined) return '';
  if (typeof footer === 'string') return escapeText(footer.trim());
  return footer
    .map((item) => (typeof item === 'string' ? item : `${item.label}: ${formatValue(item.value)}${item.units ? ` ${item.units}` : ''}`))
    .map((s) => escapeText(s.trim()))
    .filter((s) => s !== '')
    .join('\u2003\u2003');
}

/**
 * The options to draw `input` with. The chart's own options win everywhere except what an image cannot have or must
 * not vary: its size, animation (a screenshot mid-animation shows half-grown bars), the export menu button, credits
 * and the accessibility module's console warning. The footer becomes the chart's `caption`, which Highcharts lays
 * out under the plot inside the same SVG, so it shows in both PNG and SVG; a caption the chart sets itself is kept.
 */
export function imageChartOptions(input: ImageInput): Options {
  const { options } = input;
  const chart = objectAt(options, 'chart');
  const plotOptions = objectAt(options, 'plotOptions');
  const merged: Options = {
    ...options,
    chart: { ...chart, width: input.width, height: input.height, animation: false, reflow: false },
    plotOptions: { ...plotOptions, series: { ...objectAt(plotOptions, 'series'), animation: false } },
    credits: { enabled: false },
    exporting: { ...objectAt(options, 'exporting'), enabled: false },
    accessibility: { ...objectAt(options, 'accessibility'), enabled: false },
  };
  const caption = objectAt(options, 'caption');
  const text = footerText(input.footer);
  if (text && !caption.text) {
    merged.caption = {
      ...caption,
      text,
      align: 'left',
      // Explicit colour and size: Highcharts' defaults are CSS variables and rem, which an SVG file must not depend on.
      style: { color: '#333333', fontSize: '12px', ...objectAt(caption, 'style') },
    };
  }
  return merged;
}
