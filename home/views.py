from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page


def recherche(request):
    """Search the published pages of the site."""
    requete = (request.GET.get("q") or "").strip()[:200]
    resultats = Page.objects.live().public().specific().search(requete) if requete else Page.objects.none()
    page = Paginator(resultats, 10).get_page(request.GET.get("page"))
    return render(request, "home/recherche.html", {"requete": requete, "resultats": page})
