// The inspections' pages: the print button of the report, and the commune picker of a new visit.
// Everything works without this script: the browser's own Print command, and every commune listed
// (the server refuses one that did not exist on the visit date, with the reason).
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  var picker = document.querySelector("[data-commune-picker]");
  if (!picker) { return; }
  var form = picker.closest("form");
  var group = form.querySelector("select[name=group]");
  var day = form.querySelector("input[name=date]");
  var search = picker.querySelector("input[type=search]");
  var count = picker.querySelector("[data-chosen-count]");
  var items = Array.prototype.slice.call(picker.querySelectorAll("li[data-code]"));

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function provinceOfGroup() {
    if (!group || !group.value) { return ""; }
    var option = group.options[group.selectedIndex];
    return option ? option.getAttribute("data-province") || "" : "";
  }

  function update() {
    var province = provinceOfGroup();
    var date = day && day.value ? day.value : "";
    var words = fold(search ? search.value : "").split(/\s+/).filter(Boolean);
    var chosen = 0;
    items.forEach(function (item) {
      var box = item.querySelector("input");
      var from = item.getAttribute("data-from");
      var to = item.getAttribute("data-to");
      var existed = !date || ((!from || from <= date) && (!to || date <= to));
      var inProvince = !province || item.getAttribute("data-province") === province;
      var text = item.getAttribute("data-search");
      var matches = words.every(function (w) { return text.indexOf(w) !== -1; });
      // A ticked box stays in sight, so nothing is sent that the inspector cannot see.
      item.hidden = !box.checked && !(existed && inProvince && matches);
      if (box.checked) { chosen += 1; }
    });
    if (count) { count.textContent = String(chosen); }
  }

  items.forEach(function (item) {
    item.setAttribute("data-search", fold(item.textContent));
    item.querySelector("input").addEventListener("change", update);
  });
  [group, day, search].forEach(function (input) {
    if (input) { input.addEventListener("input", update); input.addEventListener("change", update); }
  });
  update();
})();
