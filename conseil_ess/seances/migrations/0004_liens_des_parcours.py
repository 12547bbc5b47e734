# Data migration: the journal rows written when a scrutin was closed stored its page as text
# (``/seances/<slug>/#scrutin-<pk>``); link them to the scrutin itself, so the timeline builds the page
# when it is shown. The text stays (a fallback for a scrutin that no longer exists).

import re

from django.db import migrations

ANCRE = re.compile(r"#scrutin-(\d+)$")


def lier_les_scrutins(apps, schema_editor):
    Transition = apps.get_model("propositions", "Transition")
    Scrutin = apps.get_model("seances", "Scrutin")
    ContentType = apps.get_model("contenttypes", "ContentType")
    lignes = []
    for transition in Transition.objects.filter(lien_type__isnull=True, lien_url__contains="#scrutin-"):
        trouve = ANCRE.search(transition.lien_url)
        if trouve:
            lignes.append((transition, int(trouve.group(1))))
    if not lignes:
        return
    existants = set(Scrutin.objects.filter(pk__in={pk for _t, pk in lignes}).values_list("pk", flat=True))
    type_scrutin, _cree = ContentType.objects.get_or_create(app_label="seances", model="scrutin")
    for transition, pk in lignes:
        if pk in existants:
            transition.lien_type_id, transition.lien_id = type_scrutin.pk, pk
            transition.save(update_fields=["lien_type", "lien_id"])


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("propositions", "0003_lien_objet"),
        ("seances", "0003_texte_riche"),
    ]

    operations = [
        migrations.RunPython(lier_les_scrutins, migrations.RunPython.noop),
    ]
