// ZI Public kiosk — idle reset, print, small touch helps. Every page still works without it.
(function () {
  "use strict";
  var ANNOUNCE_AT = [10, 5]; // besides the start, the seconds left that the live region reads out

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.body;
    var idle = parseInt(body.getAttribute("data-kiosk-idle") || "0", 10);
    var warnFor = parseInt(body.getAttribute("data-kiosk-warn") || "0", 10);
    var restart = document.getElementById("kiosk-restart");
    var warning = document.getElementById("kiosk-idle-warning");
    var count = document.getElementById("kiosk-idle-count");
    var announce = document.getElementById("kiosk-idle-announce");
    var carryOn = document.getElementById("kiosk-idle-continue");
    var resetTimer = null;
    var warnTimer = null;
    var tickTimer = null;
    var deadline = 0;
    var focusBefore = null;
    var announced = 0;

    function reset() { restart.submit(); }

    function secondsLeft() { return Math.max(1, Math.ceil((deadline - Date.now()) / 1000)); }

    function sentence(n) {
      return n === 1 ? count.getAttribute("data-one") : count.getAttribute("data-many").replace("{n}", String(n));
    }

    // The number on screen follows the clock, not a count of ticks (a busy or throttled page still resets on time).
    function tick(first) {
      var left = secondsLeft();
      count.textContent = sentence(left);
      if (announce && left !== announced && (first || ANNOUNCE_AT.indexOf(left) >= 0)) {
        announced = left;
        announce.textContent = sentence(left);
      }
    }

    function showWarning() {
      focusBefore = document.activeElement;
      warning.hidden = false;
      body.classList.add("is-idle-warning");
      tick(true);
      tickTimer = setInterval(function () { tick(false); }, 250);
      carryOn.focus({ preventScroll: true });
    }

    function hideWarning() {
      clearInterval(tickTimer);
      if (!warning || warning.hidden) { return; }
      warning.hidden = true;
      body.classList.remove("is-idle-warning");
      if (announce) { announce.textContent = ""; }
      announced = 0;
    }

    function arm(seconds) {
      clearTimeout(resetTimer);
      clearTimeout(warnTimer);
      hideWarning();
      deadline = Date.now() + seconds * 1000;
      resetTimer = setTimeout(reset, seconds * 1000);
      // No warning when the whole wait is shorter than it (the SKM thank-you page, after printing a receipt).
      if (warning && count && carryOn && warnFor > 0 && seconds > warnFor) {
        warnTimer = setTimeout(showWarning, (seconds - warnFor) * 1000);
      }
    }

    if (idle > 0 && restart) {
      // The start page waits for a first touch (nothing to forget before that), unless the
      // last person left it in another language.
      var armed = !body.hasAttribute("data-kiosk-home") || body.hasAttribute("data-kiosk-armed");
      ["pointerdown", "touchstart", "keydown", "input", "wheel"].forEach(function (type) {
        document.addEventListener(type, function (event) {
          // A touch on the warning itself is left to its button: hiding the warning under a finger would
          // send the click to whatever lies beneath it.
          if (warning && !warning.hidden && warning.contains(event.target)) { return; }
          armed = true;
          arm(idle);
        }, { passive: true, capture: true });
      });
      if (carryOn) {
        // "Lanjutkan": the page stays as it is, with everything typed, and the person is back where they were.
        carryOn.addEventListener("click", function () {
          arm(idle);
          if (focusBefore && focusBefore !== document.body && document.contains(focusBefore)) {
            focusBefore.focus({ preventScroll: true });
          }
        });
      }
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
