// WageWatch page behaviour that htmx attributes cannot express; no inline script anywhere (CSP).
(function () {
  "use strict";

  // A <dialog> swapped into #dialog-host opens as a modal.
  function openDialogs(root) {
    (root || document).querySelectorAll("#dialog-host dialog:not([open])").forEach(function (d) {
      if (typeof d.showModal === "function") { d.showModal(); }
    });
  }

  function closeDialogs() {
    document.querySelectorAll("#dialog-host dialog").forEach(function (d) {
      if (d.open) { d.close(); }
      d.remove();
    });
  }

  document.addEventListener("htmx:after:swap", function () { openDialogs(); });
  document.addEventListener("DOMContentLoaded", function () { openDialogs(); });
  // The server closes a dialog by sending HX-Trigger: dialog-closed after a successful POST.
  document.body && document.body.addEventListener("dialog-closed", closeDialogs);
  document.addEventListener("dialog-closed", closeDialogs);

  document.addEventListener("click", function (event) {
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) { event.preventDefault(); closeDialogs(); }
  });

  // Selection-driven toolbar buttons: enabled only while a row is selected; they carry the row's URL.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches("input[data-row-select]")) { return; }
    var scope = input.closest("[data-selection-scope]") || document;
    scope.querySelectorAll("[data-needs-selection]").forEach(function (button) {
      var url = input.getAttribute("data-" + button.getAttribute("data-needs-selection"));
      button.disabled = !url;
      if (url) { button.setAttribute("hx-get", url); button.setAttribute("formaction", url); if (window.htmx) { htmx.process(button); } }
    });
  });
})();

// 工程现场管理: a selector marked data-close-outside closes when the user clicks anywhere outside it.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-close-outside][open]").forEach(function (selector) {
      if (!selector.contains(event.target)) { selector.open = false; }
    });
  });
})();
