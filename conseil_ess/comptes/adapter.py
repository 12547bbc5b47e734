"""allauth adapter: French defaults, the Acteur role on sign-up."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group

from . import roles


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            groupe, _ = Group.objects.get_or_create(name=roles.ACTEUR)
            user.groups.add(groupe)
        return user
