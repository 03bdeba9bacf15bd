// Parallel coordinates and a scatter of runs' configs against a metric summary, drawn with ECharts
// (Chart.js has neither parallel axes nor axis brushing). One axis per config key whose value varies
// across the runs, then the chosen metric; lines are coloured by the metric. Brushing an axis keeps the
// runs within its range: the count, the "Compare these" link and the scatter follow, and on the compare
// page a 'trainyard:runs-filtered' event tells compare.js which runs to keep drawing.
// Run names reach the page only through ECharts' canvas text or encodeHTML'd tooltips.
(function () {
  'use strict';

  var section = document.getElementById('params');
  if (!section || typeof echarts === 'undefined') {
    return;
  }
  var started = performance.now();
  var PAGE = 500;
  var MAX_RUNS = 5000;      // pages read for a sweep or project; more would not be legible anyway
  var COMPARE_MAX = 50;     // as many as the compare page takes
  var METRIC_COLOURS = ['#313695', '#4575b4', '#74add1', '#abd9e9', '#fee090', '#fdae61', '#f46d43', '#d73027', '#a50026'];

  var runs = [];            // [{id, name, color, config: {dotted key: value}, summary: {key: number}}]
  var axes = [];            // [{key, type: 'value'|'category', categories}] then the metric's axis
  var brushes = {};         // axis index -> [[lo, hi], ...] as the axis last reported them
  var kept = null;          // run ids within every brush, or null when none is set
  var metric = null;
  var parallel = null;
  var scatter = null;

  function flatten(prefix, value, out) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      var keys = Object.keys(value);
      if (!keys.length && prefix) {
        out[prefix] = {};
      }
      keys.forEach(function (k) { flatten(prefix ? prefix + '.' + k : k, value[k], out); });
    } else if (prefix) {
      out[prefix] = value;
    }
    return out;
  }

  function fromApi(r) {
    var config = flatten('', r.config || {}, {});
    if (r.job && config.model === undefined) {
      config.model = r.job.model;
    }
    return {id: r.id, name: r.name, color: null, config: config, summary: r.summary || {}};
  }

  function getJson(url) {
    return fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'}).then(function (res) {
      if (!res.ok) {
        throw new Error(res.status + ' ' + res.statusText);
      }
      return res.json();
    });
  }

  function loadRuns() {
    if (section.dataset.source === 'compare') {
      var setup = JSON.parse(document.getElementById('main').dataset.compare);
      return Promise.resolve(setup.runs.map(function (r) {
        return {id: r.id, name: r.name, color: r.color, config: r.config || {}, summary: r.summary || {}};
      }));
    }
    var api = section.dataset.api;
    var all = [];
    function page(n) {
      return getJson(api + (api.indexOf('?') < 0 ? '?' : '&') + 'size=' + PAGE + '&page=' + n).then(function (p) {
        all = all.concat((p.content || []).map(fromApi));
        if (n + 1 < p.totalPages && all.length < MAX_RUNS) {
          return page(n + 1);
        }
        return all;
      });
    }
    return page(0);
  }

  function text(v) {
    return v === undefined || v === null ? null : (typeof v === 'object' ? JSON.stringify(v) : String(v));
  }

  function isNumber(v) {
    return typeof v === 'number' && isFinite(v);
  }

  function configKeys() {
    var seen = {};
    var keys = [];
    runs.forEach(function (r) {
      Object.keys(r.config).forEach(function (k) {
        if (!seen[k]) {
          seen[k] = true;
          keys.push(k);
        }
      });
    });
    return keys;
  }

  function varies(key) {
    var first = text(runs[0].config[key]);
    return runs.some(function (r) { return text(r.config[key]) !== first; });
  }

  function metricKeys() {
    var seen = {};
    var keys = [];
    runs.forEach(function (r) {
      Object.keys(r.summary).forEach(function (k) {
        if (!seen[k]) {
          seen[k] = true;
          keys.push(k);
        }
      });
    });
    return keys.sort(function (a, b) {
      var rank = function (k) { return k === 'loss' ? 0 : k === 'accuracy' ? 1 : 2; };
      return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  /**
   * A config key's axis: numbers on a value axis, logarithmic when they are positive and span two decades
   * or more (learning rates, weight decays); anything else, or a mix, as sorted categories.
   */
  function axisOf(key) {
    var numeric = runs.every(function (r) { var v = r.config[key]; return v === undefined || v === null || isNumber(v); });
    if (numeric) {
      var values = runs.map(function (r) { return r.config[key]; }).filter(isNumber);
      var min = Math.min.apply(null, values);
      var max = Math.max.apply(null, values);
      return {key: key, type: values.length && min > 0 && max / min >= 100 ? 'log' : 'value'};
    }
    var values = {};
    runs.forEach(function (r) { values[text(r.config[key]) || '(not set)'] = true; });
    return {key: key, type: 'category', categories: Object.keys(values).sort()};
  }

  function cell(axis, r) {
    var v = r.config[axis.key];
    if (axis.type !== 'category') {
      return isNumber(v) ? v : '-';  // value or log
    }
    return text(v) || '(not set)';
  }

  function metricOf(r) {
    var v = r.summary[metric];
    return isNumber(v) ? v : null;
  }

  function select(id, keys, chosen) {
    var el = document.getElementById(id);
    el.textContent = '';
    keys.forEach(function (k) {
      var option = document.createElement('option');
      option.value = k;
      option.textContent = k;
      option.selected = k === chosen;
      el.appendChild(option);
    });
    return el;
  }

  function empty(message) {
    var p = document.getElementById('params-empty');
    p.textContent = message;
    p.hidden = false;
    document.getElementById('parallel').hidden = true;
  }

  function drawParallel() {
    var varying = configKeys().filter(varies);
    axes = varying.map(axisOf);
    axes.push({key: metric, type: 'value', metric: true});
    var dim = axes.length - 1;
    var values = runs.map(metricOf).filter(isNumber);
    var lo = values.length ? Math.min.apply(null, values) : 0;
    var hi = values.length ? Math.max.apply(null, values) : 1;
    var rows = runs.map(function (r) {
      var row = axes.slice(0, dim).map(function (a) { return cell(a, r); });
      var m = metricOf(r);
      row.push(m === null ? '-' : m);
      return {value: row, name: r.name};
    });
    brushes = {};
    kept = null;
    parallel.setOption({
      animation: false,
      parallel: {left: 50, right: 130, top: 60, bottom: 40, parallelAxisDefault: {
        nameLocation: 'end', nameGap: 16, nameTruncate: {maxWidth: 120, ellipsis: '\u2026'}, nameRotate: 0,
        realtime: true, areaSelectStyle: {width: 24}, nameTextStyle: {fontWeight: 600}}},
      parallelAxis: axes.map(function (a, i) {
        return {dim: i, id: 'pc-axis-' + i, name: a.key, type: a.type, data: a.categories, scale: a.type === 'value',
          inverse: false};
      }),
      visualMap: {type: 'continuous', dimension: dim, min: lo, max: hi === lo ? lo + 1 : hi, calculable: false, realtime: false,
        right: 10, top: 'middle', itemHeight: 160, text: [metric, ''], textGap: 8, precision: 4,
        inRange: {color: METRIC_COLOURS}, outOfRange: {color: ['#bbbbbb']}},
      series: [{type: 'parallel', data: rows, smooth: false, lineStyle: {width: 1.2, opacity: 0.75},
        inactiveOpacity: 0.04, activeOpacity: 0.9, progressiveThreshold: 5000}]
    }, true);
    document.getElementById('pc-clear').disabled = true;
    report();
  }

  function drawScatter() {
    var xKey = document.getElementById('sc-x').value;
    var yKey = document.getElementById('sc-y').value;
    if (!xKey || !yKey) {
      return;
    }
    var axis = axisOf(xKey);
    var points = runs.map(function (r) {
      var y = r.summary[yKey];
      var x = cell(axis, r);
      var dim = kept && kept.indexOf(r.id) < 0;
      return {value: [x, isNumber(y) ? y : '-'], name: r.name, id: r.id,
        itemStyle: {color: r.color || '#4e79a7', opacity: dim ? 0.12 : 0.85}};
    });
    scatter.setOption({
      animation: false,
      grid: {left: 70, right: 30, top: 30, bottom: 60},
      tooltip: {trigger: 'item', formatter: function (p) {
        var enc = echarts.format.encodeHTML;
        return enc(p.name) + '<br>' + enc(xKey) + ' = ' + enc(String(p.value[0])) + '<br>' + enc(yKey) + ' = '
          + enc(String(p.value[1]));
      }},
      xAxis: {type: axis.type, data: axis.categories, name: xKey, nameLocation: 'middle', nameGap: 32, scale: true},
      yAxis: {type: 'value', name: yKey, scale: true},
      series: [{type: 'scatter', symbolSize: 9, data: points}]
    }, true);
  }

  function inRange(axis, i, row) {
    var intervals = brushes[i];
    if (!intervals || !intervals.length) {
      return true;
    }
    var v = row[i];
    if (v === '-') {
      return false;
    }
    // A category axis reports its brush in category positions: 0 for the first category, 1 for the next.
    var x = axis.type === 'category' ? axis.categories.indexOf(v) : v;  // value and log axes report values
    return intervals.some(function (iv) { return x >= Math.min(iv[0], iv[1]) && x <= Math.max(iv[0], iv[1]); });
  }

  function applyBrushes() {
    var active = Object.keys(brushes).filter(function (i) { return brushes[i] && brushes[i].length; });
    if (!active.length) {
      kept = null;
    } else {
      var rows = parallel.getOption().series[0].data;
      kept = [];
      runs.forEach(function (r, n) {
        var row = rows[n].value;
        if (active.every(function (i) { return inRange(axes[i], Number(i), row); })) {
          kept.push(r.id);
        }
      });
    }
    document.getElementById('pc-clear').disabled = !active.length;
    report();
    drawScatter();
    document.dispatchEvent(new CustomEvent('trainyard:runs-filtered', {detail: {ids: kept}}));
  }

  function report() {
    var n = kept ? kept.length : runs.length;
    section.dataset.kept = String(n);
    document.getElementById('pc-count').textContent = kept ? n + ' of ' + runs.length + ' runs within the brushes'
      : runs.length + ' run' + (runs.length === 1 ? '' : 's');
    var link = document.getElementById('pc-compare');
    var ids = (kept || runs.map(function (r) { return r.id; })).slice(0, COMPARE_MAX);
    // On the compare page, a brush narrows what is already compared: the link opens just those runs.
    var show = section.dataset.source !== 'compare' || !!kept;
    link.hidden = !show || !ids.length;
    link.href = '/compare?runs=' + ids.map(encodeURIComponent).join(',');
    link.textContent = 'Compare ' + (ids.length < n ? 'the first ' + ids.length : 'these ' + ids.length);
  }

  function clearBrushes() {
    axes.forEach(function (a, i) {
      parallel.dispatchAction({type: 'axisAreaSelect', parallelAxisId: 'pc-axis-' + i, intervals: []});
    });
    brushes = {};
    applyBrushes();
  }

  loadRuns().then(function (loaded) {
    window.__trainyardParallelReadMs = performance.now() - started;
    runs = loaded;
    var metrics = metricKeys();
    if (!runs.length) {
      empty('No runs here yet.');
      return;
    }
    if (!metrics.length) {
      empty('These runs have not logged any metrics yet.');
      return;
    }
    metric = metrics[0];
    select('pc-metric', metrics, metric).addEventListener('change', function (e) {
      metric = e.target.value;
      drawParallel();
      drawScatter();
      document.dispatchEvent(new CustomEvent('trainyard:runs-filtered', {detail: {ids: null}}));
    });
    var keys = configKeys();
    var varying = keys.filter(varies);
    if (!varying.length) {
      var note = document.getElementById('params-empty');
      note.textContent = runs.length === 1 ? 'One run: its config has nothing to vary along.'
        : 'Every run has the same config: the metric is the only axis.';
      note.hidden = false;
    }
    var xKeys = varying.concat(keys.filter(function (k) { return varying.indexOf(k) < 0; }));
    select('sc-x', xKeys, xKeys[0]).addEventListener('change', drawScatter);
    select('sc-y', metrics, metric).addEventListener('change', drawScatter);

    parallel = echarts.init(document.getElementById('parallel'), null, {renderer: 'canvas'});
    scatter = echarts.init(document.getElementById('scatter'), null, {renderer: 'canvas'});
    parallel.on('axisareaselected', function (e) {
      var i = axes.findIndex(function (a, n) { return 'pc-axis-' + n === e.parallelAxisId; });
      if (i >= 0) {
        brushes[i] = e.intervals || [];
        applyBrushes();
      }
    });
    document.getElementById('pc-clear').addEventListener('click', clearBrushes);
    window.addEventListener('resize', function () {
      parallel.resize();
      scatter.resize();
    });
    parallel.on('finished', function first() {
      parallel.off('finished', first);
      // Hooks for the benchmark and the browser tests.
      window.__trainyardParallelReady = performance.now();
      window.__trainyardParallelMs = window.__trainyardParallelReady - started;
      section.dataset.ready = 'true';
    });
    drawParallel();
    if (xKeys.length) {
      drawScatter();
    }
  }).catch(function (e) {
    empty('Could not read the runs: ' + e.message);
  });
})();
