/* Live notifications on /mon-espace/: a WebSocket pushes new ones; after a reconnect the list is
   refetched over HTTP so that nothing missed while disconnected is lost. Text only (no innerHTML). */
(function () {
  "use strict";
  var section = document.querySelector("[data-ws-url]");
  if (!section || !("WebSocket" in window)) { return; }
  var liste = section.querySelector("[data-notifications-liste]");
  var etat = section.querySelector("[data-etat-connexion]");
  var delai = 1000;
  var dejaConnecte = false;

  function element(n) {
    var li = document.createElement("li");
    li.className = "notification notification--non-lue";
    li.setAttribute("data-notification-id", n.id);
    var sr = document.createElement("span");
    sr.className = "sr-only";
    sr.textContent = "Non lue : ";
    li.appendChild(sr);
    var titre;
    if (n.url) { titre = document.createElement("a"); titre.href = n.url; } else { titre = document.createElement("span"); }
    titre.textContent = n.titre;
    li.appendChild(titre);
    if (n.message) {
      li.appendChild(document.createElement("br"));
      var m = document.createElement("span"); m.className = "notification__message"; m.textContent = n.message; li.appendChild(m);
    }
    li.appendChild(document.createElement("br"));
    var date = document.createElement("small"); date.textContent = n.cree_le; li.appendChild(date);
    return li;
  }

  function ajouter(n) {
    if (liste.querySelector('[data-notification-id="' + n.id + '"]')) { return; }
    var vide = liste.querySelector("[data-notifications-vide]");
    if (vide) { vide.remove(); }
    liste.insertBefore(element(n), liste.firstChild);
  }

  function compteur(nombre) {
    var pastille = document.querySelector("[data-notifications-compteur]");
    if (pastille && typeof nombre === "number") {
      pastille.firstChild.nodeValue = String(nombre);
      pastille.hidden = nombre === 0;
    }
  }

  function rattraper() {
    fetch(section.getAttribute("data-json-url"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        data.notifications.slice().reverse().forEach(ajouter);
        compteur(data.non_lues);
      })
      .catch(function () {});
  }

  function connecter() {
    var proto = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(proto + window.location.host + section.getAttribute("data-ws-url"));
    ws.onopen = function () {
      delai = 1000;
      section.setAttribute("data-ws-etat", "ouvert");
      if (etat) { etat.textContent = "Notifications en direct activées."; }
      if (dejaConnecte) { rattraper(); }
      dejaConnecte = true;
    };
    ws.onmessage = function (evt) {
      var data = JSON.parse(evt.data);
      if (data.type === "notification") { ajouter(data); compteur(data.non_lues); }
    };
    ws.onclose = function (evt) {
      section.setAttribute("data-ws-etat", "ferme");
      if (evt.code === 4401) { return; }  /* not logged in any more: do not retry */
      if (etat) { etat.textContent = "Connexion interrompue, nouvelle tentative…"; }
      setTimeout(connecter, delai);
      delai = Math.min(delai * 2, 30000);
    };
  }
  connecter();
}());
