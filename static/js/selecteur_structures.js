/* Co-carrier structures picker of the proposal form: progressive enhancement of the multiple select
   (kept in the HTML, used as is without JavaScript) into a WAI-ARIA combobox (search as you type, arrows,
   Enter, Escape) backed by /propositions/structures.json; the chosen structures become removable buttons,
   each with a hidden input of the select's name. Texts come from the data-* attributes (translated). */
(function () {
  "use strict";

  function creer(balise, attributs, texte) {
    var el = document.createElement(balise);
    Object.keys(attributs || {}).forEach(function (cle) { el.setAttribute(cle, attributs[cle]); });
    if (texte) { el.textContent = texte; }
    return el;
  }

  function initialiser(racine) {
    var select = racine.querySelector("select[multiple]");
    if (!select || !window.fetch) { return; }
    var d = racine.dataset;
    var nom = select.name;
    var idListe = select.id + "_options";
    var champ = creer("input", {
      type: "text", id: select.id + "_recherche", role: "combobox", "aria-autocomplete": "list",
      "aria-expanded": "false", "aria-controls": idListe, autocomplete: "off", "class": "selecteur__champ"
    });
    if (select.getAttribute("aria-describedby")) {
      champ.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    }
    var liste = creer("ul", {id: idListe, role: "listbox", "class": "selecteur__options", "aria-label": d.options});
    liste.hidden = true;
    var puces = creer("ul", {"class": "selecteur__puces", "aria-label": d.choisies});
    var statut = creer("p", {"class": "sr-only", "aria-live": "polite"});
    var etiquette = racine.querySelector("label[for='" + select.id + "']");
    if (etiquette) { etiquette.htmlFor = champ.id; }
    var resultats = [];
    var actif = -1;
    var minuteur = null;
    var demande = 0;

    function choisis() {
      return Array.prototype.map.call(puces.querySelectorAll("input[type=hidden]"), function (i) { return i.value; });
    }

    function ajouterPuce(id, libelle) {
      if (choisis().indexOf(String(id)) !== -1) { return; }
      var li = creer("li", {"class": "selecteur__puce"});
      li.appendChild(creer("span", {}, libelle));
      var bouton = creer("button", {type: "button", "class": "selecteur__retirer",
        "aria-label": d.retirer.replace("%s", libelle)}, "×");
      bouton.addEventListener("click", function () {
        li.remove();
        statut.textContent = d.retiree.replace("%s", libelle);
        champ.focus();
      });
      li.appendChild(bouton);
      li.appendChild(creer("input", {type: "hidden", name: nom, value: String(id)}));
      puces.appendChild(li);
    }

    function fermer() {
      liste.hidden = true;
      champ.setAttribute("aria-expanded", "false");
      champ.removeAttribute("aria-activedescendant");
      actif = -1;
    }

    function activer(index) {
      var options = liste.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      actif = (index + options.length) % options.length;
      Array.prototype.forEach.call(options, function (o, i) { o.setAttribute("aria-selected", String(i === actif)); });
      champ.setAttribute("aria-activedescendant", options[actif].id);
      options[actif].scrollIntoView({block: "nearest"});
    }

    function choisir(index) {
      var r = resultats[index];
      if (!r) { return; }
      ajouterPuce(r.id, r.nom);
      statut.textContent = d.ajoutee.replace("%s", r.nom);
      champ.value = "";
      fermer();
    }

    function afficher(donnees) {
      var deja = choisis();
      resultats = donnees.filter(function (r) { return deja.indexOf(String(r.id)) === -1; });
      liste.textContent = "";
      resultats.forEach(function (r, i) {
        var option = creer("li", {role: "option", id: idListe + "_" + r.id, "aria-selected": "false",
          "class": "selecteur__option"}, r.commune ? r.nom + " (" + r.commune + ")" : r.nom);
        option.addEventListener("mousedown", function (e) { e.preventDefault(); });
        option.addEventListener("click", function () { choisir(i); champ.focus(); });
        liste.appendChild(option);
      });
      liste.hidden = !resultats.length;
      champ.setAttribute("aria-expanded", String(!!resultats.length));
      actif = -1;
      champ.removeAttribute("aria-activedescendant");
      statut.textContent = resultats.length ? d.resultats.replace("%s", resultats.length) : d.aucune;
    }

    function chercher() {
      var q = champ.value.trim();
      if (!q) { fermer(); return; }
      var numero = ++demande;
      fetch(d.url + "?q=" + encodeURIComponent(q), {headers: {Accept: "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (json) { if (numero === demande) { afficher(json.resultats || []); } })
        .catch(function () { statut.textContent = d.erreur; });
    }

    champ.addEventListener("input", function () {
      clearTimeout(minuteur);
      minuteur = setTimeout(chercher, 200);
    });
    champ.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (liste.hidden) { chercher(); } else { activer(actif + 1); }
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        if (!liste.hidden) { activer(actif - 1); }
      } else if (e.key === "Enter") {
        if (!liste.hidden) {
          e.preventDefault();  // choosing never submits the form
          choisir(actif === -1 ? 0 : actif);
        }
      } else if (e.key === "Escape") {
        if (!liste.hidden) { e.preventDefault(); fermer(); } else { champ.value = ""; }
      }
    });
    champ.addEventListener("blur", function () { setTimeout(fermer, 150); });

    Array.prototype.forEach.call(select.selectedOptions, function (o) { ajouterPuce(o.value, o.textContent); });
    // The select stays for who has no JavaScript; here it is hidden and disabled (never submitted).
    select.disabled = true;
    select.hidden = true;
    var zone = creer("div", {"class": "selecteur"});
    zone.appendChild(puces);
    zone.appendChild(champ);
    zone.appendChild(liste);
    zone.appendChild(statut);
    select.parentNode.insertBefore(zone, select.nextSibling);
  }

  document.querySelectorAll("[data-selecteur-structures]").forEach(initialiser);
}());
