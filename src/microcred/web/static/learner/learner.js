// Progressive enhancement only: every page works without it.
// [data-poll]: poll a JSON state URL; reload when the answer (or batch) is done.
(function () {
  "use strict";
  function poll(el) {
    var url = el.getAttribute("data-poll");
    var bar = document.querySelector("progress[data-batch]");
    var status = document.querySelector("[data-batch-status]");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (bar && typeof s.done === "number") { bar.max = s.total || 1; bar.value = s.done; }
          if (status && s.text) { status.textContent = s.text; }
          if (s.answered || s.finished) { window.location.reload(); return; }
          window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    tick();
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-poll]"), poll);
  });
})();
