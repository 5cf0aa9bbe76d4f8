"""Settings for the test suite: the portal's settings, with what tests change.

pytest.ini points ``DJANGO_SETTINGS_MODULE`` here. Everything else (``DATABASE_URL``,
``CELERY_BROKER_URL``, ``REDIS_URL``, ...) still comes from the environment through
``wgportal.settings``, so CI and a bare machine run the same suite.
"""

from wgportal.settings import *  # noqa: F403
from wgportal.settings import STORAGES

# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Hashing passwords slowly protects nothing in tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# One strong key shared with the Celery worker the worker tests start (production
# settings refuse a weak one; the worker must unseal what the tests' web side sealed).
SECRET_KEY = "tests-only-" + "Vq7Lm2Xc9Rb4Tn8Kw1Pz6Hd3Jf5Gs0Ye" * 2
