// Helpers shared by the live pages: number and duration formats (the same as the server's), state
// badges, resumable SSE streams, problem+json errors and the charts' look. Everything that reaches
// the page goes through textContent or Chart.js, never innerHTML.
(function () {
  'use strict';

  var TERMINAL = ['FINISHED', 'FAILED', 'CANCELLED'];

  // "NaN" and "±Infinity" arrive as strings; Chart.js draws NaN as a gap, and an infinity would wreck the scale.
  function toNumber(value) {
    var n = typeof value === 'number' ? value : Number(value);
    return isFinite(n) ? n : NaN;
  }

  /** What a value that cannot be drawn is: 'NaN', 'Infinity' or '-Infinity'; null for a finite number. */
  function nonFinite(value) {
    var n = typeof value === 'number' ? value : Number(value);
    if (isFinite(n)) {
      return null;
    }
    return isNaN(n) ? 'NaN' : (n > 0 ? 'Infinity' : '-Infinity');
  }

  /**
   * A chart point of a logged value: y is NaN (a gap) for a value that cannot be drawn, and nf says
   * which it was, so the non-finite plugin below can mark the gap. step is what the note names.
   */
  function point(x, value, step) {
    return {x: x, y: toNumber(value), nf: nonFinite(value), step: step};
  }

  // Java's "%.4g", as DashboardController.number() writes it, so a live update keeps the cell's shape.
  function number(value) {
    if (value == null) {
      return '';
    }
    var n = typeof value === 'number' ? value : Number(value);
    if (!isFinite(n)) {
      return isNaN(n) ? 'NaN' : (n > 0 ? 'Infinity' : '-Infinity');
    }
    var abs = Math.abs(n);
    if (abs !== 0 && (abs < 1e-4 || Number(abs.toPrecision(4)) >= 1e4)) {
      return n.toExponential(3).replace(/e([+-])(\d)$/, 'e$10$2');
    }
    return n.toPrecision(4);
  }

  function duration(seconds) {
    seconds = Math.max(0, seconds);
    if (seconds < 10) {
      return seconds.toFixed(1) + 's'; // a 1.4 s run reads 1.4s, not 1s or 0s
    }
    seconds = Math.round(seconds);
    if (seconds < 60) {
      return seconds + 's';
    }
    if (seconds < 3600) {
      return Math.floor(seconds / 60) + 'm ' + seconds % 60 + 's';
    }
    return Math.floor(seconds / 3600) + 'h ' + Math.floor(seconds % 3600 / 60) + 'm';
  }

  function isTerminal(state) {
    return TERMINAL.indexOf(state) >= 0;
  }

  // The class comes from a known state name only; anything else gets the neutral colour.
  function setBadge(badge, state) {
    var known = ['QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED', 'CRASHED'].indexOf(state) >= 0;
    badge.className = 'badge' + (known ? ' state-' + state.toLowerCase() : '');
    badge.textContent = state;
  }

  function badge(state) {
    var span = document.createElement('span');
    setBadge(span, state);
    return span;
  }

  /**
   * One EventSource on url. The browser reconnects by itself after a drop and sends Last-Event-ID,
   * so the server resumes with no gap. If the server refused the connection (the EventSource is
   * then closed for good), this opens a new one with ?lastEventId= of the last event seen.
   * listeners: event name -> function(data, event). onOpen runs on every (re)connection.
   */
  function stream(url, lastEventId, listeners, onOpen) {
    var last = lastEventId == null || lastEventId === '' ? null : String(lastEventId);
    var source = null;
    var stopped = false;
    var retry = 1000;

    function open() {
      var target = last == null ? url : url + (url.indexOf('?') < 0 ? '?' : '&') + 'lastEventId=' + encodeURIComponent(last);
      source = new EventSource(target);
      Object.keys(listeners).forEach(function (name) {
        source.addEventListener(name, function (e) {
          if (e.lastEventId) {
            last = e.lastEventId;
          }
          var data;
          try {
            data = JSON.parse(e.data);
          } catch (ignored) {
            return;
          }
          listeners[name](data, e);
        });
      });
      source.onopen = function () {
        retry = 1000;
        if (onOpen) {
          onOpen();
        }
      };
      source.onerror = function () {
        if (source.readyState === EventSource.CLOSED && !stopped) {
          setTimeout(function () {
            if (!stopped) {
              open();
            }
          }, retry);
          retry = Math.min(retry * 2, 30000);
        }
      };
    }

    open();
    return {
      close: function () {
        stopped = true;
        if (source) {
          source.close();
        }
      }
    };
  }

  /** The message of an error response: problem+json's detail and field errors, or the status. */
  function problem(res) {
    return res.json().catch(function () { return {}; }).then(function (body) {
      var fields = Array.isArray(body.errors) ? body.errors : [];
      return {
        status: res.status,
        detail: body.detail || body.title || ('HTTP ' + res.status),
        fields: fields.filter(function (f) { return f && f.field; })
      };
    });
  }

  function getJson(url) {
    return fetch(url, {headers: {Accept: 'application/json'}}).then(function (res) {
      if (!res.ok) {
        return problem(res).then(function (p) { throw p; });
      }
      return res.json();
    });
  }

  /** In team mode the page carries a CSRF token; every change sent with the session cookie must echo it. */
  function csrfHeaders(headers) {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      headers[header.content] = token.content;
    }
    return headers;
  }

  function sendJson(method, url, body) {
    return fetch(url, {
      method: method,
      headers: csrfHeaders({'Content-Type': 'application/json', Accept: 'application/json'}),
      body: body == null ? undefined : JSON.stringify(body)
    }).then(function (res) {
      if (!res.ok) {
        return problem(res).then(function (p) { throw p; });
      }
      return res.status === 204 ? null : res.json().catch(function () { return null; });
    });
  }

  var css = getComputedStyle(document.documentElement);

  function cssVar(name, fallback) {
    return css.getPropertyValue(name).trim() || fallback;
  }

  if (typeof Chart !== 'undefined') {
    Chart.defaults.color = cssVar('--muted', '#666');
    Chart.defaults.borderColor = cssVar('--grid', 'rgba(0,0,0,0.1)');
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  }

  /** The options every line chart here shares: no animation, pre-parsed {x, y} points, no dots. */
  function lineOptions(xTitle) {
    return {
      animation: false,
      parsing: false,     // points are already {x, y}: no per-update parsing of a long series
      normalized: true,   // x only ever grows within a dataset
      maintainAspectRatio: false,
      interaction: {mode: 'nearest', axis: 'x', intersect: false},
      elements: {point: {radius: 0, hitRadius: 4}, line: {borderWidth: 1.5}},
      scales: {x: {type: 'linear', title: {display: true, text: xTitle}}, y: {type: 'linear'}},
      plugins: {legend: {display: false}}
    };
  }

  // Charts go in the same order as the server lists keys: loss, accuracy, then alphabetical.
  function keyRank(key) {
    return key === 'loss' ? '0' : key === 'accuracy' ? '1' : '2' + key;
  }

  /** The prefix a key is grouped under: "train" for "train/loss"; null for a key without a slash. */
  function prefixOf(key) {
    var slash = key.indexOf('/');
    return slash > 0 ? key.substring(0, slash) : null;
  }

  // System metrics are many and rarely looked at, so their section starts closed.
  var CLOSED_SECTIONS = ['system'];

  /** The collapsible section of container for keys under prefix, made in prefix order after the loose charts. */
  function section(container, prefix) {
    var children = Array.prototype.slice.call(container.children);
    var existing = children.find(function (c) { return c.classList.contains('chart-section') && c.dataset.prefix === prefix; });
    if (existing) {
      return existing.querySelector('.charts');
    }
    var details = document.createElement('details');
    details.className = 'chart-section';
    details.dataset.prefix = prefix;
    details.open = CLOSED_SECTIONS.indexOf(prefix) < 0;
    var summary = document.createElement('summary');
    summary.textContent = prefix + '/';
    var count = document.createElement('span');
    count.className = 'muted chart-count';
    summary.appendChild(document.createTextNode(' '));
    summary.appendChild(count);
    var grid = document.createElement('div');
    grid.className = 'charts';
    details.appendChild(summary);
    details.appendChild(grid);
    var next = children.find(function (c) { return c.classList.contains('chart-section') && c.dataset.prefix > prefix; });
    container.insertBefore(details, next || null);
    return grid;
  }

  /**
   * A figure for a metric key, with a caption and a canvas, put in key order into container; returns
   * the canvas. A key with a slash goes into its prefix's section. The caption is clipped to its
   * card, so a long key shows whole on hover (its title) rather than spilling into the next card.
   */
  function chartFigure(container, caption, extra) {
    var prefix = prefixOf(caption);
    var grid = prefix == null ? container : section(container, prefix);
    var figure = document.createElement('figure');
    figure.dataset.key = caption;
    var figcaption = document.createElement('figcaption');
    var title = document.createElement('span');
    title.className = 'chart-title';
    title.textContent = caption;
    title.title = caption;
    figcaption.appendChild(title);
    if (extra) {
      figcaption.appendChild(extra);
    }
    var box = document.createElement('div');
    box.className = 'chart-box';
    var canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Chart of ' + caption);
    box.appendChild(canvas);
    figure.appendChild(figcaption);
    figure.appendChild(box);
    var next = Array.prototype.find.call(grid.children, function (f) {
      return f.classList.contains('chart-section') || f.dataset.key != null && keyRank(f.dataset.key) > keyRank(caption);
    });
    grid.insertBefore(figure, next || null);
    if (prefix != null) {
      grid.parentNode.querySelector('.chart-count').textContent = '(' + grid.children.length + ')';
    }
    return canvas;
  }

  function finiteAt(data, i) {
    return i >= 0 && i < data.length && data[i] != null && isFinite(data[i].y) && isFinite(data[i].x);
  }

  // A point with no drawable neighbour has no line through it: a single point, or one between gaps
  // (0.93 then NaN), which would otherwise leave an empty chart. It gets a marker.
  function isolatedRadius(ctx) {
    var data = ctx.dataset.data;
    var i = ctx.dataIndex;
    return finiteAt(data, i) && !finiteAt(data, i - 1) && !finiteAt(data, i + 1) ? 3 : 0;
  }

  /** Marks the dataset's isolated points (see isolatedRadius); cheap to call after every change. */
  function dots(dataset) {
    if (dataset.pointRadius !== isolatedRadius) {
      dataset.pointRadius = isolatedRadius;
    }
  }

  var NON_FINITE_SIGN = {NaN: '\u00d7', Infinity: '\u25b2', '-Infinity': '\u25bc'};
  var NON_FINITE_SHOWN = 3;

  function nonFiniteNote(chart) {
    var seen = {};
    chart.data.datasets.forEach(function (ds, i) {
      if (!chart.isDatasetVisible(i)) {
        return;
      }
      ds.data.forEach(function (p) {
        if (p && p.nf) {
          (seen[p.nf] = seen[p.nf] || []).push(p.step != null ? p.step : p.x);
        }
      });
    });
    return ['NaN', 'Infinity', '-Infinity'].filter(function (k) { return seen[k]; }).map(function (k) {
      var at = seen[k];
      var listed = at.slice(0, NON_FINITE_SHOWN).join(', ') + (at.length > NON_FINITE_SHOWN ? ', \u2026' : '');
      return NON_FINITE_SIGN[k] + ' ' + (k === 'Infinity' ? '+Infinity' : k) + ' at step' + (at.length > 1 ? 's ' : ' ') + listed
        + (at.length > NON_FINITE_SHOWN ? ' (' + at.length + ' points)' : '');
    }).join('; ');
  }

  /**
   * NaN and ±Infinity cannot be drawn: the line has a gap there, and this plugin marks each gap with
   * a dashed line and a sign (× NaN at the top, ▲ +Infinity at the top, ▼ -Infinity at the bottom),
   * and writes a note under the chart naming the steps, so a series of nothing but NaN still shows.
   */
  var nonFinitePlugin = {
    id: 'trainyardNonFinite',
    afterUpdate: function (chart) {
      var figure = chart.canvas.closest('figure');
      if (!figure) {
        return;
      }
      var text = nonFiniteNote(chart);
      var note = figure.querySelector('.chart-note');
      if (!note && text) {
        note = document.createElement('p');
        note.className = 'chart-note';
        note.setAttribute('role', 'note');
        figure.appendChild(note);
      }
      if (note && note.textContent !== text) {
        note.textContent = text;
        note.hidden = !text;
      }
    },
    afterDatasetsDraw: function (chart) {
      var area = chart.chartArea;
      var x = chart.scales.x;
      if (!area || !x) {
        return;
      }
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = '12px ' + Chart.defaults.font.family;
      ctx.textAlign = 'center';
      chart.data.datasets.forEach(function (ds, i) {
        if (!chart.isDatasetVisible(i)) {
          return;
        }
        var color = typeof ds.borderColor === 'string' ? ds.borderColor : '#d62728';
        ds.data.forEach(function (p) {
          if (!p || !p.nf) {
            return;
          }
          var px = x.getPixelForValue(p.x);
          if (!isFinite(px) || px < area.left - 1 || px > area.right + 1) {
            return;
          }
          ctx.strokeStyle = color;
          ctx.globalAlpha = 0.5;
          ctx.setLineDash([3, 3]);
          ctx.beginPath();
          ctx.moveTo(px, area.top);
          ctx.lineTo(px, area.bottom);
          ctx.stroke();
          ctx.globalAlpha = 1;
          ctx.fillStyle = color;
          var low = p.nf === '-Infinity';
          ctx.textBaseline = low ? 'bottom' : 'top';
          ctx.fillText(NON_FINITE_SIGN[p.nf], px, low ? area.bottom - 1 : area.top + 1);
        });
      });
      ctx.restore();
    }
  };

  if (typeof Chart !== 'undefined') {
    Chart.register(nonFinitePlugin);
  }

  /** Rewrites <time datetime> elements under root in the browser's zone (local-time.js does the page). */
  function localTime(el, iso) {
    el.dateTime = iso;
    var date = new Date(iso);
    el.title = iso;
    el.textContent = isNaN(date.getTime()) ? iso : date.toLocaleString();
  }

  window.Trainyard = {
    TERMINAL: TERMINAL,
    toNumber: toNumber,
    nonFinite: nonFinite,
    point: point,
    number: number,
    duration: duration,
    isTerminal: isTerminal,
    setBadge: setBadge,
    badge: badge,
    stream: stream,
    problem: problem,
    getJson: getJson,
    sendJson: sendJson,
    csrfHeaders: csrfHeaders,
    cssVar: cssVar,
    lineOptions: lineOptions,
    chartFigure: chartFigure,
    dots: dots,
    localTime: localTime
  };
})();
