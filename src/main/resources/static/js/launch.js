// The launch form: switching the model swaps the defaults the user has not changed and disables what
// seed-rnn does not take; the memory-horizon form posts a sweep with the same hyper-parameters.
(function () {
  'use strict';

  var form = document.getElementById('launch-form');
  if (!form) {
    return;
  }
  // form.dataset would be the <select name="dataset">: a form's named controls shadow its properties.
  var SEED_RNN = form.getAttribute('data-seed-rnn');
  var SEED_DATASET = form.getAttribute('data-seed-dataset');
  var BUILTIN_DATASET = form.getAttribute('data-builtin-dataset');
  var model = form.elements.namedItem('model');
  var dataset = form.elements.namedItem('dataset');
  var params = Array.prototype.filter.call(form.elements, function (el) { return el.dataset.seedRnn != null; });
  var current = model.value;

  function defaultOf(el, m) {
    // An empty default (none, or not taken) leaves the data attribute out altogether.
    return (m === SEED_RNN ? el.dataset.seedDefault : el.dataset.default) || '';
  }

  function defaultDataset(m) {
    return m === SEED_RNN ? SEED_DATASET : BUILTIN_DATASET;
  }

  function applyModel(next, swap) {
    var seed = next === SEED_RNN;
    params.forEach(function (el) {
      if (swap && el.value === defaultOf(el, current)) {
        el.value = defaultOf(el, next);
      }
      el.disabled = seed && el.dataset.seedRnn === 'false';
      el.closest('.field').classList.toggle('off', el.disabled);
    });
    // seed-rnn trains on seed-sentence or memorize:N only.
    Array.prototype.forEach.call(dataset.options, function (o) {
      o.disabled = seed && o.value !== SEED_DATASET && o.value !== 'memorize';
    });
    if (swap && dataset.value === defaultDataset(current) || dataset.selectedOptions[0] && dataset.selectedOptions[0].disabled) {
      dataset.value = defaultDataset(next);
    }
    current = next;
    showMemorize();
  }

  function showMemorize() {
    document.getElementById('memorize-row').hidden = dataset.value !== 'memorize';
  }

  model.addEventListener('change', function () { applyModel(model.value, true); });
  dataset.addEventListener('change', showMemorize);
  applyModel(current, false);

  var horizon = document.getElementById('horizon-form');
  horizon.addEventListener('submit', function (e) {
    e.preventDefault();
    var error = document.getElementById('horizon-error');
    var lengthsError = document.getElementById('lengths-error');
    error.hidden = true;
    lengthsError.hidden = true;
    var lengths = horizon.elements.namedItem('lengths').value.split(/[\s,;]+/).filter(Boolean).map(Number);
    if (!lengths.length || lengths.some(function (n) { return !Number.isInteger(n); })) {
      lengthsError.textContent = 'enter whole numbers separated by commas';
      lengthsError.hidden = false;
      return;
    }
    var models = Array.prototype.filter.call(horizon.querySelectorAll('input[name="models"]'), function (b) { return b.checked; })
      .map(function (b) { return b.value; });
    if (!models.length) {
      error.textContent = 'Pick at least one model.';
      error.hidden = false;
      return;
    }
    // Each model starts from its own defaults: only the main form's fields the user changed from the defaults of
    // the model shown go into the base (seed-rnn's hidden 35 and mse are not the char models' settings), then the
    // launcher's own fields. The base's model is one the sweep runs, so the spec's seed-rnn checks apply exactly
    // when they should; each run then sets its own model and dataset.
    var base = {model: models.filter(function (m) { return m !== SEED_RNN; })[0] || SEED_RNN};
    var bad = [];
    function put(name, text, choice) {
      if (choice) {
        base[name] = text;
      } else if (isNaN(Number(text))) {
        bad.push(name + ' must be a number');
      } else {
        base[name] = Number(text);
      }
    }
    params.forEach(function (el) {
      var text = el.value.trim();
      if (!text || text === defaultOf(el, current) || (base.model === SEED_RNN && el.dataset.seedRnn === 'false')) {
        return;
      }
      put(el.name, text, el.tagName === 'SELECT');
    });
    [['steps', 'horizon-steps'], ['hidden', 'horizon-hidden'], ['batchSize', 'horizon-batch']].forEach(function (f) {
      var text = horizon.elements.namedItem(f[1]).value.trim();
      if (text && !(base.model === SEED_RNN && f[0] === 'batchSize')) {
        put(f[0], text, false);
      }
    });
    var seeds = horizon.elements.namedItem('seeds').value.split(/[\s,;]+/).filter(Boolean).map(Number);
    if (seeds.some(function (n) { return !Number.isInteger(n) || n < 0; })) {
      bad.push('seeds must be whole numbers');
    }
    if (bad.length) {
      error.textContent = 'Fix the hyper-parameters: ' + bad.join('; ');
      error.hidden = false;
      return;
    }
    var body = {project: form.elements.namedItem('project').value.trim() || 'default', models: models, lengths: lengths,
      task: horizon.elements.namedItem('task').value, base: base};
    if (seeds.length) {
      body.seeds = seeds;
    }
    if (horizon.elements.namedItem('name').value.trim()) {
      body.name = horizon.elements.namedItem('name').value.trim();
    }
    var button = document.getElementById('horizon-button');
    button.disabled = true;
    window.Trainyard.sendJson('POST', horizon.dataset.api, body).then(function (sweep) {
      window.location.assign(horizon.dataset.sweepUrl + encodeURIComponent(sweep.id));
    }).catch(function (p) {
      var lengthProblems = p.fields.filter(function (f) { return f.field.indexOf('lengths') === 0; });
      if (lengthProblems.length) {
        lengthsError.textContent = lengthProblems.map(function (f) { return f.message; }).join('; ');
        lengthsError.hidden = false;
      }
      error.textContent = p.fields.length ? p.fields.map(function (f) { return f.field + ': ' + f.message; }).join('; ') : p.detail;
      error.hidden = false;
    }).finally(function () { button.disabled = false; });
  });
})();
