/* The charts' dark theme in the browser: when the page is dark (prefers-color-scheme), a chart's frame colours become the server's DARK_INK (embedded as #chart-dark-ink); data colours stay. */
(function () {
  'use strict';
  var inkEl = document.getElementById('chart-dark-ink');
  var ink = inkEl ? JSON.parse(inkEl.textContent || '{}') : {};
  // Top-level options whose colours are data (pivot colours, quality scales): they stay.
  var DATA_KEYS = { series: true, colors: true, colorAxis: true };
  function recolour(value) {
    if (typeof value === 'string') return Object.prototype.hasOwnProperty.call(ink, value.toLowerCase()) ? ink[value.toLowerCase()] : value;
    if (Array.isArray(value)) return value.map(recolour);
    if (value === null || typeof value !== 'object') return value;
    var out = {};
    Object.keys(value).forEach(function (k) { out[k] = recolour(value[k]); });
    return out;
  }
  function themed(options) {
    var out = {};
    Object.keys(options).forEach(function (k) { out[k] = DATA_KEYS[k] ? options[k] : recolour(options[k]); });
    return out;
  }
  function dark() {
    return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
  }
  // Pages call this on a chart's options before drawing it (query page, dashboard panels).
  window.applianceChartTheme = { dark: dark, apply: function (options) { return dark() ? themed(options) : options; } };
})();
