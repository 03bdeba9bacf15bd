// Uploads a dataset with XMLHttpRequest, whose upload events give a progress bar (fetch has none),
// then reloads the list. Errors come back as problem+json and are shown as text.
(function () {
  'use strict';

  var form = document.getElementById('upload-form');
  if (!form) {
    return;
  }
  var bar = document.getElementById('upload-bar');
  var label = document.getElementById('upload-text');
  var box = document.getElementById('upload-progress');
  var error = document.getElementById('upload-error');
  var button = document.getElementById('upload-button');

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
    box.hidden = true;
    button.disabled = false;
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!form.file.files.length) {
      fail('Choose a file first.');
      return;
    }
    error.hidden = true;
    button.disabled = true;
    box.hidden = false;
    bar.value = 0;
    label.textContent = '0%';
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    var headers = Trainyard.csrfHeaders({Accept: 'application/json'});
    Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
    xhr.upload.addEventListener('progress', function (p) {
      if (p.lengthComputable) {
        var percent = Math.round(100 * p.loaded / p.total);
        bar.value = percent;
        label.textContent = percent + '% of ' + Math.round(p.total / 1024) + ' KB';
      }
    });
    xhr.addEventListener('load', function () {
      var body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch (ignored) {
        // not JSON: the status says enough
      }
      if (xhr.status === 201) {
        bar.value = 100;
        label.textContent = 'Uploaded ' + body.name + '.';
        window.location.reload();
      } else {
        var fields = Array.isArray(body.errors) ? body.errors.map(function (f) { return f.field + ': ' + f.message; }) : [];
        fail('Upload failed: ' + (fields.length ? fields.join('; ') : body.detail || body.title || 'HTTP ' + xhr.status));
      }
    });
    xhr.addEventListener('error', function () { fail('Upload failed: the connection dropped.'); });
    xhr.send(new FormData(form));
  });
})();
