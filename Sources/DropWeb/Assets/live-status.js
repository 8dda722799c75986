// Transaction page: while the payment is still moving, asks for its status every few seconds
// and reloads the page when it changes, so the timeline and actions are the server's own.
(function () {
  "use strict";
  var live = document.querySelector("[data-live-status]");
  if (!live || !window.fetch) return;
  var url = live.dataset.liveStatus, shown = live.dataset.status, delay = 3000;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (transaction) {
        if (transaction && transaction.status !== shown) { window.location.reload(); return; }
        delay = Math.min(delay * 1.2, 15000);
        window.setTimeout(poll, delay);
      }, function () { window.setTimeout(poll, 15000); });
  }
  window.setTimeout(poll, delay);
})();
