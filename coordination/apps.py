from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = "Coordination"

    def ready(self):
        from members.hooks import register_organization_panel

        from . import panels, rules

        rules.register()

        if panels.organization_panel not in _registered:
            register_organization_panel(panels.organization_panel)
            _registered.add(panels.organization_panel)


# ready() may run more than once in tests; the hooks must hold each panel once.
_registered = set()
