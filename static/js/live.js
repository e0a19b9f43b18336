// Velkommen live layer: the notification badge and page topics.
// Progressive enhancement only: without this file the badge shows the count of
// the page load and the notification centre works with plain links and forms.
// site.js owns the one WebSocket; this file listens to its DOM events:
//   live:open    (after every (re)connect)  -> re-read the unread count, (re)subscribe topics
//   live:message (every server message)     -> update the badge, forward topic data
// and dispatches "live:topic" (detail {topic, data}) on the document and on
// every element whose data-live-topic names that topic.
(function () {
  "use strict";

  var badge = document.querySelector("[data-live-badge]");
  var count = badge && badge.getAttribute("data-count") !== "" ? Number(badge.getAttribute("data-count")) : null;
  // Hints received so far: a re-read answered after a hint arrived may be older than the
  // hint (the server read it first), so it is dropped; the hint's count stands.
  var hints = 0;

  function label(n) {
    // Bokmål and English both use the singular for 1 only.
    var pattern = badge.getAttribute(n === 1 ? "data-label-one" : "data-label-other") || "";
    return pattern.replace("%(count)s", String(n));
  }

  function showCount(n, announce) {
    if (!badge || typeof n !== "number" || n < 0) { return; }
    var previous = count;
    count = n;
    badge.setAttribute("data-count", String(n));
    var pill = badge.querySelector("[data-live-badge-count]");
    if (pill) {
      pill.textContent = String(n);
      pill.hidden = n === 0;
    }
    var name = badge.querySelector("[data-live-badge-label]");
    if (name) { name.textContent = label(n); }
    if (announce && previous !== n) {
      var status = badge.querySelector("[data-live-badge-status]");
      if (status) { status.textContent = label(n); }
    }
    if (previous !== null && n > previous) {
      var notice = document.querySelector("[data-live-new-notifications]");
      if (notice) { notice.hidden = false; }
    }
  }

  function rereadCount() {
    if (!badge || !window.fetch) { return; }
    var url = badge.getAttribute("data-unread-url");
    var hintsBefore = hints;
    window.fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && typeof data.unread === "number" && hints === hintsBefore) { showCount(data.unread, true); }
      })
      .catch(function () { /* The next reconnect tries again. */ });
  }

  function topics() {
    var seen = {};
    var list = [];
    var elements = document.querySelectorAll("[data-live-topic]");
    for (var i = 0; i < elements.length; i++) {
      var topic = elements[i].getAttribute("data-live-topic");
      if (topic && !seen[topic]) { seen[topic] = true; list.push(topic); }
    }
    return list;
  }

  document.addEventListener("live:open", function () {
    // Whatever happened while the connection was down is in the database.
    rereadCount();
    var wanted = topics();
    for (var i = 0; i < wanted.length; i++) {
      window.velkommenLive.send({ type: "subscribe", topic: wanted[i] });
    }
  });

  document.addEventListener("live:message", function (event) {
    var message = event.detail || {};
    if (message.type === "notification") {
      hints += 1;
      showCount(message.unread, true);
    } else if (message.type === "topic" && typeof message.topic === "string") {
      var detail = { topic: message.topic, data: message.data || {} };
      document.dispatchEvent(new CustomEvent("live:topic", { detail: detail }));
      var elements = document.querySelectorAll("[data-live-topic]");
      for (var i = 0; i < elements.length; i++) {
        if (elements[i].getAttribute("data-live-topic") === message.topic) {
          elements[i].dispatchEvent(new CustomEvent("live:topic", { detail: detail }));
        }
      }
    }
  });
})();
