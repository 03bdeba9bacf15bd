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

  /** A figure for a metric key, with a caption and a canvas, put in key order into container; returns the canvas. */
  function chartFigure(container, caption, extra) {
    var figure = document.createElement('figure');
    figure.dataset.key = caption;
    var figcaption = document.createElement('figcaption');
    var title = document.createElement('span');
    title.textContent = caption;
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
    var next = Array.prototype.find.call(container.children, function (f) {
      return f.dataset.key != null && keyRank(f.dataset.key) > keyRank(caption);
    });
    container.insertBefore(figure, next || null);
    return canvas;
  }

  /** A series of one point has no line to show, so it gets a dot. */
  function dots(dataset) {
    var radius = dataset.data.length === 1 ? 3 : 0;
    if (dataset.pointRadius !== radius) {
      dataset.pointRadius = radius;
    }
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
