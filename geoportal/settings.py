"""Settings for the geoportal: every value comes from an environment variable.

Each variable is documented in docker/.env.example. Defaults suit a developer
machine running `make run` (embedded PostGIS, DEBUG and DEMO on); production
sets DEBUG=0, DEMO=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from geoportal.envconfig import (
    database_config,
    email_config,
    embedded_database_url,
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_str,
    url_origin,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# A checkout's own defaults: `make` writes .env (DEBUG=1, DEMO=1) when it is missing.
# Variables already in the environment win; production images have no .env.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)
# Demo data and demo accounts (password "demo-pass-2026") exist only with DEMO on.
DEMO = env_bool("DEMO", False)

_INSECURE_DEV_KEY = "django-insecure-dev-only-key-do-not-use-in-production-5f2c9b"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin, signing in through the site's sign-in page (and its code step).
    "geoportal.accounts.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "leaflet",
    "procrastinate.contrib.django",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "geoportal.core",
    "geoportal.accounts",
    "geoportal.municipalities",
    "geoportal.reports",
    "geoportal.open311",
    "geoportal.ogc",
    "geoportal.opendata",
    "geoportal.residents",
    "geoportal.permits",
    "layers",
    "geoportal.basemap",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer, with a fresh nonce for the map's inline script.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The API speaks the language the client asks for (Accept-Language).
    "geoportal.core.middleware.ApiLanguageMiddleware",
    "geoportal.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a two-factor code in this session.
    "django_otp.middleware.OTPMiddleware",
    "geoportal.accounts.two_factor.SignOutUnverifiedMiddleware",
    # Anonymous reads of the read-only endpoints may come from the read replica.
    "geoportal.core.routers.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change for the layers' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "geoportal.urls"
WSGI_APPLICATION = "geoportal.wsgi.application"
ASGI_APPLICATION = "geoportal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "geoportal.core.context_processors.site",
            ],
        },
    },
]

# Database: PostGIS only. Without DATABASE_URL the embedded cluster of `make run` is used.
DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL", "") or embedded_database_url(BASE_DIR),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
# Parallel test runs (several checkouts or helpers on one cluster) each take their own name.
if env_str("TEST_DATABASE_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "")}
# A PostgreSQL read replica for anonymous reads of the read-only endpoints (core/routers.py):
# a URL, or "same-server" for a database named <default>_replica beside the default one
# (what the test suite uses). READ_FROM_REPLICA=0 keeps the alias but reads the primary.
_replica_url = env_str("DATABASE_REPLICA_URL", "")
if _replica_url:
    if _replica_url == "same-server":
        DATABASES["replica"] = {**DATABASES["default"],
                                "NAME": f"{DATABASES['default']['NAME']}_replica"}  # fmt: skip
        if "TEST" in DATABASES["default"]:
            DATABASES["replica"]["TEST"] = {
                "NAME": DATABASES["default"]["TEST"]["NAME"] + "_replica"
            }
    else:
        DATABASES["replica"] = database_config(
            _replica_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0)
        )
    DATABASE_ROUTERS = ["geoportal.core.routers.ReplicaRouter"]
READ_FROM_REPLICA = env_bool("READ_FROM_REPLICA", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "frontend:login"
LOGIN_REDIRECT_URL = "frontend:staff-home"
LOGOUT_REDIRECT_URL = "frontend:home"

# Internationalisation: Ukrainian by default, English under /en/.
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Ukrainian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "geoportal" / "locale"]
TIME_ZONE = "Europe/Kyiv"
USE_I18N = True
USE_TZ = True

# Static and media files. Front-end packages come from npm (frontend/node_modules),
# installed by `make`, and are served by Django's static files, never from a CDN.
STATIC_URL = env_str("STATIC_URL", "/static/")
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
_NODE_MODULES = BASE_DIR / "frontend" / "node_modules"
STATICFILES_DIRS = [
    ("vendor/exifr", _NODE_MODULES / "exifr" / "dist"),
    ("vendor/locatecontrol", _NODE_MODULES / "leaflet.locatecontrol" / "dist"),
    ("vendor/swagger-ui", _NODE_MODULES / "swagger-ui-dist"),
    ("vendor/vectorgrid", _NODE_MODULES / "leaflet.vectorgrid" / "dist"),
]
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Photos on the local disk, or on S3-compatible storage (MinIO, Ceph, AWS) through
# django-storages: MEDIA_STORAGE=storages.backends.s3.S3Storage and the S3_* variables.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
# Seconds a signed link to a photo lasts: an S3 presigned URL, or the reporter's link to
# the photos of their own report before it is public (geoportal/reports/photo_serving).
PHOTO_URL_SECONDS = env_int("PHOTO_URL_SECONDS", 300, minimum=30)
# Production (docker/nginx.conf): the internal nginx location of the media volume. A photo
# request Django has allowed is answered with X-Accel-Redirect to it, and nginx sends the
# file; empty, Django sends the file itself (development).
PHOTO_ACCEL_REDIRECT = env_str("PHOTO_ACCEL_REDIRECT", "")
_MEDIA_OPTIONS: dict[str, object] = {}
if MEDIA_STORAGE == "storages.backends.s3.S3Storage":
    _MEDIA_OPTIONS = {
        "bucket_name": env_str("S3_BUCKET", ""),
        "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("S3_REGION", "") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID", ""),
        "secret_key": env_str("S3_SECRET_ACCESS_KEY", ""),
        # Objects are private (the bucket's default, no ACL sent): a photo stops being
        # public when its report does, or when a moderator hides it, so nobody gets a
        # plain URL. The checked view hands out presigned ones, to those allowed only; a
        # custom domain would make django-storages drop the signature, so there is none.
        "querystring_auth": True,
        "querystring_expire": PHOTO_URL_SECONDS,
        # Signature V4 (X-Amz-Expires in the URL): what AWS and MinIO require today.
        "signature_version": "s3v4",
        "default_acl": None,
        "file_overwrite": False,
    }
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE, "OPTIONS": _MEDIA_OPTIONS},
    "staticfiles": {
        "BACKEND": env_str(
            "STATIC_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Cache: files shared by every process of one host. "default" keeps derived data (pickled);
# "tiles" keeps the layers' vector tiles as the bytes they are sent as (BytesFileCache), in
# its own folder below CACHE_DIR.
_cache_dir = Path(env_str("CACHE_DIR", str(BASE_DIR / ".local" / "cache")))
_cache_timeout = env_int("CACHE_TIMEOUT", 86400, minimum=1)
_cache_entries = env_int("CACHE_MAX_ENTRIES", 200000, minimum=100)
CACHES = {
    "default": {
        "BACKEND": "geoportal.core.filecache.OccasionallyCulledFileCache",
        "LOCATION": str(_cache_dir),
        "TIMEOUT": _cache_timeout,
        "OPTIONS": {"MAX_ENTRIES": _cache_entries},
    },
    "tiles": {
        "BACKEND": "geoportal.core.filecache.BytesFileCache",
        "LOCATION": str(_cache_dir / "tiles"),
        "TIMEOUT": _cache_timeout,
        "OPTIONS": {"MAX_ENTRIES": _cache_entries},
    },
}

# E-mail: EMAIL_URL such as smtp://user:password@mail.example.org:587/?tls=True.
_email = email_config(env_str("EMAIL_URL", "consolemail://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH", str(BASE_DIR / ".local" / "mail"))
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Відкрите Місто <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: production values come from DEBUG=0 and these switches.
_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _SECURE)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _SECURE)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _SECURE)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _SECURE else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _SECURE)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _SECURE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# How many proxies (nginx, a load balancer) stand in front: the client's address is taken
# that many entries from the right of X-Forwarded-For (geoportal/core/clientip.py).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0, minimum=0)

# Rate limits counted in PostgreSQL, so every process and replica shares them
# (geoportal/core/ratelimit.py): N/second, minute, hour or day. An address is not a person:
# a mobile carrier puts many residents behind one (CGNAT) and an office shares one Wi-Fi.
# So each scope has a limit per client, counted for its device (a signed cookie the pages
# give the browser), its session and its account each on its own, and a generous ceiling
# per address, which is what still bounds a client that throws its cookies away.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMITS = {
    "report": {"client": env_rate("RATE_REPORT", "10/hour"),
               "address": env_rate("RATE_REPORT_ADDRESS", "200/hour")},
    "support": {"client": env_rate("RATE_SUPPORT", "60/hour"),
                "address": env_rate("RATE_SUPPORT_ADDRESS", "600/hour")},
    "photo_location": {"client": env_rate("RATE_PHOTO_LOCATION", "60/hour"),
                       "address": env_rate("RATE_PHOTO_LOCATION_ADDRESS", "600/hour")},
    "login": {"client": env_rate("RATE_LOGIN", "30/hour"),
              "address": env_rate("RATE_LOGIN_ADDRESS", "100/hour")},
    "resident_link": {"client": env_rate("RATE_RESIDENT_LINK", "10/hour"),
                      "address": env_rate("RATE_RESIDENT_LINK_ADDRESS", "100/hour")},
    "permit_precheck": {"client": env_rate("RATE_PERMIT_PRECHECK", "120/hour"),
                        "address": env_rate("RATE_PERMIT_PRECHECK_ADDRESS", "1200/hour")},
    "permit_application": {"client": env_rate("RATE_PERMIT_APPLICATION", "10/hour"),
                           "address": env_rate("RATE_PERMIT_APPLICATION_ADDRESS", "100/hour")},
}  # fmt: skip
# Residents' sign-in links (geoportal/residents): at most this many mails per e-mail address
# (asked for beyond it, the page answers the same and nothing is sent), each link valid
# this many minutes and once.
RATE_RESIDENT_LINK_EMAIL = env_rate("RATE_RESIDENT_LINK_EMAIL", "5/hour")
RESIDENT_LINK_MINUTES = env_int("RESIDENT_LINK_MINUTES", 15, minimum=1)
# Open311 filings are counted per API key alone (a call centre files hundreds an hour from
# one address): the key's own hourly limit, set in the admin, or this one.
RATE_OPEN311 = env_rate("RATE_OPEN311", "30/hour")
# The device cookie (geoportal/core/devices.py) lives this long.
DEVICE_COOKIE_DAYS = env_int("DEVICE_COOKIE_DAYS", 730, minimum=1)
# API tokens (POST /api/v1/auth/token/) expire this long after they are issued; a password
# change or deactivation deletes them at once (geoportal/accounts/tokens.py).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30, minimum=1)
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is locked for AXES_COOLOFF_HOURS.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(hours=env_int("AXES_COOLOFF_HOURS", 1, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "geoportal.core.clientip.address_or_none"
AXES_LOCKOUT_CALLABLE = "geoportal.accounts.signin.locked_out"
AXES_VERBOSE = False
# Optional two-factor sign-in (django-otp, TOTP): staff turn it on at /staff/two-factor/.
# The issuer is the name authenticator apps show beside the account (the site's name).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Відкрите Місто")
# How long the code step waits after the right password before sign-in starts over.
OTP_SIGN_IN_SECONDS = env_int("OTP_SIGN_IN_SECONDS", 300, minimum=30)
# The admin's device pages never show a secret key or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Map: base tiles from a configurable server (OpenStreetMap by default). The map
# still works without it: boundaries and layers are drawn from our own API.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
# Base map sources in order: "own" (the platform's vector tiles, /tiles/base/, after
# import_basemap) and "raster" (MAP_TILE_URL). The first is drawn; the next replaces it when
# its tiles fail (geoportal/basemap/static/basemap/basemap.js). "own,raster" or "own" keep
# the maps off other servers.
BASEMAP = env_list("BASEMAP", ["raster"])
BASEMAP_ATTRIBUTION = env_str(
    "BASEMAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
DEFAULT_MUNICIPALITY = env_str("DEFAULT_MUNICIPALITY", "pokrovsk")
LEAFLET_CONFIG = {
    # django-leaflet draws the raster tiles itself when they come first (the admin's maps
    # too); otherwise basemap.js draws the base map on every map page.
    "TILES": [(_("Base map"), MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION, "maxZoom": 19})]
    if BASEMAP[:1] == ["raster"]
    else [],
    "DEFAULT_CENTER": (48.2771, 37.1772),
    "DEFAULT_ZOOM": 11,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 19,
    "SCALE": "metric",
    "RESET_VIEW": False,
    "NO_GLOBALS": True,
    "PLUGINS": {
        "locatecontrol": {
            "css": ["vendor/locatecontrol/L.Control.Locate.min.css"],
            "js": ["vendor/locatecontrol/L.Control.Locate.min.js"],
            "auto-include": True,
        },
        # The base map on every page with a map: Leaflet.VectorGrid draws the own tiles.
        "basemap": {
            "css": ["basemap/basemap.css"],
            "js": ["vendor/vectorgrid/Leaflet.VectorGrid.bundled.min.js", "basemap/basemap.js"],
            "auto-include": True,
        },
    },
}

# Content-Security-Policy (django-csp): scripts, styles, fonts and API calls only from the
# site itself; images also from the base-map tile host and from the media host when photos
# live elsewhere (S3). The one inline script, django-leaflet's map loader, carries the
# request's nonce. CSP_EXTRA_IMG_HOSTS adds origins (a second tile server, a CDN).
_S3_HOSTS: list[str | None] = []
if MEDIA_STORAGE == "storages.backends.s3.S3Storage":
    _bucket, _region = _MEDIA_OPTIONS["bucket_name"], _MEDIA_OPTIONS["region_name"]
    _S3_HOSTS = [
        url_origin(str(_MEDIA_OPTIONS["endpoint_url"] or "")),
        f"https://{_bucket}.s3.amazonaws.com",
        f"https://{_bucket}.s3.{_region}.amazonaws.com" if _region else None,
    ]
_IMG_HOSTS = [url_origin(MAP_TILE_URL), url_origin(MEDIA_URL), *_S3_HOSTS]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": list(
            dict.fromkeys(
                [SELF, "data:", *filter(None, _IMG_HOSTS), *env_list("CSP_EXTRA_IMG_HOSTS", [])]
            )
        ),
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# API
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Staff sign in by session (the site) or by token (POST /api/v1/auth/token/).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "geoportal.accounts.tokens.ExpiringTokenAuthentication",
    ],
    # JSON nested too deeply or holding lone surrogates is a 400 like any malformed JSON.
    "DEFAULT_PARSER_CLASSES": [
        "geoportal.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Django's ValidationError and the procedure's refusals become 400/403/404/409 answers.
    "EXCEPTION_HANDLER": "geoportal.api_errors.exception_handler",
    # Only views with a throttle_scope are limited (RATE_LIMITS above), counted in PostgreSQL.
    "DEFAULT_THROTTLE_CLASSES": ["geoportal.core.ratelimit.DatabaseRateThrottle"],
    # Areas, sizes and valuations as JSON numbers, not strings.
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Geoportal API",
    "DESCRIPTION": "Municipalities, departments, problem categories, GIS layers and reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"LayerEnum": "layers.kinds.LayerKind"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "geoportal.api_schema.add_error_responses",
    ],
    # Swagger UI from npm (frontend/node_modules), not drf-spectacular's CDN default.
    "SWAGGER_UI_DIST": f"{STATIC_URL}vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": f"{STATIC_URL}vendor/swagger-ui/favicon-32x32.png",
}

# Background jobs: Procrastinate on the same PostgreSQL database.
# A worker silent (no heartbeat) this long is taken for dead and its jobs are tried again.
STALLED_WORKER_SECONDS = env_int("STALLED_WORKER_SECONDS", 120, minimum=30)
PROCRASTINATE_WORKER_DEFAULTS = {"concurrency": env_int("WORKER_CONCURRENCY", 2, minimum=1)}
# A worker whose last heartbeat is older than this is reported as down by /health/.
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 60, minimum=5)

# Open City reports: photo limits (the issue's defaults) and the clocks' schedule. The
# procedure's own numbers (deadlines) are per-municipality settings in the database.
REPORT_PHOTOS_MAX = env_int("REPORT_PHOTOS_MAX", 5, minimum=1)
REPORT_PHOTO_MAX_BYTES = env_int("REPORT_PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
REPORT_PHOTO_MAX_PIXELS = env_int("REPORT_PHOTO_MAX_PIXELS", 40_000_000, minimum=10_000)
# E-permits: an application's documents (PDF, JPEG, PNG; images are checked like report
# photos), a PDF at most this many bytes, and at most this many documents per application.
PERMIT_PDF_MAX_BYTES = env_int("PERMIT_PDF_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
PERMIT_DOCUMENTS_MAX = env_int("PERMIT_DOCUMENTS_MAX", 10, minimum=1)
# The report form downsizes a photo in the browser before it goes up (once): its longest
# side at most this many pixels, re-encoded as JPEG at this quality (1-100). A photo that is
# already this small is sent as it is; the server re-encodes and strips EXIF either way.
REPORT_PHOTO_UPLOAD_MAX_SIDE = env_int("REPORT_PHOTO_UPLOAD_MAX_SIDE", 2560, minimum=320)
REPORT_PHOTO_UPLOAD_QUALITY = min(env_int("REPORT_PHOTO_UPLOAD_QUALITY", 85, minimum=30), 100)
# Requests carry several photos: let Django hold all of them (the per-photo limit decides).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A zipped Shapefile imported into a layer may unpack to at most this many bytes, declared
# and actual: a zip bomb is refused before GDAL reads it (layers.importing.archive).
LAYER_IMPORT_MAX_UNZIPPED_BYTES = env_int(
    "LAYER_IMPORT_MAX_UNZIPPED_BYTES", 1024 * 1024 * 1024, minimum=1024 * 1024
)
# An update that moves a stored feature's boundary by more than this (centimetres) is
# refused unless the move is confirmed: a wrong coordinate system moves every plot.
LAYER_IMPORT_MOVE_TOLERANCE_CM = env_int("LAYER_IMPORT_MOVE_TOLERANCE_CM", 100, minimum=1)
# Statistics at a million reports take seconds: the worker recomputes this month's and
# all-time ones with the clocks and pages show them as of then (0: always compute anew).
STATISTICS_CACHE_SECONDS = env_int("STATISTICS_CACHE_SECONDS", 300, minimum=0)
# Whole-layer and whole-report downloads are files the worker builds when the data changes
# (geoportal.opendata.downloads): their folder, shared by the web and the worker; how long
# a change waits, so that a burst of changes makes one build; and when the worker looks at
# every download anew (permit states move with the date; changes made in bulk).
EXPORTS_DIR = Path(env_str("EXPORTS_DIR", str(BASE_DIR / ".local" / "exports")))
EXPORTS_REBUILD_DELAY_SECONDS = env_int("EXPORTS_REBUILD_DELAY_SECONDS", 300, minimum=0)
EXPORTS_CRON = env_str("EXPORTS_CRON", "10 * * * *")
# How often the worker looks at the deadlines (cron), and the hour of the daily digest (Kyiv).
CLOCKS_CRON = env_str("CLOCKS_CRON", "*/5 * * * *")
DIGEST_HOUR = env_int("DIGEST_HOUR", 8, minimum=0)
# Residents' area alerts (geoportal/residents/alerts.py): the hour of their daily digest
# (Kyiv), how often the worker looks for digests due (cron), how many alerts one resident
# keeps, and the bounds of a drawn area.
ALERT_DIGEST_HOUR = env_int("ALERT_DIGEST_HOUR", 7, minimum=0)
ALERT_DIGEST_CRON = env_str("ALERT_DIGEST_CRON", "*/15 * * * *")
ALERTS_PER_RESIDENT = env_int("ALERTS_PER_RESIDENT", 20, minimum=1)
ALERT_POLYGON_MAX_KM2 = env_int("ALERT_POLYGON_MAX_KM2", 100, minimum=1)
ALERT_POLYGON_MAX_VERTICES = env_int("ALERT_POLYGON_MAX_VERTICES", 100, minimum=4)
# A notification the mail server refused is tried again after BASE, 2×BASE, ... up to MAX s.
MAIL_RETRY_BASE_SECONDS = env_int("MAIL_RETRY_BASE_SECONDS", 30, minimum=0)
MAIL_RETRY_MAX_SECONDS = env_int("MAIL_RETRY_MAX_SECONDS", 3600, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "procrastinate": {"level": env_str("WORKER_LOG_LEVEL", "WARNING")},
    },
}

# Debian 12 ships GDAL 3.6 (the decided stack); Django asks for 3.9 to block file and
# network access from spatial reference definitions. PROJ's network access stays off
# (PROJ_NETWORK is unset) and imports resolve CRSs by EPSG code or the file's own WKT.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
