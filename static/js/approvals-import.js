// Progressive enhancement only: without this file the import works the same, and the
// page answers with the result when the import is done. With it, the page that sent the
// file shows how far the import has come while the browser waits for that answer: it
// asks the progress address (the form's data-progress-url) until the import is done.
(function () {
  "use strict";
  var form = document.querySelector("form[data-import-progress]");
  if (!form || !window.fetch) {
    return;
  }
  var box = document.getElementById(form.getAttribute("data-import-progress"));
  var url = form.getAttribute("data-progress-url");
  if (!box || !url) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var finished = { done: true, refused: true };

  function show(state) {
    if (state.total > 0) {
      bar.max = state.total;
      bar.value = state.done;
    } else {
      bar.removeAttribute("value");
    }
    if (state.message) {
      text.textContent = state.message;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (state) {
          show(state);
        }
        if (!state || !finished[state.phase]) {
          window.setTimeout(poll, 700);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 1500);
      });
  }

  form.addEventListener("submit", function () {
    box.hidden = false;
    bar.removeAttribute("value");
    window.setTimeout(poll, 300);
  });
})();
