"""WSGI entry point (gunicorn serves the pages in production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conseil_ess.settings.production")

application = get_wsgi_application()
