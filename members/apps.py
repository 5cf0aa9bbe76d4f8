from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self):
        from . import cache, rules
        from .models import MembershipChange, Organization

        rules.register()
        # The dashboard's glance and membership chart (selectors).
        cache.invalidate_on_change("membership", Organization, MembershipChange)
