"""WSGI entry point, for app servers that speak WSGI (live updates need ASGI)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journeymap.settings")

application = get_wsgi_application()
