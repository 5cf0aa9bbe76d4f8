from django.urls import path

from .views import briefings, circulations, documents, search

app_name = "briefings"

urlpatterns = [
    path("", briefings.briefings, name="list"),
    path("new/", briefings.briefing_create, name="briefing_create"),
    path("<int:pk>/", briefings.briefing_detail, name="briefing"),
    path("<int:pk>/edit/", briefings.briefing_edit, name="briefing_edit"),
    path("documents/", documents.documents, name="documents"),
    path("documents/upload/", documents.document_upload, name="upload"),
    path("documents/<int:pk>/", documents.document_detail, name="document"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path("documents/<int:pk>/replace/", documents.document_replace, name="document_replace"),
    path("documents/<int:pk>/download/", documents.document_download, name="download"),
    path(
        "documents/<int:pk>/versions/<int:version_pk>/download/", documents.version_download,
        name="version_download",
    ),
    path("documents/<int:pk>/downloads/", documents.document_downloads, name="document_downloads"),
    path("search/", search.search, name="search"),
    path("circulations/", circulations.circulations, name="circulations"),
    path("circulations/new/", circulations.circulation_create, name="circulation_create"),
    path("circulations/<int:pk>/", circulations.circulation_detail, name="circulation"),
]
