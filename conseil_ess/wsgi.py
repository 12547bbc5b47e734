"""WSGI entry point (gunicorn serves the pages in production).

The application is wrapped by ``GelDuTas`` (``conseil_ess/ramasse_miettes.py``): the objects that live as long as
the worker are frozen out of the garbage collector's full collections.
"""

import os

from django.core.wsgi import get_wsgi_application

from conseil_ess.ramasse_miettes import GelDuTas

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conseil_ess.settings.production")

application = GelDuTas(get_wsgi_application())
