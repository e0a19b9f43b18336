// Norwegian courses: keep a course page's free places up to date.
// Progressive enhancement only: without this file the page shows the places
// of the page load, and applying works with the plain forms.
// A live hint (live.js dispatches "live:topic" on the element named by
// data-live-topic), a reconnect ("live:open") or the server's confirmation of the
// box's topic ("subscribed": a change before it sends no hint here) makes the page
// re-read the places from data-places-url; anonymous readers, who have no live
// connection, re-read every data-poll seconds while the page is visible.
(function () {
  "use strict";

  var boxes = document.querySelectorAll("[data-course-places]");
  if (!boxes.length || !window.fetch) { return; }

  function show(box, data) {
    var count = box.querySelector("[data-places-text]");
    var waitlist = box.querySelector("[data-waitlist-text]");
    var status = box.querySelector("[data-places-status]");
    var changed = false;
    if (count && typeof data.text === "string" && count.textContent !== data.text) {
      count.textContent = data.text;
      changed = true;
    }
    if (waitlist && typeof data.waitlist_text === "string") {
      if (waitlist.textContent !== data.waitlist_text) { changed = true; }
      waitlist.textContent = data.waitlist_text;
      waitlist.hidden = data.waitlist_text === "";
    }
    // Announced once per change, politely, for screen reader users.
    if (changed && status) {
      status.textContent = [data.text, data.waitlist_text].join(" ").trim();
    }
  }

  function reread(box) {
    var url = box.getAttribute("data-places-url");
    if (!url) { return; }
    window.fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { show(box, data); } })
      .catch(function () { /* The next hint or poll tries again. */ });
  }

  Array.prototype.forEach.call(boxes, function (box) {
    box.addEventListener("live:topic", function () { reread(box); });
    var seconds = Number(box.getAttribute("data-poll"));
    if (seconds > 0) {
      window.setInterval(function () {
        if (!document.hidden) { reread(box); }
      }, seconds * 1000);
    }
  });

  document.addEventListener("live:open", function () {
    Array.prototype.forEach.call(boxes, reread);
  });

  document.addEventListener("live:message", function (event) {
    var message = event.detail || {};
    if (message.type !== "subscribed") { return; }
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.getAttribute("data-live-topic") === message.topic) { reread(box); }
    });
  });
})();
