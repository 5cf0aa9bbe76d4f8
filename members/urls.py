from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.csv", views.directory_export, name="export"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/status/", views.organization_status, name="organization_status"),
    path("organizations/<int:pk>/notes/", views.organization_note_add, name="organization_note_add"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
]
