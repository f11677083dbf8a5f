// ZI Public kiosk — idle reset, print, small touch helps. Every page still works without it.
(function () {
  "use strict";
  var WARN_BEFORE = 15; // seconds of warning before an idle reset

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.body;
    var idle = parseInt(body.getAttribute("data-kiosk-idle") || "0", 10);
    var restart = document.getElementById("kiosk-restart");
    var note = document.getElementById("kiosk-idle-note");
    var resetTimer = null;
    var warnTimer = null;

    function reset() { restart.submit(); }

    function arm(seconds) {
      clearTimeout(resetTimer);
      clearTimeout(warnTimer);
      if (note) { note.classList.remove("is-warning"); }
      resetTimer = setTimeout(reset, seconds * 1000);
      if (note && seconds > WARN_BEFORE) {
        warnTimer = setTimeout(function () { note.classList.add("is-warning"); }, (seconds - WARN_BEFORE) * 1000);
      }
    }

    if (idle > 0 && restart) {
      // The start page waits for a first touch (nothing to forget before that), unless the
      // last person left it in another language.
      var armed = !body.hasAttribute("data-kiosk-home") || body.hasAttribute("data-kiosk-armed");
      ["pointerdown", "touchstart", "keydown", "input", "wheel"].forEach(function (type) {
        document.addEventListener(type, function () { armed = true; arm(idle); }, { passive: true, capture: true });
      });
      if (armed) { arm(idle); }
    }

    // Receipt: print on request; after printing, go back to the start sooner.
    var printButton = document.querySelector("[data-kiosk-print]");
    if (printButton) {
      printButton.hidden = false;
      printButton.addEventListener("click", function () { window.print(); });
      var afterPrint = parseInt(body.getAttribute("data-kiosk-after-print") || "0", 10);
      window.addEventListener("afterprint", function () {
        if (afterPrint > 0 && restart) { arm(afterPrint); }
      });
    }

    // Anonymous reports keep no identity: fold the identity fields away when anonim is chosen.
    var identityFields = document.querySelector("[data-kiosk-identity-fields]");
    var identityChoices = document.querySelectorAll("[data-kiosk-identity]");
    function showIdentity() {
      var anonymous = false;
      identityChoices.forEach(function (el) { if (el.checked && el.value === "anonim") { anonymous = true; } });
      identityFields.hidden = anonymous;
    }
    if (identityFields && identityChoices.length) {
      identityChoices.forEach(function (el) { el.addEventListener("change", showIdentity); });
      showIdentity();
    }

    // One tap sends once: a second tap on a slow network must not look like nothing happened.
    document.querySelectorAll("[data-kiosk-once]").forEach(function (button) {
      var form = button.form;
      if (!form) { return; }
      form.addEventListener("submit", function () {
        // Disable after the submit has captured the button's value.
        setTimeout(function () {
          button.disabled = true;
          button.value = button.getAttribute("data-kiosk-once");
        }, 0);
      });
    });

    // Announce form errors: move focus to their summary.
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
