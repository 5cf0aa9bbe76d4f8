// The meeting page's agenda: move items up and down without reloading the page,
// and the Print button. Without JavaScript the move forms post and the page reloads.
(function () {
  "use strict";

  function renumber(list) {
    var items = list.querySelectorAll("[data-agenda-item]");
    items.forEach(function (item, index) {
      var number = item.querySelector("[data-agenda-number]");
      if (number) { number.textContent = (index + 1) + "."; }
      var buttons = item.querySelectorAll("[data-agenda-move] button");
      if (buttons.length === 2) {
        buttons[0].disabled = index === 0;
        buttons[1].disabled = index === items.length - 1;
      }
    });
  }

  function applyOrder(list, order) {
    order.forEach(function (id) {
      var item = list.querySelector('[data-agenda-item="' + id + '"]');
      if (item) { list.appendChild(item); }
    });
    renumber(list);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-agenda-move]") || !window.fetch) { return; }
    var list = form.closest("[data-agenda]");
    if (!list) { return; }
    event.preventDefault();
    var button = event.submitter || form.querySelector("button");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value
      }
    }).then(function (response) {
      if (!response.ok) { throw new Error("move refused"); }
      return response.json();
    }).then(function (data) {
      applyOrder(list, data.order);
      if (button && !button.disabled) { button.focus(); }
    }).catch(function () {
      form.submit();  // fall back to the ordinary post and reload
    });
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
