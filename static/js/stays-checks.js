// Velkommen safety checks: a student's open checks, shown live on any page that includes them.
// Progressive enhancement only: without this file the page shows the checks it was loaded
// with, and every link and form works as usual.
//
// live.js dispatches "live:topic" on the element whose data-live-topic is "safety:checks"
// when a crisis is declared, reminded or closed. The hint names no one: the page re-reads
// its own person's open checks (data-state-url) and puts them in place. After every
// (re)connect ("live:open") it re-reads too, since hints sent while offline are lost. A
// check that was not there before is announced in the polite status region.
(function () {
  "use strict";

  var region = document.querySelector("[data-safety-checks]");
  if (!region || !window.fetch || !window.DOMParser) { return; }

  var stateUrl = region.getAttribute("data-state-url");
  var announce = region.querySelector("[data-safety-checks-announce]");
  var reading = false;
  var again = false;

  function ids(element) {
    var text = element ? (element.getAttribute("data-checks") || "") : "";
    return text.split(" ").filter(function (id) { return id !== ""; });
  }

  function say(text) {
    if (!announce || !text) { return; }
    announce.textContent = "";
    window.setTimeout(function () { announce.textContent = text; }, 50);
  }

  function apply(html) {
    var parsed = new window.DOMParser().parseFromString(html, "text/html");
    var incoming = parsed.querySelector("[data-safety-checks-state]");
    var current = region.querySelector("[data-safety-checks-state]");
    if (!incoming || !current) { return; }
    var before = ids(current);
    var after = ids(incoming);
    if (before.join(" ") === after.join(" ") && current.innerHTML === incoming.innerHTML) { return; }
    current.replaceWith(document.importNode(incoming, true));
    var arrived = after.some(function (id) { return before.indexOf(id) === -1; });
    say(region.getAttribute(arrived ? "data-arrived-label" : "data-updated-label"));
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
