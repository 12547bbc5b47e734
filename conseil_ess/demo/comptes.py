"""The demo's territory, structures and people (``donnees/comptes.toml``).

Communes, structures and partners are found by slug, people by e-mail, and put back in their demo state;
every person gets a fresh password at each load (printed by ``charger_demo``, never written anywhere).
Staff accounts get two-factor authentication once every part is loaded (``completer_mfa``): a later part
may give back-office rights (the agenda makes the CRESS coordinator a moderator).
"""

import hashlib
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.contrib.auth.models import Group
from stdnum import luhn

from conseil_ess.comptes import roles
from conseil_ess.comptes.models import Adhesion, Agrement, Commune, QuartierPrioritaire, Structure, User
from conseil_ess.comptes.predicates import doit_avoir_mfa
from conseil_ess.comptes.setup import assurer_groupes, assurer_vocabulaire

from .commun import email_demo

ROLES = {"acteur": roles.ACTEUR, "agent": roles.AGENT, "elu": roles.ELU, "administrateur": roles.ADMINISTRATEUR,
         "membre": roles.MEMBRE, "animateur": roles.ANIMATEUR}


def siret_demo(slug):
    """Return a SIRET that passes the Luhn checks, derived from the slug (stable between runs)."""
    chiffres = str(int(hashlib.sha256(slug.encode()).hexdigest(), 16))
    siren = "8" + chiffres[:7]
    siren += luhn.calc_check_digit(siren)
    base = siren + chiffres[7:11]
    return base + luhn.calc_check_digit(base)


def charger(ctx):
    """Load the territory, the structures and (unless ``ctx.avec_utilisateurs`` is false) the people."""
    assurer_groupes()
    assurer_vocabulaire()
    donnees = ctx.donnees("comptes")
    communes = _communes(donnees["communes"])
    structures = _structures(ctx, donnees, communes)
    comptes = _personnes(ctx, donnees["personnes"], structures) if ctx.avec_utilisateurs else []
    ctx.oublier_personnes()
    return {"communes": len(communes), "structures": len(structures), "comptes": comptes}


def _communes(specs):
    communes = {}
    for spec in specs:
        commune, _ = Commune.objects.update_or_create(slug=spec["slug"], defaults={"nom": spec["nom"], "is_demo": True})
        communes[spec["slug"]] = commune
        for qpv in spec["quartiers_prioritaires"]:
            QuartierPrioritaire.objects.get_or_create(commune=commune, nom=qpv, defaults={"is_demo": True})
    return communes


def _structures(ctx, donnees, communes):
    agrements = {a.code: a for a in Agrement.objects.all()}
    maintenant = ctx.recit.maintenant
    structures = {}
    for spec in donnees["structures"]:
        s, _ = Structure.objects.update_or_create(slug=spec["slug"], defaults={
            "nom": spec["nom"], "forme_juridique": spec["forme_juridique"],
            "precision_forme": spec["precision_forme"], "secteur": spec["secteur"],
            "commune": communes.get(spec["commune"]), "description": spec["description"],
            "siret": siret_demo(spec["slug"]), "statut": Structure.Statut.VALIDEE, "valide_le": maintenant,
            "is_demo": True, "site_web": f"https://{spec['slug']}.example.org",
        })
        s.agrements.set([agrements[c] for c in spec["agrements"]])
        structures[spec["slug"]] = s
    for spec in donnees["partenaires"]:
        s, _ = Structure.objects.update_or_create(slug=spec["slug"], defaults={
            "nom": spec["nom"], "categorie": Structure.Categorie.PARTENAIRE, "forme_juridique": "collectivite",
            "commune": communes.get(spec.get("commune")), "statut": Structure.Statut.VALIDEE,
            "valide_le": maintenant, "is_demo": True,
        })
        structures[spec["slug"]] = s
    return structures


def _personnes(ctx, specs, structures):
    """Create the demo people with fresh passwords; return what to print for each account."""
    groupes = {g.name: g for g in Group.objects.filter(name__in=roles.TOUS)}
    comptes = []
    for spec in specs:
        email = email_demo(spec["prenom"], spec["nom"])
        noms_groupes = [ROLES[r] for r in spec["roles"]]
        mot_de_passe = secrets.token_urlsafe(12)
        user, _ = User.objects.update_or_create(email=email, defaults={
            "first_name": spec["prenom"], "last_name": spec["nom"], "fonction": spec["fonction"], "is_demo": True,
            "is_active": True, "is_staff": roles.ADMINISTRATEUR in noms_groupes,
        })
        user.set_password(mot_de_passe)
        user.save()
        user.groups.set([groupes[g] for g in noms_groupes])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if spec.get("structure"):
            Adhesion.objects.update_or_create(user=user, structure=structures[spec["structure"]], defaults={
                "role": spec["role_structure"], "statut": Adhesion.Statut.ACCEPTEE,
                "decide_le": ctx.recit.maintenant,
            })
        comptes.append({"email": email, "mot_de_passe": mot_de_passe, "roles": ", ".join(noms_groupes),
                        "nom": f"{spec['prenom']} {spec['nom']}"})
    return comptes


def completer_mfa(comptes):
    """Set up two-factor authentication for every demo account whose role needs it (after every part)."""
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


def supprimer():
    """Remove only the demo objects of this part."""
    User.objects.filter(is_demo=True).delete()
    Structure.objects.filter(is_demo=True).delete()
    QuartierPrioritaire.objects.filter(is_demo=True).delete()
    # A commune still used by real (non-demo) data stays.
    Commune.objects.filter(is_demo=True, structures__isnull=True, lieux__isnull=True,
                           evenements__isnull=True).delete()
