from django.contrib import admin
from django.urls import include, path

from . import views
from .admin_site import admin_login

admin.site.site_header = "Working group portal — administration"
admin.site.site_title = "Working group portal"
# The admin signs in through allauth: rate limits and two-factor sign-in apply.
admin.site.login = admin_login

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("briefings/", include("briefings.urls")),
    path("coordination/", include("coordination.urls")),
    path("mailings/<int:pk>/", views.mailing_detail, name="mailing"),
    path("mailings/<int:pk>/progress/", views.mailing_progress, name="mailing_progress"),
    path("mailings/<int:pk>/retry/", views.mailing_retry, name="mailing_retry"),
    path("audit/", views.audit_log, name="audit_log"),
    path("admin/", admin.site.urls),
]
