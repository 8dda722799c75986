// Send money review: counts down to the quote's expiry next to the server-rendered time, and
// when it runs out says so, takes the confirm button away (the server would price it anew anyway)
// and puts "Get a new price" first, with the focus.
(function () {
  "use strict";
  var note = document.getElementById("quote-expiry");
  if (!note || !note.dataset.expires) return;
  var expires = Date.parse(note.dataset.expires);
  var clock = document.createElement("span");
  clock.setAttribute("aria-hidden", "true");
  clock.className = "countdown";
  note.appendChild(document.createTextNode(" "));
  note.appendChild(clock);
  var confirm = document.querySelector("form[action='/send/confirm'] button[type=submit]");

  function tick() {
    var left = Math.max(0, Math.round((expires - Date.now()) / 1000));
    if (left === 0) {
      clock.remove();
      note.textContent = note.dataset.expired;
      note.setAttribute("role", "alert");
      if (confirm) { confirm.disabled = true; confirm.hidden = true; }
      var requote = document.getElementById("requote");
      if (requote) { requote.classList.add("primary"); requote.focus(); }
      return;
    }
    var minutes = Math.floor(left / 60), seconds = left % 60;
    clock.textContent = "(" + minutes + ":" + (seconds < 10 ? "0" : "") + seconds + ")";
    window.setTimeout(tick, 1000);
  }
  tick();
})();
