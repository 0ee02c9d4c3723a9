// Behaviour of every page. No inline scripts anywhere (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    // Selects marked data-autosubmit submit their form on change (the school-year picker).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // Buttons marked data-confirm ask before submitting (locking a year, revealing an ID).
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
  // A checkbox marked data-select-all="NAME" ticks every checkbox NAME of its form; unticking one
  // of them unticks it (it is a choice of its own: "all", including rows not listed). Delegated,
  // since the import preview arrives by htmx; form.elements holds inputs tied by form="…" too.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox" || !box.form) return;
    var controls = Array.prototype.slice.call(box.form.elements);
    var group = box.getAttribute("data-select-all");
    if (group) {
      controls.forEach(function (item) {
        if (item.type === "checkbox" && item.name === group) item.checked = box.checked;
      });
    } else if (!box.checked) {
      controls.forEach(function (all) {
        if (all.getAttribute && all.getAttribute("data-select-all") === box.name) all.checked = false;
      });
    }
  });
  // htmx sends the CSRF token with every request it makes.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) event.detail.headers["X-CSRFToken"] = token.value;
  });
})();
