// A run's page: one chart per metric key, drawn from its downsampled history and then grown point
// by point from the run's SSE stream; the state badge, progress bar, samples and actions follow the
// stream too, without reloading. Data goes into the page only through textContent and Chart.js.
(function () {
  'use strict';

  var root = document.getElementById('main');
  var T = window.Trainyard;
  if (!root || !T || typeof Chart === 'undefined') {
    return;
  }
  var api = root.dataset.api;
  var HISTORY_POINTS = 2000;
  // Past this many points a live chart is re-read downsampled, so a long job stays light to draw.
  var MAX_DRAWN = 4 * HISTORY_POINTS;
  var MAX_SAMPLES_SHOWN = 100;
  var charts = {};        // metric key -> {chart, raw, data, lastStep, reloading, stale, axis}
  // A series MLflow's API logged with several points at one step (a log_metric loop without a step)
  // comes back with axis 'sequence': each point at its position, as a per-step chart would show one.
  var SEQUENCE = 'sequence';
  var dirty = new Set();  // charts with points not drawn yet
  var drawnSteps = [];    // [key, step] drawn at the next frame, for window.__trainyardDrawn
  var frame = 0;
  var container = document.getElementById('charts');
  // The x axis: 'step', 'relative' (seconds since the run started), 'wall' (the time logged) or
  // 'metric:<key>' (that key's value at the same step, e.g. epoch). Every chart is redrawn from its
  // raw points (step, value, time) when it changes.
  var xAxis = document.getElementById('x-axis');
  var controls = document.getElementById('chart-controls');
  var xMode = 'step';
  var t0 = controls && controls.dataset.startedAt ? Number(controls.dataset.startedAt) : null;
  var palette = [T.cssVar('--accent', '#2563eb'), T.cssVar('--accent-2', '#16a34a'), '#e15759', '#b07aa1', '#f28e2b',
    '#76b7b2', '#edc948', '#9c755f'];

  // grad_norm/k=<k> keys share one log-scale chart, a line per distance k: how fast the gradient fades.
  var GRAD_NORM = /^grad_norm\/k=(\d+)$/;
  var gradChart = null;

  function gradNormChart(key, k) {
    if (!gradChart) {
      document.getElementById('charts-empty').hidden = true;
      var canvas = T.chartFigure(container, 'grad_norm', null);
      canvas.closest('figure').id = 'grad-norm-figure';
      canvas.setAttribute('aria-label', 'Norm of the loss gradient with respect to the hidden state k steps before the '
        + 'sequence end, one line per k, log scale');
      var options = chartOptions();
      options.scales.y = {type: 'logarithmic', title: {display: true, text: '‖∂loss/∂h(T−k)‖'}};
      options.plugins.legend = {display: true, position: 'bottom'};
      gradChart = new Chart(canvas, {type: 'line', data: {datasets: []}, options: options});
    }
    var datasets = gradChart.data.datasets;
    var dataset = {label: 'k=' + k, k: Number(k), data: [], borderColor: '#000', backgroundColor: '#000', spanGaps: false};
    datasets.push(dataset);
    datasets.sort(function (a, b) { return a.k - b.k; });
    datasets.forEach(function (d, i) {
      // dark to light as k grows, so the fading reads as one family
      var shade = datasets.length < 2 ? 0 : i / (datasets.length - 1);
      d.borderColor = d.backgroundColor = 'hsl(' + Math.round(220 - 200 * shade) + ', 70%, ' + Math.round(35 + 20 * shade) + '%)';
    });
    charts[key] = {chart: gradChart, dataset: dataset, raw: [], data: dataset.data, lastStep: -Infinity, reloading: false,
      stale: false, axis: null};
    return charts[key];
  }

  function chartFor(key) {
    if (charts[key]) {
      return charts[key];
    }
    var grad = GRAD_NORM.exec(key);
    if (grad) {
      return gradNormChart(key, grad[1]);
    }
    // system/... keys (CPU, memory) go to the collapsed System section, apart from the training's own
    var system = key.indexOf('system/') === 0 && document.getElementById('system-charts');
    if (!system) {
      document.getElementById('charts-empty').hidden = true;
    }
    var csv = document.createElement('a');
    csv.href = api + '/metrics/' + key.split('/').map(encodeURIComponent).join('/') + '.csv';
    csv.textContent = 'CSV';
    csv.className = 'small';
    csv.setAttribute('download', '');
    var canvas = T.chartFigure(system || container, key, csv);
    var color = palette[Object.keys(charts).length % palette.length];
    var data = [];
    var chart = new Chart(canvas, {
      type: 'line',
      data: {datasets: [{label: key, data: data, borderColor: color, backgroundColor: color, spanGaps: false}]},
      options: chartOptions()
    });
    charts[key] = {chart: chart, dataset: chart.data.datasets[0], raw: [], data: data, lastStep: -Infinity, reloading: false,
      stale: false, axis: null};
    offerAsXAxis(key);
    return charts[key];
  }

  function xTitle(c) {
    if (c && c.axis === SEQUENCE && xMode === 'step') {
      return 'point (in the order logged)';
    }
    if (xMode === 'relative') {
      return 'time since the run started';
    }
    if (xMode === 'wall') {
      return 'time';
    }
    if (xMode.indexOf('metric:') === 0) {
      return xMode.substring('metric:'.length);
    }
    return root.dataset.unit || 'step'; // a dl4j job's x is its epoch
  }

  function xTick(value) {
    if (xMode === 'relative') {
      return T.duration(value);
    }
    if (xMode === 'wall') {
      return new Date(value).toLocaleTimeString();
    }
    return Chart.Ticks.formatters.numeric.apply(this, arguments);
  }

  function chartOptions() {
    var options = T.lineOptions(xTitle(null));
    options.scales.x.ticks = {callback: xTick};
    options.normalized = xMode === 'step'; // times may tie, a metric's values need not grow
    options.plugins.tooltip = {callbacks: {title: function (items) {
      if (!items.length) {
        return '';
      }
      var p = items[0].raw;
      var at = xMode === 'wall' ? new Date(p.x).toLocaleString() : xMode === 'relative' ? T.duration(p.x)
        : xMode === 'step' ? null : xTitle(null) + ' ' + T.number(p.x);
      return (root.dataset.unit || 'step') + ' ' + p.step + (at == null ? '' : ' \u00b7 ' + at);
    }}};
    return options;
  }

  /** The value of key's series at step (its last point at or before it), for the metric x axis; NaN if none. */
  function valueAt(key, step) {
    var c = charts[key];
    var raw = c ? c.raw : [];
    var lo = 0;
    var hi = raw.length - 1;
    var found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (raw[mid].step <= step) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? NaN : T.toNumber(raw[found].value);
  }

  function xOf(p) {
    if (xMode === 'step') {
      return p.step;
    }
    if (xMode === 'relative') {
      return (p.time - (t0 != null ? t0 : p.time)) / 1000;
    }
    if (xMode === 'wall') {
      return p.time;
    }
    return valueAt(xMode.substring('metric:'.length), p.step);
  }

  function shown(p) {
    return T.point(xOf(p), p.value, p.step);
  }

  function rawPoint(step, value, time) {
    var at = time == null ? NaN : Date.parse(time);
    if (t0 == null && isFinite(at)) {
      t0 = at; // a run that has not said when it started: its first point is the origin
    }
    return {step: step, value: value, time: at};
  }

  function rebuild(c) {
    c.data.length = 0;
    c.raw.forEach(function (p) { c.data.push(shown(p)); });
    T.dots(c.dataset);
  }

  function offerAsXAxis(key) {
    var group = document.getElementById('x-axis-metrics');
    if (!group) {
      return;
    }
    var option = document.createElement('option');
    option.value = 'metric:' + key;
    option.textContent = key;
    var next = Array.prototype.find.call(group.children, function (o) { return o.textContent > key; });
    group.insertBefore(option, next || null);
  }

  function setXAxis(mode) {
    xMode = mode;
    Object.keys(charts).forEach(function (key) {
      var c = charts[key];
      rebuild(c);
      c.chart.options.scales.x.title.text = xTitle(c);
      c.chart.options.normalized = xMode === 'step';
    });
    Object.keys(charts).forEach(function (key) { charts[key].chart.update('none'); });
  }

  if (xAxis) {
    xAxis.addEventListener('change', function () { setXAxis(xAxis.value); });
  }

  function add(key, step, value, time) {
    var c = chartFor(key);
    if (c.axis === SEQUENCE) {
      // The stream carries the last point per step; the positions come from the history.
      reload(key, c);
      return;
    }
    drawPoint(key, c, step, value, time);
  }

  function drawPoint(key, c, step, value, time) {
    var data = c.data;
    var p = rawPoint(step, value, time);
    if (step > c.lastStep) {
      c.raw.push(p);
      data.push(shown(p));
      c.lastStep = step;
    } else if (step === c.lastStep) {
      c.raw[c.raw.length - 1] = p; // a re-sent step overwrites, as in the store
      data[data.length - 1] = shown(p);
      // ...or an MLflow script logged another point at the same step: the history tells which.
      reload(key, c);
    } else {
      return; // already drawn: history and the replayed stream overlap
    }
    if (window.__trainyardDrawn) {
      drawnSteps.push([key, step]);
    }
    dirty.add(c);
    if (xMode === 'metric:' + key) {
      xMoved = true; // the others' points at this step may have been placed before it came
    }
    if (data.length > MAX_DRAWN && !c.reloading) {
      reload(key, c);
    }
    if (!frame) {
      // Fast jobs send many events a second; redraw at most once a frame, appending, never rebuilding.
      frame = requestAnimationFrame(draw);
    }
  }

  var xMoved = false;

  function draw() {
    frame = 0;
    if (xMoved) {
      xMoved = false;
      Object.keys(charts).forEach(function (key) {
        rebuild(charts[key]);
        dirty.add(charts[key]);
      });
    }
    dirty.forEach(function (c) {
      T.dots(c.dataset);
      c.chart.update('none');
    });
    dirty.clear();
    // A hook for the latency benchmark: when each point reached the canvas.
    if (Array.isArray(window.__trainyardDrawn) && drawnSteps.length) {
      var at = performance.timeOrigin + performance.now();
      drawnSteps.forEach(function (s) { window.__trainyardDrawn.push({key: s[0], step: s[1], at: at}); });
    }
    drawnSteps = [];
  }

  function history(key) {
    var url = api + '/metrics/' + key.split('/').map(encodeURIComponent).join('/') + '?maxPoints=' + HISTORY_POINTS;
    return T.getJson(url).then(function (h) { return {axis: h.axis || null, points: h.points || []}; });
  }

  function setAxis(c, axis) {
    if (c.axis !== axis && c.chart !== gradChart) {
      c.axis = axis;
      c.chart.options.scales.x.title.text = xTitle(c);
    }
  }

  function loadHistory(key) {
    return history(key).then(function (h) {
      var c = chartFor(key);
      setAxis(c, h.axis);
      h.points.forEach(function (p) { drawPoint(key, c, p.step, p.value, p.time); });
    }).catch(function () { /* the stream still fills the chart */ });
  }

  // Replaces a grown live series by its downsampled history, keeping what arrived meanwhile. One
  // reload at a time: one asked for meanwhile runs when it ends, so the last point is never missed.
  function reload(key, c) {
    if (c.reloading) {
      c.stale = true;
      return;
    }
    c.reloading = true;
    history(key).then(function (h) {
      var points = h.points;
      var sequence = h.axis === SEQUENCE;
      var last = points.length ? points[points.length - 1].step : -Infinity;
      var tail = sequence || c.axis === SEQUENCE ? [] : c.raw.filter(function (p) { return p.step > last; });
      setAxis(c, h.axis);
      c.raw = points.map(function (p) { return rawPoint(p.step, p.value, p.time); }).concat(tail);
      c.lastStep = c.raw.length ? c.raw[c.raw.length - 1].step : -Infinity;
      rebuild(c);
      c.chart.update('none');
      if (xMode === 'metric:' + key) {
        xMoved = true;
        frame = frame || requestAnimationFrame(draw);
      }
    }).catch(function () {}).finally(function () {
      c.reloading = false;
      if (c.stale) {
        c.stale = false;
        reload(key, c);
      }
    });
  }

  function showProgress(p) {
    var bar = document.getElementById('progress-bar');
    if (!bar) {
      return;
    }
    // events stored before the rename to steps say epoch/epochs
    var step = (p.step != null ? p.step : p.epoch) || 0;
    var steps = (p.steps != null ? p.steps : p.epochs) || 0;
    bar.max = steps;
    bar.value = step;
    document.getElementById('progress-text').textContent = (root.dataset.unit || 'step') + ' ' + step + ' of ' + steps;
    document.getElementById('progress-eta').textContent =
      p.etaSeconds == null || root.dataset.state !== 'RUNNING' ? '' : 'ETA ' + T.duration(p.etaSeconds);
  }

  function queueText(q) {
    return 'position ' + q.position + ' in the queue \u00b7 ' + q.idleWorkers + (q.idleWorkers === 1 ? ' idle worker' : ' idle workers');
  }

  // Other runs' claims move a queued job up without an event on its own stream, so its place is re-read.
  var QUEUE_POLL_MS = 3000;

  function followQueue() {
    var line = document.getElementById('queue-place');
    if (!line || root.dataset.state !== 'QUEUED') {
      return;
    }
    T.getJson(api).then(function (run) {
      var q = run.job && run.job.progress && run.job.progress.queue;
      if (root.dataset.state === 'QUEUED' && q) {
        line.textContent = queueText(q);
        line.hidden = false;
      }
    }).catch(function () {}).finally(function () {
      if (root.dataset.state === 'QUEUED') {
        setTimeout(followQueue, QUEUE_POLL_MS);
      }
    });
  }

  function showState(state, error) {
    root.dataset.state = state;
    var queueLine = document.getElementById('queue-place');
    if (queueLine && state !== 'QUEUED') {
      queueLine.hidden = true;
    }
    T.setBadge(document.querySelector('#state-badge .badge'), state);
    var errorLine = document.getElementById('run-error');
    if (error) {
      errorLine.textContent = error;
      errorLine.hidden = false;
    }
    var terminal = T.isTerminal(state);
    if (terminal && document.getElementById('progress-eta')) {
      document.getElementById('progress-eta').textContent = '';
    }
    var cancel = document.getElementById('cancel-button');
    if (cancel) {
      cancel.hidden = terminal;
    }
    var finished = state === 'FINISHED';
    ['generate', 'download-model', 'predict'].forEach(function (id) {
      var el = document.getElementById(id);
      if (el && finished) {
        el.hidden = false;
      }
    });
    if (finished) {
      loadConfusion();
    }
    if (terminal && document.getElementById('ended').hidden) {
      var ended = document.querySelector('#ended time') || document.createElement('time');
      T.localTime(ended, new Date().toISOString());
      if (!ended.parentNode) {
        document.getElementById('ended').appendChild(ended);
      }
      document.getElementById('ended').hidden = false;
    }
  }

  // Samples, newest first; only the latest few are kept in the page.
  function addSample(s) {
    var list = document.getElementById('samples');
    if (!list) {
      return;
    }
    for (var i = 0; i < list.children.length; i++) {
      if (Number(list.children[i].dataset.epoch) === s.epoch) {
        list.removeChild(list.children[i]); // a re-recorded epoch replaces its sample
        break;
      }
    }
    document.getElementById('samples-empty').hidden = true;
    var item = document.createElement('li');
    item.dataset.epoch = s.epoch;
    var head = document.createElement('div');
    head.className = 'sample-head';
    head.textContent = 'step ' + s.epoch; // a sample's epoch is the step it was taken after
    if (s.exact != null) {
      var exact = document.createElement('span');
      exact.className = s.exact ? 'exact yes' : 'exact no';
      exact.textContent = s.exact ? '✓ reproduced' : '✗ not yet';
      head.appendChild(document.createTextNode(' '));
      head.appendChild(exact);
    }
    var text = document.createElement('pre');
    text.textContent = s.text;
    item.appendChild(head);
    item.appendChild(text);
    var before = null;
    for (var j = 0; j < list.children.length; j++) {
      if (Number(list.children[j].dataset.epoch) < s.epoch) {
        before = list.children[j];
        break;
      }
    }
    list.insertBefore(item, before);
    while (list.children.length > MAX_SAMPLES_SHOWN) {
      list.removeChild(list.lastChild);
    }
  }

  // The event carries the title only; the list holds the whole text, so it is read again.
  function loadAlerts() {
    return T.getJson(api + '/alerts').then(function (alerts) {
      var list = document.getElementById('alerts');
      list.textContent = '';
      alerts.forEach(function (a) {
        var item = document.createElement('li');
        item.className = 'alert-' + a.level.toLowerCase();
        var level = document.createElement('strong');
        level.textContent = a.level;
        var title = document.createElement('span');
        title.className = 'alert-title';
        title.textContent = a.title;
        item.appendChild(level);
        item.appendChild(document.createTextNode(' '));
        item.appendChild(title);
        item.appendChild(document.createTextNode(' ' + new Date(a.createdAt).toLocaleString()));
        if (a.text != null) {
          var text = document.createElement('p');
          text.textContent = a.text;
          item.appendChild(text);
        }
        list.appendChild(item);
      });
      document.getElementById('alerts-section').hidden = alerts.length === 0;
    }).catch(function () {});
  }

  function loadSamples() {
    if (!document.getElementById('samples')) {
      return Promise.resolve();
    }
    return T.getJson(api + '/samples').then(function (samples) {
      samples.slice(-MAX_SAMPLES_SHOWN).forEach(addSample);
    }).catch(function () {});
  }

  function follow() {
    if (T.isTerminal(root.dataset.state)) {
      return; // nothing more will happen
    }
    // Resume right after the event the page was rendered at: history + stream, with no gap.
    var events = T.stream(api + '/events', root.dataset.lastEventId || '0', {
      metrics: function (d) {
        (d.points || []).forEach(function (p) { add(p.key, p.step, p.value, p.time); });
      },
      progress: showProgress,
      sample: addSample,
      alert: loadAlerts,
      log: function (d) { document.dispatchEvent(new CustomEvent('trainyard:log', {detail: d})); }, // run-logs.js
      state: function (s) {
        showState(s.state, s.error);
        if (T.isTerminal(s.state)) {
          events.close(); // otherwise the browser would reconnect forever
        }
      }
    });
  }

  function actionError(message) {
    var line = document.getElementById('action-error');
    line.textContent = message || '';
    line.hidden = !message;
  }

  function setUpActions() {
    var cancel = document.getElementById('cancel-button');
    if (cancel) {
      cancel.addEventListener('click', function () {
        cancel.disabled = true;
        actionError('');
        T.sendJson('POST', api + '/cancel').then(function (run) {
          showState(run.state, run.error);
        }).catch(function (p) { actionError('Could not cancel: ' + p.detail); })
          .finally(function () { cancel.disabled = false; });
      });
    }
    var dialog = document.getElementById('delete-dialog');
    document.getElementById('delete-button').addEventListener('click', function () {
      dialog.returnValue = '';
      dialog.showModal();
    });
    dialog.addEventListener('close', function () {
      if (dialog.returnValue !== 'delete') {
        return;
      }
      T.sendJson('DELETE', api).then(function () {
        window.location.assign(root.dataset.projectUrl);
      }).catch(function (p) { actionError('Could not delete: ' + p.detail); });
    });
  }

  function setUpNotes() {
    var form = document.getElementById('notes-form');
    var status = document.getElementById('notes-status');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var tags = form.tags.value.split(',').map(function (t) { return t.trim(); }).filter(Boolean);
      status.textContent = 'Saving…';
      status.className = 'muted';
      T.sendJson('PATCH', api, {notes: form.notes.value, tags: tags}).then(function (run) {
        status.textContent = 'Saved.';
        var list = document.getElementById('tag-list');
        if (list) {
          list.textContent = '';
          (run.tags || []).forEach(function (t) {
            var li = document.createElement('li');
            li.textContent = t;
            list.appendChild(li);
          });
        }
      }).catch(function (p) {
        status.className = 'error';
        status.textContent = p.fields.length
          ? p.fields.map(function (f) { return f.field + ': ' + f.message; }).join('; ') : p.detail;
      });
    });
  }

  function setUpGenerate() {
    var form = document.getElementById('generate-form');
    if (!form) {
      return;
    }
    var out = document.getElementById('generated');
    var error = document.getElementById('generate-error');
    var button = document.getElementById('generate-button');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var body = {};
      var bad = [];
      if (form.prime.value) {
        body.prime = form.prime.value;
      }
      // form.length is the form's control count, so the fields are looked up by name.
      [['length', form.elements.namedItem('length')], ['temperature', form.elements.namedItem('temperature')]].forEach(function (f) {
        var text = f[1].value.trim();
        if (text) {
          var n = Number(text);
          if (isNaN(n)) {
            bad.push(f[0] + ': must be a number');
          } else {
            body[f[0]] = n;
          }
        }
      });
      error.hidden = !bad.length;
      error.textContent = bad.join('; ');
      if (bad.length) {
        return;
      }
      button.disabled = true;
      out.textContent = 'Generating…';
      T.sendJson('POST', api + '/generate', body).then(function (r) {
        out.textContent = r.text;
      }).catch(function (p) {
        out.textContent = '';
        error.hidden = false;
        error.textContent = p.fields.length
          ? p.fields.map(function (f) { return f.field + ': ' + f.message; }).join('; ') : p.detail;
      }).finally(function () { button.disabled = false; });
    });
  }

  // A dl4j classification job's last-epoch confusion matrix, once it has finished.
  function loadConfusion() {
    var section = document.getElementById('confusion-section');
    if (!section) {
      return;
    }
    T.getJson(api + '/confusion').then(function (m) {
      var table = document.getElementById('confusion');
      table.textContent = '';
      var head = table.createTHead().insertRow();
      var corner = document.createElement('th');
      corner.textContent = 'actual \\ predicted';
      head.appendChild(corner);
      m.classes.forEach(function (c) {
        var th = document.createElement('th');
        th.scope = 'col';
        th.textContent = c;
        head.appendChild(th);
      });
      var body = table.createTBody();
      m.counts.forEach(function (row, i) {
        var tr = body.insertRow();
        var th = document.createElement('th');
        th.scope = 'row';
        th.textContent = m.classes[i];
        tr.appendChild(th);
        row.forEach(function (n, j) {
          var td = tr.insertCell();
          td.className = 'num' + (i === j ? ' diagonal' : '');
          td.textContent = n;
        });
      });
      document.getElementById('confusion-epoch').textContent = '(epoch ' + m.epoch + ')';
      section.hidden = false;
    }).catch(function (e) { console.error('confusion: ' + (e && (e.detail || e.message || e))); }); // regression has none
  }

  function setUpPredict() {
    var form = document.getElementById('predict-form');
    if (!form) {
      return;
    }
    var out = document.getElementById('predicted');
    var error = document.getElementById('predict-error');
    var button = document.getElementById('predict-button');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var bad = [];
      var rows = form.rows.value.split('\n').filter(function (l) { return l.trim(); }).map(function (line, i) {
        return line.split(',').map(function (v, j) {
          var n = Number(v.trim());
          if (v.trim() === '' || isNaN(n)) {
            bad.push('row ' + (i + 1) + ', value ' + (j + 1) + ': must be a number');
          }
          return n;
        });
      });
      if (!rows.length) {
        bad.push('enter at least one row');
      }
      error.hidden = !bad.length;
      error.textContent = bad.join('; ');
      if (bad.length) {
        return;
      }
      button.disabled = true;
      T.sendJson('POST', api + '/predict', {rows: rows}).then(function (r) {
        out.textContent = r.predictions.map(function (p) {
          if (p.label != null) {
            return p.label + '  (' + Object.keys(p.probabilities).map(function (k) {
              return k + ' ' + p.probabilities[k].toFixed(3);
            }).join(', ') + ')';
          }
          return Object.keys(p.values).map(function (k) { return k + ' = ' + p.values[k].toPrecision(5); }).join(', ');
        }).join('\n');
      }).catch(function (p) {
        out.textContent = '';
        error.hidden = false;
        error.textContent = p.fields.length
          ? p.fields.map(function (f) { return f.field + ': ' + f.message; }).join('; ') : p.detail;
      }).finally(function () { button.disabled = false; });
    });
  }

  setUpActions();
  setUpNotes();
  setTimeout(followQueue, QUEUE_POLL_MS);
  setUpGenerate();
  setUpPredict();
  if (root.dataset.state === 'FINISHED') {
    loadConfusion();
  }
  T.getJson(api + '/metrics').then(function (keys) {
    keys.forEach(function (k) { chartFor(k.key); });
    return Promise.all(keys.map(function (k) { return loadHistory(k.key); }));
  }).catch(function () {}).then(loadSamples).then(follow);
})();
