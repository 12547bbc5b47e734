// Check-in at an event's door (templates/evenements/organisateurs/emargement.html): each person's form is sent
// without reloading the page; the row is replaced by the server's, the count of people present is updated and
// the result announced. Without JavaScript the same forms post and the page comes back.
(function () {
  "use strict";
  var annonce = document.getElementById("annonce-emargement");
  function annoncer(texte, erreur) {
    if (!annonce) { return; }
    annonce.textContent = texte;
    annonce.className = "annonce-emargement message " + (erreur ? "message--error" : "message--success");
  }
  document.addEventListener("submit", function (evenement) {
    var form = evenement.target;
    if (!form.matches || !form.matches("form[data-emargement]")) { return; }
    evenement.preventDefault();
    var bouton = form.querySelector("button");
    if (bouton) { bouton.disabled = true; }
    // getAttribute: the form has an input named « action », which hides the form.action property.
    fetch(form.getAttribute("action"), {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"X-Requested-With": "fetch", "Accept": "application/json"}
    }).then(function (reponse) {
      return reponse.json();
    }).then(function (donnees) {
      var ligne = form.closest("li");
      if (donnees.ligne && ligne) {
        var modele = document.createElement("template");
        modele.innerHTML = donnees.ligne.trim();
        var nouvelle = modele.content.firstElementChild;
        ligne.replaceWith(nouvelle);
        var suivant = nouvelle.querySelector("button");
        if (suivant) { suivant.focus(); }
      } else if (bouton) {
        bouton.disabled = false;
      }
      document.querySelectorAll("[data-presents]").forEach(function (el) { el.textContent = donnees.presents; });
      annoncer(donnees.message, donnees.erreur);
    }).catch(function () {
      form.submit();  // the network or the answer failed: the ordinary form does it
    });
  });
})();
