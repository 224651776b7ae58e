// The portal's behaviour on every page (no inline script: CSP).
(function () {
  "use strict";
  // A form marked data-once is sent once: its buttons are disabled as it leaves, so that a
  // double click does not send it twice (the server refuses a repeated form too). Disabled
  // after the event, so that the button clicked is still part of what is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once") || event.defaultPrevented) {
      return;
    }
    window.setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
})();
