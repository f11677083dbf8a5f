// ZI Public kiosk SKM survey: one tap answers once. Every screen works without this script (each face is a
// submit button); it only shows the tap at once and keeps a second tap on a slow network from sending again.
(function () {
  "use strict";
  var RETRY_AFTER = 8000; // ms: should the next screen never come (network gone), the buttons work again

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-skm-step]").forEach(function (form) {
      var buttons = form.querySelectorAll("button[type=submit]");

      function release() {
        form.classList.remove("is-sending");
        buttons.forEach(function (button) { button.disabled = false; });
      }

      form.addEventListener("submit", function (event) {
        if (form.classList.contains("is-sending")) { event.preventDefault(); return; }
        form.classList.add("is-sending");
        var tapped = event.submitter;
        if (tapped && tapped.classList.contains("skm-face")) {
          form.querySelectorAll(".skm-face.is-chosen").forEach(function (face) { face.classList.remove("is-chosen"); });
          tapped.classList.add("is-chosen");
        }
        // Disable after the submission has taken the tapped button's name and value.
        setTimeout(function () { buttons.forEach(function (button) { button.disabled = true; }); }, 0);
        setTimeout(release, RETRY_AFTER);
      });

      // Back on this screen from the browser's page cache: ready for a tap again.
      window.addEventListener("pageshow", function (event) { if (event.persisted) { release(); } });
    });
  });
})();
