from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("actions/", views.action_items, name="actions"),
    path("actions.csv", views.action_items_csv, name="actions_csv"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/new-address/", views.calendar_rotate, name="calendar_rotate"),
    path("calendar/<str:key>.ics", views.calendar_feed, name="feed"),
    path("polls/new/", views.poll_create, name="poll_create"),
    path("polls/<int:pk>/", views.poll_detail, name="poll"),
    path("polls/<int:pk>/close/", views.poll_close, name="poll_close"),
    path("polls/<int:pk>/slots/<int:slot_pk>/schedule/", views.poll_schedule, name="poll_schedule"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/schedule/", views.meeting_schedule, name="schedule"),
    path("<int:pk>/send/<str:kind>/", views.send_confirm, name="send_confirm"),
    path("<int:pk>/invitations/send/", views.rsvps_send, name="invitations_send"),
    path("<int:pk>/update/send/", views.update_send, name="update_send"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/replies.csv", views.replies_csv, name="replies_csv"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/reply/<str:token>/", views.reply_link, name="reply_link"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_pk>/edit/", views.agenda_edit, name="agenda_edit"),
    path("<int:pk>/agenda/<int:item_pk>/delete/", views.agenda_delete, name="agenda_delete"),
    path("<int:pk>/agenda/<int:item_pk>/move/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance.csv", views.attendance_csv, name="attendance_csv"),
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("<int:pk>/minutes/publish/", views.minutes_publish, name="minutes_publish"),
    path("<int:pk>/actions/add/", views.action_add, name="action_add"),
    path("<int:pk>/actions/<int:item_pk>/edit/", views.action_edit, name="action_edit"),
    path("<int:pk>/actions/<int:item_pk>/done/", views.action_done, name="action_done"),
]
