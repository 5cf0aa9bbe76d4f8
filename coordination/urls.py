from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("", views.projects, name="projects"),
    path("projects.csv", views.projects_export, name="projects_export"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<str:pk>/", views.project_detail, name="project"),
    path("projects/<str:pk>/edit/", views.project_edit, name="project_edit"),
    path("pairs/<str:pk>/decide/", views.pair_decide, name="pair_decide"),
    path("overlaps/", views.overlaps, name="overlaps"),
    path("gaps/", views.gaps, name="gaps"),
    path("notes/", views.notes, name="notes"),
    path("notes/on/<str:organization_pk>/", views.note_add, name="note_add"),
    path("notes/<str:pk>/edit/", views.note_edit, name="note_edit"),
    path("notes/<str:pk>/delete/", views.note_delete, name="note_delete"),
    path("notes/<str:pk>/hide/", views.note_hide, name="note_hide"),
    path("policy/", views.policies, name="policies"),
    path("policy/new/", views.policy_create, name="policy_create"),
    path("policy/<str:pk>/", views.policy_detail, name="policy"),
    path("policy/<str:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("policy/<str:pk>/stages/", views.policy_stage_add, name="policy_stage_add"),
    path("policy/<str:pk>/stages/<str:stage_pk>/delete/", views.policy_stage_delete, name="policy_stage_delete"),
    path("policy/<str:pk>/agencies/", views.policy_agency_add, name="policy_agency_add"),
    path("policy/<str:pk>/agencies/<str:agency_pk>/remove/", views.policy_agency_remove,
         name="policy_agency_remove"),
]
