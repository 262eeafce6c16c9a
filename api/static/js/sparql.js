// The SPARQL page: Yasgui against this server's endpoint only (no remote catalogues, no prefix look-ups).
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  if (!el || !window.Yasgui) { return; }
  var endpoint = el.getAttribute("data-endpoint");
  var yasgui = new window.Yasgui(el, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { autocompleters: [] }
  });
  window.missiongraphYasgui = yasgui;
  // Yasgui draws some form controls without labels; name them (and any it draws later) for assistive tech
  var names = [
    [".autocomplete", "SPARQL endpoint address"],
    [".CodeMirror textarea", "SPARQL query"],
    [".tab input[type=text]", "Tab name"],
    ["input[type=search]", "Filter the results"],
    ["select", "Results per page"],
    ["input", "Option"]
  ];
  function labelControls() {
    // the editor's scrolling area must be reachable from the keyboard
    el.querySelectorAll(".CodeMirror-scroll").forEach(function (area) {
      if (area.getAttribute("tabindex") !== "0") { area.setAttribute("tabindex", "0"); }
    });
    names.forEach(function (pair) {
      el.querySelectorAll(pair[0]).forEach(function (control) {
        if (!control.hasAttribute("aria-label") && !control.labels?.length && !control.getAttribute("aria-labelledby")) {
          control.setAttribute("aria-label", pair[1]);
        }
      });
    });
  }
  labelControls();
  new MutationObserver(labelControls).observe(el, { childList: true, subtree: true });
  // an example opens in the current tab and runs at once; its link stays shareable
  document.querySelectorAll("a.example").forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      var tab = yasgui.getTab();
      tab.setQuery(a.getAttribute("data-query"));
      tab.setName(a.textContent.trim());
      tab.query();
      history.replaceState(null, "", a.getAttribute("href"));
      el.scrollIntoView();
    });
  });
})();
