/* Live page of a séance (/seances/<slug>/direct/). The page is complete without this script (forms and a
   refresh link); with it, a WebSocket brings each new state ("etat", with a version number):
   - a state is applied only if its version is higher than the one shown;
   - a (re)connection triggers a refetch of direct/etat/ over HTTP; a skipped version does not: every state
     is whole, read after the last change (the server sends at most one per interval and skips the ones in
     between), so refetching it would only make every watcher hit the server at each busy vote;
   - the personal part (vote form, "vote recorded") is refetched when the scrutin or the item changes;
   - reconnection with exponential backoff and jitter (at most about 30 s); while the socket is down,
     direct/etat/ is polled every 5 s;
   - votes go over the socket when it is open, otherwise the form is posted as without JavaScript.
   Text only (textContent, no innerHTML); French strings come from the page (data-texte-*). */
(function () {
  "use strict";
  var racine = document.getElementById("seance-direct");
  if (!racine || !window.fetch) { return; }
  var blocEtat = racine.querySelector("[data-etat]");
  var blocMoi = racine.querySelector("[data-moi]");
  var annonce = racine.querySelector("[data-annonce]");
  var connexion = racine.querySelector("[data-connexion]");
  var formulaire = racine.querySelector("[data-formulaire-vote]");
  var urlEtat = racine.getAttribute("data-etat-url");

  var version = parseInt(blocEtat.getAttribute("data-version"), 10) || 0;
  var cle = cleDe(blocEtat.getAttribute("data-point"), blocEtat.getAttribute("data-scrutin"),
                  blocEtat.getAttribute("data-scrutin-statut"));
  var socket = null;
  var tentatives = 0;
  var sondage = null;
    var enCours = false;
  var aRefaire = false;
  var dernierEtat = null;

  function cleDe(point, scrutin, statut) { return [point || "", scrutin || "", statut || ""].join("|"); }

  function champ(parent, nom) { return parent ? parent.querySelector('[data-champ="' + nom + '"]') : null; }
  function texte(parent, nom, valeur) {
    var el = champ(parent, nom);
    if (el) { el.textContent = valeur === null || valeur === undefined ? "" : String(valeur); }
  }
  function montrer(el, visible) { if (el) { el.hidden = !visible; } }
  function bloc(nom) { return blocEtat.querySelector('[data-bloc="' + nom + '"]'); }
  function modele(nom) {
    var el = blocEtat.querySelector('[data-texte="' + nom + '"]');
    return el ? el.textContent : "";
  }
  function annoncer(message) {
    if (!annonce || !message) { return; }
    annonce.textContent = "";
    window.setTimeout(function () { annonce.textContent = message; }, 50);
  }

  /* --- The public state ------------------------------------------------------------------------- */
  function appliquerEtat(etat) {
    var ancienne = dernierEtat;
    dernierEtat = etat;
    version = etat.version;
    blocEtat.setAttribute("data-version", String(etat.version));
    blocEtat.setAttribute("data-statut", etat.statut);
    texte(blocEtat, "statut_libelle", etat.statut_libelle);
    var presidence = champ(blocEtat, "presidence");
    if (presidence) { presidence.textContent = etat.presidence || presidence.getAttribute("data-vide"); }
    texte(blocEtat, "presents", etat.presents);
    var point = champ(blocEtat, "point_courant");
    if (point) {
      point.textContent = etat.point_courant ? etat.point_courant.ordre + ". " + etat.point_courant.titre
        : point.getAttribute("data-vide");
    }
    var s = etat.scrutin;
    montrer(bloc("aucun"), !s);
    montrer(bloc("scrutin"), !!s);
    if (s) {
      texte(blocEtat, "scrutin_numero_libelle", modele("scrutin_numero").replace("%(numero)s", s.numero));
      texte(blocEtat, "scrutin_question", s.question);
      texte(blocEtat, "scrutin_mode", modele(s.saisie_manuelle ? "mode_manuel" : (s.secret ? "mode_secret" : "mode_public")));
      montrer(bloc("prepare"), s.statut === "prepare");
      montrer(bloc("ouvert"), s.statut === "ouvert");
      montrer(bloc("clos"), s.statut === "clos");
      texte(blocEtat, "votants", s.votants);
      if (s.statut === "clos") {
        var resultat = champ(blocEtat, "resultat_libelle");
        if (resultat) { resultat.textContent = s.resultat_libelle; resultat.setAttribute("data-resultat", s.resultat); }
        texte(blocEtat, "pour", s.pour);
        texte(blocEtat, "contre", s.contre);
        texte(blocEtat, "abstention", s.abstention);
        var quorum = champ(blocEtat, "quorum");
        if (quorum) {
          montrer(quorum.querySelector('[data-quorum="sans"]'), s.quorum_atteint === null || s.quorum_atteint === undefined);
          montrer(quorum.querySelector('[data-quorum="atteint"]'), s.quorum_atteint === true);
          montrer(quorum.querySelector('[data-quorum="non-atteint"]'), s.quorum_atteint === false);
        }
      }
    }
    var nouvelleCle = cleDe(etat.point_courant && etat.point_courant.id, s && s.id, s && s.statut);
    if (nouvelleCle !== cle) {
      cle = nouvelleCle;
      blocEtat.setAttribute("data-point", etat.point_courant ? String(etat.point_courant.id) : "");
      blocEtat.setAttribute("data-scrutin", s ? String(s.id) : "");
      blocEtat.setAttribute("data-scrutin-statut", s ? s.statut : "");
      annoncerChangement(ancienne, etat);
      return true;  /* the personal part must be refetched */
    }
    return false;
  }

  function annoncerChangement(ancienne, etat) {
    var s = etat.scrutin;
    var avant = ancienne && ancienne.scrutin;
    if (etat.statut === "terminee" && (!ancienne || ancienne.statut !== "terminee")) {
      annoncer(annonce.getAttribute("data-texte-terminee"));
    } else if (s && s.statut === "clos" && !(avant && avant.id === s.id && avant.statut === "clos")) {
      annoncer(annonce.getAttribute("data-texte-resultat") + " " + s.resultat_libelle + " (" + s.decompte + ")");
    } else if (s && s.statut === "ouvert" && !(avant && avant.id === s.id && avant.statut === "ouvert")) {
      annoncer(annonce.getAttribute("data-texte-ouvert") + " " + s.question);
    } else if (etat.point_courant) {
      annoncer(annonce.getAttribute("data-texte-point") + " " + etat.point_courant.titre);
    }
  }

  /* --- The personal part ------------------------------------------------------------------------ */
  function appliquerMoi(moi, etat) {
    if (!blocMoi || !moi) { return; }
    var s = etat.scrutin;
    var ouvert = !!(s && s.statut === "ouvert" && !s.saisie_manuelle);
    var emarger = blocMoi.querySelector('[data-moi-bloc="emarger"]');
    montrer(emarger, moi.connecte && !moi.emarge && (etat.statut === "ordre_du_jour_publie" || etat.statut === "en_cours"));
    montrer(blocMoi.querySelector('[data-moi-bloc="emarge"]'), moi.emarge);
    montrer(blocMoi.querySelector('[data-moi-bloc="a-vote"]'), moi.a_vote);
    var libelle = moi.choix ? blocMoi.querySelector('[data-libelle-choix="' + moi.choix + '"]') : null;
    montrer(blocMoi.querySelector('[data-moi-bloc="choix"]'), !!libelle);
    if (libelle) { texte(blocMoi, "choix_libelle", libelle.textContent); }
    montrer(blocMoi.querySelector('[data-moi-bloc="changement"]'), moi.a_vote && moi.peut_voter);
    if (formulaire) {
      var focusDansLeFormulaire = formulaire.contains(document.activeElement);
      montrer(formulaire, moi.peut_voter && ouvert);
      /* The ballot hidden under a keyboard user's focus (they just voted): the focus goes to the
         confirmation, not back to the document (it would be lost for a screen reader). */
      var aVote = blocMoi.querySelector('[data-moi-bloc="a-vote"]');
      if (focusDansLeFormulaire && formulaire.hidden && aVote && !aVote.hidden) { aVote.focus(); }
      var entree = formulaire.querySelector("[data-champ-scrutin]");
      if (entree) { entree.value = s ? String(s.id) : ""; }
      texte(formulaire, "scrutin_question", s ? s.question : "");
    }
  }

  function erreurVote(message) {
    var el = blocMoi && blocMoi.querySelector('[data-moi-bloc="erreur"]');
    if (!el) { return; }
    el.textContent = message || "";
    el.hidden = !message;
  }

  /* --- HTTP: the state and "moi" ---------------------------------------------------------------- */
  function rafraichir() {
    if (enCours) { aRefaire = true; return; }  /* asked again meanwhile: once more when this one ends */
    enCours = true;
    aRefaire = false;
    fetch(urlEtat, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data) {
          if (data.version >= version) { appliquerEtat(data); }
          appliquerMoi(data.moi, dernierEtat || data);
        }
      })
      .catch(function () {})
      .then(function () {
        enCours = false;
        if (aRefaire) { rafraichir(); }
      });
  }

  function recevoirEtat(etat) {
    if (typeof etat.version !== "number" || etat.version <= version) { return; }
    if (appliquerEtat(etat)) {
      rafraichir();  /* new scrutin or item: the personal part (vote form) follows at once */
    }
  }

  function demarrerSondage() {
    if (sondage === null) { sondage = window.setInterval(rafraichir, 5000); }
  }
  function arreterSondage() {
    if (sondage !== null) { window.clearInterval(sondage); sondage = null; }
  }
  function etatConnexion(ouverte) {
    if (!connexion) { return; }
    connexion.hidden = false;
    connexion.textContent = connexion.getAttribute(ouverte ? "data-texte-ouvert" : "data-texte-ferme");
    racine.setAttribute("data-ws-etat", ouverte ? "ouvert" : "ferme");
  }

  /* --- The socket ------------------------------------------------------------------------------- */
  function connecter() {
    if (!("WebSocket" in window)) { demarrerSondage(); return; }
    var proto = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws;
    try {
      ws = new WebSocket(proto + window.location.host + racine.getAttribute("data-ws-url"));
    } catch (e) {
      reconnecter();
      return;
    }
    socket = ws;
    ws.onopen = function () {
      dernierMessage = Date.now();
      tentatives = 0;
      arreterSondage();
      etatConnexion(true);
      rafraichir();  /* whatever happened while disconnected, and the personal part */
    };
    ws.onmessage = function (evt) {
      dernierMessage = Date.now();
      var data;
      try { data = JSON.parse(evt.data); } catch (e) { return; }
      if (data.type === "etat") {
        recevoirEtat(data);
      } else if (data.type === "vote_enregistre") {
        erreurVote("");
        annoncer(annonce.getAttribute("data-texte-vote"));
        rafraichir();
      } else if (data.type === "erreur") {
        erreurVote(data.message);
      }
    };
    ws.onclose = function (evt) {
      if (socket === ws) { socket = null; }
      etatConnexion(false);
      demarrerSondage();
      if (evt.code === 4404) { return; }  /* the séance is not (or no longer) visible: polling only */
      reconnecter();
    };
  }

  /* A safety net: a broadcast lost in a failover (the socket stays open but no longer hears the séance's group)
     would leave the page stale; after SILENCE_MAX ms without any message on an open socket, refetch the state. */
  var SILENCE_MAX = 20000;
  var dernierMessage = Date.now();
  window.setInterval(function () {
    if (socket !== null && Date.now() - dernierMessage > SILENCE_MAX) {
      dernierMessage = Date.now();
      rafraichir();
    }
  }, 5000);

  function reconnecter() {
    var base = Math.min(30000, 1000 * Math.pow(2, tentatives));
    tentatives += 1;
    /* Full jitter on half the delay, so that a restart does not bring every watcher back at once. */
    var delai = base / 2 + Math.random() * base / 2;
    window.setTimeout(connecter, delai);
  }

  /* --- Voting over the socket, the form otherwise ----------------------------------------------- */
  if (formulaire) {
    formulaire.addEventListener("submit", function (evt) {
      var bouton = evt.submitter;
      var entree = formulaire.querySelector("[data-champ-scrutin]");
      if (!socket || socket.readyState !== 1 || !bouton || !bouton.value || !entree || !entree.value) {
        return;  /* plain form POST */
      }
      evt.preventDefault();
      socket.send(JSON.stringify({ type: "voter", scrutin: parseInt(entree.value, 10), choix: bouton.value }));
    });
  }

  connecter();
}());
