// The demo page's own listener: it shows each event the widget posts, as received.
(function () {
  "use strict";
  var list = document.getElementById("pb-events");
  window.addEventListener("message", function (e) {
    if (e.origin !== window.location.origin || !e.data || typeof e.data !== "object") return;
    var li = document.createElement("li");
    var step = document.createElement("strong");
    step.textContent = e.data.step || "(no step)";
    li.appendChild(step);
    if (e.data.flinksCode) {
      li.className = "error";
      li.appendChild(document.createTextNode(" flinksCode=" + e.data.flinksCode));
    }
    var pre = document.createElement("code");
    pre.textContent = JSON.stringify(e.data);
    li.appendChild(document.createElement("br"));
    li.appendChild(pre);
    list.appendChild(li);
  });
})();
