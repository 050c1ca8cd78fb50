// Rule forms: «Добавить период» adds an empty row of dates to a repeatable list of periods.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-add-row]");
  if (!button) { return; }
  var list = document.getElementById(button.getAttribute("data-add-row"));
  var rows = list.querySelectorAll(".period-row");
  var row = rows[rows.length - 1].cloneNode(true);
  row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
  var number = row.querySelector(".row-number");
  if (number) { number.textContent = String(rows.length + 1); }
  var label = row.getAttribute("aria-label");
  if (label) { row.setAttribute("aria-label", label.replace(/\d+$/, String(rows.length + 1))); }
  list.appendChild(row);
  row.querySelector("input").focus();
});
