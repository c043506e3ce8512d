// Progressive enhancement only: every page works without it.
(function () {
  'use strict';
  // "Upload a YAML file": the chosen file's text goes into the form's text box, which is what is posted.
  document.addEventListener('change', function (e) {
    var t = e.target;
    if (!t.matches || !t.matches('input[type=file][data-fill]') || !t.files || !t.files.length) {
      return;
    }
    var file = t.files[0];
    file.text().then(function (text) {
      document.getElementById(t.dataset.fill).value = text;
      var name = document.getElementById(t.dataset.name);
      if (name) {
        name.value = file.name;
      }
    });
  });
}());
