// Passbook Connect: posts the widget's events to the host page, announces form submissions,
// filters the institution list, moves the focus to what changed, polls a pending login and
// follows the redirect on success. The page works without it, except for the events.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("pb-data").textContent);
  var host = window.parent !== window ? window.parent : window.opener;

  // post sends ev to the host page when the host's origin is one the customer allows: the
  // browser delivers a message only when the target origin matches the host's real origin.
  function post(ev) {
    if (!host) return;
    data.origins.forEach(function (origin) {
      try { host.postMessage(ev, origin); } catch (e) { /* closed or gone */ }
    });
  }
  data.events.forEach(post);

  var status = document.getElementById("pb-status");

  document.querySelectorAll("form[data-step]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var ev = { step: form.getAttribute("data-step") };
      if (data.institution) ev.institution = data.institution;
      post(ev);
      if (status) status.textContent = data.busy;
      form.setAttribute("aria-busy", "true");
      // Disable after the submission has read the button, so a double click sends nothing more.
      setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });

  document.querySelectorAll("[data-close]").forEach(function (b) {
    b.addEventListener("click", function () {
      post({ step: "COMPONENT_CLOSE_SESSION", institution: data.institution || undefined });
    });
  });

  var search = document.getElementById("pb-search");
  var list = document.getElementById("pb-institutions");
  if (search && list) {
    var empty = document.getElementById("pb-empty");
    var filter = function () {
      var q = search.value.trim().toLowerCase();
      var shown = 0;
      list.querySelectorAll("li").forEach(function (li) {
        var match = li.getAttribute("data-name").toLowerCase().indexOf(q) !== -1;
        li.hidden = !match;
        if (match) shown++;
      });
      if (empty) empty.hidden = shown !== 0;
    };
    search.addEventListener("input", filter);
    filter();
  }

  // Focus: the error when there is one, else the first empty field, else the heading.
  var err = document.getElementById("pb-error");
  var field = document.querySelector("main input:not([type=hidden]):not([value]), main input[value='']");
  var heading = document.getElementById("pb-heading");
  if (err) err.focus();
  else if (field && !search) field.focus();
  else if (heading) heading.focus();

  if (data.poll) {
    var poll = document.getElementById("pb-poll");
    setTimeout(function () { poll.requestSubmit(); }, 1000);
  }

  if (data.redirect) {
    if (data.redirectTop) {
      try { window.top.location.href = data.redirect; } catch (e) { location.href = data.redirect; }
    } else {
      location.href = data.redirect;
    }
  }
})();
