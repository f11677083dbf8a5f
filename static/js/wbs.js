// ZI Public — WBS pages. Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // The receipt is shown once: warn before the page is left until the reporter confirms writing it down.
    var receiptPage = document.querySelector("[data-wbs-receipt]");
    var confirmForm = document.querySelector("form[data-wbs-confirm]");
    var confirmed = false;
    if (receiptPage) {
      window.addEventListener("beforeunload", function (event) {
        if (confirmed) { return undefined; }
        event.preventDefault();
        event.returnValue = "";  // browsers show their own words; the page says why
        return "";
      });
    }
    if (confirmForm) {
      confirmForm.addEventListener("submit", function (event) {
        var box = confirmForm.querySelector("input[type=checkbox]");
        if (box && !box.checked) { event.preventDefault(); box.focus(); return; }
        confirmed = true;
      });
    }

    // A second click while the first submission travels would only find the same report.
    document.querySelectorAll("form[data-wbs-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
        form.setAttribute("data-sent", "1");
        form.querySelectorAll("[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
      });
    });
  });
})();
