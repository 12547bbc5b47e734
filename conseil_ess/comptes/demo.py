"""Load and remove the comptes part of the demo data. Called by ``manage.py charger_demo``."""

import hashlib
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from stdnum import luhn

from . import roles
from .demo_donnees import COMMUNES, PARTENAIRES, PERSONNES, STRUCTURES
from .models import Adhesion, Agrement, Commune, QuartierPrioritaire, Structure, User
from .predicates import doit_avoir_mfa
from .setup import assurer_groupes, assurer_vocabulaire


def siret_demo(slug):
    """Return a SIRET that passes the Luhn checks, derived from the slug (stable between runs)."""
    chiffres = str(int(hashlib.sha256(slug.encode()).hexdigest(), 16))
    siren = "8" + chiffres[:7]
    siren += luhn.calc_check_digit(siren)
    base = siren + chiffres[7:11]
    return base + luhn.calc_check_digit(base)


def email_demo(prenom, nom):
    return f"{slugify(prenom)}.{slugify(nom)}@example.org".replace("-", "")


def charger_territoire():
    communes = {}
    for slug, nom, qpvs in COMMUNES:
        commune, _ = Commune.objects.update_or_create(slug=slug, defaults={"nom": nom, "is_demo": True})
        communes[slug] = commune
        for qpv in qpvs:
            QuartierPrioritaire.objects.get_or_create(commune=commune, nom=qpv, defaults={"is_demo": True})
    return communes


def charger_structures(communes):
    agrements = {a.code: a for a in Agrement.objects.all()}
    structures = {}
    for slug, nom, forme, precision, codes, secteur, commune, description in STRUCTURES:
        s, _ = Structure.objects.update_or_create(slug=slug, defaults={
            "nom": nom, "forme_juridique": forme, "precision_forme": precision, "secteur": secteur,
            "commune": communes.get(commune), "description": description, "siret": siret_demo(slug),
            "statut": Structure.Statut.VALIDEE, "valide_le": timezone.now(), "is_demo": True,
            "site_web": f"https://{slug}.example.org",
        })
        s.agrements.set([agrements[c] for c in codes])
        structures[slug] = s
    for slug, nom, commune in PARTENAIRES:
        s, _ = Structure.objects.update_or_create(slug=slug, defaults={
            "nom": nom, "categorie": Structure.Categorie.PARTENAIRE, "forme_juridique": "collectivite",
            "commune": communes.get(commune), "statut": Structure.Statut.VALIDEE,
            "valide_le": timezone.now(), "is_demo": True,
        })
        structures[slug] = s
    return structures


def charger_personnes(structures):
    """Create the demo people with fresh passwords; return what to print for each account."""
    groupes = {g.name: g for g in Group.objects.filter(name__in=roles.TOUS)}
    comptes = []
    for prenom, nom, fonction, structure, role, noms_groupes in PERSONNES:
        email = email_demo(prenom, nom)
        mot_de_passe = secrets.token_urlsafe(12)
        user, _ = User.objects.update_or_create(email=email, defaults={
            "first_name": prenom, "last_name": nom, "fonction": fonction, "is_demo": True, "is_active": True,
            "is_staff": roles.ADMINISTRATEUR in noms_groupes,
        })
        user.set_password(mot_de_passe)
        user.save()
        user.groups.set([groupes[g] for g in noms_groupes])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True},
        )
        if structure:
            Adhesion.objects.update_or_create(user=user, structure=structures[structure], defaults={
                "role": role, "statut": Adhesion.Statut.ACCEPTEE, "decide_le": timezone.now(),
            })
        compte = {"email": email, "mot_de_passe": mot_de_passe, "roles": ", ".join(noms_groupes),
                  "nom": f"{prenom} {nom}"}
        comptes.append(compte)
    return comptes


def completer_mfa(comptes):
    """Set up two-factor authentication for every demo account whose role needs it.

    Called once every app has loaded its demo data: a later app may give back-office rights
    (the agenda makes the CRESS coordinator a moderator).
    """
    for compte in comptes:
        user = User.objects.get(email=compte["email"])  # fresh: no cached permissions
        # The roles as the whole demo left them (mandates and ateliers add groups).
        compte["roles"] = ", ".join(sorted(user.groups.values_list("name", flat=True)))
        if doit_avoir_mfa(user):
            compte.update(_assurer_mfa(user))
    return comptes


def _assurer_mfa(user):
    """Give the account a TOTP authenticator and recovery codes (kept between runs)."""
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    else:
        secret = decrypt(totp.data["secret"])
    codes = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()
    rc = RecoveryCodes(codes) if codes else RecoveryCodes.activate(user)
    return {"totp_secret": secret, "codes_recuperation": rc.get_unused_codes()}


def charger(avec_utilisateurs=True):
    assurer_groupes()
    assurer_vocabulaire()
    communes = charger_territoire()
    structures = charger_structures(communes)
    comptes = charger_personnes(structures) if avec_utilisateurs else []
    return {"communes": len(communes), "structures": len(structures), "comptes": comptes}


def supprimer():
    """Remove only the demo objects of this app."""
    User.objects.filter(is_demo=True).delete()
    Structure.objects.filter(is_demo=True).delete()
    QuartierPrioritaire.objects.filter(is_demo=True).delete()
    # A commune still used by real (non-demo) data stays.
    Commune.objects.filter(is_demo=True, structures__isnull=True, lieux__isnull=True,
                           evenements__isnull=True).delete()
