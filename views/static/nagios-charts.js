/* Highcharts for the Nagios target page: delivered and failed per minute (columns) and the outbox depth (line). */
/* global Highcharts */
// eslint-disable-next-line no-unused-vars
function nagiosOutboxChart(id, chart) {
  Highcharts.chart(id, {
    chart: { zooming: { type: 'x' } },
    title: { text: 'Outbox ' + chart.target },
    time: { timezone: 'UTC' },
    credits: { enabled: false },
    xAxis: { type: 'datetime' },
    yAxis: [
      { title: { text: 'results per minute' }, min: 0, allowDecimals: false },
      { title: { text: 'depth' }, min: 0, allowDecimals: false, opposite: true }
    ],
    tooltip: { shared: true, xDateFormat: '%Y-%m-%d %H:%M UTC' },
    plotOptions: { column: { stacking: 'normal', grouping: false, pointPadding: 0, groupPadding: 0, borderWidth: 0 } },
    series: [
      { type: 'column', name: 'delivered', data: chart.delivered, color: '#2e7d32' },
      { type: 'column', name: 'failed attempts', data: chart.failed, color: '#c62828' },
      { type: 'line', name: 'depth', data: chart.depth, yAxis: 1, color: '#1f6feb', marker: { enabled: chart.depth.length < 3 } }
    ]
  });
}
