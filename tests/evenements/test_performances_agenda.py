"""What keeps the agenda cheap at scale: the filters' lists written in Python, a large programme one day
at a time, the feed's builder, flat query counts."""

import datetime
import html
import re

import pytest
from django import forms
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from conseil_ess.typographie import typographier
from evenements.filters import AgendaFilter, SelectRapide
from evenements.models import Evenement
from evenements.views import PROGRAMME_PAR_JOUR_AU_DELA
from tests.evenements.fixtures_ical import creer_en_masse, creer_evenement, creer_lieu, creer_programme, paris

pytestmark = [pytest.mark.django_db]


def _sans_blancs(html):
    return re.sub(r">\s+<", "><", html.strip())


def test_les_listes_des_filtres_ont_le_html_de_django():
    programme = creer_programme(titre="Mois <de> l'ESS & co")
    creer_lieu()
    filtre = AgendaFilter(QueryDict(f"programme={programme.slug}&type=forum&tarif=gratuit"),
                          queryset=Evenement.objects.all())
    rendus = 0
    for nom, champ in filtre.form.fields.items():
        if not isinstance(champ.widget, SelectRapide):
            continue
        boundfield = filtre.form[nom]
        rapide = boundfield.as_widget()
        reference = forms.Select(choices=champ.widget.choices).render(
            boundfield.html_name, boundfield.value(), attrs=boundfield.build_widget_attrs({"id": boundfield.auto_id}))
        assert _sans_blancs(rapide) == _sans_blancs(reference), nom
        rendus += 1
    assert rendus == 7
    html = filtre.form["programme"].as_widget()
    assert "Mois &lt;de&gt; l&#x27;ESS &amp; co" in html
    assert f'<option value="{programme.slug}" selected>' in html


def _programme_du_mois(nombre_par_jour, jours=3, slug="mois-echelle"):
    mois = creer_programme(slug=slug, titre="Mois de l'ESS à l'échelle")
    for j in range(jours):
        for ev in creer_en_masse(nombre_par_jour):
            Evenement.objects.filter(pk=ev.pk).update(
                programme=mois, debut=paris(2026, 11, 2 + j, 9) + datetime.timedelta(minutes=ev.pk % 500),
                fin=paris(2026, 11, 2 + j, 11) + datetime.timedelta(minutes=ev.pk % 500),
                titre=f"Jour {2 + j} – {ev.titre}")
    expo = Evenement.objects.create(
        titre="Exposition tout le mois", slug=f"expo-{slug}", programme=mois, journee_entiere=True,
        debut=paris(2026, 11, 3), fin=paris(2026, 11, 28), publication=Evenement.Publication.PUBLIE)
    return mois, expo


@pytest.mark.dates
def test_un_grand_programme_se_lit_jour_par_jour(client, settings):
    settings.CACHE_PAGES = False
    mois, _expo = _programme_du_mois(PROGRAMME_PAR_JOUR_AU_DELA // 3 + 1)
    url = f"/agenda/programmes/{mois.slug}/"
    contenu = client.get(url).content.decode()
    # The day list, the first day chosen (the programme is not running today), only its events.
    assert 'aria-labelledby="titre-jours-programme"' in contenu
    assert 'href="?jour=2026-11-02" aria-current="page"' in contenu
    assert 'href="?jour=2026-11-03"' in contenu and 'href="?jour=2026-11-04"' in contenu
    assert "Jour 2 – " in contenu and "Jour 3 – " not in contenu
    assert "Exposition tout le mois" not in contenu  # it starts on the 3rd
    nombre = PROGRAMME_PAR_JOUR_AU_DELA // 3 + 1
    assert f"({nombre} événements)" in contenu
    # The whole programme's count stays in the introduction.
    assert f"{nombre * 3 + 1} événements au programme." in contenu

    troisieme = client.get(url, {"jour": "2026-11-03"}).content.decode()
    assert 'href="?jour=2026-11-03" aria-current="page"' in troisieme
    assert "Jour 3 – " in troisieme and "Jour 2 – " not in troisieme and "Jour 4 – " not in troisieme
    assert "Exposition tout le mois" in troisieme  # over several days: shown on each of its days
    assert "Aussi ce jour-là, sur plusieurs jours" in troisieme
    titre = troisieme.split("<title>", 1)[1].split("</title>", 1)[0]
    assert html.unescape(titre).startswith(typographier("Mois de l'ESS à l'échelle – mardi 3 novembre 2026"))


@pytest.mark.dates
@pytest.mark.parametrize("jour", ["2026-11-30", "hier", "2026-13-01", "<script>"])
def test_un_jour_hors_programme_donne_le_premier_jour_et_un_message(client, settings, jour):
    settings.CACHE_PAGES = False
    mois, _expo = _programme_du_mois(PROGRAMME_PAR_JOUR_AU_DELA // 3 + 1)
    reponse = client.get(f"/agenda/programmes/{mois.slug}/", {"jour": jour})
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "est pas au programme (format attendu : 2026-11-05) : voici le premier jour." in contenu
    assert 'href="?jour=2026-11-02" aria-current="page"' in contenu
    assert "<script>" not in contenu.split("<main", 1)[1].split("</main>")[0]


def test_un_petit_programme_reste_sur_une_page(client, settings):
    settings.CACHE_PAGES = False
    mois, _expo = _programme_du_mois(5)
    contenu = client.get(f"/agenda/programmes/{mois.slug}/").content.decode()
    assert "titre-jours-programme" not in contenu
    assert "Jour 2 – " in contenu and "Jour 4 – " in contenu and "Exposition tout le mois" in contenu
    assert "Pendant tout le programme" in contenu


@pytest.mark.dates
def test_requetes_constantes_d_un_jour_du_programme(client, settings, django_assert_max_num_queries):
    settings.CACHE_PAGES = False
    petit, _ = _programme_du_mois(PROGRAMME_PAR_JOUR_AU_DELA // 3 + 1, jours=3)
    with django_assert_max_num_queries(15) as petit_compte:
        client.get(f"/agenda/programmes/{petit.slug}/", {"jour": "2026-11-03"})
    grand, _ = _programme_du_mois(PROGRAMME_PAR_JOUR_AU_DELA // 3 + 1, jours=6, slug="grand-mois")
    with django_assert_max_num_queries(len(petit_compte)):
        client.get(f"/agenda/programmes/{grand.slug}/", {"jour": "2026-11-03"})


def test_le_flux_ecrit_a_la_main_reste_un_icalendar_valide():
    """The VEVENTs are written as text: escapes, folding at 75 octets (never inside a character nor right
    after a backslash) and values read back unchanged by icalendar."""
    from icalendar import Calendar

    from evenements.ical import construire_calendrier
    from tests.evenements.fixtures_ical import BASE_URL, creer_evenement

    titre = "Forum ; « économie, sociale » \\ solidaire – " + "é" * 40
    description = "<p>" + "Ligne à accents, virgules ; points-virgules \\ barres. " * 6 + "</p><p>Deuxième</p>"
    evenement = creer_evenement(titre=titre[:200], description=description, precision_lieu="Salle 2, étage ; B")
    octets = construire_calendrier([evenement], nom="Agenda", base_url=BASE_URL).to_ical()
    for ligne in octets.split(b"\r\n"):
        assert len(ligne) <= 75, ligne
        ligne.decode()  # never cut inside a UTF-8 character
    (vevent,) = Calendar.from_ical(octets).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == titre[:200]
    assert str(vevent["DESCRIPTION"]).startswith("Ligne à accents, virgules ; points-virgules \\ barres.")
    assert "\n\nDeuxième\n\n" in str(vevent["DESCRIPTION"])
    assert str(vevent["LOCATION"]).endswith("Salle 2, étage ; B")


@pytest.mark.parametrize("requete", [
    "",
    "du=2026-11-02&type=forum&tarif=gratuit&acces=lsf&acces=falc&passes=1",
    "du=2026-13-01&au=hier&type=inconnu&commune=nulle-part&acces=rien&passes=peut-etre",
])
def test_les_champs_des_filtres_ont_le_html_de_django(requete):
    """The field groups, inputs and check boxes written in Python give Django's HTML (erroneous values too,
    which keep Django's rendering with their messages)."""
    from conseil_ess.widgets import groupe_rapide

    creer_programme()
    filtre = AgendaFilter(QueryDict(requete), queryset=Evenement.objects.all())
    form = filtre.form
    for nom in form.fields:
        assert groupe_rapide(form[nom]) == form[nom].as_field_group(), nom
    rapides = {nom: form[nom].as_widget() for nom in ("du", "au", "passes")}
    cases = [case.tag() for case in form["acces"]]
    # The same fields with Django's own widgets (rendered through their templates).
    form.fields["du"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    form.fields["au"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    form.fields["passes"].widget = forms.CheckboxInput(check_test=form.fields["passes"].widget.check_test)
    form.fields["acces"].widget = forms.CheckboxSelectMultiple(choices=AgendaFilter.ACCES)
    for nom, rapide in rapides.items():
        assert rapide == forms.BoundField(form, form.fields[nom], nom).as_widget(), nom
    assert cases == [case.tag() for case in forms.BoundField(form, form.fields["acces"], "acces")]
    if "passes=1" in requete:
        assert 'name="passes" id="id_passes" checked' in form["passes"].as_widget()
        assert sum('checked' in case for case in cases) == 2
    if "hier" in requete:
        assert 'class="errorlist"' in groupe_rapide(form["au"])


def test_une_carte_lue_en_lignes_est_celle_de_l_evenement():
    """``cartes.charger`` (values(), no model instances) gives each card the HTML of the event itself:
    cancelled with its reason, online, hybrid, reserved, with structures, other organisers, a programme and
    every accessibility badge; escaped the same way."""
    from django.template import Context, Template

    from evenements import cartes
    from tests.factories import StructureFactory

    programme = creer_programme(titre="Mois <de> l'ESS")
    lieu = creer_lieu(nom="Salle « A & B »")
    creer_evenement(titre="Simple")
    creer_evenement(titre="Annulé <b>", statut="annule", motif_statut="Pluie & vent", lieu=lieu,
                    commune=lieu.commune, programme=programme, organisateurs_texte="Collectif <X>",
                    resume="Un résumé", gratuit=False, tarif="5 € & plus")
    creer_evenement(titre="En ligne", mode="en_ligne", visibilite="membres", type="reunion_atelier")
    creer_evenement(titre="Hybride", mode="hybride", precision_lieu="Parc", commune=lieu.commune,
                    accessibilite="oui", boucle_magnetique=True, interpretation_lsf=True, sous_titrage=True,
                    facile_a_lire=True, journee_entiere=True, debut=paris(2026, 3, 28), fin=paris(2026, 3, 30),
                    statut="a_confirmer", gratuit=False)
    avec_structures = creer_evenement(titre="Co-organisé", visibilite="membres", statut="complet")
    avec_structures.structures.set([StructureFactory(nom="Zèbre & Cie"), StructureFactory(nom="Abeilles")])

    qs = Evenement.objects.order_by("debut", "pk")
    lignes = cartes.charger(qs)
    instances = list(qs.select_related("lieu__commune", "commune", "programme").prefetch_related("structures"))
    assert len(lignes) == len(instances) == 5
    gabarit = Template("{% load agenda %}{% carte_evenement e niveau=3 horaire_seul=h sans_programme=s %}")
    for ligne, instance in zip(lignes, instances, strict=True):
        for h in (False, True):
            for s in (False, True):
                attendu = gabarit.render(Context({"e": instance, "h": h, "s": s}))
                assert gabarit.render(Context({"e": ligne, "h": h, "s": s})) == attendu, instance.titre
    # The list tag writes the same cards, each in its <li>.
    liste = Template("{% load agenda %}{% cartes_evenements e niveau=3 horaire_seul=True %}").render(
        Context({"e": lignes}))
    assert liste == "".join(
        "\n  <li>" + gabarit.render(Context({"e": instance, "h": True, "s": False})) + "</li>"
        for instance in instances)
    par_titre = {ligne.titre: gabarit.render(Context({"e": ligne, "h": False, "s": False})) for ligne in lignes}
    assert "Organisé par Abeilles, Zèbre &amp; Cie" in par_titre["Co-organisé"]
    annule = par_titre["Annulé <b>"]
    assert "Annulé &lt;b&gt;" in annule and "Pluie &amp; vent" in annule and "Mois &lt;de&gt; l&#x27;ESS" in annule
    assert "Collectif &lt;X&gt;" in annule and "5 € &amp; plus" in annule and "<b>" not in annule


def test_requetes_constantes_de_la_liste_et_du_mois(client, settings, django_assert_max_num_queries):
    """The list and the month cost as many queries with five events as with forty (cards read as rows)."""
    from tests.factories import StructureFactory

    settings.CACHE_PAGES = False
    settings.CACHE_NAVIGATION = False
    structure = StructureFactory()

    def creer(n, jour):
        for ev in creer_en_masse(n):
            Evenement.objects.filter(pk=ev.pk).update(debut=paris(2030, 5, jour, 9), fin=paris(2030, 5, jour, 11))
            ev.structures.add(structure)

    creer(5, 3)
    comptes = {}
    for url in ("/agenda/?du=2030-05-01", "/agenda/?vue=mois&mois=2030-05"):
        with django_assert_max_num_queries(40) as requetes:
            assert client.get(url).status_code == 200
        comptes[url] = len(requetes)
    creer(40, 4)
    for url, nombre in comptes.items():
        with django_assert_max_num_queries(nombre):
            contenu = client.get(url).content.decode()
        assert contenu.count('<article class="carte evenement') == (20 if "du=" in url else 45)


def test_fiche_parties_fil_d_ariane_et_requetes(client, settings):
    """The event page reads its parts only when it has some (reserved ones hidden from the public), its
    parent for the breadcrumb, and what it shows of its structures, publics and fields of action."""
    from conseil_ess.comptes.models import ChampAction
    from evenements.models import Public
    from tests.factories import StructureFactory

    settings.CACHE_PAGES = False
    settings.CACHE_NAVIGATION = False
    journee = creer_evenement(titre="Journée des Assises")
    creer_evenement(titre="Plénière", parent=journee, precision_lieu="Grand amphi")
    creer_evenement(titre="Atelier réservé", parent=journee, visibilite="membres")
    seul = creer_evenement(titre="Rencontre seule", organisateurs_texte="Collectif")
    seul.structures.set([StructureFactory(nom="Zèbre"), StructureFactory(nom="Abeilles", statut="en_attente")])
    seul.publics.set([Public.objects.get_or_create(code="essai-public", defaults={"libelle": "Public essai"})[0]])
    seul.champs.set([ChampAction.objects.get_or_create(numero=42, defaults={"libelle_court": "Essai"})[0]])

    contenu = client.get(f"/agenda/{journee.slug}/").content.decode()
    assert "Au programme" in contenu and "Plénière" in contenu and "Grand amphi" in contenu
    assert "Atelier réservé" not in contenu
    plenière = Evenement.objects.get(titre="Plénière")
    assert f'<a href="/agenda/{journee.slug}/">Journée des Assises</a>' in client.get(
        f"/agenda/{plenière.slug}/").content.decode()

    with CaptureQueriesContext(connection) as sans_parties:
        contenu = client.get(f"/agenda/{seul.slug}/").content.decode()
    assert "Au programme" not in contenu
    assert "Abeilles, " in contenu and ">Zèbre</a>, Collectif" in contenu
    assert "Public essai" in contenu and "Essai" in contenu
    requetes = [q["sql"] for q in sans_parties.captured_queries if '"evenements_' in q["sql"]]
    # The event with its place, commune and programme, then its structures, publics and fields of action.
    assert len(requetes) == 2, requetes
    assert "UNION ALL" in requetes[1]
    assert '"lieu_id"' in requetes[0] and "EXISTS" in requetes[0] and '"propose_par' not in requetes[0].split("FROM")[1]
    with CaptureQueriesContext(connection) as avec_parties:
        client.get(f"/agenda/{journee.slug}/")
    assert len(avec_parties) == len(sans_parties) + 1  # its parts


def test_les_listes_des_filtres_lues_en_une_requete_sont_celles_de_l_orm():
    """The four model lists read by one UNION query hold the options of their ModelChoiceField (same values,
    labels and order: communes and publics by name, programmes newest first, fields by number), selected
    values marked; the query runs only when the form is rendered (not for a feed's events)."""
    from conseil_ess.comptes.models import ChampAction
    from evenements.models import Public
    from tests.factories import CommuneFactory

    for nom in ("Zénith", "Abbaye", "Écluse"):
        CommuneFactory(nom=nom, slug=f"c-{nom.lower()}")
    jour = datetime.date
    ancien = creer_programme(titre="Ancien", date_debut=jour(2024, 11, 1), date_fin=jour(2024, 11, 30))
    creer_programme(titre="Récent & <neuf>", date_debut=jour(2027, 11, 1), date_fin=jour(2027, 11, 30))
    Public.objects.get_or_create(code="zz-test", defaults={"libelle": "Zz public"})
    ChampAction.objects.get_or_create(numero=12, defaults={"libelle_court": "Douze"})
    ChampAction.objects.get_or_create(numero=3, defaults={"libelle_court": "Trois"})

    filtre = AgendaFilter(QueryDict(f"programme={ancien.slug}&champ=12"), queryset=Evenement.objects.all())
    with CaptureQueriesContext(connection) as requetes:
        list(filtre.qs)
    assert not any("UNION" in q["sql"] for q in requetes.captured_queries)

    with CaptureQueriesContext(connection) as requetes:
        lues = {nom: list(filtre.form.fields[nom].widget.choices)
                for nom in ("commune", "programme", "public", "champ")}
    assert len(requetes) == 1
    for nom, options in lues.items():
        orm = [(str(valeur), str(libelle)) for valeur, libelle in filtre.form.fields[nom].choices]
        assert options == orm, nom
        assert len(options) > 2
    assert lues["programme"][1][1] == "Récent & <neuf>" and lues["programme"][-1][1] == "Ancien"
    assert [libelle for _v, libelle in lues["commune"]].index("Abbaye") < [
        libelle for _v, libelle in lues["commune"]].index("Zénith")
    numeros = [int(valeur) for valeur, _l in lues["champ"][1:]]
    assert numeros == sorted(numeros) and 3 in numeros and 12 in numeros
    html = filtre.form["programme"].as_widget() + filtre.form["champ"].as_widget()
    assert f'<option value="{ancien.slug}" selected>Ancien</option>' in html
    assert '<option value="12" selected>12. Douze</option>' in html
    assert "Récent &amp; &lt;neuf&gt;" in html


def test_mois_et_liste_vides_ou_seulement_sur_plusieurs_jours(client, settings):
    """The month's sections and calendar written in Python keep their messages: an empty month or list says so;
    a month with only an event over several days lists it without the "no event" message, its days plain."""
    settings.CACHE_PAGES = False
    vide = client.get("/agenda/", {"vue": "mois", "mois": "2031-02"}).content.decode()
    assert "Aucun événement ce mois-ci avec ces critères." in vide and 'class="jour"' not in vide
    assert "<td><span>28</span></td>" in vide and 'href="#jour-' not in vide
    assert "Aucun événement ne correspond à ces critères." in client.get(
        "/agenda/", {"du": "2031-02-01", "au": "2031-02-28"}).content.decode()

    creer_evenement(titre="Salon <long>", debut=paris(2031, 3, 2, 10), fin=paris(2031, 3, 4, 18))
    creer_evenement(titre="Café", debut=paris(2031, 3, 10, 9), fin=paris(2031, 3, 10, 11))
    mars = client.get("/agenda/", {"vue": "mois", "mois": "2031-03"}).content.decode()
    assert "Aucun événement ce mois-ci" not in mars and "Salon &lt;long&gt;" in mars
    assert '<section class="jour" id="jour-2031-03-10" aria-labelledby="titre-jour-2031-03-10">' in mars
    assert '<h2 id="titre-jour-2031-03-10">lundi 10 mars 2031</h2>' in mars
    assert '<td><a href="#jour-2031-03-10" aria-label="lundi 10 mars 2031">10</a></td>' in mars
    assert "<td><span>2</span></td>" in mars  # an event over several days: listed above, not in a day
    assert '<td class="calendrier__hors-mois"></td>' in mars


@pytest.mark.parametrize("numero", [None, "", "1", "2", "3", "0", "-1", "99", "abc", "1.0", 2.0, 2.5])
def test_la_page_et_son_compte_lus_ensemble_sont_ceux_de_django(numero):
    """``cartes.page`` gives the page Django's ``get_page`` gives (out of range: the last; not a number: the
    first), with the same count, and its cards in the same order; one query for an in-range page's rows and
    count, plus the structures."""
    from django.core.paginator import Paginator

    from evenements import cartes

    for ev in creer_en_masse(45):
        jour = 3 + ev.pk % 7
        Evenement.objects.filter(pk=ev.pk).update(debut=paris(2030, 5, jour, 9), fin=paris(2030, 5, jour, 11))
    qs = Evenement.objects.order_by("debut", "pk")
    attendue = Paginator(qs, 20).get_page(numero)
    with CaptureQueriesContext(connection) as requetes:
        page, lignes = cartes.page(qs, numero, 20)
        assert (page.number, page.paginator.count, page.paginator.num_pages) == (
            attendue.number, 45, 3)
        assert page.has_next() == attendue.has_next() and page.start_index() == attendue.start_index()
    assert [c.pk for c in lignes] == [e.pk for e in attendue.object_list]
    # Below 1: the count, then the last page; above the last: an empty window first.
    attendues = {"0": 3, "-1": 3, "99": 4}.get(numero, 2)
    assert len(requetes) == attendues


def test_une_liste_vide_a_une_page_sans_compte_a_part():
    from evenements import cartes

    with CaptureQueriesContext(connection) as requetes:
        page, lignes = cartes.page(Evenement.objects.order_by("pk"), "1", 20)
    assert (page.number, page.paginator.count, lignes) == (1, 0, [])
    assert len(requetes) == 1
    page, lignes = cartes.page(Evenement.objects.order_by("pk"), "4", 20)
    assert (page.number, page.paginator.count, lignes) == (1, 0, [])


def test_les_filtres_copies_a_plat_filtrent_pour_leur_jeu():
    """Each filter set has its own filters (shallow copies): bound to it, method filters included, the class's
    filters left without a parent; two filter sets filter independently."""
    gratuit = creer_evenement(titre="Gratuit", gratuit=True)
    payant = creer_evenement(titre="Payant", gratuit=False)
    a = AgendaFilter(QueryDict("tarif=gratuit"), queryset=Evenement.objects.all())
    b = AgendaFilter(QueryDict("tarif=payant&acces=lsf"), queryset=Evenement.objects.all())
    for jeu in (a, b):
        assert jeu.filters.keys() == AgendaFilter.base_filters.keys()
        for nom, filtre in jeu.filters.items():
            assert filtre.parent is jeu and filtre.model is Evenement
            assert filtre is not AgendaFilter.base_filters[nom]
        assert jeu.filters["tarif"].filter.f is jeu.filters["tarif"]
    assert not hasattr(AgendaFilter.base_filters["tarif"], "parent")
    assert list(a.qs) == [gratuit]
    assert list(b.qs) == []
    Evenement.objects.filter(pk=payant.pk).update(interpretation_lsf=True)
    assert list(AgendaFilter(QueryDict("tarif=payant&acces=lsf"), queryset=Evenement.objects.all()).qs) == [payant]


def test_programme_des_assises_requetes_constantes(client, settings, acteur):
    """The programme page reads only some columns of its events: no field of a workshop, a whole-day parent,
    a slot or a card is loaded per event afterwards (as many queries with two workshops as with six)."""
    from tests.evenements.fabriques import CreneauFactory, EvenementFactory, ProgrammeFactory, dans
    from tests.factories import StructureFactory

    settings.CACHE_PAGES = False
    settings.CACHE_NAVIGATION = False
    assises = ProgrammeFactory(slug="assises-test", type="assises", date_debut=dans(30).date(),
                               date_fin=dans(30).date())
    jour = dans(30, 0)
    journee = EvenementFactory(titre="Journée", programme=assises, inscription_sur_plateforme=True, capacite=250,
                               debut=jour.replace(hour=8), fin=jour.replace(hour=17))
    pleniere = EvenementFactory(titre="Plénière", programme=assises, parent=journee,
                                debut=jour.replace(hour=9), fin=jour.replace(hour=10))
    pleniere.structures.add(StructureFactory(nom="Coopérative Z"))
    creneau = CreneauFactory(programme=assises, libelle="Ateliers", debut=jour.replace(hour=11),
                             fin=jour.replace(hour=12))

    def ateliers(n):
        for i in range(n):
            EvenementFactory(titre=f"Atelier {i}", programme=assises, parent=journee, creneau=creneau,
                             intervenants="Présidence : X", capacite=60, inscription_sur_plateforme=True,
                             debut=creneau.debut, fin=creneau.fin)

    ateliers(2)
    client.force_login(acteur)
    url = f"/agenda/programmes/{assises.slug}/"
    client.get(url)  # the first page of a session writes it
    with CaptureQueriesContext(connection) as avant:
        contenu = client.get(url).content.decode().replace("\xa0", " ")
    assert "Organisé par Coopérative Z" in contenu and "60 restantes sur 60" in contenu
    assert "Présidence : X" in contenu and "11 h – 12 h" in contenu and "Journée" in contenu
    ateliers(4)
    with CaptureQueriesContext(connection) as apres:
        contenu = client.get(url).content.decode()
    assert contenu.count('class="carte atelier') == 6
    assert len(apres) == len(avant)


@pytest.mark.parametrize("titre", [None, "Mois <de> l'ESS & co", "ces événements"])
def test_blocs_abonnement_et_integration_ecrits_en_python_ont_le_html_des_gabarits(rf, titre):
    """The subscribe and embed blocks, written in Python, give the HTML of their reference templates (special
    characters in the title and the query string escaped the same way)."""
    from django.template import Context, Template
    from django.template.loader import render_to_string

    from evenements.templatetags.agenda import webcal

    requete = "commune=a&b=<c>&passes=on"
    requete_http = rf.get("/agenda/")
    rendu = Template(
        '{% load agenda %}{% abonnement chemin titre "flux" %}|{% integration requete %}'
    ).render(Context({"request": requete_http, "chemin": f"/agenda.ics?{requete}", "titre": titre,
                      "requete": requete}))
    url = requete_http.build_absolute_uri(f"/agenda.ics?{requete}")
    attendu_abonnement = render_to_string("evenements/includes/abonnement.html", {
        "url": url, "url_webcal": webcal(url), "titre": titre, "identifiant": "flux"})
    attendu_integration = render_to_string("evenements/includes/integration.html", {
        "url": requete_http.build_absolute_uri(f"/agenda/integrer/?{requete}")})
    assert rendu == f"{attendu_abonnement}|{attendu_integration}"
    assert "?commune=a&amp;b=" in rendu and "<c>" not in rendu
    if titre and "<" in titre:
        assert "Mois &lt;de&gt; l&#x27;ESS &amp; co" in rendu


# --- The cards' rows by plain SQL around the ORM's WHERE (``cartes._lignes_en_sql``) -------------------------


def test_les_cartes_en_sql_donnent_les_lignes_de_values(django_assert_num_queries):
    """``cartes.charger`` reads the cards' rows with a written SELECT and the ORM's compiled WHERE: the same rows,
    values and types as ``values()`` (dates, booleans, the joined place, commune and programme, or None), in the
    same order, page by page, with the list's length; a filter that needs a join goes to the ORM."""
    from django.contrib.auth.models import AnonymousUser

    from conseil_ess.pagination import colonne_total
    from evenements import cartes
    from evenements.filters import evenements_visibles
    from tests.evenements import fabriques
    from tests.evenements.fabriques import EvenementFactory, ProgrammeFactory, dans, public

    programme = ProgrammeFactory()
    fabriques.creer_en_masse(25, dans(2).date())
    EvenementFactory(lieu=None, mode=Evenement.Mode.EN_LIGNE, programme=programme, journee_entiere=True)
    EvenementFactory(statut=Evenement.Statut.ANNULE, motif_statut="Météo", gratuit=False, tarif="5 €")
    EvenementFactory(debut=dans(10), titre="Même heure")  # equal starts: ordered by id
    EvenementFactory(publics=[public("jeunes")])
    base = evenements_visibles(AnonymousUser()).filter(parent__isnull=True)
    for params in ("", "type=atelier", "passes=1", "mode=en_ligne&tarif=gratuit", "acces=fauteuil", "du=abc"):
        filtre = AgendaFilter(QueryDict(params), queryset=base, depuis=dans(0))
        for ordre in (("debut", "pk"), ("-debut", "-pk")):
            qs = filtre.qs.order_by(*ordre)
            for tranche in (qs.all()[0:10], qs.all()[10:20], qs.all()):
                for avec_total in (True, False):
                    with django_assert_num_queries(1):
                        lignes = cartes._lignes_en_sql(tranche, avec_total)
                    colonnes = {"total": colonne_total()} if avec_total else {}
                    attendu = list(tranche.values(*cartes.CHAMPS, *cartes.LIES, **colonnes))
                    assert lignes == attendu, (params, ordre)
                    assert [{k: type(v) for k, v in ligne.items()} for ligne in lignes] == [
                        {k: type(v) for k, v in ligne.items()} for ligne in attendu]
    assert any(ligne["lieu__nom"] is None for ligne in lignes) and any(ligne["programme__titre"] for ligne in lignes)
    # A public is a many-to-many filter (a join): the ORM's ``values()``.
    filtre = AgendaFilter(QueryDict("public=jeunes"), queryset=base, depuis=dans(0))
    assert cartes._lignes_en_sql(filtre.qs.order_by("debut", "pk"), True) is None
    assert [c.titre for c in cartes.charger(filtre.qs.order_by("debut", "pk"))] == [
        e.titre for e in filtre.qs.order_by("debut", "pk")]


def test_les_evenements_visibles_d_un_visiteur_construits_une_fois(django_assert_num_queries):
    """A visitor's visible events: a clone of one queryset built once per process, never evaluated itself; the
    same SQL as built afresh, and the same events as a logged-in person's rules give to nobody."""
    from django.contrib.auth.models import AnonymousUser

    from evenements import filters
    from evenements.extensions import q_visibles
    from tests.evenements.fabriques import EvenementFactory

    public = EvenementFactory(titre="Public")
    EvenementFactory(titre="Réservé", visibilite=Evenement.Visibilite.MEMBRES)
    EvenementFactory(titre="Brouillon", publication=Evenement.Publication.BROUILLON)
    un, autre = filters.evenements_visibles(AnonymousUser()), filters.evenements_visibles(None)
    assert un is not autre and un.query is not autre.query
    frais = Evenement.objects.publies().filter(q_visibles(None))
    assert str(un.query) == str(autre.query) == str(frais.query)
    with django_assert_num_queries(1):
        assert list(un) == [public]
    assert list(autre.filter(titre="Public")) == [public]
    assert filters._visibles_anonyme()._result_cache is None
