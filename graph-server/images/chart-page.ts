/** The page every image is drawn in: Highcharts and its modules loaded once from node_modules, and a small drawing script. */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/** Highcharts and the modules the chart types need (heatmap for QualityMap; exporting for `getSVG`), in load order. */
const SCRIPTS = ['highcharts/highcharts.js', 'highcharts/modules/heatmap.js', 'highcharts/modules/exporting.js'] as const;

const HTML =
  '<!doctype html><html><head><meta charset="utf-8"><style>' +
  'html,body{margin:0;padding:0;background:#fff;overflow:hidden}#chart{position:absolute;left:0;top:0}' +
  '</style></head><body><div id="chart"></div></body></html>';

/**
 * Runs in the page (plain JavaScript: it is sent as text, not compiled). `draw` replaces the current chart with a new
 * one and, for SVG, returns the export with every `var(--…)` resolved: Highcharts 13 paints defaults with CSS
 * variables whose definitions live in the page, so an SVG file that kept them would render black or blank elsewhere.
 * `getSVG` already resolves fill/stroke/color attributes; the pass here catches whatever else keeps a variable.
 */
const DRAW_SCRIPT = `(function () {
  var current = null;
  var VAR = /var\\(\\s*(--[\\w-]+)\\s*(?:,\\s*([^()]*?))?\\s*\\)/g;
  function resolveVariables(svg, element) {
    var style = getComputedStyle(element);
    for (var pass = 0; pass < 5 && svg.indexOf('var(') !== -1; pass++) {
      svg = svg.replace(VAR, function (_, name, fallback) {
        return style.getPropertyValue(name).trim() || (fallback || '').trim() || 'none';
      });
    }
    return svg;
  }
  function clear() {
    if (current) { current.destroy(); current = null; }
  }
  window.__applianceImage = {
    draw: function (options, svg) {
      clear();
      var element = document.getElementById('chart');
      element.style.width = options.chart.width + 'px';
      element.style.height = options.chart.height + 'px';
      current = Highcharts.chart(element, options);
      if (!svg) return '';
      try { return resolveVariables(current.getSVG(), element); } finally { clear(); }
    },
    clear: clear
  };
})();`;

/** Loads the page's content and scripts; no network is touched (every script comes from a local file). */
export async function loadChartPage(page: Page): Promise<void> {
  await page.setContent(HTML);
  for (const script of SCRIPTS) await page.addScriptTag({ path: require.resolve(script) });
  await page.addScriptTag({ content: DRAW_SCRIPT });
}

/** Draws `options` (JSON only) in the page; for SVG returns the self-contained SVG text, for PNG leaves the chart for a screenshot. */
export async function drawChart(page: Page, options: Readonly<Record<string, unknown>>, svg: boolean): Promise<string> {
  // An expression, not a function: a function would be serialised from compiled TypeScript, which may carry helpers the page lacks.
  return page.evaluate<string>(`window.__applianceImage.draw(${JSON.stringify(options)}, ${svg})`);
}

/** Destroys the page's chart, if any, so the next draw starts clean. */
export async function clearChart(page: Page): Promise<void> {
  await page.evaluate('window.__applianceImage.clear()');
}
