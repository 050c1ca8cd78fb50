// Searchable selects: typing in an input[data-filter-for] hides the options of that select whose text
// does not contain what was typed (the office tree for a transfer, R.28). Without JavaScript the select
// works as it is.
document.addEventListener("input", function (event) {
  var box = event.target.closest("[data-filter-for]");
  if (!box) { return; }
  var select = document.getElementById(box.getAttribute("data-filter-for"));
  var needle = box.value.trim().toLowerCase();
  Array.prototype.forEach.call(select.options, function (option) {
    option.hidden = option.value !== "" && needle !== "" && option.text.toLowerCase().indexOf(needle) === -1;
  });
});
