// Organization pickers (members/widgets.py): a box above each one filters the
// organizations by name as one types. A select keeps its groups; checkboxes stay ticked
// when hidden by the filter. Loaded as a file: the Content Security Policy forbids inline scripts.
(function () {
  "use strict";

  function filterBox(label, onInput) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-2";
    input.placeholder = "Type to filter organizations";
    input.setAttribute("aria-label", label);
    input.addEventListener("input", function () { onInput(input.value.trim().toLowerCase()); });
    return input;
  }

  function setupSelect(select) {
    var label = select.labels[0] ? select.labels[0].textContent.replace(/\*/g, "").trim() : "this list";
    var box = filterBox("Filter the organizations of " + label,
      function (text) {
        var firstMatch = null;
        select.querySelectorAll("option").forEach(function (option) {
          var match = !option.value || option.textContent.toLowerCase().indexOf(text) !== -1;
          option.hidden = !match;
          option.disabled = !match && !option.selected;
          if (match && option.value && !firstMatch) { firstMatch = option; }
        });
        select.querySelectorAll("optgroup").forEach(function (group) {
          group.hidden = !group.querySelector("option:not([hidden])");
        });
        // Typing picks the first match unless the current choice still matches.
        var current = select.selectedOptions[0];
        if (text && firstMatch && (!current || !current.value || current.hidden)) {
          firstMatch.selected = true;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    select.parentNode.insertBefore(box, select);
  }

  function setupCheckboxes(inputs) {
    var first = inputs[0];
    var container = first.closest("[id^='div_id_']") || first.closest("fieldset") || first.parentNode.parentNode;
    var list = first.closest(".form-check") ? first.closest(".form-check").parentNode : container;
    list.style.maxHeight = "20rem";
    list.style.overflowY = "auto";
    var box = filterBox("Filter the organizations", function (text) {
      inputs.forEach(function (input) {
        var row = input.closest(".form-check") || input.parentNode;
        var label = row.textContent.toLowerCase();
        row.hidden = text !== "" && label.indexOf(text) === -1;
      });
    });
    list.parentNode.insertBefore(box, list);
  }

  document.querySelectorAll("select[data-org-picker]").forEach(setupSelect);
  var byName = {};
  document.querySelectorAll("input[type=checkbox][data-org-picker]").forEach(function (input) {
    (byName[input.name] = byName[input.name] || []).push(input);
  });
  Object.keys(byName).forEach(function (name) { setupCheckboxes(byName[name]); });

  // The invitation form: the new-organization fields only while none is picked.
  document.querySelectorAll("[data-new-organization]").forEach(function (fields) {
    var select = document.getElementById(fields.getAttribute("data-new-organization"));
    if (!select) { return; }
    function toggle() { fields.hidden = select.value !== ""; }
    select.addEventListener("change", toggle);
    toggle();
  });
})();
