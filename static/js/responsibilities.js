// The responsibility matrix: a print button. Without JavaScript the button stays hidden
// and the browser's own print command gives the same printout (see the print styles).
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print-page]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
