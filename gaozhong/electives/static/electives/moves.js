// 调课 on the 课表 grid: a click on a lesson asks the server for every free slot and every swap (对调) of it,
// lights them up on the grid and lists them in the side panel; a click on a free slot moves the lesson, a click
// on a lesson offered for a swap swaps the two. Both go through the page's ordinary POST form, so the server
// checks, writes and audits exactly as for the page without scripts (the 调课 link on each lesson).
(function () {
  "use strict";

  function setup(grid) {
    var area = grid.closest(".kebiao-area");
    var panel = area.querySelector("[data-testid=move-panel]");
    var form = area.querySelector("form.move-form");
    var selected = null;
    var latest = 0;
    area.classList.add("scripted");  // a click on a lesson picks it: the 调课 link of the page without scripts can go

    function text(name, values) {
      var t = panel.querySelector('template[data-text="' + name + '"]');
      var s = t ? t.innerHTML.trim() : name;
      Object.keys(values || {}).forEach(function (k) { s = s.split("{" + k + "}").join(values[k]); });
      var box = document.createElement("textarea");  // the template holds escaped text: read it back as plain text
      box.innerHTML = s;
      return box.value;
    }
    function field(name) { return panel.querySelector('[data-field="' + name + '"]'); }
    function cell(day, period) { return grid.querySelector('td[data-slot="' + day + ":" + period + '"]'); }

    function clear() {
      grid.querySelectorAll(".free, .swap, .selected").forEach(function (el) { el.classList.remove("free", "swap", "selected"); });
      grid.querySelectorAll("[data-target]").forEach(function (el) { el.removeAttribute("data-target"); });
      grid.querySelectorAll(".pick-here").forEach(function (el) { el.parentNode.removeChild(el); });
      grid.querySelectorAll("td[title]").forEach(function (el) { el.removeAttribute("title"); });
      ["free", "swaps"].forEach(function (n) { field(n).textContent = ""; });
      panel.hidden = true;
      area.classList.remove("picking");
      selected = null;
    }

    function button(label, target, testid) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.setAttribute("data-target", target);
      if (testid) { b.setAttribute("data-testid", testid); }
      return b;
    }

    function list(box, title, items) {
      if (!items.length) { return; }
      var h = document.createElement("h3");
      h.textContent = title;
      box.appendChild(h);
      var ul = document.createElement("ul");
      ul.className = "pick-list";
      items.forEach(function (b) { var li = document.createElement("li"); li.appendChild(b); ul.appendChild(li); });
      box.appendChild(ul);
    }

    function show(data) {
      var les = data.lesson;
      field("title").textContent = les.code + " " + les.subject + " · " + les.label;
      field("status").textContent = (data.free.length || data.swaps.length)
        ? text("summary", { free: data.free.length, swaps: data.swaps.length }) : text("none");
      data.reasons.forEach(function (r) {
        var td = cell(r.day, r.period);
        if (td) { td.title = r.label + "：" + r.reasons.join("；"); }
      });
      var freeButtons = data.free.map(function (f) {
        var td = cell(f.day, f.period);
        if (td) {
          td.classList.add("free");
          td.setAttribute("data-target", f.value);
          var here = button(text("move-here"), f.value, "free-slot");
          here.className = "pick-here";
          here.title = f.label;
          td.appendChild(here);
        }
        return button(f.label + " · " + text("room", { room: f.room }), f.value, "free-option");
      });
      var swapButtons = data.swaps.map(function (s) {
        var name = s.other.code + " " + s.other.subject;
        var shown = grid.querySelector('.lesson[data-id="' + s.other.id + '"]');
        if (shown) {
          shown.classList.add("swap");
          shown.setAttribute("data-target", s.value);
          shown.title = text("swap", { other: name, slot: s.label });
        } else {
          var td = cell(s.day, s.period);
          if (td) {
            var here = button(text("swap-here") + " " + name, s.value, "swap-slot");
            here.className = "pick-here swap";
            td.appendChild(here);
          }
        }
        return button(text("swap", { other: name + " · " + s.other.teacher, slot: s.label }), s.value, "swap-option");
      });
      list(field("free"), text("free-title"), freeButtons);
      list(field("swaps"), text("swap-title"), swapButtons);
    }

    function select(les) {
      clear();
      selected = les;
      les.classList.add("selected");
      area.classList.add("picking");
      panel.hidden = false;
      field("title").textContent = les.getAttribute("data-code");
      field("status").textContent = text("loading");
      var mine = ++latest;  // an answer for an earlier click that arrives late is dropped
      fetch(les.getAttribute("data-options-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (mine !== latest || selected !== les) { return; }
          if (data.refusal) { field("status").textContent = data.refusal.join("；"); return; }
          show(data);
        })
        .catch(function () { if (mine === latest) { field("status").textContent = text("failed"); } });
    }

    function submit(target) {
      if (!selected) { return; }
      form.action = selected.getAttribute("data-move-url");
      form.querySelector("[name=target]").value = target;
      form.submit();
    }

    function onPick(ev) {
      var el = ev.target.closest ? ev.target.closest("[data-target]") : null;
      if (el && selected && (grid.contains(el) || panel.contains(el))) {
        ev.preventDefault();
        submit(el.getAttribute("data-target"));
        return true;
      }
      return false;
    }

    grid.addEventListener("click", function (ev) {
      var les = ev.target.closest(".lesson[data-options-url]");
      if (les && !les.hasAttribute("data-target")) {  // a lesson offered for a swap is a pick, any other one a selection
        ev.preventDefault();  // the 调课 link is the page without scripts
        if (les === selected) { clear(); } else { select(les); }
        return;
      }
      onPick(ev);
    });
    grid.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") {
        var les = ev.target.closest(".lesson[data-options-url]");
        if (les && ev.target === les) { ev.preventDefault(); les.click(); }
      }
    });
    panel.addEventListener("click", function (ev) {
      if (onPick(ev)) { return; }
      if (ev.target.closest("[data-action=cancel]")) { clear(); }
    });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && selected) { clear(); } });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.kebiao[data-movable]").forEach(setup);
  });
})();
