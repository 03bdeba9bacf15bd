// The compare page: per metric key, every run's series overlaid in the run's colour. Series are
// always read downsampled (MAX_POINTS per run, whatever their length); zooming or panning re-reads
// just the visible range, so zoomed-in points are exact. The runs' project streams say when a run
// logged more, and only the new steps are fetched and appended. Text only via textContent/Chart.js.
// One legend above the charts hides or solos a run on all of them; grouped by a config key, each
// chart draws a group's mean with a +-std (or min-max) band instead of its runs' lines.
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
  var hidden = {};          // run id or group name -> hidden from the legend
  var solo = null;          // {kind: 'run'|'group', id} shown alone, or null
  var filteredOut = null;   // run id -> true, for runs the parallel coordinates' brushes left out; null = none
  var grouping = {key: '', band: 'std', groups: []}; // groups: [{name, color, ids}]
  var BINS = 200;           // a group's runs are averaged over this many x buckets per chart

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
    // The page's one legend (hide, solo) stands for every chart: one per chart repeated it and outgrew the plot.
    options.plugins.legend = {display: false};
    options.plugins.filler = {propagate: false};
    options.plugins.tooltip = {filter: function (item) { return !item.dataset.band; }, callbacks: {title: function (items) {
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
        return {label: r.name + ' · ' + r.model, data: [], borderColor: r.color, backgroundColor: r.color, spanGaps: false,
          run: r.id, hidden: !runShown(r.id)};
      })},
      options: options
    });
    if (view) {
      c.chart.options.scales.x.min = view.min;
      c.chart.options.scales.x.max = view.max;
    }
    charts[key] = c;
    if (grouping.key) {
      regroup(c);
    }
    return c;
  }

  // --- The shared legend: hide, solo, and the runs the parallel coordinates' brushes leave out.

  function groupOf(runId) {
    for (var i = 0; i < grouping.groups.length; i++) {
      if (grouping.groups[i].ids.indexOf(runId) >= 0) {
        return grouping.groups[i];
      }
    }
    return null;
  }

  function groupShown(name) {
    return solo ? solo.kind === 'group' && solo.id === name : !hidden['group:' + name];
  }

  function runShown(runId) {
    if (filteredOut && filteredOut[runId]) {
      return false;
    }
    if (grouping.key) {
      var g = groupOf(runId);
      return !!g && groupShown(g.name);
    }
    return solo ? solo.kind === 'run' && solo.id === runId : !hidden['run:' + runId];
  }

  function applyVisibility() {
    Object.keys(charts).forEach(function (key) {
      var c = charts[key];
      c.chart.data.datasets.forEach(function (d) {
        if (d.run) {
          // Grouped, a run's own line gives way to its group's mean and band.
          d.hidden = grouping.key ? true : !runShown(d.run);
        }
      });
      if (grouping.key) {
        regroup(c);
      }
      c.chart.update('none');
    });
    document.querySelectorAll('#legend li[data-run]').forEach(function (li) {
      var id = li.dataset.run;
      var off = grouping.key ? false : (solo ? !(solo.kind === 'run' && solo.id === id) : !!hidden['run:' + id]);
      li.classList.toggle('off', off || !!(filteredOut && filteredOut[id]));
      li.classList.toggle('filtered', !!(filteredOut && filteredOut[id]));
      li.querySelector('.hide-run').setAttribute('aria-pressed', String(!!hidden['run:' + id]));
      li.querySelector('.solo-run').setAttribute('aria-pressed', String(!!solo && solo.kind === 'run' && solo.id === id));
    });
    document.querySelectorAll('#group-legend li').forEach(function (li) {
      var name = li.dataset.group;
      li.classList.toggle('off', !groupShown(name));
      li.querySelector('.hide-run').setAttribute('aria-pressed', String(!!hidden['group:' + name]));
      li.querySelector('.solo-run').setAttribute('aria-pressed', String(!!solo && solo.kind === 'group' && solo.id === name));
    });
  }

  function onLegendClick(e) {
    var button = e.target.closest('button');
    var li = button && button.closest('li');
    if (!li) {
      return;
    }
    var kind = li.dataset.group != null ? 'group' : 'run';
    var id = kind === 'group' ? li.dataset.group : li.dataset.run;
    if (button.classList.contains('hide-run')) {
      hidden[kind + ':' + id] = !hidden[kind + ':' + id];
      if (hidden[kind + ':' + id] && solo && solo.kind === kind && solo.id === id) {
        solo = null;
      }
    } else if (button.classList.contains('solo-run')) {
      solo = solo && solo.kind === kind && solo.id === id ? null : {kind: kind, id: id};
    }
    applyVisibility();
  }

  // --- Grouping: each group's runs folded into a mean line and a band, per chart.

  function configValue(run, key) {
    var v = run.config ? run.config[key] : undefined;
    return v === undefined || v === null ? '(not set)' : (typeof v === 'object' ? JSON.stringify(v) : String(v));
  }

  function makeGroups(key) {
    var groups = [];
    var byName = {};
    runs.forEach(function (r) {
      var name = configValue(r, key);
      if (!byName[name]) {
        byName[name] = {name: name, ids: []};
        groups.push(byName[name]);
      }
      byName[name].ids.push(r.id);
    });
    var palette = setup.palette || [];
    groups.forEach(function (g, i) {
      // Groups take the palette in their own order: runs' colours would let two groups share one.
      g.color = palette.length ? palette[i % palette.length] : byId[g.ids[0]].color;
    });
    return groups;
  }

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16 & 255) + ',' + (n >> 8 & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  /** Mean, std, min and max over a group's runs, bucketed on x: runs log at different steps and lengths. */
  function aggregate(c, group) {
    var series = [];
    var lo = Infinity;
    var hi = -Infinity;
    group.ids.forEach(function (id) {
      if (filteredOut && filteredOut[id]) {
        return;
      }
      var data = datasetOf(c, id).data;
      if (data.length) {
        series.push(data);
        lo = Math.min(lo, data[0].x);
        hi = Math.max(hi, data[data.length - 1].x);
      }
    });
    if (!series.length) {
      return [];
    }
    var width = hi > lo ? (hi - lo) / BINS : 1;
    var bins = [];
    series.forEach(function (data) {
      var sums = {};
      data.forEach(function (p) {
        if (!isFinite(p.y)) {
          return;
        }
        var b = Math.min(BINS, Math.floor((p.x - lo) / width));
        var s = sums[b] || (sums[b] = {x: 0, y: 0, n: 0});
        s.x += p.x;
        s.y += p.y;
        s.n++;
      });
      Object.keys(sums).forEach(function (b) {
        var bin = bins[b] || (bins[b] = {x: 0, ys: []});
        bin.x += sums[b].x / sums[b].n;
        bin.ys.push(sums[b].y / sums[b].n);
      });
    });
    var out = [];
    bins.forEach(function (bin) {
      if (!bin) {
        return;
      }
      var n = bin.ys.length;
      var mean = bin.ys.reduce(function (a, y) { return a + y; }, 0) / n;
      var variance = bin.ys.reduce(function (a, y) { return a + (y - mean) * (y - mean); }, 0) / n;
      out.push({x: bin.x / n, mean: mean, std: Math.sqrt(variance), min: Math.min.apply(null, bin.ys),
        max: Math.max.apply(null, bin.ys), n: n});
    });
    return out;
  }

  // Group datasets come after the runs' own, three per group: the band's lower edge, its upper edge
  // (filled down to the lower), and the mean on top.
  function regroup(c) {
    var datasets = c.chart.data.datasets;
    datasets.splice(runs.length);
    if (!grouping.key) {
      return;
    }
    grouping.groups.forEach(function (g) {
      var stats = aggregate(c, g);
      var minmax = grouping.band === 'minmax';
      var lower = stats.map(function (s) { return {x: s.x, y: minmax ? s.min : s.mean - s.std}; });
      var upper = stats.map(function (s) { return {x: s.x, y: minmax ? s.max : s.mean + s.std}; });
      var mean = stats.map(function (s) { return {x: s.x, y: s.mean}; });
      var off = !groupShown(g.name);
      var fill = alpha(g.color, 0.22);
      datasets.push({label: g.name + ' lower', data: lower, band: 'lower', group: g.name, borderWidth: 0, pointRadius: 0,
        borderColor: fill, backgroundColor: fill, fill: false, hidden: off});
      datasets.push({label: g.name + ' upper', data: upper, band: 'upper', group: g.name, borderWidth: 0, pointRadius: 0,
        borderColor: fill, backgroundColor: fill, fill: '-1', hidden: off});
      datasets.push({label: grouping.key + ' = ' + g.name + ' (mean of ' + g.ids.length + ')', data: mean, group: g.name,
        role: 'mean', borderColor: g.color, backgroundColor: g.color, borderWidth: 2, pointRadius: mean.length === 1 ? 3 : 0,
        hidden: off});
    });
  }

  function renderGroupLegend() {
    var ul = document.getElementById('group-legend');
    ul.textContent = '';
    ul.hidden = !grouping.key;
    grouping.groups.forEach(function (g) {
      var li = document.createElement('li');
      li.dataset.group = g.name;
      var swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = g.color;
      var label = document.createElement('span');
      label.className = 'group-name';
      label.textContent = grouping.key + ' = ' + g.name;
      var count = document.createElement('span');
      count.className = 'muted';
      count.textContent = g.ids.length + ' run' + (g.ids.length === 1 ? '' : 's');
      li.appendChild(swatch);
      li.appendChild(label);
      li.appendChild(count);
      ['hide', 'solo'].forEach(function (what) {
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'link ' + what + '-run';
        b.textContent = what;
        b.setAttribute('aria-pressed', 'false');
        b.setAttribute('aria-label', (what === 'hide' ? 'Hide ' : 'Show only ') + label.textContent);
        li.appendChild(b);
      });
      ul.appendChild(li);
    });
    document.getElementById('legend').classList.toggle('grouped', !!grouping.key);
  }

  function setGrouping(key) {
    grouping.key = key;
    grouping.groups = key ? makeGroups(key) : [];
    solo = solo && solo.kind === 'group' ? null : solo;
    document.getElementById('band').disabled = !key;
    renderGroupLegend();
    applyVisibility();
  }

  function groupKeys() {
    var seen = {};
    var varying = [];
    var constant = [];
    runs.forEach(function (r) {
      Object.keys(r.config || {}).forEach(function (k) {
        if (!seen[k]) {
          seen[k] = true;
          var values = {};
          runs.forEach(function (o) { values[configValue(o, k)] = true; });
          (Object.keys(values).length > 1 ? varying : constant).push(k);
        }
      });
    });
    return varying.concat(constant);
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
      regroup(c);
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
      regroup(c);
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
            regroup(c);
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
  document.getElementById('legend').addEventListener('click', onLegendClick);
  document.getElementById('group-legend').addEventListener('click', onLegendClick);
  var groupSelect = document.getElementById('group-by');
  groupKeys().forEach(function (k) {
    var option = document.createElement('option');
    option.value = k;
    option.textContent = k;
    groupSelect.appendChild(option);
  });
  groupSelect.addEventListener('change', function (e) { setGrouping(e.target.value); });
  document.getElementById('band').addEventListener('change', function (e) {
    grouping.band = e.target.value;
    applyVisibility();
  });
  // params.js says which runs its brushes keep; null when no brush is set.
  document.addEventListener('trainyard:runs-filtered', function (e) {
    var kept = e.detail && e.detail.ids;
    filteredOut = null;
    if (kept) {
      filteredOut = {};
      ids.forEach(function (id) {
        if (kept.indexOf(id) < 0) {
          filteredOut[id] = true;
        }
      });
    }
    applyVisibility();
  });
  fillRunChoices();

  // The add-a-run field offers the compared projects' recent runs not already here.
  function fillRunChoices() {
    var list = document.getElementById('run-choices');
    var projects = (root.dataset.liveProjects || '').split(',').filter(Boolean).slice(0, 4);
    projects.forEach(function (slug) {
      T.getJson('/api/v1/runs?project=' + encodeURIComponent(slug) + '&size=100').then(function (page) {
        (page.runs || page.content || []).forEach(function (r) {
          if (byId[r.id]) {
            return;
          }
          var option = document.createElement('option');
          option.value = r.id;
          option.label = r.name + ' \u00b7 ' + (r.job ? r.job.model : 'script') + ' \u00b7 ' + r.state;
          option.textContent = option.label;
          list.appendChild(option);
        });
      }, function () {});
    });
  }

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
