// ZI Public — gratifikasi pages. Progressive enhancement only: every page works without this file
// (the form's "Hitung tenggat" button renders the same deadline panel on the server).
(function () {
  "use strict";

  function checkedValue(form, name) {
    var chosen = form.querySelector("input[name=" + name + "]:checked");
    return chosen ? chosen.value : "";
  }

  function fieldValue(form, name) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.value : "";
  }

  function showLines(target, lines) {
    while (target.firstChild) { target.removeChild(target.firstChild); }
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.className = "panel-line " + line.tone;
      p.textContent = line.text;
      target.appendChild(p);
    });
  }

  function liveDeadlines(form) {
    var url = form.getAttribute("data-deadline-url");
    var target = form.querySelector("[data-deadline-lines]");
    if (!url || !target || !window.fetch) { return; }
    var preview = form.querySelector("[data-preview-button]");
    if (preview) { preview.hidden = true; }  // the panel follows the typing now
    var timer = null;
    var asked = 0;
    var pausedUntil = 0;  // after a 429: the panel keeps its message and the button until the server's wait is over

    function pause(response) {
      var seconds = parseInt(response.headers.get("Retry-After"), 10);
      pausedUntil = Date.now() + (seconds > 0 ? seconds : 60) * 1000;
      if (preview) { preview.hidden = false; }  // "Hitung tenggat" works out the panel on the server meanwhile
    }

    function refresh() {
      var receivedOn = fieldValue(form, "received_on");
      if (!receivedOn || Date.now() < pausedUntil) { return; }
      var query = new URLSearchParams({
        kind: checkedValue(form, "kind") || "diterima",
        received_on: receivedOn,
        gift_type: fieldValue(form, "gift_type"),
        value: fieldValue(form, "value_idr"),
        exemption: fieldValue(form, "exemption_code")
      });
      var mine = ++asked;
      fetch(url + "?" + query.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 429) { pause(response); }
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) {
          if (mine !== asked) { return; }  // a later question is on its way
          if (answer.ok) {
            showLines(target, answer.body.lines || []);
          } else if (answer.body && answer.body.error) {
            showLines(target, [{ tone: "warning", text: answer.body.error.message }]);
          }
        })
        .catch(function () { /* offline: the server-rendered panel and the button remain */
          if (preview) { preview.hidden = false; }
        });
    }

    function soon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 250);
    }

    ["received_on", "gift_type", "value_idr", "exemption_code"].forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      if (field) {
        field.addEventListener("input", soon);
        field.addEventListener("change", soon);
      }
    });
    form.querySelectorAll("input[name=kind]").forEach(function (radio) { radio.addEventListener("change", soon); });
  }

  function giftLocation(form) {
    // Where a refused gift is now means nothing (it was never held): hide the question (the server ignores it).
    var group = form.querySelector("[data-gift-location]");
    function sync() {
      if (group) { group.hidden = checkedValue(form, "kind") === "ditolak"; }
    }
    form.querySelectorAll("input[name=kind]").forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();
  }

  function oneSubmission(form) {
    // A second click while the first submission travels would only find the same report.
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.hasAttribute("data-preview-button")) { return; }
      if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      form.querySelectorAll("[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-gratifikasi-form]");
    if (form) {
      liveDeadlines(form);
      giftLocation(form);
      oneSubmission(form);
    }
    // Print buttons are hidden until this script can make them work.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
