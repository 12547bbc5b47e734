"""The role groups: agents hold the model permissions of every app handed to them from its ready()."""

import pytest
from django.contrib.auth.models import Group, Permission

from conseil_ess.comptes import roles

pytestmark = pytest.mark.django_db

APPS_DES_AGENTS = ["comptes", "evenements", "ateliers", "propositions", "seances", "home"]


def test_les_agents_ont_les_permissions_des_applications_qui_leur_sont_confiees():
    agents = Group.objects.get(name=roles.AGENT)
    for app_label in APPS_DES_AGENTS:
        toutes = set(Permission.objects.filter(content_type__app_label=app_label))
        assert toutes and toutes <= set(agents.permissions.all()), app_label
    assert not agents.permissions.filter(content_type__app_label="auth").exists()
