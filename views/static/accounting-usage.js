/* Highcharts for /accounting/usage: allocated VM hours per group and day, stacked columns. */
/* global Highcharts */
// eslint-disable-next-line no-unused-vars
function accountingUsageChart(id, chart) {
  Highcharts.chart(id, {
    chart: { type: 'column', zooming: { type: 'x' } },
    title: { text: null },
    credits: { enabled: false },
    xAxis: { categories: chart.days, crosshair: true },
    yAxis: { min: 0, title: { text: 'VM hours' } },
    tooltip: { shared: true, valueSuffix: ' h' },
    plotOptions: { column: { stacking: 'normal', borderWidth: 0 } },
    series: chart.series.map(function (s) { return { name: s.name, data: s.data }; })
  });
}
