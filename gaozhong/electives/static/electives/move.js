// Instant clash check of a lesson move: ask the server what the chosen slot would break and show it.
(function () {
  "use strict";
  function setup(form) {
    var url = form.getAttribute("data-check-url");
    var out = form.querySelector("[data-testid=check-result]");
    var day = form.querySelector("[name=day]");
    var period = form.querySelector("[name=period]");
    var latest = 0;
    function check() {
      var mine = ++latest;  // answers to an earlier pick that arrive late are dropped
      out.className = "check";
      out.textContent = "…";
      fetch(url + "?day=" + encodeURIComponent(day.value) + "&period=" + encodeURIComponent(period.value), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (mine !== latest) { return; }
          out.textContent = "";
          var reasons = data.reasons || [];
          if (!reasons.length) {
            out.className = "check ok";
            out.textContent = out.getAttribute("data-ok") || "可以调到此课时 (no clash)";
            return;
          }
          out.className = "check error";
          var ul = document.createElement("ul");
          reasons.forEach(function (r) { var li = document.createElement("li"); li.textContent = r; ul.appendChild(li); });
          out.appendChild(ul);
        })
        .catch(function () { out.textContent = ""; });
    }
    day.addEventListener("change", check);
    period.addEventListener("change", check);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-check-url]").forEach(setup);
  });
})();
