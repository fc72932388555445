/* The query page's chart: draws the ChartSpec the server embedded (#chart-spec) with Highcharts, adding zoom and a clickable legend, in the page's light or dark theme; the form's relative range moves the start/end pickers. */
(function () {
  'use strict';
  var form = document.getElementById('query-form');
  if (form) {
    // Blank fields would send empty values; the server drops them too, but a clean URL is easier to share.
    form.addEventListener('submit', function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.value === '') el.disabled = true;
      });
    });
    // A relative range sets start and end as the server will (the end is now, UTC), so the pickers show what will run.
    var rel = document.getElementById('in-relativetime');
    var start = document.getElementById('in-starttime');
    var end = document.getElementById('in-endtime');
    if (rel && start && end) {
      rel.addEventListener('change', function () {
        var seconds = Number(rel.value);
        if (!rel.value || !(seconds > 0)) return;
        var now = Date.now();
        var pick = function (ms) { return new Date(ms).toISOString().slice(0, 19); };
        end.value = pick(now);
        start.value = pick(now - seconds * 1000);
      });
    }
  }

  var specEl = document.getElementById('chart-spec');
  var target = document.getElementById('chart');
  if (!specEl || !target || typeof Highcharts === 'undefined') return;
  var spec = JSON.parse(specEl.textContent || '{}');
  var theme = window.applianceChartTheme;
  var options = theme ? theme.apply(spec.options || {}) : (spec.options || {});
  var chart = options.chart = options.chart || {};
  var type = chart.type || '';
  // Pies and heat maps have no axis to zoom along; everything else zooms on x (time) like a selection in GraphTool's pages.
  if (!chart.zooming && type !== 'pie' && type !== 'heatmap') chart.zooming = { type: 'x' };
  options.legend = Object.assign({ enabled: true }, options.legend || {});
  options.tooltip = Object.assign({ enabled: true }, options.tooltip || {});
  options.credits = Object.assign({ enabled: false }, options.credits || {});
  options.exporting = Object.assign({ fallbackToExportServer: false }, options.exporting || {});
  var drawn = Highcharts.chart(target, options);
  // Tests and users' scripts read the spec and the chart from here.
  window.appliancePage = { spec: spec, chart: drawn };
})();
