"""French plurals: 0 and 1 are singular (« 0 résultat », « 1 jour »), for every plural message of the project.

A message in no catalog falls back to the English rule (0 is plural); the project's catalog
(locale/fr, written by ``python manage.py pluriels_francais``) holds every plural message under the
French rule. This test fails when a new plural message is missing from it.
"""

from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

from home.management.commands.pluriels_francais import messages_pluriels


def test_le_catalogue_des_pluriels_est_a_jour():
    call_command("pluriels_francais", "--verifier")


def test_chaque_message_au_pluriel_suit_la_regle_francaise():
    messages = messages_pluriels()
    assert len(messages) > 40  # templates and Python code were read
    with translation.override("fr"):
        for singulier, pluriel in messages:
            assert translation.ngettext(singulier, pluriel, 0) == singulier
            assert translation.ngettext(singulier, pluriel, 1) == singulier
            assert translation.ngettext(singulier, pluriel, 2) == pluriel


def test_zero_resultat_dans_un_gabarit():
    gabarit = Template("{% load i18n %}{% blocktranslate count n=nombre %}{{ n }} jour{% plural %}{{ n }} jours"
                       "{% endblocktranslate %}")
    with translation.override("fr"):
        assert [gabarit.render(Context({"nombre": n})) for n in (0, 1, 2)] == ["0 jour", "1 jour", "2 jours"]
