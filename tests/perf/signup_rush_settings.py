"""Settings of the signup-rush benchmark's servers: production's, on the benchmark's database.

Only what a benchmark on one machine cannot have differs: plain HTTP (no
TLS redirect), static files collected into a temporary folder, and the
manifest storage without compression (collecting is quicker; pages look up
the same manifest).
"""

import os

from onboarding.settings.production import *  # noqa: F403

STATIC_ROOT = os.environ["SIGNUP_RUSH_STATIC_ROOT"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Wagtail's PostgreSQL search index needs django.contrib.postgres; the shared
# settings do not add it yet, and `migrate` refuses to run without it.
if "django.contrib.postgres" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]  # noqa: F405
