/* Highcharts for the collector's pages: a probe's state timeline (a step line on OK..UNKNOWN) or a sample series. */
/* global Highcharts */
// One colour per host, in series order: the legend shows the same colour as the line and its markers.
// eslint-disable-next-line no-unused-vars
var RSV_SERIES_COLOURS = ['#1565c0', '#ef6c00', '#6a1b9a', '#00838f', '#ad1457', '#558b2f', '#4e342e', '#283593', '#00695c', '#9e9d24'];
// eslint-disable-next-line no-unused-vars
function rsvHistoryChart(id, chart) {
  var STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];
  var COLOURS = ['#2e7d32', '#f9a825', '#c62828', '#6a1b9a'];
  // One host: the line is coloured by state (zones) and needs no legend. Several: each host its own colour, as in the legend.
  var single = chart.series.length <= 1;
  var series = chart.series.map(function (s, i) {
    return { name: s.name, data: s.data, color: RSV_SERIES_COLOURS[i % RSV_SERIES_COLOURS.length] };
  });
  return Highcharts.chart(id, {
    chart: { type: 'line', zooming: { type: 'x' } },
    title: { text: chart.metric },
    time: { timezone: 'UTC' },
    legend: { enabled: !single },
    xAxis: { type: 'datetime' },
    yAxis: chart.states
      ? { title: { text: 'state' }, min: 0, max: 3, tickInterval: 1, reversed: false,
          labels: { formatter: function () { return STATES[this.value] || this.value; } } }
      : { title: { text: 'value' } },
    tooltip: {
      formatter: function () {
        var v = chart.states ? (STATES[this.y] || this.y) : this.y;
        return Highcharts.dateFormat('%Y-%m-%d %H:%M:%S', this.x) + ' UTC<br><b>' + Highcharts.escapeHTML(this.series.name) + '</b>: ' + v +
          (this.point.summary ? '<br>' + Highcharts.escapeHTML(this.point.summary) : '');
      }
    },
    plotOptions: {
      series: chart.states
        ? (single
            ? { step: 'left', marker: { enabled: true, radius: 3 },
                zones: [{ value: 0.5, color: COLOURS[0] }, { value: 1.5, color: COLOURS[1] }, { value: 2.5, color: COLOURS[2] }, { color: COLOURS[3] }] }
            : { step: 'left', marker: { enabled: true, radius: 3 } })
        : { marker: { enabled: false } }
    },
    series: series
  });
}
