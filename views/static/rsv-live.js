/*
 * Live probe pages: each page follows the collector's event stream (GET /api/v1/samples/stream, server-sent events)
 * and updates itself in place, with an indicator that says live, paused (page hidden: the stream is closed) or
 * disconnected. A dropped stream is reopened after 5 s, then 10, 20 ... up to 2 min, resuming after the last result
 * seen (?last_event_id=), so nothing is missed and a server that is down is not hammered. No polling.
 */
/* global RSV_SERIES_COLOURS */
// eslint-disable-next-line no-unused-vars
var rsvLive = (function () {
  var STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];
  var FIRST_DELAY = 5000;
  var MAX_DELAY = 120000;

  function stateOf(value) {
    return STATES[value] || 'UNKNOWN';
  }

  /** Whether a sample is a probe state (an RSV result, or a sample tagged with a status word), as the pages show. */
  function isState(s) {
    return s.source === 'rsv' || (s.tags && STATES.indexOf(s.tags.status) >= 0);
  }

  function formatAge(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    if (s < 120) return s + ' s';
    if (s < 7200) return Math.round(s / 60) + ' min';
    if (s < 172800) return Math.round(s / 3600) + ' h';
    return Math.round(s / 86400) + ' d';
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** Opens the stream for `params` ({node, metric}) and calls `onSample` with each new sample. */
  function follow(params, onSample) {
    var indicator = document.getElementById('live-indicator');
    var source = null;
    var timer = null;
    var lastId = null;
    var delay = FIRST_DELAY;
    function show(state, text) {
      if (!indicator) return;
      indicator.setAttribute('data-live', state);
      indicator.textContent = text;
    }
    function open() {
      timer = null;
      var q = new URLSearchParams(params);
      if (lastId !== null) q.set('last_event_id', lastId);
      show('connecting', 'connecting…');
      source = new EventSource('/api/v1/samples/stream?' + q.toString());
      source.onopen = function () {
        delay = FIRST_DELAY;
        show('live', 'live');
      };
      source.addEventListener('sample', function (e) {
        lastId = e.lastEventId || lastId;
        onSample(JSON.parse(e.data));
      });
      source.onerror = function () {
        // Closed here so that the reconnect is ours (with backoff), not the browser's fixed retry.
        source.close();
        source = null;
        if (document.hidden) {
          show('paused', 'paused');
          return;
        }
        show('disconnected', 'disconnected, retrying in ' + Math.round(delay / 1000) + ' s');
        timer = setTimeout(open, delay);
        delay = Math.min(delay * 2, MAX_DELAY);
      };
    }
    document.addEventListener('visibilitychange', function () {
      if (document.hidden) {
        if (source) source.close();
        source = null;
        if (timer) clearTimeout(timer);
        timer = null;
        show('paused', 'paused (page hidden)');
      } else if (!source && !timer) {
        open();
      }
    });
    open();
  }

  /** Ages of the shown results, counted on in the page (every 15 s, no request). */
  function tickAges(selector, ageOf) {
    setInterval(function () {
      document.querySelectorAll(selector).forEach(ageOf);
    }, 15000);
  }

  function notice(text, href) {
    var n = document.getElementById('live-notice');
    if (!n) return;
    n.textContent = '';
    n.appendChild(document.createTextNode(text + ' '));
    n.appendChild(el('a', { href: href || location.href }, 'Reload'));
  }

  /** `/rsv/`: a new result recolours its cell, links it to the result and restarts its age. */
  function statusMatrix(staleMinutes) {
    var staleMs = staleMinutes * 60000;
    function cellFor(node, metric) {
      var cells = document.querySelectorAll('td.cell');
      for (var i = 0; i < cells.length; i++) {
        if (cells[i].getAttribute('data-node') === node && cells[i].getAttribute('data-metric') === metric) return cells[i];
      }
      return null;
    }
    function recount() {
      var counts = { OK: 0, WARNING: 0, CRITICAL: 0, UNKNOWN: 0 };
      document.querySelectorAll('td.cell[data-state]').forEach(function (c) { counts[c.getAttribute('data-state')] += 1; });
      STATES.forEach(function (w) {
        var span = document.querySelector('.legend .state-' + w.toLowerCase());
        if (span) span.textContent = w + ' ' + counts[w];
      });
    }
    function setAge(cell) {
      var t = Date.parse(cell.getAttribute('data-time') || '');
      var age = cell.querySelector('.age');
      if (!age || isNaN(t)) return;
      age.textContent = formatAge(Date.now() - t);
      cell.classList.toggle('stale', Date.now() - t > staleMs);
    }
    follow({ node: '*', metric: '*', kind: 'states' }, function (s) {
      if (!isState(s)) return;
      var cell = cellFor(s.node, s.metric);
      if (!cell) {
        notice('New results for ' + s.metric + ' on ' + s.node + '.', '/rsv/');
        return;
      }
      var prev = Date.parse(cell.getAttribute('data-time') || '');
      if (!isNaN(prev) && Date.parse(s.time) < prev) return;
      var state = stateOf(s.value);
      cell.className = 'cell state-' + state.toLowerCase() + ' fresh-result';
      cell.setAttribute('data-state', state);
      cell.setAttribute('data-time', s.time);
      cell.title = s.metric + ': ' + state + ' at ' + s.time + ' — ' + (s.summary || '');
      cell.textContent = '';
      var link = el('a', { href: '/rsv/result/' + s.id });
      link.appendChild(document.createTextNode(state));
      link.appendChild(el('br'));
      link.appendChild(el('span', { class: 'age' }, formatAge(Date.now() - Date.parse(s.time))));
      cell.appendChild(link);
      recount();
    });
    tickAges('td.cell[data-time]', setAge);
  }

  /** `/rsv/host/<host>`: a new result replaces its metric's row. */
  function hostPage(host) {
    follow({ node: host, metric: '*', kind: 'states' }, function (s) {
      if (!isState(s) || s.node !== host) return;
      var row = null;
      document.querySelectorAll('table.rsv-host tbody tr').forEach(function (r) {
        if (r.getAttribute('data-metric') === s.metric) row = r;
      });
      if (!row) {
        notice('New results for ' + s.metric + '.');
        return;
      }
      var state = stateOf(s.value);
      row.className = 'fresh-result';
      var stateCell = row.querySelector('td.state');
      stateCell.className = 'state state-' + state.toLowerCase();
      stateCell.setAttribute('data-state', state);
      stateCell.textContent = '';
      stateCell.appendChild(el('a', { href: '/rsv/result/' + s.id }, state));
      row.querySelector('td.age').textContent = formatAge(Date.now() - Date.parse(s.time));
      row.querySelector('td.time').textContent = s.time;
      var summary = row.querySelector('td.summary');
      summary.textContent = '';
      summary.appendChild(el('span', { class: 'rsv-summary' }, s.summary || ''));
      if (s.details) {
        var d = el('details', { class: 'rsv-row-details' });
        d.appendChild(el('summary', {}, 'details'));
        d.appendChild(el('pre', {}, s.details.slice(0, 2000)));
        summary.appendChild(d);
      }
    });
  }

  /** A point for `s` on its host's series (a new series, in the next colour, for a host not yet drawn). */
  function addPoint(chart, s) {
    if (!chart) return;
    var series = null;
    chart.series.forEach(function (x) { if (x.name === s.node) series = x; });
    var point = { x: Date.parse(s.time), y: s.value, summary: (s.summary || '').slice(0, 200) };
    if (series) series.addPoint(point, true, false);
    else chart.addSeries({ name: s.node, data: [point], color: RSV_SERIES_COLOURS[chart.series.length % RSV_SERIES_COLOURS.length] });
  }

  /** `/rsv/metric/<metric>`: new results go on the chart; a change of state goes on top of the table. */
  function metricPage(chart, metric, host) {
    var last = {};
    if (chart) chart.series.forEach(function (x) { var d = x.points || []; if (d.length) last[x.name] = d[d.length - 1].y; });
    follow({ node: host || '*', metric: metric }, function (s) {
      if (s.metric !== metric || (host && s.node !== host)) return;
      addPoint(chart, s);
      if (last[s.node] === s.value) return;
      var from = last[s.node] === undefined ? '' : stateOf(last[s.node]);
      last[s.node] = s.value;
      var to = stateOf(s.value);
      var tbody = document.querySelector('table.rsv-changes tbody');
      var row = el('tr', { 'data-node': s.node, class: 'fresh-result' });
      var time = el('td');
      time.appendChild(el('a', { href: '/rsv/result/' + s.id }, s.time));
      row.appendChild(time);
      row.appendChild(el('td', {}, s.node));
      row.appendChild(el('td', {}, from));
      row.appendChild(el('td', { class: 'state-' + to.toLowerCase() }, to));
      row.appendChild(el('td', {}, s.summary || ''));
      tbody.insertBefore(row, tbody.firstChild);
    });
  }

  /** `/samples/`: new samples of the chosen node and metric go on the chart and on top of the table. */
  function samplesExplorer(chart, node, metric) {
    follow({ node: node, metric: metric }, function (s) {
      if (s.node !== node || s.metric !== metric) return;
      addPoint(chart, s);
      var tbody = document.querySelector('#samples-table tbody');
      var row = el('tr', { class: 'fresh-result' });
      [s.id, s.time, s.value, s.source, s.summary || ''].forEach(function (v) { row.appendChild(el('td', {}, String(v))); });
      tbody.insertBefore(row, tbody.firstChild);
      var count = document.getElementById('sample-count');
      if (count) count.textContent = String(Number(count.textContent) + 1);
    });
  }

  return { statusMatrix: statusMatrix, hostPage: hostPage, metricPage: metricPage, samplesExplorer: samplesExplorer };
})();
