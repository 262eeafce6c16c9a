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
