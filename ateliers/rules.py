"""What each role may do with ateliers: the single place for the ateliers app.

Objects: ``rejoindre``/``gerer``/``voir_membres`` take an atelier; ``voir_compte_rendu`` takes minutes.
Seeing a meeting is the agenda's rule (``evenements.voir``), which the ateliers app widens in
``apps.py``: a meeting reserved to members is seen by the atelier's members, élu·e·s and agents.
"""

import rules

from .predicates import (
    atelier_actif,
    compte_rendu_public,
    compte_rendu_publie,
    est_agent,
    est_connecte,
    est_elu,
    est_membre_de,
    gere_l_atelier,
)

rules.add_perm("ateliers.rejoindre", est_connecte & atelier_actif)
# Leave an atelier one belongs to (or withdraw one's request): ``etats.PARTICIPATION``.
rules.add_perm("ateliers.quitter", est_connecte)
# Schedule, move and cancel meetings, record attendance, write and publish minutes, answer requests.
rules.add_perm("ateliers.gerer", gere_l_atelier)
rules.add_perm("ateliers.voir_membres", est_membre_de | est_agent | est_elu)
# Every meeting reserved to members, whatever the atelier (the agenda's visibility rule, ``apps.py``).
rules.add_perm("ateliers.voir_reunions_reservees", est_agent | est_elu)
rules.add_perm("ateliers.voir_compte_rendu",
               compte_rendu_public | (compte_rendu_publie & (est_membre_de | est_elu)) | gere_l_atelier)
# The secrétariat: cycles, themes, ateliers, animateur·rice·s (in the Wagtail admin).
rules.add_perm("ateliers.administrer", est_agent)
