"""Deployment checks of the portal's own settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def two_factor_required(app_configs, **kwargs):
    if settings.MFA_REQUIRED:
        return []
    return [Warning(
        "MFA_REQUIRED is off: co-chairs, the secretariat and staff can sign in with a password alone.",
        hint="Unset MFA_REQUIRED (it defaults to on when DJANGO_DEBUG=0) or set MFA_REQUIRED=1.",
        id="wgportal.W001",
    )]
