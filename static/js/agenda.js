/* Agenda: "Copier l'adresse" / "Copier le code" buttons of the subscribe and embed blocks (progressive
   enhancement). */
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("[data-abonnement], [data-integration]").forEach(function (bloc) {
    var bouton = bloc.querySelector("[data-copie]");
    var source = bloc.querySelector("[data-copie-source]");
    var etat = bloc.querySelector("[data-copie-etat]");
    if (!bouton || !source) { return; }
    bouton.hidden = false;
    bouton.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        if (etat) { etat.textContent = bloc.getAttribute("data-copie-message") || "Adresse copiée."; }
      }, function () {
        source.select();
        if (etat) { etat.textContent = "Sélectionnez l'adresse et copiez-la (Ctrl+C)."; }
      });
    });
  });
})();

/* Agenda: the folded filters open by themselves on wide screens, where they sit beside the results. */
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(min-width: 60rem)").matches) { return; }
  document.querySelectorAll("[data-filtres-repli]").forEach(function (repli) { repli.open = true; });
})();
