/* The Markdown editor of long texts (templates/redaction/editeur.html, conseil_ess/redaction.py): progressive
   enhancement of a plain box, which works as is without JavaScript (with its « Prévisualiser » submit button).
   Adds a WAI-ARIA toolbar (one tab stop, arrows between buttons) whose buttons put Markdown around the selection,
   the shortcuts Ctrl+B, Ctrl+I, Ctrl+K (announced with aria-keyshortcuts), and an « Aperçu » toggle that shows
   the server's rendering (the same sanitized HTML as the page will show). Texts come from data-* attributes. */
(function () {
  "use strict";

  function annoncer(racine, texte) {
    var zone = racine.querySelector("p.editeur__annonce");
    zone.textContent = "";
    window.setTimeout(function () { zone.textContent = texte; }, 50);
  }

  // Put `avant`/`apres` around the selection (or a placeholder, then selected so that typing replaces it).
  function entourer(zone, avant, apres, exemple) {
    var debut = zone.selectionStart, fin = zone.selectionEnd, valeur = zone.value;
    var choisi = valeur.slice(debut, fin) || exemple;
    zone.setRangeText(avant + choisi + apres, debut, fin, "end");
    zone.setSelectionRange(debut + avant.length, debut + avant.length + choisi.length);
  }

  // Prefix each line of the selection (or the current line).
  function prefixer(zone, prefixe, exemple) {
    var valeur = zone.value;
    var debut = valeur.lastIndexOf("\n", zone.selectionStart - 1) + 1;
    var fin = valeur.indexOf("\n", zone.selectionEnd);
    if (fin === -1 || zone.selectionEnd < zone.selectionStart) { fin = valeur.length; }
    var vide = !valeur.slice(debut, fin).trim();
    var bloc = vide ? exemple : valeur.slice(debut, fin);
    var n = 0;
    var nouveau = bloc.split("\n").map(function (ligne) {
      n += 1;
      var sans = ligne.replace(/^(#{1,6} |[-*+] |\d+[.)] |> )/, "");
      return (typeof prefixe === "function" ? prefixe(n) : prefixe) + sans;
    }).join("\n");
    // A block starts after a blank line (else a list or a heading would be read as the paragraph's text).
    var avant = debut > 0 && valeur.slice(Math.max(0, debut - 2), debut) !== "\n\n" ? "\n" : "";
    zone.setRangeText(avant + nouveau, debut, fin, "end");
    // An empty line gets an example, selected so that typing replaces it; else the whole block is selected.
    var debutChoix = debut + avant.length + (vide ? nouveau.length - exemple.length : 0);
    zone.setSelectionRange(debutChoix, debut + avant.length + nouveau.length);
  }

  // Pasted rich content (a web page, Word): its structure as Markdown. DOMParser runs no script and loads
  // nothing; the server cleans the result anyway (the one sanitizer).
  var IGNORES = {SCRIPT: 1, STYLE: 1, HEAD: 1, TITLE: 1, META: 1, LINK: 1, XML: 1, TEMPLATE: 1, NOSCRIPT: 1,
                 IFRAME: 1, OBJECT: 1, IMG: 1, SVG: 1};

  function enLigne(noeud) {
    var morceaux = [];
    noeud.childNodes.forEach(function (n) {
      if (n.nodeType === 3) { morceaux.push(n.nodeValue.replace(/\s+/g, " ").replace(/([\\`*_\[\]])/g, "\\$1")); return; }
      if (n.nodeType !== 1 || IGNORES[n.nodeName.toUpperCase()] || n.nodeName.indexOf(":") !== -1) { return; }
      var nom = n.nodeName.toUpperCase(), texte = enLigne(n), coeur = texte.trim();
      if (nom === "BR") { morceaux.push("\n"); }
      else if ((nom === "B" || nom === "STRONG") && coeur) { morceaux.push(" **" + coeur + "** "); }
      else if ((nom === "I" || nom === "EM") && coeur) { morceaux.push(" *" + coeur + "* "); }
      else if (nom === "A" && /^(https?:|mailto:)/i.test(n.getAttribute("href") || "") && coeur) {
        morceaux.push("[" + coeur + "](" + n.getAttribute("href").replace(/[()\s]/g, encodeURIComponent) + ")");
      } else if (/^(P|DIV|H[1-6]|LI|UL|OL|BLOCKQUOTE|TABLE|TR)$/.test(nom)) { morceaux.push("\n\n" + blocs(n) + "\n\n"); }
      else if (nom === "TD" || nom === "TH") { morceaux.push(texte + " "); }
      else { morceaux.push(texte); }
    });
    return morceaux.join("");
  }

  function blocs(noeud) {
    var nom = noeud.nodeName.toUpperCase();
    var propre = function (t) { return t.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").replace(/ {2,}/g, " ").trim(); };
    if (/^H[1-6]$/.test(nom)) {
      return "#".repeat(Math.min(Math.max(+nom[1], 2), 4)) + " " + propre(enLigne(noeud)).replace(/\s*\n\s*/g, " ");
    }
    if (nom === "UL" || nom === "OL") {
      var n = 0;
      return Array.prototype.filter.call(noeud.children, function (e) { return e.nodeName.toUpperCase() === "LI"; })
        .map(function (li) {
          n += 1;
          var marque = nom === "OL" ? n + ". " : "- ";
          return marque + propre(enLigne(li)).replace(/\n\n/g, "\n").replace(/\n/g, "\n" + " ".repeat(marque.length));
        }).join("\n");
    }
    if (nom === "BLOCKQUOTE") {
      return propre(enLigne(noeud)).split("\n").map(function (l) { return l ? "> " + l : ">"; }).join("\n");
    }
    return propre(enLigne(noeud));
  }

  function collerEnMarkdown(zone, evt) {
    var donnees = evt.clipboardData;
    var html = donnees && donnees.types && Array.prototype.indexOf.call(donnees.types, "text/html") !== -1
      ? donnees.getData("text/html") : "";
    if (!html || !window.DOMParser) { return; }
    var document_ = new DOMParser().parseFromString(html, "text/html");
    var texte = blocs(document_.body);
    if (!texte) { return; }
    evt.preventDefault();
    zone.setRangeText(texte, zone.selectionStart, zone.selectionEnd, "end");
    zone.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function initialiser(racine) {
    if (racine.dataset.editeurPret) { return; }
    racine.dataset.editeurPret = "1";
    var d = racine.dataset;
    var zone = racine.querySelector("textarea");
    var barre = racine.querySelector("[role=toolbar]");
    var apercu = racine.querySelector(".editeur__apercu");
    var bascule = barre.querySelector("[data-action=apercu]");
    var boutons = Array.prototype.slice.call(barre.querySelectorAll("button"));
    var previsualiser = racine.querySelector(".editeur__previsualiser");
    if (!zone || !zone.setRangeText) { return; }
    barre.hidden = false;
    // The toggle replaces the no-JavaScript submit button (which would otherwise be the form's default button).
    if (previsualiser && window.fetch) { previsualiser.remove(); }

    boutons.forEach(function (bouton, i) { bouton.tabIndex = i === 0 ? 0 : -1; });
    barre.addEventListener("keydown", function (evt) {
      var i = boutons.indexOf(document.activeElement), cible = null;
      if (i < 0) { return; }
      if (evt.key === "ArrowRight") { cible = boutons[(i + 1) % boutons.length]; }
      else if (evt.key === "ArrowLeft") { cible = boutons[(i - 1 + boutons.length) % boutons.length]; }
      else if (evt.key === "Home") { cible = boutons[0]; }
      else if (evt.key === "End") { cible = boutons[boutons.length - 1]; }
      if (cible) {
        evt.preventDefault();
        boutons[i].tabIndex = -1;
        cible.tabIndex = 0;
        cible.focus();
      }
    });

    var actions = {
      gras: function () { entourer(zone, "**", "**", d.texteGras); },
      italique: function () { entourer(zone, "*", "*", d.texteItalique); },
      titre: function () { prefixer(zone, "## ", d.texteTitre); },
      "sous-titre": function () { prefixer(zone, "### ", d.texteTitre); },
      liste: function () { prefixer(zone, "- ", d.texteElement); },
      numeros: function () { prefixer(zone, function (n) { return n + ". "; }, d.texteElement); },
      citation: function () { prefixer(zone, "> ", d.texteCitation); },
      lien: function () {
        var debut = zone.selectionStart, fin = zone.selectionEnd;
        var texte = zone.value.slice(debut, fin) || d.texteLien;
        zone.setRangeText("[" + texte + "](https://)", debut, fin, "end");
        // The address is selected: type it.
        var adresse = debut + texte.length + 3;
        zone.setSelectionRange(adresse, adresse + 8);
      }
    };

    function montrerApercu(afficher) {
      bascule.setAttribute("aria-pressed", afficher ? "true" : "false");
      bascule.textContent = afficher ? d.modifier : d.apercu;
      boutons.forEach(function (b) { if (b !== bascule) { b.disabled = afficher; } });
      zone.hidden = afficher;
      apercu.hidden = !afficher;
      if (!afficher) { zone.focus(); return; }
      if (!zone.value.trim()) { apercu.textContent = d.vide; annoncer(racine, d.vide); return; }
      apercu.textContent = d.chargement;
      var donnees = new FormData();
      var jeton = zone.form && zone.form.querySelector("[name=csrfmiddlewaretoken]");
      donnees.append("csrfmiddlewaretoken", jeton ? jeton.value : "");
      donnees.append("texte", zone.value);
      donnees.append("fragment", "1");
      fetch(d.apercuUrl, {method: "POST", body: donnees, credentials: "same-origin",
                          headers: {"X-CSRFToken": jeton ? jeton.value : ""}})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
        .then(function (html) {
          apercu.innerHTML = html;  // the one sanitizer's output
          annoncer(racine, d.apercuAffiche);
        })
        .catch(function () { apercu.textContent = d.erreur; annoncer(racine, d.erreur); });
    }

    barre.addEventListener("click", function (evt) {
      var bouton = evt.target.closest("button");
      if (!bouton || bouton.disabled) { return; }
      var action = bouton.dataset.action;
      if (action === "apercu") { montrerApercu(bouton.getAttribute("aria-pressed") !== "true"); return; }
      actions[action]();
      zone.focus();
      zone.dispatchEvent(new Event("input", {bubbles: true}));
    });

    zone.addEventListener("paste", function (evt) { collerEnMarkdown(zone, evt); });

    zone.addEventListener("keydown", function (evt) {
      if (!(evt.ctrlKey || evt.metaKey) || evt.altKey || evt.shiftKey) { return; }
      var action = {b: "gras", i: "italique", k: "lien"}[evt.key.toLowerCase()];
      if (action) {
        evt.preventDefault();
        actions[action]();
        zone.dispatchEvent(new Event("input", {bubbles: true}));
      }
    });
  }

  function tout() { document.querySelectorAll("[data-editeur]").forEach(initialiser); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", tout); } else { tout(); }
})();
