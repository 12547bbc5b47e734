"""The printed programme (/agenda/programmes/<slug>.pdf): order by day then commune, Assises side by side,
every character printed in the shipped Unicode font, page numbers and generation date."""

import datetime
import io

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from pypdf import PdfReader

from evenements.models import Evenement, Programme
from tests.factories import CommuneFactory, StructureFactory

from .fabriques import CreneauFactory, EvenementFactory, LieuFactory, ProgrammeFactory, dans, paris

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def texte(reponse):
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    lecteur = PdfReader(io.BytesIO(reponse.content))
    return lecteur, "\n".join(page.extract_text() for page in lecteur.pages)


def aplatir(t):
    return " ".join(t.split())


def test_mois_de_l_ess_par_jour_puis_commune_et_caracteres(client):
    j1, j2 = dans(5).date(), dans(6).date()
    programme = ProgrammeFactory(titre="Mois de l’ESS « 2026 »", type=Programme.Type.MOIS_ESS,
                                 date_debut=j1, date_fin=j2 + datetime.timedelta(days=3))
    amont = CommuneFactory(nom="Amont", slug="amont")
    bourg = CommuneFactory(nom="Bourg-sur-Lère", slug="bourg")
    EvenementFactory(titre="Œuvres d’art… – l’expo", programme=programme, lieu=LieuFactory(nom="Halle", commune=bourg),
                     debut=paris(j1.year, j1.month, j1.day, 10), fin=paris(j1.year, j1.month, j1.day, 12),
                     gratuit=False, tarif="4 €", interpretation_lsf=True, accessibilite="oui",
                     structures=[StructureFactory(nom="Les ami·e·s de la coop")])
    EvenementFactory(titre="Atelier à Amont", programme=programme, lieu=LieuFactory(commune=amont),
                     debut=paris(j1.year, j1.month, j1.day, 18), fin=paris(j1.year, j1.month, j1.day, 20))
    EvenementFactory(titre="Le lendemain", programme=programme, lieu=LieuFactory(commune=amont),
                     debut=paris(j2.year, j2.month, j2.day, 9), fin=paris(j2.year, j2.month, j2.day, 10),
                     statut=Evenement.Statut.ANNULE, motif_statut="Intempéries")
    EvenementFactory(titre="Brouillon caché", programme=programme, publication=Evenement.Publication.BROUILLON)
    lecteur, t = texte(client.get(reverse("evenements:programme_pdf", args=[programme.slug])))
    t = aplatir(t)
    for attendu in ["Mois de l’ESS « 2026 »", "Œuvres d’art… – l’expo", "4 €", "Les ami·e·s de la coop",
                    "Accessible en fauteuil roulant, interprétation en langue des signes (LSF).",
                    "[Annulé] Le lendemain",
                    "Intempéries", "page 1/", "généré le"]:
        assert attendu in t, attendu
    assert "Brouillon caché" not in t
    # Day then commune: Amont before Bourg on the first day, though Bourg's event starts earlier.
    assert t.index("Atelier à Amont") < t.index("Œuvres d’art") < t.index("Le lendemain")
    polices = {str(f["/BaseFont"]) for page in lecteur.pages for f in page["/Resources"]["/Font"].values()}
    assert all("DejaVu" in p for p in polices)


def test_assises_ateliers_cote_a_cote(client):
    jour = dans(8).date()
    programme = ProgrammeFactory(titre="Assises", type=Programme.Type.ASSISES, date_debut=jour, date_fin=jour)
    journee = EvenementFactory(titre="Journée des Assises", programme=programme,
                               debut=paris(jour.year, jour.month, jour.day, 9), fin=paris(jour.year, jour.month,
                                                                                         jour.day, 17))
    creneau = CreneauFactory(programme=programme, libelle="Ateliers du matin",
                             debut=paris(jour.year, jour.month, jour.day, 10),
                             fin=paris(jour.year, jour.month, jour.day, 12))
    for salle, titre in (("Salle A", "Atelier foncier"), ("Salle B", "Atelier emploi")):
        EvenementFactory(titre=titre, programme=programme, parent=journee, creneau=creneau, precision_lieu=salle,
                         lieu=None, debut=creneau.debut, fin=creneau.fin, intervenants="Présidence : N. Benali")
    EvenementFactory(titre="Plénière d’ouverture", programme=programme, parent=journee, lieu=None,
                     precision_lieu="Grand amphi", debut=paris(jour.year, jour.month, jour.day, 9),
                     fin=paris(jour.year, jour.month, jour.day, 10))
    _lecteur, t = texte(client.get(reverse("evenements:programme_pdf", args=[programme.slug])))
    t = aplatir(t)
    assert t.index("Plénière d’ouverture") < t.index("Ateliers du matin") < t.index("Atelier foncier")
    assert "Salle A" in t and "Salle B" in t and "Présidence : N. Benali" in t
    assert "Journée des Assises" not in t.split("Ateliers du matin")[1]


def test_programme_inconnu_404_et_feuille_d_impression(client):
    assert client.get(reverse("evenements:programme_pdf", args=["inconnu"])).status_code == 404
    with open(finders.find("css/agenda.css"), encoding="utf-8") as f:
        assert "@media print" in f.read()
