/*
 * Live preview of the campaign form (operator pages): on input, after a
 * pause, posts the form to /operateur/campagnes/apercu and replaces the
 * preview area with the returned HTML fragment (rendered by the server).
 * Without JavaScript the « Prévisualiser » button does the same with a full
 * page reload.
 */
(function () {
  "use strict";
  var form = document.getElementById("campagne");
  var zone = document.getElementById("apercu-zone");
  if (!form || !zone || !window.fetch) {
    return;
  }
  var url = form.getAttribute("data-apercu");
  var timer = null;
  var sequence = 0;

  function refresh() {
    var data = new URLSearchParams(new FormData(form));
    data.delete("action");
    var mine = ++sequence;
    zone.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: data.toString(),
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        // Only the answer to the latest request is shown.
        if (mine === sequence && html !== null) {
          zone.innerHTML = html;
        }
      })
      .catch(function () {})
      .then(function () {
        if (mine === sequence) {
          zone.removeAttribute("aria-busy");
        }
      });
  }

  function schedule() {
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(refresh, 400);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  var button = document.getElementById("previsualiser");
  if (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      refresh();
    });
  }
})();
