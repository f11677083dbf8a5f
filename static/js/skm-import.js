// ZI Public — SKM paper-form import: the upload's real progress, then a "processing" state while the server
// checks and imports the rows. Progressive enhancement only: without this file, or in a browser without
// XMLHttpRequest upload events, the form is a plain POST that gives the same pages.
(function () {
  "use strict";

  function setup() {
    var form = document.querySelector("form[data-skm-import]");
    if (!form || !window.FormData || !window.DOMParser || !("upload" in new XMLHttpRequest())) { return; }
    var box = form.querySelector("[data-import-progress]");
    var bar = box && box.querySelector("progress");
    var status = box && box.querySelector("[data-import-status]");
    var input = form.querySelector("input[type=file]");
    var button = form.querySelector("[type=submit]");
    if (!box || !bar || !status || !input) { return; }

    form.addEventListener("submit", function (event) {
      if (!input.files || !input.files.length) { return; }  // the server names what is missing
      event.preventDefault();
      if (form.getAttribute("data-sending")) { return; }  // a second click would only send the same file
      form.setAttribute("data-sending", "1");
      if (button) { button.disabled = true; }
      box.hidden = false;
      bar.max = 100;
      bar.value = 0;
      status.textContent = form.getAttribute("data-uploading");

      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        var percent = Math.floor((e.loaded * 100) / e.total);
        bar.value = percent;
        status.textContent = form.getAttribute("data-uploading") + " " + percent + "%";
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value");  // indeterminate: the server reads, checks and imports the rows now
        status.textContent = form.getAttribute("data-processing");
      });
      xhr.addEventListener("load", function () { show(xhr); });
      xhr.addEventListener("error", failed);
      xhr.addEventListener("abort", failed);
      xhr.send(new FormData(form));

      function failed() {
        form.removeAttribute("data-sending");
        if (button) { button.disabled = false; }
        bar.value = 0;
        status.textContent = form.getAttribute("data-failed");
      }
    });
  }

  // The answer is a whole page (the import, the list of wrong cells, or the form again with its message):
  // show it as if the browser had posted the form, and keep its address when it came from a redirect.
  function show(xhr) {
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    if (xhr.responseURL && xhr.responseURL !== window.location.href) {
      window.history.replaceState(null, "", xhr.responseURL);
    }
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
    window.scrollTo(0, 0);
    var first = document.querySelector(".error-summary, #already-imported, .flashes");
    if (first) {
      if (!first.hasAttribute("tabindex")) { first.setAttribute("tabindex", "-1"); }
      first.focus();
    }
    setup();
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
