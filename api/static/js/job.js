// A load job's page: poll its status part until the job has finished, then stop.
(function () {
  "use strict";
  function poll() {
    var job = document.getElementById("job");
    if (!job) { return; }
    var status = job.getAttribute("data-status");
    if (status !== "queued" && status !== "running") { return; }
    fetch(window.location.pathname + "?part=status", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#job");
        if (fresh) { job.replaceWith(fresh); }
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 300);
})();
