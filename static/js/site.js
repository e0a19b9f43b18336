// Velkommen: progressive enhancement only. Every page works without this file.

// Disclosures that small screens fold away (the site menu, the event filters). CSS shows
// their content on wide screens through ::details-content; where a browser cannot style
// that, open them there. Escape closes the site menu and gives focus back to its toggle.
(function () {
  "use strict";
  var styled = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  var disclosures = document.querySelectorAll("details[data-open-wide]");
  Array.prototype.forEach.call(disclosures, function (details) {
    var wide = window.matchMedia(details.getAttribute("data-open-wide"));
    if (!styled && wide.matches) { details.open = true; }
  });

  var menu = document.querySelector("[data-site-menu]");
  if (!menu) { return; }
  menu.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !menu.open) { return; }
    var toggle = menu.querySelector("summary");
    if (window.getComputedStyle(toggle).display === "none") { return; }
    menu.open = false;
    toggle.focus();
  });
})();
(function () {
  "use strict";

  // One live connection per page. Messages are hints: listeners re-read state.
  var url = document.body.getAttribute("data-live-url");
  if (!url || !("WebSocket" in window)) { return; }

  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var delay = 1000;
  var maxDelay = 30000;
  var socket = null;
  var heartbeat = null;

  function connect() {
    socket = new WebSocket(scheme + window.location.host + url);
    socket.addEventListener("open", function () {
      delay = 1000;
      document.dispatchEvent(new CustomEvent("live:open", { detail: { socket: socket } }));
      heartbeat = window.setInterval(function () {
        if (socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify({ type: "ping" })); }
      }, 25000);
    });
    socket.addEventListener("message", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      document.dispatchEvent(new CustomEvent("live:message", { detail: data }));
    });
    socket.addEventListener("close", function (event) {
      window.clearInterval(heartbeat);
      if (event.code === 4401 || event.code === 4403) { return; }
      // Reconnect with back-off and jitter; listeners re-read state on "live:open".
      window.setTimeout(connect, delay + Math.random() * 500);
      delay = Math.min(delay * 2, maxDelay);
    });
  }

  window.velkommenLive = {
    send: function (message) {
      if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(message)); }
    }
  };
  // Connect once every deferred script has run: the browser may run other tasks while it
  // fetches the next script, and an "open" before a page's listeners are registered would
  // leave that page without its first re-read or its topics.
  if (document.readyState === "complete") {
    connect();
  } else {
    document.addEventListener("DOMContentLoaded", connect, { once: true });
  }
})();
