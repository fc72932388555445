/* Highcharts for the collector's pages: a probe's state timeline (a step line on OK..UNKNOWN) or a sample series. */
/* global Highcharts */
// eslint-disable-next-line no-unused-vars
function rsvHistoryChart(id, chart) {
  var STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];
  var COLOURS = ['#2e7d32', '#f9a825', '#c62828', '#6a1b9a'];
  Highcharts.chart(id, {
    chart: { type: 'line', zooming: { type: 'x' } },
    title: { text: chart.metric },
    time: { timezone: 'UTC' },
    xAxis: { type: 'datetime' },
    yAxis: chart.states
      ? { title: { text: 'state' }, min: 0, max: 3, tickInterval: 1, reversed: false,
          labels: { formatter: function () { return STATES[this.value] || this.value; } } }
      : { title: { text: 'value' } },
    tooltip: {
      formatter: function () {
        var v = chart.states ? (STATES[this.y] || this.y) : this.y;
        return Highcharts.dateFormat('%Y-%m-%d %H:%M:%S', this.x) + ' UTC<br><b>' + this.series.name + '</b>: ' + v +
          (this.point.summary ? '<br>' + Highcharts.escapeHTML(this.point.summary) : '');
      }
    },
    plotOptions: {
      series: chart.states
        ? { step: 'left', marker: { enabled: true, radius: 3 },
            zones: [{ value: 0.5, color: COLOURS[0] }, { value: 1.5, color: COLOURS[1] }, { value: 2.5, color: COLOURS[2] }, { color: COLOURS[3] }] }
        : { marker: { enabled: false } }
    },
    series: chart.series
  });
}
