// The compare page: per metric key, every run's series overlaid in the run's colour. Series are
// always read downsampled (MAX_POINTS per run, whatever their length); zooming or panning re-reads
// just the visible range, so zoomed-in points are exact. The runs' project streams say when a run
// logged more, and only the new steps are fetched and appended. Text only via textContent/Chart.js.
(function () {
  'use strict';

  var root = document.getElementById('main');
  var T = window.Trainyard;
  if (!root || !T || typeof Chart === 'undefined' || !root.dataset.compare) {
    return;
  }
  var MAX_POINTS = 1500;
  var LIVE_EVERY_MS = 500;
  var setup = JSON.parse(root.dataset.compare);
  // Set here, not in a style attribute, which the Content-Security-Policy refuses.
  document.querySelectorAll('.swatch[data-color]').forEach(function (swatch) {
    swatch.style.background = swatch.dataset.color;
  });
  var runs = setup.runs;
  if (!runs.length) {
    return;
  }
  var byId = {};
  runs.forEach(function (r) { byId[r.id] = r; });
  var ids = runs.map(function (r) { return r.id; });
  var container = document.getElementById('charts');
  var opts = {ema: 0, log: false, x: 'step'};
  var view = null;          // the zoomed x range {min, max}, in the current x unit; null = everything
  var applying = false;     // set while this script moves the scales, so the zoom callbacks stay quiet
  var charts = {};          // key -> {chart, series: {runId: {raw: [{s, v, t}], lastStep, ema}}, seq}
  var t0 = {};              // runId -> time of its first point (ms), the origin of relative time
  var dirty = {};           // runs with news from the stream
  var liveTimer = 0;

  function encodeKey(key) {
    return key.split('/').map(encodeURIComponent).join('/');
  }

  function point(p) {
    return {s: p.step, v: T.toNumber(p.value), t: Date.parse(p.time), nf: T.nonFinite(p.value)};
  }

  // Debiased exponential moving average, as TensorBoard's smoothing slider does it.
  function smooth(series, v) {
    if (!opts.ema || isNaN(v)) {
      return v;
    }
    series.ema.acc = series.ema.acc * opts.ema + (1 - opts.ema) * v;
    series.ema.n++;
    return series.ema.acc / (1 - Math.pow(opts.ema, series.ema.n));
  }

  function xOf(runId, p) {
    return opts.x === 'step' ? p.s : (p.t - (t0[runId] || p.t)) / 1000;
  }

  function shown(runId, series, p) {
    var y = smooth(series, p.v);
    // nf marks a logged NaN or ±Infinity for live.js's gap markers; a value the log scale cannot show is not one.
    return {x: xOf(runId, p), y: opts.log && !(y > 0) ? NaN : y, nf: p.nf, step: p.s};
  }

  // Rebuilds a dataset from its raw points (after a load, or when smoothing or the x axis change).
  function rebuild(c, runId, dataset) {
    var series = c.series[runId];
    series.ema = {acc: 0, n: 0};
    dataset.data = series.raw.map(function (p) { return shown(runId, series, p); });
    T.dots(dataset);
  }

  function datasetOf(c, runId) {
    return c.chart.data.datasets[ids.indexOf(runId)];
  }

  function xTitle() {
    return opts.x === 'step' ? 'step' : 'seconds since the run\u2019s first point';
  }

  function chartFor(key) {
    if (charts[key]) {
      return charts[key];
    }
    var none = document.getElementById('no-metrics');
    if (none) {
      none.hidden = true;
    }
    var canvas = T.chartFigure(container, key);
    var options = T.lineOptions(xTitle());
    options.plugins.legend = {display: true, position: 'bottom', labels: {boxWidth: 12, boxHeight: 2}};
    options.plugins.tooltip = {callbacks: {title: function (items) {
      return items.length ? (opts.x === 'step' ? 'step ' : 't = ') + items[0].parsed.x + (opts.x === 'step' ? '' : ' s') : '';
    }}};
    options.plugins.zoom = {
      limits: {x: {minRange: 1}},
      pan: {enabled: true, mode: 'x', onPanComplete: onRange},
      zoom: {wheel: {enabled: true}, pinch: {enabled: true}, drag: {enabled: true, modifierKey: 'shift'}, mode: 'x',
        onZoomComplete: onRange}
    };
    options.scales.y.type = opts.log ? 'logarithmic' : 'linear';
    var c = {series: {}, seq: 0};
    c.chart = new Chart(canvas, {
      type: 'line',
      data: {datasets: runs.map(function (r) {
        c.series[r.id] = {raw: [], lastStep: -1, ema: {acc: 0, n: 0}};
        return {label: r.name + ' · ' + r.model, data: [], borderColor: r.color, backgroundColor: r.color, spanGaps: false};
      })},
      options: options
    });
    if (view) {
      c.chart.options.scales.x.min = view.min;
      c.chart.options.scales.x.max = view.max;
    }
    charts[key] = c;
    return c;
  }

  /** Reads the whole of each run's series (downsampled) or, when zoomed, the visible range. */
  function load(key) {
    var c = chartFor(key);
    var seq = ++c.seq;
    var requests;
    if (!view || opts.x === 'step') {
      var range = '';
      if (view) {
        var pad = (view.max - view.min) * 0.02; // a little beyond the edges, so lines run off the chart
        range = '&fromStep=' + Math.max(0, Math.floor(view.min - pad)) + '&toStep=' + Math.ceil(view.max + pad);
      }
      requests = T.getJson('/api/v1/metrics?runs=' + ids.map(encodeURIComponent).join(',') + '&key=' + encodeURIComponent(key)
        + '&maxPoints=' + MAX_POINTS + range);
    } else {
      // Relative time differs per run, so each run's visible time range becomes its own step range.
      requests = Promise.all(ids.map(function (id) {
        var r = stepRange(c.series[id].raw, id);
        if (!r) {
          return null;
        }
        return T.getJson('/api/v1/runs/' + encodeURIComponent(id) + '/metrics/' + encodeKey(key) + '?maxPoints=' + MAX_POINTS
          + '&fromStep=' + r[0] + '&toStep=' + r[1]);
      })).then(function (answers) {
        var byRun = {};
        answers.forEach(function (h, i) {
          if (h) {
            byRun[ids[i]] = h;
          }
        });
        return byRun;
      });
    }
    return requests.then(function (byRun) {
      if (seq !== c.seq) {
        return; // a newer range was asked for meanwhile
      }
      ids.forEach(function (id) {
        var h = byRun[id];
        if (!h) {
          return;
        }
        var series = c.series[id];
        series.raw = (h.points || []).map(point);
        if (!view && series.raw.length) {
          series.lastStep = series.raw[series.raw.length - 1].s;
          var first = series.raw[0].t;
          t0[id] = t0[id] == null ? first : Math.min(t0[id], first);
        }
        rebuild(c, id, datasetOf(c, id));
      });
      c.chart.update('none');
    }).catch(function () { /* keep what is drawn */ });
  }

  // The steps around a time range: from the last point at or before it to the first at or after it.
  function stepRange(raw, id) {
    if (!raw.length) {
      return null;
    }
    var from = raw[0].s;
    var to = raw[raw.length - 1].s;
    for (var i = 0; i < raw.length; i++) {
      var x = xOf(id, raw[i]);
      if (x <= view.min) {
        from = raw[i].s;
      }
      if (x >= view.max) {
        to = raw[i].s;
        break;
      }
    }
    return [from, to];
  }

  function loadAll() {
    return Promise.all(Object.keys(charts).map(load));
  }

  var rangeTimer = 0;

  function onRange(ctx) {
    if (applying) {
      return;
    }
    var scale = ctx.chart.scales.x;
    view = {min: scale.min, max: scale.max};
    applying = true;
    Object.keys(charts).forEach(function (key) {
      var chart = charts[key].chart;
      if (chart !== ctx.chart) {
        chart.options.scales.x.min = view.min;
        chart.options.scales.x.max = view.max;
        chart.update('none');
      }
    });
    applying = false;
    document.getElementById('reset-zoom').disabled = false;
    clearTimeout(rangeTimer);
    rangeTimer = setTimeout(function () {
      loadAll().then(function () { window.__trainyardRangeDrawn = performance.now(); });
    }, 150);
  }

  function resetZoom() {
    view = null;
    applying = true;
    Object.keys(charts).forEach(function (key) {
      var chart = charts[key].chart;
      chart.resetZoom('none');
      delete chart.options.scales.x.min;
      delete chart.options.scales.x.max;
    });
    applying = false;
    document.getElementById('reset-zoom').disabled = true;
    return loadAll();
  }

  function redrawAll() {
    Object.keys(charts).forEach(function (key) {
      var c = charts[key];
      ids.forEach(function (id) { rebuild(c, id, datasetOf(c, id)); });
      c.chart.options.scales.y.type = opts.log ? 'logarithmic' : 'linear';
      c.chart.options.scales.x.title.text = xTitle();
      c.chart.update('none');
    });
  }

  // Live: fetch the steps after each run's last one, for the runs the stream said changed.
  function scheduleLive() {
    if (!liveTimer) {
      liveTimer = setTimeout(pullLive, LIVE_EVERY_MS);
    }
  }

  function pullLive() {
    liveTimer = 0;
    var changed = Object.keys(dirty);
    dirty = {};
    if (!changed.length) {
      return;
    }
    Object.keys(charts).forEach(function (key) {
      var c = charts[key];
      var from = Math.min.apply(null, changed.map(function (id) { return c.series[id].lastStep; })) + 1;
      T.getJson('/api/v1/metrics?runs=' + changed.map(encodeURIComponent).join(',') + '&key=' + encodeURIComponent(key)
        + '&maxPoints=' + MAX_POINTS + '&fromStep=' + from).then(function (byRun) {
        var grown = false;
        changed.forEach(function (id) {
          var h = byRun[id];
          var series = c.series[id];
          var dataset = datasetOf(c, id);
          (h && h.points || []).map(point).forEach(function (p) {
            if (p.s <= series.lastStep) {
              return;
            }
            if (t0[id] == null) {
              t0[id] = p.t;
            }
            series.lastStep = p.s;
            series.raw.push(p);
            dataset.data.push(shown(id, series, p)); // appended, not rebuilt
            grown = true;
          });
          T.dots(dataset);
        });
        if (grown) {
          var longest = Math.max.apply(null, ids.map(function (id) { return c.series[id].raw.length; }));
          if (!view && longest > 4 * MAX_POINTS) {
            load(key); // re-downsample a series that grew long while we watched
          } else {
            c.chart.update('none');
          }
        }
      }).catch(function () {
        changed.forEach(function (id) { dirty[id] = true; });
        scheduleLive();
      });
    });
  }

  function onRun(run) {
    if (!byId[run.id]) {
      return;
    }
    var item = document.querySelector('.legend li[data-run="' + CSS.escape(run.id) + '"] .badge');
    if (item) {
      T.setBadge(item, run.state);
    }
    var fresh = Object.keys(run.summary || {}).filter(function (k) { return !charts[k]; });
    fresh.forEach(function (k) { load(k); });
    dirty[run.id] = true;
    scheduleLive();
  }

  document.getElementById('ema').addEventListener('input', function (e) {
    opts.ema = Number(e.target.value);
    document.getElementById('ema-value').textContent = e.target.value;
    redrawAll();
  });
  document.getElementById('log-scale').addEventListener('change', function (e) {
    opts.log = e.target.checked;
    redrawAll();
  });
  Array.prototype.forEach.call(document.querySelectorAll('input[name="x"]'), function (radio) {
    radio.addEventListener('change', function (e) {
      opts.x = e.target.value;
      if (view) {
        resetZoom().then(redrawAll);
      } else {
        redrawAll();
      }
    });
  });
  document.getElementById('reset-zoom').addEventListener('click', resetZoom);

  var started = performance.now();
  setup.keys.forEach(chartFor);
  loadAll().then(function () {
    // Hooks for the load benchmark and the browser tests.
    window.__trainyardCompareReady = performance.now();
    window.__trainyardCompareLoadMs = window.__trainyardCompareReady - started;
    root.dataset.ready = 'true';
    var live = (root.dataset.liveProjects || '').split(',').filter(Boolean).slice(0, 4);
    live.forEach(function (slug) {
      T.stream('/api/v1/projects/' + encodeURIComponent(slug) + '/events', null, {run: onRun}, function () {
        // Whatever happened between the first read and the stream's opening, new keys included:
        // runs that trained and finished in that gap send no further events.
        ids.forEach(function (id) {
          T.getJson('/api/v1/runs/' + encodeURIComponent(id)).then(onRun, function () {});
        });
      });
    });
  });
})();
