// WageWatch feedback that holds on every screen: confirmations in #flash, dialog drafts kept, failed requests
// told where the user acted with 重试. No inline script anywhere (CSP).
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
