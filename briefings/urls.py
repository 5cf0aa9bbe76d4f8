from django.urls import path

from . import views

app_name = "briefings"

urlpatterns = [
    path("", views.briefings, name="list"),
    path("new/", views.briefing_create, name="briefing_create"),
    path("<int:pk>/", views.briefing_detail, name="briefing"),
    path("<int:pk>/edit/", views.briefing_edit, name="briefing_edit"),
    path("documents/", views.documents, name="documents"),
    path("documents/upload/", views.document_upload, name="upload"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/replace/", views.document_replace, name="document_replace"),
    path("documents/<int:pk>/download/", views.document_download, name="download"),
    path("documents/<int:pk>/versions/<int:version_pk>/download/", views.version_download, name="version_download"),
    path("documents/<int:pk>/downloads/", views.document_downloads, name="document_downloads"),
    path("search/", views.search, name="search"),
    path("circulations/", views.circulations, name="circulations"),
    path("circulations/new/", views.circulation_create, name="circulation_create"),
    path("circulations/<int:pk>/", views.circulation_detail, name="circulation"),
]
