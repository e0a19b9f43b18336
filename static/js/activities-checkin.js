// Velkommen check-in: scan ticket QR codes with the phone's camera.
// Progressive enhancement only. Camera frames are read with jsQR (static/vendor/jsqr/,
// served from our own static files), so scanning works in every browser that lets a
// page use the camera, Safari on iPhones included. Where there is no camera, or it may
// not be used, the page says so and organisers type the code or search by name, which
// work without JavaScript too.
(function () {
  "use strict";

  var root = document.querySelector("[data-checkin]");
  if (!root || !window.fetch) { return; }

  var url = root.getAttribute("data-checkin-url");
  var result = root.querySelector("[data-checkin-result]");
  var codeForm = root.querySelector("[data-checkin-code-form]");
  var checkedInCount = document.querySelector("[data-attendance-checked-in]");

  function csrfToken() {
    var input = root.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  // Shown in the page's live region: "ok", "warning", "error", or a neutral note.
  function announce(message, kind) {
    if (!result) { return; }
    result.textContent = message || "";
    result.className = "checkin__result" + (kind ? " checkin__result--" + kind : "");
  }

  function show(data) {
    announce(data.message, data.ok ? "ok" : (data.code === "already_checked_in" ? "warning" : "error"));
    if (checkedInCount && typeof data.checked_in === "number") {
      checkedInCount.textContent = String(data.checked_in);
    }
  }

  function checkIn(code) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    body.append("code", code);
    return window.fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(function (response) { return response.json(); })
      .then(show)
      .catch(function () { show({ ok: false, code: "network", message: result ? result.getAttribute("data-network-error") || "" : "" }); });
  }

  // Typed codes: answer in place, keep the field ready for the next one.
  if (codeForm) {
    codeForm.addEventListener("submit", function (event) {
      var input = codeForm.querySelector("input[name='code']");
      if (!input || !input.value.trim()) { return; }
      event.preventDefault();
      checkIn(input.value.trim()).then(function () {
        input.value = "";
        input.focus();
      });
    });
  }

  // A ticket's QR code holds the ticket's address; its last part is the code.
  function codeFrom(text) {
    var value = String(text || "").trim();
    var match = value.match(/([A-Za-z0-9-]{12,20})\/?(?:[?#].*)?$/);
    return match ? match[1] : value;
  }

  var scanner = root.querySelector("[data-checkin-scanner]");
  if (!scanner) { return; }
  scanner.hidden = false;
  var canScan = typeof window.jsQR === "function" && !!navigator.mediaDevices &&
    typeof navigator.mediaDevices.getUserMedia === "function";
  if (!canScan) {
    // No camera API (an old browser, or a page not served over HTTPS): say so once.
    scanner.querySelector("[data-scan-unsupported]").hidden = false;
    scanner.querySelector("[data-scan-buttons]").hidden = true;
    return;
  }

  var video = scanner.querySelector("[data-scan-video]");
  var start = scanner.querySelector("[data-scan-start]");
  var stop = scanner.querySelector("[data-scan-stop]");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  // Eight frames a second, scaled to at most 640 pixels on the longer side, is plenty for a
  // ticket held up to the camera and spares the phone's battery.
  var FRAME_INTERVAL = 125;
  var MAX_SIDE = 640;
  // After a read the scanner rests briefly, and a ticket that stays in view is not sent again.
  var PAUSE_AFTER_READ = 1500;
  var SAME_CODE_INTERVAL = 4000;
  var stream = null;
  var frame = 0;
  var lastFrameAt = 0;
  var restUntil = 0;
  var lastCode = "";
  var lastAt = 0;
  var busy = false;
  var starting = false;

  function message(name) { return scanner.getAttribute("data-camera-" + name) || ""; }

  function read() {
    var width = video.videoWidth;
    var height = video.videoHeight;
    if (!width || !height) { return null; }
    var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return found && found.data ? found.data : null;
  }

  function tick(now) {
    if (!stream) { return; }
    frame = window.requestAnimationFrame(tick);
    if (busy || now - lastFrameAt < FRAME_INTERVAL || Date.now() < restUntil || video.readyState < 2) { return; }
    lastFrameAt = now;
    var text;
    try { text = read(); } catch (e) { text = null; /* A frame that could not be read; the next one may. */ }
    if (!text) { return; }
    var code = codeFrom(text);
    var at = Date.now();
    restUntil = at + PAUSE_AFTER_READ;
    // A ticket held in front of the camera is sent once; shown again after a few seconds
    // away, it is sent again (and the answer says it is already checked in).
    var seenJustNow = code === lastCode && at - lastAt < SAME_CODE_INTERVAL;
    lastCode = code;
    lastAt = at;
    if (seenJustNow) { return; }
    busy = true;
    if (navigator.vibrate) { navigator.vibrate(80); }
    checkIn(code).then(function () {
      busy = false;
      lastAt = Date.now();
      restUntil = lastAt + PAUSE_AFTER_READ;
    });
  }

  function release() {
    if (frame) { window.cancelAnimationFrame(frame); }
    frame = 0;
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.pause();
    video.srcObject = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function stopCamera() {
    if (!stream) { return; }
    release();
    announce(message("stopped"));
    start.focus();
  }

  function failed(error) {
    release();
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      announce(message("refused"), "error");
    } else if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
      announce(message("missing"), "error");
    } else {
      announce(message("error"), "error");
    }
  }

  start.addEventListener("click", function () {
    if (stream || starting) { return; }
    starting = true;
    // The rear camera where there is one; any camera otherwise.
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        return video.play();
      })
      .then(function () {
        starting = false;
        if (!stream) { return; }  // Stopped while starting (the page was hidden).
        start.hidden = true;
        stop.hidden = false;
        stop.focus();
        announce(message("started"));
        lastFrameAt = 0;
        frame = window.requestAnimationFrame(tick);
      })
      .catch(function (error) {
        starting = false;
        failed(error);
      });
  });
  stop.addEventListener("click", stopCamera);
  // The camera goes off when the organiser leaves the page or switches away from it.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { release(); }
  });
  window.addEventListener("pagehide", release);
})();
