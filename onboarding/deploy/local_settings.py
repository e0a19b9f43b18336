"""Production settings for the topology on one machine, served over plain HTTP on 127.0.0.1.

Everything is production's (``onboarding.settings.production``) except what needs TLS,
which a machine serving 127.0.0.1 does not have: no redirect to HTTPS, no HSTS, and
cookies that a browser sends back over plain HTTP (a Secure cookie would not be, and
nobody could log in). ``make prod`` uses this module; a real deployment never does.
"""

import os

from onboarding.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False

# Without a mail relay (EMAIL_BACKEND set to another backend, such as the console's, which
# prints each email in the task worker's log) the SMTP options do not apply.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
if os.environ.get("EMAIL_BACKEND", _SMTP) != _SMTP:
    MAILERS = {"default": {"BACKEND": os.environ["EMAIL_BACKEND"]}}
