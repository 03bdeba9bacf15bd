// A sweep's result page: accuracy against memorize length, one line per model, and the run table.
// It re-reads the sweep whenever the project's stream says one of its runs changed.
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

  function render(sweep) {
    document.getElementById('sweep-name').textContent = sweep.name;
    document.title = sweep.name + ' · Trainyard';
    var states = Object.keys(sweep.states || {}).map(function (s) { return sweep.states[s] + ' ' + s.toLowerCase(); });
    document.getElementById('sweep-states').textContent = sweep.runs + ' runs: ' + states.join(', ');
    var project = document.getElementById('sweep-project');
    project.textContent = sweep.project;
    project.href = '/projects/' + encodeURIComponent(sweep.project);
    T.localTime(document.getElementById('sweep-created'), sweep.createdAt);
    document.getElementById('sweep-meta').hidden = false;
    var compare = document.getElementById('sweep-compare');
    compare.href = '/compare?runs=' + sweep.table.slice(0, 50).map(function (r) { return encodeURIComponent(r.runId); }).join(',');
    compare.hidden = sweep.table.length === 0;

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
      var state = document.createElement('td');
      state.appendChild(T.badge(r.state));
      tr.appendChild(state);
      tr.appendChild(text('td', r.accuracy == null ? '' : T.number(r.accuracy), 'num'));
      tr.appendChild(text('td', r.loss == null ? '' : T.number(r.loss), 'num'));
      tr.appendChild(text('td', r.exact == null ? '—' : (r.exact ? '✓ yes' : '✗ no')));
      body.appendChild(tr);
    });

    var models = [];
    sweep.table.forEach(function (r) {
      if (models.indexOf(r.model) < 0) {
        models.push(r.model);
      }
    });
    lengths = sweep.table.map(function (r) { return r.length; }).filter(function (v, i, all) {
      return v != null && all.indexOf(v) === i;
    }).sort(function (a, b) { return a - b; });
    var datasets = models.map(function (m, i) {
      var points = sweep.table.filter(function (r) { return r.model === m && r.length != null && r.accuracy != null; })
        .map(function (r) { return {x: r.length, y: r.accuracy}; })
        .sort(function (a, b) { return a.x - b.x; });
      var color = palette[i % palette.length];
      return {label: m, data: points, borderColor: color, backgroundColor: color, pointRadius: 3};
    });
    if (!chart) {
      var options = T.lineOptions('memorize length N');
      options.scales.x.type = 'logarithmic';
      // Ticks at the lengths swept, not at a log scale's 4.1, 4.2...
      options.scales.x.afterBuildTicks = function (axis) {
        axis.ticks = lengths.map(function (v) { return {value: v}; });
      };
      options.scales.y = {min: 0, max: 1, title: {display: true, text: 'accuracy'}};
      options.plugins.legend = {display: true, position: 'bottom'};
      options.interaction = {mode: 'nearest', intersect: false};
      chart = new Chart(document.getElementById('sweep-chart'), {type: 'line', data: {datasets: datasets}, options: options});
    } else {
      chart.data.datasets = datasets;
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
