// Velkommen course approval: the case page follows its case live.
// Progressive enhancement only: without this file the page shows the case as it was
// loaded, and every form posts as usual.
//
// live.js dispatches "live:topic" on the element whose data-live-topic is
// "approval_case:<id>" when the case has a new step; the hint only says "this changed":
// the page re-reads the live part of the case (status, clock, lines, history) from the
// server and puts it in place, unless what it has is newer (data-version, the id of the
// case's last step). After every (re)connect ("live:open") it re-reads too, since hints
// sent while the page was offline are lost. The forms stay as they are, so nothing being
// typed is lost; when the case's status has changed, a notice offers to reload them.
(function () {
  "use strict";

  var region = document.querySelector("[data-case-live]");
  if (!region || !window.fetch || !window.DOMParser) { return; }

  var stateUrl = region.getAttribute("data-state-url");
  var loadedStatus = region.getAttribute("data-status");
  var announce = document.querySelector("[data-case-announce]");
  var changedNotice = document.querySelector("[data-case-changed]");
  var reading = false;
  var again = false;

  function versionOf(element) {
    return element ? Number(element.getAttribute("data-version") || 0) : 0;
  }

  function apply(html) {
    var parsed = new window.DOMParser().parseFromString(html, "text/html");
    var incoming = parsed.querySelector("[data-case-state]");
    var current = region.querySelector("[data-case-state]");
    if (!incoming || !current) { return; }
    var newer = versionOf(incoming) > versionOf(current);
    if (versionOf(incoming) < versionOf(current)) { return; }  // an older answer
    current.replaceWith(document.importNode(incoming, true));
    if (newer && announce) {
      announce.textContent = "";
      window.setTimeout(function () { announce.textContent = region.getAttribute("data-updated-label") || ""; }, 50);
    }
    if (changedNotice && incoming.getAttribute("data-status") !== loadedStatus) {
      changedNotice.hidden = false;
    }
  }

  function reread() {
    if (reading) { again = true; return; }
    reading = true;
    window.fetch(stateUrl, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html) { apply(html); } })
      .catch(function () { /* The next hint or reconnect tries again. */ })
      .then(function () {
        reading = false;
        if (again) { again = false; reread(); }
      });
  }

  region.addEventListener("live:topic", reread);
  document.addEventListener("live:open", reread);
})();
