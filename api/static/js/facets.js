// Search facets: apply a ticked or unticked filter at once (the form also works without this script).
(function () {
  "use strict";
  var form = document.getElementById("facet-form");
  if (!form) { return; }
  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=checkbox]")) { form.submit(); }
  });
})();
