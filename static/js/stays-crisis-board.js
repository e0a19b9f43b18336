// Velkommen crisis board (Wagtail admin): the answers arrive live, the help clocks tick.
// Progressive enhancement only: without this file the board shows what it was loaded with,
// and the filters, pages and acknowledge buttons work as plain links and forms.
//
// Load it before site.js and live.js: the admin's <body> has no data-live-url, so this
// gives it the board's, and site.js then opens the one live connection. live.js dispatches
// "live:topic" on the element whose data-live-topic is "crisis:<id>" when an answer, an
// acknowledgement, a reminder or the closing changes the crisis; the hint only says
// "changed": the board re-reads its live part (data-state-url, with its filter and page)
// and puts it in place, unless what it has is newer (data-version). After every
// (re)connect ("live:open") it re-reads too. Between re-reads each waiting call for help's
// clock counts its minutes and turns amber at three quarters of the time, red after it.
(function () {
  "use strict";

  var region = document.querySelector("[data-board-live]");
  if (!region) { return; }
  if (!document.body.getAttribute("data-live-url")) {
    document.body.setAttribute("data-live-url", region.getAttribute("data-live-url") || "/ws/live/");
  }
  if (!window.fetch || !window.DOMParser) { return; }

  var stateUrl = region.getAttribute("data-state-url");
  var announce = document.querySelector("[data-board-announce]");
  var reading = false;
  var again = false;
  var AMBER_SHARE = 0.75;

  function versionOf(element) {
    return element ? Number(element.getAttribute("data-version") || 0) : 0;
  }

  function tick() {
    var now = Date.now() / 1000;
    var clocks = region.querySelectorAll("[data-help-clock]:not([data-stopped])");
    for (var i = 0; i < clocks.length; i++) {
      var clock = clocks[i];
      var asked = Number(clock.getAttribute("data-asked"));
      var limit = Number(clock.getAttribute("data-limit"));
      if (!asked || !limit) { continue; }
      var minutes = Math.max(0, Math.floor((now - asked) / 60));
      var light = minutes >= limit ? "red" : (minutes >= AMBER_SHARE * limit ? "amber" : "green");
      if (clock.getAttribute("data-light") !== light) {
        clock.setAttribute("data-light", light);
        clock.className = "approvals-light approvals-light--" + light;
        clock.textContent = region.getAttribute("data-light-" + light) || light;
      }
      var text = clock.parentNode.querySelector("[data-help-minutes]");
      var pattern = region.getAttribute("data-clock-label");
      if (text && pattern) {
        text.textContent = pattern.replace("%(minutes)s", String(minutes)).replace("%(limit)s", String(limit));
      }
    }
  }

  function apply(html) {
    var parsed = new window.DOMParser().parseFromString(html, "text/html");
    var incoming = parsed.querySelector("[data-board-state]");
    var current = region.querySelector("[data-board-state]");
    if (!incoming || !current) { return; }
    if (versionOf(incoming) < versionOf(current)) { return; }  // an older answer
    var newer = versionOf(incoming) > versionOf(current);
    // Keep focus where it was if the focused element is replaced (an acknowledge button).
    var focused = document.activeElement && current.contains(document.activeElement) ? document.activeElement : null;
    var focusRow = focused && focused.closest("[data-check]") ? focused.closest("[data-check]").getAttribute("data-check") : null;
    current.replaceWith(document.importNode(incoming, true));
    tick();
    if (focusRow) {
      var target = region.querySelector('[data-check="' + focusRow + '"] button, [data-check="' + focusRow + '"] a');
      if (target) { target.focus(); }
    }
    if (newer && announce) {
      announce.textContent = "";
      window.setTimeout(function () { announce.textContent = region.getAttribute("data-updated-label") || ""; }, 50);
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
  window.setInterval(tick, 30000);
})();
