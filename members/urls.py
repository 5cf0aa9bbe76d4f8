from django.urls import path

from .views import directory, invitations, join, people, profile, welcome

app_name = "members"

urlpatterns = [
    path("", directory.directory, name="directory"),
    path("export.csv", directory.directory_export, name="export"),
    path("organizations/new/", directory.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", directory.organization_detail, name="organization"),
    path("organizations/<int:pk>/edit/", directory.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/status/", directory.organization_status, name="organization_status"),
    path("organizations/<int:pk>/invite/", invitations.organization_invite, name="organization_invite"),
    path("welcome/", welcome.welcome, name="welcome"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/deactivate/", profile.person_deactivate, name="person_deactivate"),
    path("profile/", profile.profile, name="profile"),
    path("profile/leave/", profile.profile_leave, name="profile_leave"),
    path("invitations/", invitations.invitations, name="invitations"),
    path("invitations/new/", invitations.invitation_new, name="invitation_new"),
    path("invitations/remind/", invitations.invitations_remind, name="invitations_remind"),
    path("invitations/<int:pk>/resend/", invitations.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", invitations.invitation_revoke, name="invitation_revoke"),
    # Public: the invitee's personal link.
    path("join/<str:token>/", join.invitation_public, name="invitation_public"),
    path("join/<str:token>/accept/", join.invitation_accept, name="invitation_accept"),
    path("join/<str:token>/decline/", join.invitation_decline, name="invitation_decline"),
    path("join/<str:token>/new-link/", join.invitation_new_link, name="invitation_new_link"),
]
