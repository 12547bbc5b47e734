"""Services own every write: no view, admin view or form saves a model whose state a service owns.

Two guards: a scan of the source of every ``views*.py``, ``admin_views*.py``, ``wagtail_hooks*.py`` and
``forms*.py`` (no ``.save()``, ``save_m2m()``, ``super().save_instance()``, ``.delete()`` nor queryset write,
but for the few listed below, which write models without a state); and a look at every Wagtail viewset of
a model with a state: its create and edit views save through our code (``EcritureParServiceMixin`` and
the like), never through Wagtail's ``form.save()``.
"""

import ast
import pathlib

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from wagtail.admin.viewsets import viewsets

from conseil_ess.comptes.models import Structure
from conseil_ess.ecritures import ecrire
from tests.factories import StructureFactory

RACINE = pathlib.Path(settings.BASE_DIR)
DOSSIERS = ("conseil_ess", "ateliers", "evenements", "home")
MOTIFS = ("views*.py", "admin_views*.py", "wagtail_hooks*.py", "forms*.py")
CHAMPS_D_ETAT = {"statut", "etat", "publication"}
ECRITURES_QUERYSET = {"update", "delete", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
# (module, source of the call): why it may write. Only models without a state.
PERMISES = {
    ("conseil_ess/comptes/views.py", "form.save"): "ProfilForm: the person's own profile (User)",
    ("conseil_ess/comptes/views.py", "form.save#2"): "PreferencesNotificationsForm: e-mail preferences",
    ("conseil_ess/comptes/forms.py", "PreferenceNotification.objects.bulk_create"): "e-mail preferences",
    ("ateliers/wagtail_hooks.py", "super().save_instance"): "Atelier: no state (its animateurs' groups follow)",
}


def _modules():
    for dossier in DOSSIERS:
        for motif in MOTIFS:
            for chemin in sorted((RACINE / dossier).rglob(motif)):
                if "migrations" not in chemin.parts:
                    yield chemin


def _ecrit_un_queryset(noeud):
    """True when ``noeud`` (what a write method is called on) is a manager or a queryset."""
    while isinstance(noeud, ast.Attribute | ast.Call):
        if isinstance(noeud, ast.Attribute):
            if noeud.attr == "objects":
                return True
            noeud = noeud.value
        else:
            if isinstance(noeud.func, ast.Attribute) and noeud.func.attr in {"filter", "exclude", "all",
                                                                               "select_for_update"}:
                return True
            noeud = noeud.func
    return False


def ecritures_directes(source):
    """Return the source of each call in ``source`` that writes to the database by itself."""
    arbre, trouvees = ast.parse(source), []
    for noeud in ast.walk(arbre):
        if not (isinstance(noeud, ast.Call) and isinstance(noeud.func, ast.Attribute)):
            continue
        methode, cible = noeud.func.attr, noeud.func.value
        sans_commit = not any(k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
                              for k in noeud.keywords)
        if ((methode == "save" and sans_commit) or methode in ("save_m2m", "delete")
                or (methode == "save_instance" and isinstance(cible, ast.Call))
                or (methode in ECRITURES_QUERYSET and _ecrit_un_queryset(cible))):
            trouvees.append((noeud.lineno, ast.get_source_segment(source, noeud.func)))
    return sorted(trouvees)


def test_aucune_vue_ni_formulaire_n_ecrit_lui_meme():
    inattendues, vues = [], set()
    for chemin in _modules():
        module = str(chemin.relative_to(RACINE))
        deja = {}
        for ligne, appel in ecritures_directes(chemin.read_text()):
            deja[appel] = deja.get(appel, 0) + 1
            cle = (module, appel if deja[appel] == 1 else f"{appel}#{deja[appel]}")
            vues.add(cle)
            if cle not in PERMISES:
                inattendues.append(f"{module}:{ligne} {appel}")
    assert inattendues == [], "écriture hors des services :\n" + "\n".join(inattendues)
    assert set(PERMISES) <= vues, f"exceptions devenues inutiles : {set(PERMISES) - vues}"


def test_le_scan_voit_les_ecritures_directes():
    """The scan itself can fail: each way of writing is caught, reading and ``save(commit=False)`` are not."""
    source = """
def vue(request, form, evenement, Evenement):
    form.save()
    evenement.save(update_fields=["statut"])
    form.save_m2m()
    Evenement.objects.filter(pk=1).update(statut="annule")
    Evenement.objects.create(titre="x")
    evenement.inscriptions.all().delete()
    super().save_instance()
    form.save(commit=False)
    Evenement.objects.filter(pk=1).first()
    contexte.update(a=1)
"""
    assert [appel for _ligne, appel in ecritures_directes(source)] == [
        "form.save", "evenement.save", "form.save_m2m", "Evenement.objects.filter(pk=1).update",
        "Evenement.objects.create", "evenement.inscriptions.all().delete", "super().save_instance"]


def modeles_a_etat():
    return {m for m in apps.get_models() if m._meta.app_label in {"comptes", "evenements", "ateliers", "propositions",
                                                                   "seances"}
            and CHAMPS_D_ETAT & {f.name for f in m._meta.concrete_fields}}


def test_les_modeles_a_etat_sont_ceux_attendus():
    assert {m.__name__ for m in modeles_a_etat()} == {
        "Evenement", "Inscription", "Cycle", "ThematiqueAnnuelle", "Participation", "CompteRendu", "Structure",
        "Adhesion", "MembreConseil", "Proposition", "InvitationPortage", "Seance", "Scrutin", "ProcesVerbal",
        "RevisionEvenement"}


def test_l_admin_n_enregistre_aucun_modele_a_etat_par_wagtail():
    reverse("wagtailadmin_home")  # the admin's URLs, hence its viewsets, are loaded
    a_etat, verifiees = modeles_a_etat(), []
    for viewset in viewsets.viewsets:
        if getattr(viewset, "model", None) not in a_etat:
            continue
        routes = {motif.name for motif in viewset.get_urlpatterns()}
        for route, classe in (("add", viewset.add_view_class), ("edit", viewset.edit_view_class)):
            if route not in routes:
                continue
            assert not classe.save_instance.__module__.startswith("wagtail"), (
                f"{viewset.model.__name__} : la vue « {route} » enregistre par form.save() de Wagtail")
            verifiees.append((viewset.model.__name__, route))
    assert {("Structure", "edit"), ("Evenement", "add"), ("Proposition", "edit"), ("Cycle", "add"),
            ("ThematiqueAnnuelle", "edit"), ("Adhesion", "add"), ("MembreConseil", "edit")} <= set(verifiees)


@pytest.mark.django_db
def test_ecrire_n_ecrit_que_ses_champs_sur_la_ligne_verrouillee():
    structure = StructureFactory(nom="Ancien nom", secteur="Réemploi")
    edition = Structure.objects.get(pk=structure.pk)  # a form opened before the validation
    Structure.objects.filter(pk=structure.pk).update(statut=Structure.Statut.VALIDEE, secteur="Alimentation")
    edition.nom, edition.secteur, edition.statut = "Nouveau nom", "Réemploi", Structure.Statut.REFUSEE

    resultat = ecrire(edition, ["nom"], proteges=("statut",))

    structure.refresh_from_db()
    assert (structure.nom, structure.secteur, structure.statut) == ("Nouveau nom", "Alimentation", "validee")
    assert (resultat.secteur, resultat.statut) == ("Alimentation", "validee")  # what the database holds
    with pytest.raises(ValueError, match="statut"):
        ecrire(edition, ["nom", "statut"], proteges=("statut",))
