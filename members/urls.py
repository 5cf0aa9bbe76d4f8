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
    path("organizations/<int:pk>/invite/", views.organization_invite, name="organization_invite"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/new/", views.invitation_new, name="invitation_new"),
    path("invitations/remind/", views.invitations_remind, name="invitations_remind"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    # Public: the invitee's personal link.
    path("join/<str:token>/", views.invitation_public, name="invitation_public"),
    path("join/<str:token>/accept/", views.invitation_accept, name="invitation_accept"),
    path("join/<str:token>/decline/", views.invitation_decline, name="invitation_decline"),
    path("join/<str:token>/new-link/", views.invitation_new_link, name="invitation_new_link"),
]
