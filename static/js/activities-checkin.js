// Velkommen check-in: scan ticket QR codes with the phone's camera.
// Progressive enhancement only. The QR reader is the browser's own BarcodeDetector
// (no library, nothing from a CDN); where a browser has none, or there is no camera,
// the scanner stays hidden and organisers type the code or search by name, which
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

  function show(data) {
    if (!result) { return; }
    result.textContent = data.message || "";
    result.className = "checkin__result checkin__result--" + (data.ok ? "ok" : (data.code === "already_checked_in" ? "warning" : "error"));
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
  if (!scanner || !("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }

  var video = scanner.querySelector("[data-scan-video]");
  var start = scanner.querySelector("[data-scan-start]");
  var stop = scanner.querySelector("[data-scan-stop]");
  var detector = null;
  var stream = null;
  var timer = null;
  var lastCode = "";
  var lastAt = 0;
  var busy = false;

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) { return; }
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    scanner.hidden = false;
  }).catch(function () { /* No scanner: typing and search remain. */ });

  function scan() {
    if (!stream || busy || video.readyState < 2) { return; }
    busy = true;
    detector.detect(video).then(function (codes) {
      if (!codes.length) { return null; }
      var code = codeFrom(codes[0].rawValue);
      var now = Date.now();
      // The same ticket held in front of the camera is sent once every few seconds.
      if (code === lastCode && now - lastAt < 4000) { return null; }
      lastCode = code;
      lastAt = now;
      if (navigator.vibrate) { navigator.vibrate(80); }
      return checkIn(code);
    }).catch(function () { /* A frame that could not be read; the next one may. */ })
      .then(function () { busy = false; });
  }

  function stopCamera() {
    window.clearInterval(timer);
    timer = null;
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
    start.focus();
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        return video.play();
      })
      .then(function () {
        start.hidden = true;
        stop.hidden = false;
        stop.focus();
        timer = window.setInterval(scan, 250);
      })
      .catch(function () {
        show({ ok: false, code: "camera", message: scanner.getAttribute("data-camera-error") || "" });
      });
  });
  stop.addEventListener("click", stopCamera);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && stream) { stopCamera(); }
  });
})();
