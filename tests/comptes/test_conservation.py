"""Retention of personal data: ``manage.py appliquer_conservation`` (idempotent, ``--simulation``), with the clock
moved forward (time_machine): unverified accounts, inactive accounts warned then erased, old registrations
anonymised, old read notifications deleted, the files of deleted drafts removed from disk."""

import datetime
import io
import os

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ateliers.models import stockage_prive
from conseil_ess.comptes.models import Notification, PreferenceNotification
from conseil_ess.comptes.notifications import notifier
from conseil_ess.propositions.models import PieceJointe
from evenements.models import Inscription
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import EvenementFactory
from tests.factories import UserFactory
from tests.propositions.fabriques import PropositionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _lancer(*arguments):
    sortie = io.StringIO()
    call_command("appliquer_conservation", *arguments, stdout=sortie)
    return sortie.getvalue()


def _jours(n):
    return datetime.timedelta(days=n)


def test_comptes_non_verifies(settings):
    creer_utilisateur("agent")  # someone administers the site
    jamais = get_user_model().objects.create_user("jamais@example.org", "Motdepasse-2026-long")
    EmailAddress.objects.create(user=jamais, email=jamais.email, verified=False, primary=True)
    verifie = UserFactory()
    with time_machine.travel(timezone.now() + _jours(settings.CONSERVATION_COMPTE_NON_VERIFIE_JOURS - 1)):
        assert "comptes jamais vérifiés supprimés : 0" in _lancer()
    with time_machine.travel(timezone.now() + _jours(settings.CONSERVATION_COMPTE_NON_VERIFIE_JOURS + 1)):
        assert "comptes jamais vérifiés supprimés : 1" in _lancer("--simulation")
        assert get_user_model().objects.filter(pk=jamais.pk).exists()
        sortie = _lancer()
        assert "Conservation des données personnelles" in sortie
        assert "comptes jamais vérifiés supprimés : 1" in sortie
        assert "comptes jamais vérifiés supprimés : 0" in _lancer()  # idempotent
    assert not get_user_model().objects.filter(pk=jamais.pk).exists()
    assert get_user_model().objects.filter(pk=verifie.pk).exists()
    # The same e-mail may sign up again.
    assert not EmailAddress.objects.filter(email="jamais@example.org").exists()


def test_comptes_inactifs_avertis_puis_supprimes(settings, django_capture_on_commit_callbacks):
    creer_utilisateur("agent")
    inactive = UserFactory(email="inactive@example.org", last_login=timezone.now())
    revenue = UserFactory(email="revenue@example.org", last_login=timezone.now())
    # « Jamais par e-mail » does not stop this notice: the person must know before their account goes.
    PreferenceNotification.objects.create(user=inactive, categorie="general", frequence="jamais")
    inactivite, preavis = settings.CONSERVATION_INACTIVITE_JOURS, settings.CONSERVATION_PREAVIS_SUPPRESSION_JOURS
    debut = timezone.now()
    with time_machine.travel(debut + _jours(inactivite - 1)):
        assert "comptes inactifs avertis par e-mail : 0" in _lancer()
    averti_le = debut + _jours(inactivite + 1)
    with time_machine.travel(averti_le):
        mail.outbox.clear()
        assert "comptes inactifs avertis par e-mail : 3" in _lancer("--simulation")
        assert not mail.outbox
        with django_capture_on_commit_callbacks(execute=True):
            sortie = _lancer()
    # The agent created now (never logged in) is inactive too: every inactive account is warned.
    assert "comptes inactifs avertis par e-mail : 3" in sortie
    destinataires = sorted(m.to[0] for m in mail.outbox)
    assert "inactive@example.org" in destinataires and "revenue@example.org" in destinataires
    courriel = next(m for m in mail.outbox if m.to == ["inactive@example.org"])
    assert "sera supprimé le" in courriel.subject
    with time_machine.travel(averti_le + _jours(1)):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert "comptes inactifs avertis par e-mail : 0" in _lancer()  # idempotent: one warning only
        assert not mail.outbox
    get_user_model().objects.filter(pk=revenue.pk).update(last_login=averti_le + _jours(2))
    with time_machine.travel(averti_le + _jours(preavis + 1)):
        sortie = _lancer()
    assert "avertissements levés (personne revenue) : 1" in sortie
    inactive.refresh_from_db()
    revenue.refresh_from_db()
    assert inactive.supprime_le is not None and not inactive.is_active
    assert inactive.email != "inactive@example.org"
    assert revenue.is_active and revenue.supprime_le is None and revenue.avertissement_conservation_le is None
    # The only administrator is never erased: the summary says so.
    assert "comptes inactifs non supprimés (seul·e administrateur·rice) : 1" in sortie


def test_inscriptions_et_notifications_anciennes(settings, client):
    personne = UserFactory(last_login=timezone.now())
    agent = creer_utilisateur("agent")
    evenement = EvenementFactory(inscription_sur_plateforme=True, debut=timezone.now() + _jours(1),
                                 fin=timezone.now() + _jours(1, ) + datetime.timedelta(hours=2))
    Inscription.objects.create(evenement=evenement, user=personne, statut=Inscription.Statut.CONFIRMEE)
    lue = notifier(personne, "Déjà lue")
    Notification.objects.filter(pk=lue.pk).update(lue_le=timezone.now())
    non_lue = notifier(personne, "Pas encore lue")
    jours = max(settings.CONSERVATION_INSCRIPTIONS_JOURS, settings.CONSERVATION_NOTIFICATIONS_LUES_JOURS)
    with time_machine.travel(timezone.now() + _jours(jours - 30)):
        sortie = _lancer()
    assert "inscriptions à des événements terminés anonymisées : 0" in sortie
    with time_machine.travel(timezone.now() + _jours(jours + 3)):
        assert "inscriptions à des événements terminés anonymisées : 1" in _lancer("--simulation")
        sortie = _lancer()
        assert "inscriptions à des événements terminés anonymisées : 1" in sortie
        assert "notifications lues anciennes supprimées : 1" in sortie
        assert "inscriptions à des événements terminés anonymisées : 0" in _lancer()
    inscription = Inscription.objects.get(evenement=evenement)
    assert inscription.user is None and inscription.statut == Inscription.Statut.CONFIRMEE  # the count stays
    assert not Notification.objects.filter(pk=lue.pk).exists()
    assert Notification.objects.filter(pk=non_lue.pk).exists()
    # The secrétariat's list and export of registrations show the anonymised one (no name, no e-mail).
    client.force_login(agent)
    liste = reverse("evenements_inscriptions:index")
    assert client.get(liste).status_code == 200
    export = client.get(liste, {"export": "csv"})
    assert export.status_code == 200
    assert personne.email not in b"".join(export.streaming_content).decode("utf-8-sig")


def test_fichiers_des_brouillons_supprimes(settings, tmp_path):
    settings.FICHIERS_PRIVES_ROOT = tmp_path
    stockage = stockage_prive()
    from django.core.files.base import ContentFile

    orphelin = stockage.save("propositions/2026/brouillon-efface.pdf", ContentFile(b"%PDF"))
    garde = stockage.save("propositions/2026/piece-gardee.pdf", ContentFile(b"%PDF"))
    PieceJointe.objects.create(proposition=PropositionFactory(), titre="Gardée", fichier=garde)
    with time_machine.travel(timezone.now() + _jours(2)):
        assert "fichiers de brouillons supprimés retirés du disque : 1" in _lancer("--simulation")
        assert os.path.exists(stockage.path(orphelin))
        assert "fichiers de brouillons supprimés retirés du disque : 1" in _lancer()
        assert "fichiers de brouillons supprimés retirés du disque : 0" in _lancer()
    assert not os.path.exists(stockage.path(orphelin))
    assert os.path.exists(stockage.path(garde))


def test_un_fichier_retire_pendant_le_passage_n_arrete_rien(settings, tmp_path, monkeypatch):
    """A file listed, then removed before its date is read (a draft deleted while the job runs): no error, it is
    not counted, the other orphans are still removed."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    settings.FICHIERS_PRIVES_ROOT = tmp_path
    stockage = stockage_prive()
    fugitif = stockage.save("propositions/2026/fugitif.pdf", ContentFile(b"%PDF"))
    orphelin = stockage.save("propositions/2026/orphelin.pdf", ContentFile(b"%PDF"))
    date_originale = FileSystemStorage.get_modified_time

    def date_puis_disparu(self, nom):
        if nom == fugitif:
            os.remove(self.path(nom))  # removed by someone else between the listing and this read
        return date_originale(self, nom)

    monkeypatch.setattr(FileSystemStorage, "get_modified_time", date_puis_disparu)
    with time_machine.travel(timezone.now() + _jours(2)):
        assert "fichiers de brouillons supprimés retirés du disque : 1" in _lancer()
    assert not os.path.exists(stockage.path(orphelin)) and not os.path.exists(stockage.path(fugitif))
