"""WSGI entry point: production serves pages through gunicorn workers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onboarding.settings.production")

application = get_wsgi_application()
