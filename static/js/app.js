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

// A change confirmed by the server (HX-Trigger message-flashed) is told in #flash, as the no-JS redirect flashes it.
(function () {
  "use strict";
  function show(event) {
    var detail = event.detail || {};
    var flash = document.getElementById("flash");
    if (!flash || !detail.message) { return; }
    var note = document.createElement("p");
    note.className = "flash flash-" + (detail.level || "info");
    note.setAttribute("role", "status");
    note.textContent = detail.message;
    flash.replaceChildren(note);
  }
  document.addEventListener("message-flashed", show);
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

// Dialog drafts: what was typed in a dialog that is closed without being saved (Escape, 关闭) is kept and put
// back when the same dialog opens again; a save confirmed by the server (message-flashed) forgets it.
(function () {
  "use strict";
  // kept in sessionStorage: a draft survives a reload of the tab, and stays in this tab only
  var KEY = "wagewatch-dialog-drafts";
  var drafts = {};
  try { drafts = JSON.parse(sessionStorage.getItem(KEY) || "{}"); } catch (e) { drafts = {}; }
  function save() { try { sessionStorage.setItem(KEY, JSON.stringify(drafts)); } catch (e) { /* full or off */ } }

  function fieldsOf(form) {
    return form.querySelectorAll("textarea, input[type=radio]:checked, input[type=text]");
  }

  function keep(dialog) {
    var form = dialog.querySelector("form[id]");
    if (!form || dialog.dataset.saved) { return; }
    var values = {};
    var typed = false;
    fieldsOf(form).forEach(function (field) {
      values[field.name] = field.value;
      if (field.tagName === "TEXTAREA" && field.value.trim()) { typed = true; }
    });
    if (typed) { drafts[form.id] = values; } else { delete drafts[form.id]; }
    save();
  }

  function restore(dialog) {
    var form = dialog.querySelector("form[id]");
    var values = form && drafts[form.id];
    if (!values || form.querySelector(".error")) { return; }
    Object.keys(values).forEach(function (name) {
      form.querySelectorAll("[name='" + name + "']").forEach(function (field) {
        if (field.type === "radio") { field.checked = field.value === values[name]; } else { field.value = values[name]; }
      });
    });
    var note = document.createElement("p");
    note.className = "hint draft-restored";
    note.textContent = "已恢复上次关闭时未提交的内容。";
    (form.querySelector(".body") || form).prepend(note);
  }

  document.addEventListener("close", function (event) {
    if (event.target.matches && event.target.matches("#dialog-host dialog")) { keep(event.target); }
  }, true);
  document.addEventListener("message-flashed", function () {
    document.querySelectorAll("#dialog-host dialog form[id]").forEach(function (form) {
      delete drafts[form.id];
      form.closest("dialog").dataset.saved = "1";
    });
    save();
  });
  function restoreAll() {
    document.querySelectorAll("#dialog-host dialog:not([data-restored])").forEach(function (dialog) {
      dialog.dataset.restored = "1";
      restore(dialog);
    });
  }
  document.addEventListener("htmx:after:swap", restoreAll);
})();

// A request that fails — no network, no answer in time, a 5xx — is told in words where the user acted (in the
// dialog, or above the list it was to refresh), with 重试 resending it; what was typed stays. A decision resent
// after an unknown outcome is never applied twice: the server answers 409 (already decided) then.
(function () {
  "use strict";
  function messageFor(ctx, error) {
    var status = ctx.response && ctx.response.status;
    if (status >= 500) { return "服务器暂时无法处理（错误 " + status + "），操作未完成。"; }
    if (error && (error === "timeout" || (ctx.request && ctx.request.signal && ctx.request.signal.reason === "timeout"))) {
      return "服务器长时间没有响应，无法确认操作是否已完成。重试时已完成的操作不会重复执行。";
    }
    return "网络连接中断，操作未提交。请检查网络后重试。";
  }

  function placeFor(ctx) {
    var source = ctx.sourceElement;
    var dialog = source && source.closest && source.closest("dialog");
    if (dialog) { return { inside: dialog.querySelector(".body") || dialog.querySelector("form") || dialog }; }
    var target = typeof ctx.target === "string" ? document.querySelector(ctx.target) : ctx.target;
    if (target && target.id && target.id !== "dialog-host" && target.closest("main")) { return { before: target }; }
    var block = source && source.closest && source.closest("form, section, .toolbar, nav");
    return { before: block || document.getElementById("flash") };
  }

  function retry(ctx) {
    var source = ctx.sourceElement;
    if (source && source.tagName === "FORM") { source.requestSubmit(); return; }
    if (source && (source.tagName === "A" || source.tagName === "BUTTON") && source.isConnected) { source.click(); return; }
    htmx.ajax(ctx.request.method, ctx.request.action, { source: source, target: ctx.target, swap: ctx.swap });
  }

  function tell(ctx, error) {
    var place = placeFor(ctx);
    var anchor = place.inside || place.before;
    if (!anchor) { return; }
    var id = (place.before && place.before.id ? place.before.id : "request") + "-failed";
    var old = document.getElementById(id);
    if (old) { old.remove(); }
    var box = document.createElement("div");
    box.className = "request-failed";
    box.id = id;
    box.setAttribute("role", "alert");
    var text = document.createElement("span");
    text.textContent = messageFor(ctx, error);
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "重试";
    button.addEventListener("click", function () { box.remove(); retry(ctx); });
    box.append(text, button);
    if (place.inside) { place.inside.prepend(box); } else { anchor.before(box); }
  }

  function clear(ctx) {
    var place = placeFor(ctx);
    var box = place.inside ? place.inside.querySelector(":scope > .request-failed")
      : place.before && document.getElementById((place.before.id || "request") + "-failed");
    if (box) { box.remove(); }
  }

  document.addEventListener("htmx:after:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (!ctx || !ctx.response) { return; }
    if (ctx.response.status >= 500) {
      event.preventDefault();  // a proxy's or the server's error page never replaces the list or the dialog
      tell(ctx);
    } else {
      clear(ctx);
    }
  });
  document.addEventListener("htmx:error", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (ctx && !ctx.response) { tell(ctx, event.detail.error); }
  });
})();
