"""Settings shared by every environment. Configuration comes from the environment only.

With no variables set, Velkommen runs embedded: a SQLite file in the project
folder, the in-memory channel layer, the local-memory cache, the console email
backend and immediate tasks. ``DATABASE_URL`` switches to PostgreSQL and
``REDIS_URL`` to channels-redis and a Redis cache; nothing else changes.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-velkommen")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    # wagtail_modeltranslation must come before the apps whose models it translates.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "onboarding.accounts",
    "onboarding.privacy",
    "onboarding.live",
    "onboarding.units",
    "onboarding.responsibilities",
    "onboarding.checklists",
    "onboarding.bookings",
    "onboarding.activities",
    "onboarding.courses",
    "onboarding.exchange",
    "onboarding.approvals",
    "onboarding.stays",
    "onboarding.buddies",
    "onboarding.democracy",
    "onboarding.glossary",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # ISO 3166 country names in both languages (the student profile's home country).
    "django_countries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Responses to signed-in people are private and not stored (its own docstring).
    "onboarding.accounts.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After the CSP middleware: it gives the admin's responses their own policy.
    "onboarding.accounts.middleware.AdminContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "onboarding.accounts.middleware.StaffMFARequiredMiddleware",
    "onboarding.accounts.middleware.AdminLanguageMiddleware",
    "cms.middleware.LanguageCookieMiddleware",
    "cms.middleware.AnonymousPageCacheMiddleware",
    "cms.middleware.ReaderPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "onboarding.urls"
WSGI_APPLICATION = "onboarding.wsgi.application"
ASGI_APPLICATION = "onboarding.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site_chrome",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's database search backend uses PostgreSQL's full-text indexes.
    INSTALLED_APPS.append("django.contrib.postgres")
    # Under ASGI every thread would keep its own persistent connection; a pool
    # bounds them (CONN_MAX_AGE must stay 0 with the pool).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN", "1")),
        "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
        # Seconds a request waits for a free connection before it fails.
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL and an immediate write lock: writes serialise instead of
            # failing with "database is locked" under concurrent requests.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# How far ahead ``events_recur`` makes the occurrences of repeating event series.
EVENTS_RECURRENCE_WEEKS = int(os.environ.get("EVENTS_RECURRENCE_WEEKS", "8"))
# Days after an event ends that answers to its personal signup questions are kept.
EVENT_PERSONAL_ANSWERS_RETENTION_DAYS = int(
    os.environ.get("EVENT_PERSONAL_ANSWERS_RETENTION_DAYS", "30")
)

# Days after a stay abroad ends that its address, phones and emergency contacts are kept
# (``stays_retention`` erases them; the stay's place and dates stay for the statistics).
STAY_RETENTION_DAYS = int(os.environ.get("STAY_RETENTION_DAYS", "60"))
# Days a safety check's answer links in an email keep working.
SAFETY_CHECK_LINK_DAYS = int(os.environ.get("SAFETY_CHECK_LINK_DAYS", "14"))
# Working days a faculty has to decide a request to come home early, when it has promised no
# decision time of its own (its ``UnitPromise``); fixed on the request when it is sent.
STAY_RETURN_DECISION_DAYS = int(os.environ.get("STAY_RETURN_DECISION_DAYS", "5"))

# The share of a unit's content complete in both languages below which its editors get the
# monthly reminder (``completeness_notify``, docs/completeness.md).
COMPLETENESS_THRESHOLD = float(os.environ.get("COMPLETENESS_THRESHOLD", "0.9"))

# Our own institution's SCHAC code: the hei-id of the sending institution in the learning
# agreements exported as Erasmus Without Paper JSON (onboarding.approvals.exports).
OWN_SCHAC_CODE = os.environ.get("OWN_SCHAC_CODE", "example.no")

# How long a booking waits for its event's or course's row lock on PostgreSQL before it is
# refused with "busy, try again" (onboarding.bookings.services.holder_lock).
BOOKING_LOCK_TIMEOUT_MS = int(os.environ.get("BOOKING_LOCK_TIMEOUT_MS", "5000"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, with its Redis client made once per pool (onboarding/cache.py).
            "BACKEND": "onboarding.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "velkommen",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 gives up reading after 5 s by default, the same time
                # channels-redis's blocking pop waits; under load its empty answer
                # comes a little later and the idle consumer dies. Read for longer.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "prefix": "velkommen",
                # All sockets of one worker process share one Redis key, and the
                # capacity (default 100) counts that key: past it, channels-redis
                # drops messages. One notify to a thousand people queues a
                # thousand hints at once. Undelivered hints still expire in 60 s.
                "capacity": 10000,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Sessions are read on every signed-in request: from the cache when it is shared by every
# process (Redis), with the database behind it. A cache of one process's own (no REDIS_URL)
# would keep a session that another process has ended, so without Redis they stay in the database.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: Norwegian Bokmål first, English second.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk (bokmål)"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English times on the 24-hour clock (onboarding/formats/en/formats.py).
FORMAT_MODULE_PATH = ["onboarding.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Oslo"
LANGUAGE_COOKIE_NAME = "velkommen_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

MODELTRANSLATION_DEFAULT_LANGUAGE = "nb"
MODELTRANSLATION_LANGUAGES = ("nb", "en")
# A field left empty in one language shows the other language's text; the
# page then carries an "only in ..." label (see cms.models.TranslatedPageMixin).
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("nb", "en")}
WAGTAILMODELTRANSLATION_LOCALE_PICKER = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
# Personal uploads (documents on checklist items): outside MEDIA_ROOT, never served
# by the web server, only through views that check who asks.
PRIVATE_MEDIA_ROOT = BASE_DIR / "private-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail
WAGTAIL_SITE_NAME = "Velkommen"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nb", "Norsk (bokmål)"), ("en", "English")]
# Wagtail's database backend; on PostgreSQL each field is stemmed in its own
# language (the ``_nb`` / ``_en`` suffix), see cms/search/backend.py and docs/search.md.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search.backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars come from our own static files, not from Gravatar: no asset from
# another site, and editors' email addresses (hashed) are not sent to one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Accounts (django-allauth): the email address is the login.
LOGIN_URL = "account_login"
# Where a login without `next` lands is decided per person (AccountAdapter.get_login_redirect_url).
LOGIN_REDIRECT_URL = "arrival_plan"
# A new account fills in the student profile first; the arrival plan is made from it.
ACCOUNT_SIGNUP_REDIRECT_URL = "profile_edit"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Signup also asks for the person's given, family and (optionally) preferred name.
ACCOUNT_SIGNUP_FORM_CLASS = "onboarding.accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Velkommen] "
# Tell people by email when their password, address or two-factor setup changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_ADAPTER = "onboarding.accounts.adapter.AccountAdapter"
# Rate limits per address and per account. A campus behind NAT reaches the site from one
# address for thousands of students (welcome week starts with hundreds of logins a minute),
# so the per-address limits only stop a flood from one place; guessing one person's
# password is stopped per account ("key": the email address tried).
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",
    "login_failed": "100/m/ip,5/5m/key",
    "signup": "100/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "60/m/ip,5/m/key",
    "reset_password_from_key": "60/m/ip",
    "change_email": "1/m/user",
    "reauthenticate": "10/m/user",
}
# Behind a proxy every request comes from the proxy's address, and per-address limits would
# be one limit for the whole site. TRUSTED_PROXY_COUNT is how many proxies of ours append to
# X-Forwarded-For (the client's address is read that many places from the right, so a
# client cannot choose it); TRUSTED_CLIENT_IP_HEADER names a header a proxy of ours sets to
# the client's address instead. Production counts one proxy (docs/deploy.md).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Velkommen"

MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Velkommen <velkommen@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers that hold in every environment.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "connect-src": ["'self'"],
    "font-src": ["'self'", "data:"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
# Wagtail's admin (/admin/, see AdminContentSecurityPolicyMiddleware) runs inline
# scripts and cannot give them nonces; everything else stays as strict as the site's.
ADMIN_CSP = {**SECURE_CSP, "script-src": ["'self'", "'unsafe-inline'"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_on_one_line": {"()": "onboarding.log.RefusalsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.tasks": {"level": "WARNING"},
        "django.request": {"filters": ["refusals_on_one_line"]},
    },
}
