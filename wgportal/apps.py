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
