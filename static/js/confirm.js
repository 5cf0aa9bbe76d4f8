/* The portal's one confirmation pattern: a Bootstrap modal that states the
   consequence (and the count) before an action that emails people or destroys
   something. No window.confirm, no inline scripts. The markup is described in
   templates/includes/confirm_modal.html. */
(function () {
  "use strict";

  var modalEl, modal, titleEl, bodyEl, footerEl, plainFooter;

  function setUp() {
    modalEl = document.getElementById("confirm-modal");
    if (!modalEl || typeof window.bootstrap === "undefined") { return false; }
    modal = window.bootstrap.Modal.getOrCreateInstance(modalEl);
    titleEl = modalEl.querySelector("#confirm-modal-title");
    bodyEl = modalEl.querySelector("[data-confirm-body]");
    footerEl = modalEl.querySelector("[data-confirm-footer]");
    plainFooter = footerEl.innerHTML;
    return true;
  }

  function open(title, bodyNodes, footerNodes) {
    titleEl.textContent = title || "Please confirm";
    bodyEl.replaceChildren.apply(bodyEl, bodyNodes);
    footerEl.replaceChildren.apply(footerEl, footerNodes);
    modal.show();
  }

  function confirmedInput() {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "confirmed";
    input.value = "yes";
    return input;
  }

  /* 1. A submit button with data-confirm-modal="consequence". */
  function askStatic(button) {
    var form = button.form;
    var text = document.createElement("p");
    text.className = "mb-0";
    text.textContent = button.getAttribute("data-confirm-modal");
    footerEl.innerHTML = plainFooter;
    var go = footerEl.querySelector("[data-confirm-go]");
    go.textContent = button.getAttribute("data-confirm-label") || button.textContent.trim() || "Confirm";
    go.className = "btn " + (button.getAttribute("data-confirm-style") === "primary" ? "btn-primary" : "btn-danger");
    go.addEventListener("click", function () {
      go.disabled = true;
      form.appendChild(confirmedInput());
      button.setAttribute("data-confirm-passed", "true");
      if (typeof form.requestSubmit === "function") { form.requestSubmit(button); } else { button.click(); }
    }, { once: true });
    open(button.getAttribute("data-confirm-title"), [text], Array.prototype.slice.call(footerEl.childNodes));
  }

  /* 2 and 3. A confirmation page fetched (GET for a link, POST for a previewed form):
     its summary and its form move into the modal. */
  function askRemote(request, fallback) {
    fetch(request.url, request.init)
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var summary = doc.querySelector("[data-confirm-summary]");
        var form = doc.querySelector("form[data-confirm-form]");
        if (!summary || !form) { fallback(); return; }
        var heading = doc.querySelector("h1");
        form.classList.remove("mt-3");
        form.classList.add("w-100", "justify-content-end");
        var footer = document.importNode(form, true);
        /* In the modal, the page's way back only closes the modal. */
        footer.querySelectorAll("a").forEach(function (a) { a.setAttribute("data-bs-dismiss", "modal"); });
        open(heading ? heading.textContent.trim() : "", [document.importNode(summary, true)], [footer]);
        var submit = footerEl.querySelector("button[type=submit]");
        if (submit) { submit.focus(); }
      })
      .catch(fallback);
  }

  function onClick(event) {
    var button = event.target.closest("button[data-confirm-modal]");
    if (button && button.form) {
      if (button.getAttribute("data-confirm-passed") === "true") { return; }
      event.preventDefault();
      askStatic(button);
      return;
    }
    var link = event.target.closest("a[data-confirm-url]");
    if (link) {
      event.preventDefault();
      askRemote({ url: link.href, init: { credentials: "same-origin" } }, function () {
        window.location.href = link.href;
      });
    }
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.hasAttribute("data-confirm-preview") || form.getAttribute("data-confirm-passed") === "true") { return; }
    event.preventDefault();
    askRemote({
      url: form.action || window.location.href,
      init: { method: "POST", body: new FormData(form), credentials: "same-origin" },
    }, function () {
      form.setAttribute("data-confirm-passed", "true");
      form.submit();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!setUp()) { return; }
    document.addEventListener("click", onClick);
    document.addEventListener("submit", onSubmit);
    modalEl.addEventListener("hidden.bs.modal", function () {
      document.querySelectorAll("[data-confirm-passed]").forEach(function (el) {
        if (el.tagName === "BUTTON") { el.removeAttribute("data-confirm-passed"); }
      });
    });
  });
})();
