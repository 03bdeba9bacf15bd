// A sweep's result page: accuracy against length (log-2 axis), one line per model with its own marker,
// mean ± std shaded when seeds repeat, chance as a dashed line, and where each model falls off; then the
// base settings and the run table. It re-reads the sweep whenever the project's stream says one of its
// runs changed.
(function () {
  'use strict';

  var root = document.getElementById('main');
  var T = window.Trainyard;
  if (!root || !T || typeof Chart === 'undefined') {
    return;
  }
  var api = root.dataset.api;
  var id = root.dataset.id;
  var palette = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2'];
  var markers = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot'];
  var chart = null;
  var lengths = [];
  var following = false;
  var timer = 0;

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value == null ? '' : value;
    if (className) {
      el.className = className;
    }
    return el;
  }

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  function chanceText(chance) {
    return String(Number(chance.toFixed(3)));
  }

  /** "rnn · falls off at N = 8" or "lstm · holds to N = 64", from the server's curve. */
  function legendText(curve) {
    if (!curve.points.length) {
      return curve.model + ' · no results yet';
    }
    return curve.model + (curve.fallOff != null ? ' · falls off at N = ' + curve.fallOff
      : ' · holds to N = ' + curve.points[curve.points.length - 1].length);
  }

  function datasetsOf(sweep) {
    var datasets = [];
    var seeded = sweep.curves.some(function (c) { return c.points.some(function (p) { return p.runs > 1; }); });
    (sweep.curves || []).forEach(function (curve, i) {
      var color = palette[i % palette.length];
      if (seeded) {
        // the band: the lower edge, then the upper edge filled down to it
        datasets.push({label: curve.model + ' − std', band: true, data: curve.points.map(function (p) {
          return {x: p.length, y: Math.max(0, p.mean - p.std)};
        }), borderColor: 'transparent', pointRadius: 0, fill: false});
        datasets.push({label: curve.model + ' + std', band: true, data: curve.points.map(function (p) {
          return {x: p.length, y: Math.min(1, p.mean + p.std)};
        }), borderColor: 'transparent', backgroundColor: alpha(color, 0.18), pointRadius: 0, fill: '-1'});
      }
      datasets.push({label: legendText(curve), model: curve.model, fallOff: curve.fallOff,
        data: curve.points.map(function (p) { return {x: p.length, y: p.mean, std: p.std, runs: p.runs}; }),
        borderColor: color, backgroundColor: color, pointStyle: markers[i % markers.length], pointRadius: 5,
        pointHoverRadius: 7, borderWidth: 2, fill: false});
    });
    if (sweep.chance != null && lengths.length) {
      datasets.push({label: 'chance (' + chanceText(sweep.chance) + ')', chance: sweep.chance,
        data: [{x: lengths[0], y: sweep.chance}, {x: lengths[lengths.length - 1], y: sweep.chance}],
        borderColor: '#888', borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, fill: false});
    }
    return datasets;
  }

  function options() {
    var o = T.lineOptions('N (steps to remember), log scale');
    o.scales.x = {
      type: 'logarithmic',
      title: {display: true, text: 'N, log scale'},
      // a little room either side of the first and last length, in log space
      min: lengths.length ? lengths[0] / Math.SQRT2 : undefined,
      max: lengths.length ? lengths[lengths.length - 1] * Math.SQRT2 : undefined,
      afterBuildTicks: function (axis) {
        // a labelled tick at every length swept, not Chart.js's 1-2-5 decades
        axis.ticks = lengths.map(function (v) { return {value: v, major: true}; });
      },
      ticks: {autoSkip: false, maxRotation: 0, callback: function (v) { return String(v); }}
    };
    o.scales.y = {
      min: 0, max: 1.08, title: {display: true, text: 'accuracy'},
      afterBuildTicks: function (axis) {
        axis.ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map(function (v) { return {value: v}; });
      }
    };
    o.elements.point.radius = 5;
    o.plugins.legend = {display: true, position: 'bottom', labels: {usePointStyle: true,
      filter: function (item, data) { return !data.datasets[item.datasetIndex].band; }}};
    o.plugins.tooltip = {filter: function (item) { return !item.dataset.band && item.dataset.chance == null; },
      callbacks: {label: function (c) {
        var p = c.raw;
        return c.dataset.model + ' at N = ' + p.x + ': ' + T.number(p.y) + (p.runs > 1 ? ' ± ' + T.number(p.std)
          + ' (' + p.runs + ' seeds)' : '');
      }}};
    o.interaction = {mode: 'nearest', intersect: false};
    return o;
  }

  function render(sweep) {
    document.getElementById('sweep-name').textContent = sweep.name;
    document.title = sweep.name + ' · Trainyard';
    var states = Object.keys(sweep.states || {}).map(function (s) { return sweep.states[s] + ' ' + s.toLowerCase(); });
    document.getElementById('sweep-states').textContent = sweep.runs + ' runs: ' + states.join(', ');
    var project = document.getElementById('sweep-project');
    project.textContent = sweep.project;
    project.href = '/projects/' + encodeURIComponent(sweep.project);
    document.getElementById('sweep-runs').href = '/runs?group=' + encodeURIComponent(sweep.id);
    T.localTime(document.getElementById('sweep-created'), sweep.createdAt);
    document.getElementById('sweep-meta').hidden = false;
    var compare = document.getElementById('sweep-compare');
    compare.href = '/compare?runs=' + sweep.table.slice(0, 50).map(function (r) { return encodeURIComponent(r.runId); }).join(',');
    compare.hidden = sweep.table.length === 0;
    var explained = document.getElementById('sweep-explained');
    explained.textContent = sweep.task === 'recall'
      ? 'Accuracy on the recall steps of held-out recall:N sequences: three symbols, N steps of blanks, then the symbols '
        + 'again. Guessing scores ' + chanceText(sweep.chance) + ' (the dashed line). A model falls off at the first N where it '
        + 'is below halfway between chance and 1.'
      : sweep.task === 'memorize'
        ? 'Final teacher-forced accuracy on memorize:N, per length N: reproducing one random string, a capacity test.'
        : 'Final accuracy of each run.';

    var base = document.getElementById('sweep-base');
    base.textContent = '';
    Object.keys(sweep.base || {}).forEach(function (k) {
      base.appendChild(text('dt', k));
      base.appendChild(text('dd', typeof sweep.base[k] === 'object' ? JSON.stringify(sweep.base[k]) : sweep.base[k]));
    });
    if (!base.children.length) {
      base.appendChild(text('dd', 'each model\'s defaults'));
    }

    var body = document.querySelector('#sweep-table tbody');
    body.textContent = '';
    sweep.table.forEach(function (r) {
      var tr = document.createElement('tr');
      var name = document.createElement('td');
      var a = document.createElement('a');
      a.href = '/runs/' + encodeURIComponent(r.runId);
      a.textContent = r.name;
      name.appendChild(a);
      tr.appendChild(name);
      tr.appendChild(text('td', r.model));
      tr.appendChild(text('td', r.dataset));
      tr.appendChild(text('td', r.length, 'num'));
      tr.appendChild(text('td', r.seed, 'num'));
      var state = document.createElement('td');
      state.appendChild(T.badge(r.state));
      tr.appendChild(state);
      tr.appendChild(text('td', r.accuracy == null ? '' : T.number(r.accuracy), 'num'));
      tr.appendChild(text('td', r.loss == null ? '' : T.number(r.loss), 'num'));
      tr.appendChild(text('td', r.exact == null ? '—' : (r.exact ? '✓ yes' : '✗ no')));
      body.appendChild(tr);
    });

    lengths = (sweep.lengths || []).slice().sort(function (a, b) { return a - b; });
    var legend = document.getElementById('sweep-legend');
    legend.textContent = '';
    (sweep.curves || []).forEach(function (c) {
      var li = text('li', legendText(c));
      li.dataset.model = c.model;
      if (c.fallOff != null) {
        li.dataset.fallOff = c.fallOff;
      }
      legend.appendChild(li);
    });
    if (!chart) {
      chart = new Chart(document.getElementById('sweep-chart'), {type: 'line', data: {datasets: datasetsOf(sweep)},
        options: options()});
    } else {
      chart.data.datasets = datasetsOf(sweep);
      chart.options.scales.x.min = lengths.length ? lengths[0] / Math.SQRT2 : undefined;
      chart.options.scales.x.max = lengths.length ? lengths[lengths.length - 1] * Math.SQRT2 : undefined;
      chart.update('none');
    }
    if (!following) {
      following = true;
      T.stream('/api/v1/projects/' + encodeURIComponent(sweep.project) + '/events', null, {
        run: function (run) {
          if (run.group === id) {
            schedule();
          }
        }
      }, schedule);
    }
  }

  function schedule() {
    if (!timer) {
      timer = setTimeout(function () {
        timer = 0;
        refresh();
      }, 1000);
    }
  }

  function refresh() {
    return T.getJson(api).then(render).catch(function (p) {
      var error = document.getElementById('sweep-error');
      error.textContent = p && p.status === 404 ? 'There is no sweep ' + id + '.' : 'Could not read the sweep: ' + (p && p.detail);
      error.hidden = false;
    });
  }

  refresh();
})();
