// The menu is a <details> element, open in the page as served (it works without JavaScript);
// on a narrow screen it starts closed and opens on demand, on a wide one it stays open.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 800px)");
  function fit() {
    var menus = document.querySelectorAll("details.menu");
    for (var i = 0; i < menus.length; i++) { menus[i].open = !narrow.matches; }
  }
  document.addEventListener("DOMContentLoaded", fit);
  if (narrow.addEventListener) { narrow.addEventListener("change", fit); }
})();
