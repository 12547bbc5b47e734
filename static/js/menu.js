// Main menu on narrow screens: a disclosure button (aria-expanded, aria-controls) that shows or hides the
// menu's list. Without JavaScript the button stays hidden and the whole menu is displayed.
(function () {
  "use strict";
  var bouton = document.querySelector(".menu__bouton");
  if (!bouton) { return; }
  var liste = document.getElementById(bouton.getAttribute("aria-controls"));
  if (!liste) { return; }
  document.documentElement.classList.add("menu-replie");
  bouton.hidden = false;
  bouton.addEventListener("click", function () {
    var ouvert = bouton.getAttribute("aria-expanded") === "true";
    bouton.setAttribute("aria-expanded", ouvert ? "false" : "true");
    liste.classList.toggle("menu--ouvert", !ouvert);
  });
  document.addEventListener("keydown", function (evenement) {
    if (evenement.key === "Escape" && bouton.getAttribute("aria-expanded") === "true" && liste.contains(document.activeElement)) {
      bouton.setAttribute("aria-expanded", "false");
      liste.classList.remove("menu--ouvert");
      bouton.focus();
    }
  });
})();
