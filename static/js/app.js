// WageWatch page behaviour that htmx attributes cannot express; no inline script anywhere (CSP).
(function () {
  "use strict";

  // A <dialog> swapped into #dialog-host opens as a modal; focus goes in (autofocus) and, when it closes
  // (Escape, 关闭, or the server's dialog-closed event), back to what opened it, or to the same id after a refresh.
  var opener = null;

  function openDialogs(root) {
    (root || document).querySelectorAll("#dialog-host dialog:not([open])").forEach(function (d) {
      if (typeof d.showModal !== "function") { return; }
      var active = document.activeElement;
      if ((!opener || opener.closed) && active && active !== document.body && !active.closest("dialog")) {
        opener = { element: active, id: active.id, closed: false };
      }
      d.addEventListener("close", function () { d.remove(); restoreFocus(); });
      d.showModal();
    });
  }

  function restoreFocus() {
    if (!opener || document.querySelector("#dialog-host dialog[open]")) { return; }
    opener.closed = true;
    var target = opener.element.isConnected ? opener.element : document.getElementById(opener.id);
    if (!target || target.disabled) {
      target = document.querySelector("[data-selection-scope] input[data-row-select]:checked") ||
        document.getElementById("main");
    }
    target.focus();
  }

  function closeDialogs() {
    document.querySelectorAll("#dialog-host dialog").forEach(function (d) {
      if (d.open) { d.close(); } else { d.remove(); }
    });
  }

  document.addEventListener("htmx:after:swap", function () {
    syncSelection();
    // The list that opened a dialog may be re-rendered after the dialog closed: focus the new twin.
    // Checked a moment later: the old element is removed after this event.
    if (opener && opener.closed) {
      var closed = opener;
      opener = null;
      setTimeout(function () {
        var active = document.activeElement;
        if (!opener && (!active || active === document.body || !active.isConnected || active.disabled)) {
          opener = closed;
          restoreFocus();
          opener = null;
        }
      }, 0);
    }
    openDialogs();
  });
  document.addEventListener("DOMContentLoaded", function () { openDialogs(); syncSelection(); });
  // The server closes a dialog by sending HX-Trigger: dialog-closed after a successful POST.
  document.body && document.body.addEventListener("dialog-closed", closeDialogs);
  document.addEventListener("dialog-closed", closeDialogs);

  document.addEventListener("click", function (event) {
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) { event.preventDefault(); closeDialogs(); }
  });

  // Selection-driven toolbar buttons: enabled only while a row is selected; they carry the row's URL.
  // Without JavaScript they stay enabled and submit the ticked row as an ordinary form.
  function syncSelection() {
    document.querySelectorAll("[data-selection-scope]").forEach(function (scope) {
      var input = scope.querySelector("input[data-row-select]:checked");
      scope.querySelectorAll("[data-needs-selection]").forEach(function (button) {
        var url = input && input.getAttribute("data-" + button.getAttribute("data-needs-selection"));
        button.disabled = !url;
        if (url && button.getAttribute("hx-get") !== url) {
          button.setAttribute("hx-get", url);
          if (window.htmx) { htmx.process(button); }
        }
      });
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("input[data-row-select]")) { syncSelection(); }
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

// Rows that open a detail pane on double-click (hx-trigger="dblclick") open it with Enter too. htmx trigger
// filters such as keyup[key=='Enter'] are evaluated as JavaScript, which the CSP (no 'unsafe-eval') refuses.
(function () {
  "use strict";
  document.addEventListener("keyup", function (event) {
    var row = event.target;
    if (event.key === "Enter" && row.matches && row.matches("tr[data-enter-opens]")) {
      row.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    }
  });
})();

// A filter bar marked by a 422 (the server sent only the form) is unmarked once a search from it succeeds:
// the table is swapped then, not the form.
(function () {
  "use strict";
  document.addEventListener("htmx:after:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    var source = ctx && ctx.sourceElement;
    if (!ctx.response || ctx.response.status >= 400 || !source || !source.closest) { return; }
    var form = source.closest("form.filter-bar");
    if (!form) { return; }
    form.querySelectorAll(".field.invalid").forEach(function (field) { field.classList.remove("invalid"); });
    form.querySelectorAll("[aria-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
    form.querySelectorAll("em.error, .filter-errors").forEach(function (node) { node.remove(); });
  });
})();

// The 区域 → 工程 selector: Escape closes it (focus back on its summary); opened, it shows the current project.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details[data-close-outside][open]").forEach(function (selector) {
      selector.open = false;
      var summary = selector.querySelector("summary");
      if (summary) { summary.focus(); }
    });
  });
  document.addEventListener("toggle", function (event) {
    var selector = event.target;
    if (!selector.matches || !selector.matches("details.selector") || !selector.open) { return; }
    var current = selector.querySelector("a[aria-current]");
    if (current) { current.scrollIntoView({ block: "nearest" }); }
  }, true);
})();
