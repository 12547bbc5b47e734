/* Proposal form: hide the start/end times for whole-day events (progressive enhancement). */
(function () {
  "use strict";
  var formulaire = document.querySelector("[data-formulaire-evenement]");
  if (!formulaire) { return; }
  var case_journee = formulaire.querySelector("input[name=journee_entiere]");
  var horaires = formulaire.querySelector("[data-horaires]");
  if (!case_journee || !horaires) { return; }
  function maj() { horaires.hidden = case_journee.checked; }
  case_journee.addEventListener("change", maj);
  maj();
})();
