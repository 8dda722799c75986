// A form that came back with errors: the list of what to fix takes the focus, so it is read out
// and the eye starts there. Its links lead to the fields; the page works the same without this.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
