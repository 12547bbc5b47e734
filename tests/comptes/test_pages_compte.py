import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("nom", ["account_signup", "account_login", "account_reset_password"])
def test_pages_allauth_en_francais_dans_le_gabarit_du_site(client, nom):
    reponse = client.get(reverse(nom))
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert '<html lang="fr">' in contenu
    assert 'href="#contenu"' in contenu  # skip link of the site's layout
    assert "<main" in contenu
