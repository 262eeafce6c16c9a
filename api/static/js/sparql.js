// The SPARQL page: Yasgui against this server's endpoint only (no remote catalogues, no prefix look-ups).
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  if (!el || !window.Yasgui) { return; }
  var endpoint = el.getAttribute("data-endpoint");
  var tabsData = document.getElementById("catalogue-tabs");
  var catalogue = tabsData ? JSON.parse(tabsData.textContent) : [];
  var firstQuery = document.getElementById("first-query");

  // A problem+json answer shown as the one line a person can act on (wrapped), the parser's own
  // message folded away below it; anything else falls through to Yasgui's own error display.
  function renderProblem(error) {
    var problem = null;
    try { problem = JSON.parse(error && error.text); } catch (e) { return undefined; }
    if (!problem || typeof problem.detail !== "string") { return undefined; }
    var box = document.createElement("div");
    box.className = "query-problem";
    box.setAttribute("role", "alert");
    var line = document.createElement("p");
    line.className = "query-problem-detail";
    line.textContent = problem.detail;
    box.appendChild(line);
    if (problem.parser_message) {
      var more = document.createElement("details");
      var summary = document.createElement("summary");
      summary.textContent = "The parser's own message";
      var pre = document.createElement("pre");
      pre.textContent = problem.parser_message;
      more.appendChild(summary);
      more.appendChild(pre);
      box.appendChild(more);
    }
    return box;
  }
  if (window.Yasgui.Yasr) {
    window.Yasgui.Yasr.defaults.errorRenderers = [renderProblem];
  }
  // The editor's syntax check knows the predeclared prefixes too (a query need not declare mg: ...)
  var prefixData = document.getElementById("predeclared-prefixes");
  var predeclared = prefixData ? JSON.parse(prefixData.textContent) : {};
  var CM = window.Yasgui.Yasqe;
  if (CM && CM.modes && CM.modes.sparql11 && CM.defineMode) {
    var baseMode = CM.modes.sparql11;
    CM.defineMode("sparql11", function (config, parserConfig) {
      var mode = baseMode(config, parserConfig);
      var startState = mode.startState;
      mode.startState = function () {
        var state = startState.apply(this, arguments);
        Object.keys(predeclared).forEach(function (name) { state.prefixes[name] = predeclared[name]; });
        return state;
      };
      return mode;
    });
  }

  var yasgui = new window.Yasgui(el, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    tabName: "Query",
    yasqe: { autocompleters: [], value: firstQuery ? firstQuery.textContent.trim() + "\n" : undefined }
  });
  window.missiongraphYasgui = yasgui;
  var startTab = yasgui.getTab();
  if (startTab && !location.hash) { startTab.setName("Missions per challenge field"); }
  // the catalogue's everyday queries as tabs (the deck's figure queries open from the list below)
  catalogue.forEach(function (q) {
    yasgui.addTab(false, { name: q.title, yasqe: { value: q.query } });
  });
  // Yasgui draws some form controls without labels; name them (and any it draws later) for assistive tech
  var names = [
    [".autocomplete", "SPARQL endpoint address"],
    [".CodeMirror textarea", "SPARQL query"],
    [".tab input[type=text]", "Tab name"],
    ["input[type=search]", "Filter the results"],
    ["select", "Results per page"],
    ["input", "Option"]
  ];
  function tidyTabs() {
    // the tab strip: only tabs inside the tab list (the add button goes after it), and aria-controls
    // only where the panel exists (Yasgui draws a tab's panel when the tab is first opened)
    var list = el.querySelector(".tabsList");
    if (!list) { return; }
    var add = list.querySelector("button.addTab");
    if (add && add.parentNode && add.parentNode.parentNode === list) {
      list.parentNode.insertBefore(add.parentNode, list.nextSibling);
    }
    list.querySelectorAll("a[role=tab]").forEach(function (tab) {
      var target = tab.getAttribute("aria-controls");
      if (target && !document.getElementById(target)) { tab.removeAttribute("aria-controls"); }
    });
  }
  function labelControls() {
    tidyTabs();
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
