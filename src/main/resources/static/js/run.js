// A run's page: draws the history of loss (and accuracy), then grows the charts from the run's
// SSE stream and keeps the state badge and progress bar current, without reloading.
// Data goes into the page only through textContent and Chart.js, never innerHTML.
(function () {
  'use strict';

  var root = document.getElementById('run');
  if (!root || typeof Chart === 'undefined') {
    return;
  }
  var api = root.dataset.api;
  var TERMINAL = ['FINISHED', 'FAILED', 'CANCELLED'];
  var HISTORY_POINTS = 2000;
  var charts = {};       // metric key -> {chart, lastStep}
  var dirty = new Set(); // charts with points not drawn yet
  var frame = 0;

  var css = getComputedStyle(document.documentElement);
  Chart.defaults.color = css.getPropertyValue('--muted').trim() || '#666';
  Chart.defaults.borderColor = css.getPropertyValue('--grid').trim() || 'rgba(0,0,0,0.1)';

  function chartFor(key) {
    if (charts[key]) {
      return charts[key];
    }
    var figure = document.getElementById('chart-' + key);
    if (!figure) {
      return null; // a key this page doesn't draw
    }
    figure.hidden = false;
    var color = css.getPropertyValue(key === 'loss' ? '--accent' : '--accent-2').trim() || '#2563eb';
    var chart = new Chart(figure.querySelector('canvas'), {
      type: 'line',
      data: {datasets: [{label: key, data: [], borderColor: color, backgroundColor: color, borderWidth: 1.5,
        pointRadius: 0, spanGaps: false}]},
      options: {
        animation: false,
        parsing: false,     // points are already {x, y}: no per-update parsing of a long series
        normalized: true,   // steps only ever grow, see add()
        maintainAspectRatio: false,
        interaction: {mode: 'nearest', axis: 'x', intersect: false},
        scales: {x: {type: 'linear', title: {display: true, text: 'step'}}},
        plugins: {legend: {display: false}}
      }
    });
    charts[key] = {chart: chart, lastStep: -Infinity};
    return charts[key];
  }

  // "NaN" and "±Infinity" arrive as strings; Chart.js draws NaN as a gap, and an infinity would wreck the scale.
  function toNumber(value) {
    var n = typeof value === 'number' ? value : Number(value);
    return isFinite(n) ? n : NaN;
  }

  function add(key, step, value) {
    var c = chartFor(key);
    if (!c) {
      return;
    }
    var data = c.chart.data.datasets[0].data;
    if (step > c.lastStep) {
      data.push({x: step, y: toNumber(value)});
      c.lastStep = step;
    } else if (step === c.lastStep) {
      data[data.length - 1].y = toNumber(value); // a re-sent step overwrites, as in the store
    } else {
      return; // already drawn: history and the replayed stream overlap
    }
    dirty.add(c.chart);
    if (!frame) {
      // Fast jobs send many events a second; redraw at most once a frame.
      frame = requestAnimationFrame(function () {
        frame = 0;
        dirty.forEach(function (chart) { chart.update('none'); });
        dirty.clear();
      });
    }
  }

  function loadHistory(key) {
    var url = api + '/metrics/' + encodeURIComponent(key) + '?maxPoints=' + HISTORY_POINTS;
    return fetch(url, {headers: {Accept: 'application/json'}})
      .then(function (res) { return res.ok ? res.json() : {points: []}; })
      .then(function (history) {
        (history.points || []).forEach(function (p) { add(key, p.step, p.value); });
      })
      .catch(function () { /* the stream still fills the chart */ });
  }

  function duration(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    if (seconds < 60) {
      return seconds + 's';
    }
    if (seconds < 3600) {
      return Math.floor(seconds / 60) + 'm ' + seconds % 60 + 's';
    }
    return Math.floor(seconds / 3600) + 'h ' + Math.floor(seconds % 3600 / 60) + 'm';
  }

  function showProgress(p) {
    var bar = document.getElementById('progress-bar');
    if (!bar) {
      return;
    }
    bar.max = p.epochs || 0;
    bar.value = p.epoch || 0;
    document.getElementById('progress-text').textContent = 'epoch ' + (p.epoch || 0) + ' of ' + (p.epochs || 0);
    var terminal = TERMINAL.indexOf(root.dataset.state) >= 0;
    document.getElementById('progress-eta').textContent =
      p.etaSeconds == null || terminal ? '' : 'ETA ' + duration(p.etaSeconds);
  }

  function showState(state, error) {
    root.dataset.state = state;
    var badge = document.querySelector('#state-badge .badge');
    badge.className = 'badge state-' + state.toLowerCase();
    badge.textContent = state;
    var errorLine = document.getElementById('run-error');
    if (error) {
      errorLine.textContent = error;
      errorLine.hidden = false;
    }
    if (TERMINAL.indexOf(state) >= 0) {
      document.getElementById('progress-eta') && (document.getElementById('progress-eta').textContent = '');
    }
    var generate = document.getElementById('generate');
    if (generate && state === 'FINISHED') {
      generate.hidden = false;
    }
  }

  function follow() {
    if (TERMINAL.indexOf(root.dataset.state) >= 0) {
      return; // nothing more will happen
    }
    // Resume right after the event the page was rendered at: history + stream, with no gap.
    var events = new EventSource(api + '/events?lastEventId=' + encodeURIComponent(root.dataset.lastEventId || '0'));
    events.addEventListener('metrics', function (e) {
      (JSON.parse(e.data).points || []).forEach(function (p) { add(p.key, p.step, p.value); });
    });
    events.addEventListener('progress', function (e) {
      showProgress(JSON.parse(e.data));
    });
    events.addEventListener('state', function (e) {
      var s = JSON.parse(e.data);
      showState(s.state, s.error);
      if (TERMINAL.indexOf(s.state) >= 0) {
        events.close(); // otherwise the browser would reconnect forever
      }
    });
  }

  function setUpGenerate() {
    var button = document.getElementById('generate-button');
    if (!button) {
      return;
    }
    var out = document.getElementById('generated');
    button.addEventListener('click', function () {
      button.disabled = true;
      out.classList.remove('error');
      out.textContent = 'Generating…';
      fetch(api + '/generate', {method: 'POST', headers: {'Content-Type': 'application/json', Accept: 'application/json'},
        body: '{}'})
        .then(function (res) {
          return res.json().catch(function () { return {}; }).then(function (body) {
            if (res.ok) {
              out.textContent = body.text;
            } else {
              out.classList.add('error');
              out.textContent = body.detail || body.title || ('HTTP ' + res.status);
            }
          });
        })
        .catch(function (err) {
          out.classList.add('error');
          out.textContent = 'Request failed: ' + err.message;
        })
        .finally(function () { button.disabled = false; });
    });
  }

  chartFor('loss');
  setUpGenerate();
  Promise.all([loadHistory('loss'), loadHistory('accuracy')]).then(follow);
})();
