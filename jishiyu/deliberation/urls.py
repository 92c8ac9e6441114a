"""URLs of 小区里 under /compounds/."""

from __future__ import annotations

from django.urls import path

from jishiyu.deliberation import views

app_name = "deliberation"

urlpatterns = [
    path("", views.compound_list, name="compound-list"),
    path("figures/", views.figures_page, name="figures-view"),
    path("work/", views.work, name="work"),
    path("<int:compound_id>/", views.compound_detail, name="compound-detail"),
    path("<int:compound_id>/setup/", views.space_setup, name="space-setup"),
    path("<int:compound_id>/notices/", views.notice_publish, name="notice-publish"),
    path("<int:compound_id>/actions/", views.actions_public, name="action-public"),
    path("<int:compound_id>/votes/new/", views.vote_create, name="vote-create"),
    path("<int:compound_id>/meetings/", views.meeting_list, name="meeting-list"),
    path("<int:compound_id>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:meeting_id>/record/", views.meeting_record, name="meeting-record"),
    path("meetings/<int:meeting_id>/attendance/", views.attendance_add, name="attendance-add"),
    path(
        "meetings/<int:meeting_id>/attendance/<int:attendance_id>/remove/",
        views.attendance_remove,
        name="attendance-remove",
    ),
    path("meetings/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("<int:compound_id>/parties/", views.party_list, name="party-list"),
    path("parties/<int:party_id>/members/", views.party_member_add, name="party-member-add"),
    path("members/<int:member_id>/remove/", views.party_member_remove, name="party-member-remove"),
    path("members/<int:member_id>/convener/", views.convener_delegate, name="party-member-delegate"),
    path("topics/<int:topic_id>/", views.topic_detail, name="topic-detail"),
    path("topics/<int:topic_id>/move/", views.topic_transition, name="topic-transition"),
    path("topics/<int:topic_id>/comments/", views.comment_add, name="comment-add"),
    path("topics/<int:topic_id>/actions/", views.action_create, name="action-create"),
    path("comments/<int:comment_id>/moderate/", views.comment_moderate, name="comment-moderate"),
    path("actions/<int:action_id>/progress/", views.action_progress, name="action-progress"),
    path("votes/<int:vote_id>/", views.vote_detail, name="vote-detail"),
    path("votes/<int:vote_id>/ballot/", views.vote_ballot, name="vote-ballot"),
    path("votes/<int:vote_id>/paper/", views.vote_paper, name="vote-paper"),
    path("votes/<int:vote_id>/documents/", views.vote_document_add, name="vote-document-add"),
    path("votes/<int:vote_id>/documents/<int:document_id>/", views.vote_document, name="vote-document"),
    path("votes/<int:vote_id>/open/", views.vote_open, name="vote-open"),
    path("votes/<int:vote_id>/close/", views.vote_close, name="vote-close"),
    path("votes/<int:vote_id>/record.json", views.vote_record, name="vote-record"),
]
