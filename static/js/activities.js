// Velkommen events: live free places on an event page, and signing up without a reload.
// Progressive enhancement only: without this file the page shows the places of the page
// load and the signup and cancel buttons post ordinary forms.
//
// Live hints come from live.js as "live:topic" events on the element whose
// data-live-topic is "event:<id>"; each carries the event's counts and a version
// (microseconds of the last change, always growing per event), so a late, older hint,
// re-read or answer never overwrites a newer count: a hint without a version is from
// before the first signup, and older than any with one. After every (re)connect
// ("live:open") the page re-reads the count, since hints sent while it was offline are
// lost, and again once the server confirms the page's topic ("subscribed"): a change
// between the first re-read and the subscription sends no hint to this page. Once the event is cancelled the page shows no places. Pages of people who are not logged in have no
// live connection; they re-read every data-poll seconds while visible.
(function () {
  "use strict";

  var section = document.querySelector("[data-event-places]");
  if (!section || !window.fetch) { return; }

  var placesUrl = section.getAttribute("data-places-url");
  var version = Number(section.getAttribute("data-version") || 0);
  var labels = {};
  var labelsElement = document.getElementById("event-live-labels");
  try { labels = JSON.parse(labelsElement ? labelsElement.textContent : "{}"); } catch (e) { labels = {}; }
  var countText = section.querySelector("[data-places-text]");
  var waitlistText = section.querySelector("[data-waitlist-text]");
  var status = section.querySelector("[data-places-status]");
  var wasFull = null;
  var cancelled = section.hasAttribute("data-cancelled");
  var rereadTimer = null;
  var lastReread = 0;

  function format(pattern, values) {
    return String(pattern || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return values[key] === undefined || values[key] === null ? "" : String(values[key]);
    });
  }

  function panel() { return section.querySelector("[data-signup-panel]"); }

  function myStatus() {
    var element = panel();
    return element ? element.getAttribute("data-my-status") : "none";
  }

  function announce(text) {
    if (!status || !text) { return; }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function showCancelled() {
    if (countText) { countText.hidden = true; }
    if (waitlistText) { waitlistText.hidden = true; }
    var calendar = document.querySelectorAll("[data-calendar-link]");
    for (var i = 0; i < calendar.length; i++) { calendar[i].hidden = true; }
    if (!cancelled) {
      cancelled = true;
      announce(labels.cancelled);
      reread(true);  // the signup panel says so too
    }
  }

  // Shows the counts in ``data`` unless they are older than those shown; returns whether
  // ``data`` was as new as what the page shows (a stale answer is ignored as a whole).
  function applyPlaces(data) {
    if (!data || typeof data.confirmed !== "number") { return false; }
    var incoming = typeof data.version === "number" ? data.version : 0;
    if (incoming < version) { return false; }  // an older hint or re-read
    version = incoming;
    if (data.cancelled || cancelled) {
      showCancelled();
      return true;
    }

    var text;
    if (data.capacity === null || data.capacity === undefined) {
      text = format(data.confirmed === 1 ? labels.unlimited_one : labels.unlimited_other, { count: data.confirmed });
    } else if (data.free > 0) {
      text = format(data.free === 1 ? labels.free_one : labels.free_other, { free: data.free, capacity: data.capacity });
    } else {
      text = format(data.capacity === 1 ? labels.full_one : labels.full_other, { capacity: data.capacity });
    }
    if (countText && text) { countText.textContent = text; }
    (data.pools || []).forEach(function (pool) {
      var free = section.querySelector("[data-pool='" + pool.key + "'] [data-pool-free]");
      if (free) { free.textContent = String(pool.free); }
    });
    if (waitlistText) {
      waitlistText.textContent = data.waitlisted > 0
        ? format(data.waitlisted === 1 ? labels.waitlist_one : labels.waitlist_other, { count: data.waitlisted })
        : "";
      waitlistText.hidden = !(data.waitlisted > 0);
    }
    var full = data.capacity !== null && data.capacity !== undefined && data.free === 0;
    var button = section.querySelector("[data-signup-button]");
    if (button) {
      button.textContent = button.getAttribute(full ? "data-label-waitlist" : "data-label-signup");
    }
    if (wasFull !== null && full !== wasFull) { announce(text); }
    wasFull = full;
    return true;
  }

  function replacePanel(html, focus) {
    var current = panel();
    if (!current || !html) { return; }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("[data-signup-panel]");
    if (!fresh) { return; }
    current.parentNode.replaceChild(fresh, current);
    if (focus) {
      var target = fresh.querySelector(".signup-panel__status, p");
      if (target) {
        target.setAttribute("tabindex", "-1");
        target.focus();
      }
    }
  }

  function reread(withPanel) {
    lastReread = Date.now();
    var url = placesUrl + (withPanel ? "?panel=1" : "");
    return window.fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !applyPlaces(data)) { return; }  // older than what the page shows
        var before = myStatus();
        var after = data.mine ? data.mine.status : "none";
        var position = data.mine && data.mine.position ? String(data.mine.position) : "";
        var element = panel();
        var positionBefore = element ? element.getAttribute("data-my-position") : "";
        if (data.panel_html) {
          replacePanel(data.panel_html, false);
          if (before !== after && data.mine) { announce(data.mine.text); }
        } else if (before !== after || position !== positionBefore) {
          // The person's own place changed (e.g. they got one from the waitlist).
          reread(true);
        }
      })
      .catch(function () { /* The next reconnect or poll tries again. */ });
  }

  function rereadSoon() {
    // Waitlisted people re-read their own position, at most every two seconds.
    if (rereadTimer) { return; }
    var wait = Math.max(0, 2000 - (Date.now() - lastReread));
    rereadTimer = window.setTimeout(function () { rereadTimer = null; reread(false); }, wait);
  }

  section.addEventListener("live:topic", function (event) {
    var data = event.detail && event.detail.data;
    if (!data || data.type !== "event.places") { return; }
    applyPlaces(data);
    if (myStatus() === "waitlisted" || myStatus() === "offered") { rereadSoon(); }
  });

  document.addEventListener("live:open", function () { reread(false); });
  var topic = section.getAttribute("data-live-topic");
  document.addEventListener("live:message", function (event) {
    var message = event.detail || {};
    if (message.type === "subscribed" && message.topic === topic) { reread(false); }
  });

  // A place given from the waitlist also sends the person a notification, on their own
  // connection: re-read at once rather than wait for the throttled topic re-read.
  document.addEventListener("live:message", function (event) {
    var message = event.detail || {};
    if (message.type === "notification" && (myStatus() === "waitlisted" || myStatus() === "offered")) { reread(false); }
  });

  var poll = Number(section.getAttribute("data-poll") || 0);
  if (poll > 0) {
    window.setInterval(function () {
      if (document.visibilityState === "visible") { reread(false); }
    }, poll * 1000);
  }

  // Sign up and cancel in place; on any failure the ordinary form post still works.
  section.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-signup-form")) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type='submit']");
    if (button) { button.disabled = true; }
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) { throw new Error("reload"); }
        return response.json();
      })
      .then(function (data) {
        applyPlaces(data.places);
        replacePanel(data.panel_html, true);
        var message = document.createElement("p");
        message.className = "message " + (data.ok ? "message--success" : "message--error");
        message.textContent = data.message;
        var current = panel();
        if (current) { current.insertBefore(message, current.firstChild); }
        announce(data.message);
        // Refused answers to the signup questions: to the first one to put right.
        var invalid = current && data.errors ? current.querySelector("[aria-invalid='true']") : null;
        if (invalid) { invalid.focus(); }
      })
      .catch(function () { form.submit(); });
  });
})();
