// The review desk's few behaviours. Every page works without them.
(function () {
  "use strict";
  // Filters of the list apply as soon as they change.
  document.querySelectorAll("form.filters select").forEach(function (s) {
    s.addEventListener("change", function () { s.form.requestSubmit ? s.form.requestSubmit() : s.form.submit(); });
  });

  // Evidence: a signal of the legend shows its box on the page (scrolled to, zoomed in,
  // outlined) and the transaction row it concerns.
  var current = null;
  function show(n) {
    var box = document.getElementById("box-" + n);
    var item = document.querySelector('[data-signal="' + n + '"]');
    document.querySelectorAll(".box.active, .legend .active, tr.highlight").forEach(function (e) {
      e.classList.remove("active"); e.classList.remove("highlight");
    });
    document.querySelectorAll(".page.zoomed").forEach(function (p) { p.classList.remove("zoomed"); });
    if (current === n) { current = null; return; }
    current = n;
    if (item) item.classList.add("active");
    if (box) {
      box.classList.add("active");
      var page = box.closest(".page");
      var frame = page.closest(".frame");
      var vb = box.ownerSVGElement.viewBox.baseVal;
      page.classList.add("zoomed"); // twice as wide, inside a frame that scrolls
      var x = (+box.getAttribute("x") + box.getAttribute("width") / 2) / vb.width * page.offsetWidth;
      var y = (+box.getAttribute("y") + box.getAttribute("height") / 2) / vb.height * page.offsetHeight;
      frame.scrollIntoView({block: "nearest"});
      frame.scrollLeft = Math.max(0, x - frame.clientWidth / 2);
      frame.scrollTop = Math.max(0, y - frame.clientHeight / 2);
    }
    var rowID = item && item.getAttribute("data-row");
    var row = rowID && document.getElementById(rowID);
    if (row) {
      row.classList.add("highlight");
      var panel = row.closest(".txpanel");
      if (panel) panel.scrollTop = row.offsetTop - panel.clientHeight / 2;
    }
  }
  document.querySelectorAll("[data-signal]").forEach(function (b) {
    b.addEventListener("click", function () { show(b.getAttribute("data-signal")); });
  });
  document.querySelectorAll(".box").forEach(function (b) {
    b.addEventListener("click", function () { show(b.id.slice(4)); });
  });
})();
