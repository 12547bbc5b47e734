"""Wagtail pages (and the site's other clusterable models) made from database rows without modelcluster's search
for child objects.

``ClusterableModel.__init__`` (django-modelcluster, the base of every Wagtail page) lists the model's child
relations and parental many-to-many fields (a walk through all its fields and relations) at every instance, to
find child objects given by keyword (``ChampActionPage(leviers=[…])``). A page read from the database
(``Model.from_db``: values by position only) is given none, yet paid the walk: a twentieth of the home page,
which makes some twenty pages. ``installer()`` makes the constructor go straight to the next one when it is given
no keyword (what modelcluster's own test decides then: no name of a relation among no keywords), and keeps
modelcluster's constructor otherwise.
"""

_originale = None


def installer():
    global _originale
    from modelcluster.models import ClusterableModel

    if _originale is not None:
        return
    _originale = ClusterableModel.__init__

    def __init__(self, *args, **kwargs):
        if kwargs:
            _originale(self, *args, **kwargs)
        else:
            super(ClusterableModel, self).__init__(*args)

    __init__.__doc__ = _originale.__doc__
    ClusterableModel.__init__ = __init__
