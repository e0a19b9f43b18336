// The learning agreement: a print button for those with JavaScript. Without it, the
// browser's own print command prints the same layout (static/css/learning-agreement.css).
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
