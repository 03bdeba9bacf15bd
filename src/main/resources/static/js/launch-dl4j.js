// The dl4j launch form: a template fills the JSON and picks its table; a table lists its columns for the label.
(function () {
  'use strict';

  var form = document.getElementById('dl4j-form');
  if (!form) {
    return;
  }
  var template = form.elements.namedItem('template');
  var network = form.elements.namedItem('network');
  // form.dataset would be the <select name="dataset">: a form's named controls shadow its properties.
  var table = form.elements.namedItem('dataset');
  var label = form.elements.namedItem('label');
  var task = form.elements.namedItem('task');

  function showColumns(fillLabel) {
    var option = table.selectedOptions[0];
    if (!option) {
      return;
    }
    var columns = (option.getAttribute('data-columns') || '').split(',').filter(Boolean);
    document.getElementById('columns').textContent = columns.join(', ');
    var list = document.getElementById('label-columns');
    list.textContent = '';
    columns.forEach(function (c) {
      var o = document.createElement('option');
      o.value = c;
      list.appendChild(o);
    });
    if (fillLabel) {
      label.value = option.getAttribute('data-label') || '';
      task.value = option.getAttribute('data-task') || '';
    }
  }

  template.addEventListener('change', function () {
    var json = document.querySelector('.template-json[data-template="' + template.value + '"]');
    if (!json) {
      return;
    }
    network.value = json.textContent;
    var dataset = template.selectedOptions[0].getAttribute('data-dataset');
    if (dataset) {
      table.value = dataset;
      showColumns(true);
    }
  });
  network.addEventListener('input', function () { template.value = ''; });
  table.addEventListener('change', function () { showColumns(true); });
  showColumns(false);
})();
