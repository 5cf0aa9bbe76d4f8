"""Unsafe defaults: production refuses to start on a missing or weak secret key (finding 7)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wgportal.secret_key import weak_secret_key_reason
from wgportal.settings import DEVELOPMENT_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]


def _check(**variables):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(variables)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.mark.parametrize("key", [None, "", DEVELOPMENT_SECRET_KEY, "short-key", "django-insecure-" + "x1y2z3" * 10])
def test_production_refuses_to_start_without_a_strong_secret_key(key):
    variables = {"DJANGO_DEBUG": "0"}
    if key is not None:
        variables["DJANGO_SECRET_KEY"] = key
    result = _check(**variables)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_starts_with_a_strong_secret_key():
    result = _check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k3x!" + "q9Lz7Wm2Pd5Rt8Yv1Bn4Hc6Jf0Gs3Ke" * 2)
    assert result.returncode == 0, result.stderr


def test_development_runs_on_its_own_key():
    assert _check(DJANGO_DEBUG="1").returncode == 0


def test_weak_key_reasons():
    assert weak_secret_key_reason("", development_key="dev") == "is not set"
    assert "too few" in weak_secret_key_reason("ab" * 30, development_key="dev")
    assert weak_secret_key_reason("k3x!" + "q9Lz7Wm2Pd5Rt8Yv1Bn4Hc6Jf0Gs3Ke" * 2, development_key="dev") is None


def test_passwords_need_twelve_characters_and_keep_django_validators():
    from django.contrib.auth.password_validation import get_default_password_validators, validate_password
    from django.core.exceptions import ValidationError

    names = {type(v).__name__ for v in get_default_password_validators()}
    assert {"CommonPasswordValidator", "UserAttributeSimilarityValidator", "MinimumLengthValidator"} <= names
    with pytest.raises(ValidationError):
        validate_password("Kx9!mQ2#vL7")  # 11 characters
    validate_password("Kx9!mQ2#vL7p")  # 12
    with pytest.raises(ValidationError):
        validate_password("1qaz2wsx3edc")  # common


def test_check_deploy_warns_when_two_factor_is_off():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_DEBUG": "0", "DJANGO_HTTPS": "1", "MFA_REQUIRED": "0",
                "DJANGO_SECRET_KEY": "k3x!" + "q9Lz7Wm2Pd5Rt8Yv1Bn4Hc6Jf0Gs3Ke" * 2,
                "DJANGO_ALLOWED_HOSTS": "portal.example.org", "SITE_URL": "https://portal.example.org"})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "wgportal.W001" in result.stderr + result.stdout
