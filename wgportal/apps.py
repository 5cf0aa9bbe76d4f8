from django.apps import AppConfig


class WgportalConfig(AppConfig):
    name = "wgportal"
    verbose_name = "Portal"
