// Search facets: apply a ticked or unticked filter at once (the form also works without this script).
(function () {
  "use strict";
  // "Real missions only" applies at once too
  var realOnly = document.getElementById("real-only");
  if (realOnly) {
    realOnly.addEventListener("change", function () { realOnly.form.submit(); });
  }
  var form = document.getElementById("facet-form");
  if (!form) { return; }
  // on a phone the filters start folded, so that the results come first into view
  var panel = form.closest("details");
  if (panel && window.matchMedia("(max-width: 48rem)").matches) { panel.open = false; }
  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=checkbox]")) { form.submit(); }
  });
})();
