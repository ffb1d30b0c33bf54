/* Small behaviours every page may use; no inline scripts (the CSP forbids them). */
(function () {
  "use strict";
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el.matches && el.matches("[data-autosubmit]")) { el.form.submit(); }
  });
  document.addEventListener("click", function (ev) {
    if (ev.target.matches && ev.target.matches("[data-print]")) { window.print(); }
    // "返回上一页" on the error pages: back in the history when there is one, else the link's own target (首页).
    if (ev.target.matches && ev.target.matches("[data-back]") && window.history.length > 1) { ev.preventDefault(); window.history.back(); }
  });

  // A job page polls its status until the job has finished, then reloads once to show the result. One status
  // line: the status, the engine's phase while it runs, and the time it has taken.
  function pollJob(box) {
    var url = box.getAttribute("data-job-status");
    function set(name, value) {
      box.parentNode.querySelectorAll('[data-field="' + name + '"]').forEach(function (el) {
        if (el.tagName === "PROGRESS") { el.value = value; } else { el.textContent = value; }
      });
    }
    function show(testid, on) {
      var el = box.querySelector('[data-testid="' + testid + '"]');
      if (el) { el.hidden = !on; }
    }
    function tick() {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
        set("status_label", s.status_label); set("phase", s.phase); set("progress", s.progress);
        set("progress-text", s.progress + "%"); set("elapsed", s.elapsed); set("log_tail", s.log_tail);
        show("job-phase", !!s.phase); show("job-elapsed", !!s.elapsed);
        box.setAttribute("data-status", s.status);
        var bar = box.querySelector("progress");
        if (bar) { bar.className = s.status; }
        if (s.finished) { window.location.reload(); } else { setTimeout(tick, 1000); }
      }).catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, 500);
  }
  // On a phone a long menu folds behind the 菜单 button (site.css); without scripts it stays open.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("[data-menu-toggle]") : null;
    if (!btn) { return; }
    var header = btn.closest("header");
    var open = header.classList.toggle("open");
    btn.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("header.top").forEach(function (h) { h.classList.add("js-menu"); });
    document.querySelectorAll("[data-job-status]").forEach(function (box) {
      if (box.getAttribute("data-finished") !== "1") { pollJob(box); }
    });
  });
})();
