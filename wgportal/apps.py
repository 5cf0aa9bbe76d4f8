import os
import sys

from django.apps import AppConfig


class WgportalConfig(AppConfig):
    name = "wgportal"
    verbose_name = "Portal"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import audit, checks  # noqa: F401 - registers the deployment checks
        from .middleware import session_mark_seen

        audit.register_models()
        user_logged_in.connect(session_mark_seen, dispatch_uid="wgportal.session_mark_seen")

        # `manage.py runserver` without a broker also runs the periodic jobs
        # (wgportal.embedded_beat). With the autoreloader only its child serves
        # (RUN_MAIN=true); the watching parent must not start a second scheduler.
        if _serving_with_runserver():
            from . import embedded_beat

            if embedded_beat.wanted():
                embedded_beat.start_in_background()


def _serving_with_runserver(argv=None, environ=None) -> bool:
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    return environ.get("RUN_MAIN") == "true" or "--noreload" in argv
