// The run page's Logs tab and System section. The log is read once (its newest lines) and then
// tailed from the run's own SSE stream: run.js passes each 'log' event on as a 'trainyard:log'
// document event, so the page keeps one stream. Lines carry their seq, so what the first read and
// the stream both hold is shown once. Text goes in only through textContent.
(function () {
  'use strict';

  var root = document.getElementById('main');
  var T = window.Trainyard;
  var panel = document.getElementById('logs-panel');
  if (!root || !T || !panel) {
    return;
  }
  var api = root.dataset.api;
  var FIRST_READ = 1000;
  // The browser keeps this many lines; the rest stay on the server (GET .../logs pages through them).
  var MAX_SHOWN = 5000;
  var out = document.getElementById('logs');
  var follow = document.getElementById('logs-follow');
  var status = document.getElementById('logs-status');
  var droppedNote = document.getElementById('logs-dropped');
  var empty = document.getElementById('logs-empty');
  var count = document.getElementById('logs-count');
  var tabs = {overview: document.getElementById('tab-overview'), logs: document.getElementById('tab-logs')};
  var lastSeq = 0;
  var shown = 0;
  var loaded = false;
  var early = [];   // stream events that came before the first read answered
  var grouped = function (n) { return Number(n).toLocaleString('en'); };

  function select(name) {
    Object.keys(tabs).forEach(function (k) { tabs[k].setAttribute('aria-selected', String(k === name)); });
    panel.hidden = name !== 'logs';
    if (name === 'logs') {
      root.dataset.tab = 'logs';
      if (follow.checked) {
        out.scrollTop = out.scrollHeight;
      }
    } else {
      delete root.dataset.tab;
    }
    if ((window.location.hash === '#logs') !== (name === 'logs')) {
      history.replaceState(null, '', name === 'logs' ? '#logs' : window.location.pathname + window.location.search);
    }
  }

  function append(lines) {
    var atBottom = out.scrollHeight - out.scrollTop - out.clientHeight < 24;
    var fragment = document.createDocumentFragment();
    lines.forEach(function (l) {
      if (l.seq <= lastSeq) {
        return; // already shown: the first read and the stream overlap
      }
      lastSeq = l.seq;
      var span = document.createElement('span');
      span.className = 'log-line ' + (l.stream === 'stderr' ? 'stderr' : 'stdout');
      span.dataset.seq = l.seq;
      span.title = l.time;
      span.textContent = l.text + '\n';
      fragment.appendChild(span);
      shown++;
    });
    out.appendChild(fragment);
    while (shown > MAX_SHOWN) {
      out.removeChild(out.firstChild);
      shown--;
    }
    if (follow.checked && (atBottom || !panel.hidden)) {
      out.scrollTop = out.scrollHeight;
    }
  }

  function showCounts(page) {
    lastPage = page;
    var dropped = page.dropped || 0;
    droppedNote.hidden = dropped === 0;
    droppedNote.textContent = dropped === 0 ? '' : grouped(dropped) + ' older line' + (dropped === 1 ? ' was' : 's were')
      + ' dropped to keep this run\'s log within its limit; the newest are kept.';
    var total = Math.max(lastSeq, page.lastSeq || 0);
    count.textContent = total ? '(' + grouped(total) + ')' : '';
    empty.hidden = total > 0;
    status.textContent = total ? grouped(total) + ' line' + (total === 1 ? '' : 's')
      + (T.isTerminal(root.dataset.state) ? '' : ', live') : (T.isTerminal(root.dataset.state) ? '' : 'Waiting for lines…');
  }

  function onLog(page) {
    if (!loaded) {
      early.push(page);
      return;
    }
    append(page.lines || []);
    showCounts(page);
  }

  document.addEventListener('trainyard:log', function (e) { onLog(e.detail); });
  // run.js keeps data-state current; once the run ends the status stops saying "live".
  var lastPage = {dropped: 0, lastSeq: 0};
  new MutationObserver(function () { showCounts(lastPage); }).observe(root, {attributes: true, attributeFilter: ['data-state']});
  tabs.overview.addEventListener('click', function () { select('overview'); });
  tabs.logs.addEventListener('click', function () { select('logs'); });
  window.addEventListener('hashchange', function () { select(window.location.hash === '#logs' ? 'logs' : 'overview'); });
  select(window.location.hash === '#logs' ? 'logs' : 'overview');

  T.getJson(api + '/logs?tail=' + FIRST_READ).then(function (page) {
    append(page.lines || []);
    showCounts(page);
  }).catch(function (p) {
    status.textContent = 'Could not read the log: ' + ((p && p.detail) || 'the server did not answer');
  }).finally(function () {
    loaded = true;
    early.forEach(onLog);
    early = [];
  });

  // run.js draws system/... charts into #system-charts; the section shows once it holds one.
  var system = document.getElementById('system-section');
  var systemCharts = document.getElementById('system-charts');
  if (system && systemCharts) {
    var reveal = function () {
      if (systemCharts.children.length) {
        system.hidden = false;
      }
    };
    new MutationObserver(reveal).observe(systemCharts, {childList: true});
    reveal();
  }
})();
