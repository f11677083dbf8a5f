// ZI Public — pengaduan pages. Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Anonim keeps no identity: hide the identity fields while it is chosen (the server ignores them anyway).
    var group = document.querySelector("[data-identity-fields]");
    var radios = document.querySelectorAll("input[name=identity]");
    function syncIdentity() {
      var anonim = document.querySelector("input[name=identity][value=anonim]:checked");
      if (group) { group.hidden = Boolean(anonim); }
    }
    radios.forEach(function (radio) { radio.addEventListener("change", syncIdentity); });
    syncIdentity();

    // A second click while the first submission travels would only find the same complaint.
    var form = document.querySelector("form[data-pengaduan-form]");
    if (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
        form.setAttribute("data-sent", "1");
        form.querySelectorAll("[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
      });
    }

    // Print buttons are hidden until this script can make them work.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
