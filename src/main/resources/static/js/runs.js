// The runs table, live: each project's SSE stream sends a run's whole view whenever it changes, and
// the row follows it (badge, progress, ETA, metrics, duration). New runs that match the filters go on
// top of the first page of the default order; otherwise a notice offers a refresh. Text only via textContent.
(function () {
  'use strict';

  var root = document.getElementById('main');
  var T = window.Trainyard;
  if (!root || !T) {
    return;
  }
  var table = document.getElementById('runs-table');
  var columns = table ? Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
    return {col: th.dataset.col, metric: th.dataset.metric, config: th.dataset.config};
  }) : [];
  var filters = {
    state: root.dataset.stateFilter || null,
    model: root.dataset.modelFilter || null,
    tag: root.dataset.tagFilter || null,
    q: root.dataset.qFilter || null,
    project: root.dataset.project || null
  };
  // Conditions on config values and summaries are the server's to check, and a grouped table has no top.
  var conditions = !!root.dataset.conditions;
  var onTop = root.dataset.sort === 'createdAt,desc' && root.dataset.page === '0' && !conditions && !root.dataset.grouped;
  var unseen = 0;

  function rows() {
    // a grouped table's group rows are headings, not runs
    return table ? Array.prototype.slice.call(table.tBodies[0].rows).filter(function (r) { return !!r.dataset.run; }) : [];
  }

  function rowOf(id) {
    return rows().filter(function (r) { return r.dataset.run === id; })[0] || null;
  }

  function cell(row, col, metric) {
    for (var i = 0; i < columns.length; i++) {
      if (columns[i].col === col && (metric == null || columns[i].metric === metric)) {
        return row.cells[i];
      }
    }
    return null;
  }

  function modelOf(run) {
    return run.job ? String(run.job.model) : 'external';
  }

  function matches(run) {
    return (!filters.project || run.project === filters.project || run.projectName === filters.project)
      && (!filters.state || run.state === filters.state)
      && (!filters.model || modelOf(run) === filters.model)
      && (!filters.tag || (run.tags || []).indexOf(filters.tag) >= 0)
      && (!filters.q || run.name.toLowerCase().indexOf(filters.q.toLowerCase()) >= 0);
  }

  // A dotted config key, as the server flattens nested config ({optimizer: {lr: 1}} is optimizer.lr).
  function configValue(config, key) {
    if (!config) {
      return '';
    }
    if (Object.prototype.hasOwnProperty.call(config, key)) {
      var v = config[key];
      return v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    }
    var dot = key.indexOf('.');
    while (dot > 0) {
      var head = key.substring(0, dot);
      if (config[head] && typeof config[head] === 'object') {
        var found = configValue(config[head], key.substring(dot + 1));
        if (found !== '') {
          return found;
        }
      }
      dot = key.indexOf('.', dot + 1);
    }
    return '';
  }

  function link(href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    return a;
  }

  function progressCell(td, run) {
    var p = run.job && run.job.progress;
    if (!p) {
      return;
    }
    var box = td.querySelector('.progress-cell');
    if (!box) {
      box = document.createElement('div');
      box.className = 'progress-cell';
      box.appendChild(document.createElement('progress'));
      var text = document.createElement('span');
      text.className = 'progress-text';
      var eta = document.createElement('span');
      eta.className = 'eta muted';
      box.appendChild(text);
      box.appendChild(document.createTextNode(' '));
      box.appendChild(eta);
      td.appendChild(box);
    }
    // events stored before the rename to steps say epoch/epochs
    var step = (p.step != null ? p.step : p.epoch) || 0;
    var steps = (p.steps != null ? p.steps : p.epochs) || 0;
    box.querySelector('progress').max = steps;
    box.querySelector('progress').value = step;
    box.querySelector('.progress-text').textContent = 'step ' + step + ' / ' + steps;
    box.querySelector('.eta').textContent = run.state === 'RUNNING' && p.etaSeconds != null ? 'ETA ' + T.duration(p.etaSeconds) : '';
  }

  function durationText(row) {
    var started = row.dataset.started ? Date.parse(row.dataset.started) : NaN;
    if (isNaN(started)) {
      return '';
    }
    var ended = row.dataset.ended ? Date.parse(row.dataset.ended) : Date.now();
    return T.duration((ended - started) / 1000);
  }

  function tagList(run) {
    var list = document.createElement('ul');
    list.className = 'tags inline';
    (run.tags || []).forEach(function (t) {
      var li = document.createElement('li');
      li.textContent = t;
      list.appendChild(li);
    });
    return list;
  }

  function update(row, run) {
    row.dataset.state = run.state;
    row.dataset.started = run.startedAt || '';
    row.dataset.ended = run.endedAt || '';
    var name = cell(row, 'name');
    name.querySelector('a').textContent = run.name;
    var oldTags = name.querySelector('ul');
    if (oldTags) {
      name.removeChild(oldTags);
    }
    if (run.tags && run.tags.length) {
      name.appendChild(tagList(run));
    }
    var badge = cell(row, 'state').querySelector('.badge');
    T.setBadge(badge, run.state);
    progressCell(cell(row, 'progress'), run);
    columns.forEach(function (c, i) {
      if (c.col === 'metric') {
        var v = run.summary ? run.summary[c.metric] : undefined;
        row.cells[i].textContent = v === undefined ? '' : T.number(v);
      }
    });
    cell(row, 'duration').textContent = durationText(row);
  }

  function newRow(run) {
    var row = document.createElement('tr');
    row.dataset.run = run.id;
    columns.forEach(function (c) {
      var td = document.createElement('td');
      if (c.col === 'select') {
        var box = document.createElement('input');
        box.type = 'checkbox';
        box.name = 'runs';
        box.value = run.id;
        box.setAttribute('aria-label', 'Select ' + run.name);
        td.appendChild(box);
      } else if (c.col === 'name') {
        td.className = 'name';
        td.appendChild(link('/runs/' + encodeURIComponent(run.id), run.name));
      } else if (c.col === 'project') {
        td.appendChild(link('/projects/' + encodeURIComponent(run.project), (run.entity ? run.entity + ' / ' : '') + (run.projectName || run.project)));
      } else if (c.col === 'model') {
        td.textContent = modelOf(run);
      } else if (c.col === 'state') {
        td.appendChild(T.badge(run.state));
      } else if (c.col === 'metric' || c.col === 'summary' || c.col === 'duration') {
        td.className = 'num' + (c.col === 'duration' ? ' duration' : '');
      } else if (c.col === 'config') {
        td.className = 'config';
        td.textContent = configValue(run.config, c.config);
      } else if (c.col === 'created') {
        var time = document.createElement('time');
        T.localTime(time, run.createdAt);
        td.appendChild(time);
      }
      row.appendChild(td);
    });
    update(row, run);
    return row;
  }

  function onRun(run) {
    var row = rowOf(run.id);
    if (row) {
      update(row, run);
      return;
    }
    if (!matches(run)) {
      return;
    }
    if (table && onTop) {
      table.tBodies[0].insertBefore(newRow(run), table.tBodies[0].firstChild);
      return;
    }
    unseen++;
    var notice = document.getElementById('new-runs');
    notice.querySelector('span').textContent = conditions
      ? unseen + (unseen === 1 ? ' new run; refresh to see whether it matches.' : ' new runs; refresh to see which match.')
      : unseen + (unseen === 1 ? ' new run matches.' : ' new runs match.');
    notice.querySelector('a').href = window.location.href;
    notice.hidden = false;
  }

  function onDeleted(d) {
    var row = rowOf(d.id);
    if (row) {
      row.parentNode.removeChild(row);
      selection();
    }
  }

  // Changes between rendering the page and the stream's opening are read back once it is open.
  function reconcile() {
    rows().filter(function (r) { return !T.isTerminal(r.dataset.state); }).forEach(function (r) {
      T.getJson('/api/v1/runs/' + encodeURIComponent(r.dataset.run)).then(function (run) { update(r, run); })
        .catch(function (p) {
          if (p && p.status === 404) {
            onDeleted({id: r.dataset.run});
          }
        });
    });
  }

  function selection() {
    var button = document.getElementById('compare-button');
    if (!button) {
      return;
    }
    var boxes = rows().map(function (r) { return r.cells[0].querySelector('input'); }).filter(Boolean);
    var chosen = boxes.filter(function (b) { return b.checked; }).length;
    button.disabled = chosen === 0;
    document.getElementById('selected-count').textContent = chosen === 0 ? 'Select runs to compare them.'
      : chosen + ' selected';
    var all = document.getElementById('select-all');
    all.checked = chosen > 0 && chosen === boxes.length;
    all.indeterminate = chosen > 0 && chosen < boxes.length;
  }

  if (table) {
    table.addEventListener('change', function (e) {
      if (e.target.id === 'select-all') {
        rows().forEach(function (r) {
          var box = r.cells[0].querySelector('input');
          if (box) {
            box.checked = e.target.checked;
          }
        });
      }
      selection();
    });
    selection();
    // Running rows' durations tick between events.
    setInterval(function () {
      rows().filter(function (r) { return r.dataset.state === 'RUNNING'; }).forEach(function (r) {
        cell(r, 'duration').textContent = durationText(r);
      });
    }, 1000);
  }

  (root.dataset.liveProjects || '').split(',').filter(Boolean).forEach(function (slug) {
    T.stream('/api/v1/projects/' + encodeURIComponent(slug) + '/events', null, {run: onRun, deleted: onDeleted}, reconcile);
  });
})();
