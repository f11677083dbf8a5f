// ZI Public — progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Move keyboard and screen-reader focus to the list of form errors, so they are announced.
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
    // Ask before a destructive action (buttons marked data-confirm).
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
