"""Pages of the charity app (/charity/)."""

from __future__ import annotations

from django.urls import path

from jishiyu.charity import views

app_name = "charity"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("projects/<int:project_id>/", views.project_detail, name="project-detail"),
    path("projects/<int:project_id>/reports/<int:report_id>/photo", views.report_photo, name="report-photo"),
    path("projects/<int:project_id>/donate/", views.donation_create, name="donation-create"),
    path("needs/<int:need_id>/", views.need_detail, name="need-detail"),
    path("needs/<int:need_id>/card/", views.need_card, name="need-card"),
    path("mine/", views.my_giving, name="giving-mine"),
    path("donations/<int:donation_id>/acknowledgement/", views.donation_acknowledgement, name="donation-ack"),
    path(
        "donations/<int:donation_id>/acknowledgement.pdf", views.donation_acknowledgement_pdf, name="donation-ack-pdf"
    ),
    path("donations/<int:donation_id>/confirm/", views.donation_confirm, name="donation-confirm"),
    path("claims/<int:claim_id>/fulfil/", views.claim_fulfil, name="claim-fulfil"),
    path("desk/", views.desk, name="desk"),
    path("organisations/<int:organisation_id>/checks/", views.organisation_checks, name="organisation-checks"),
    path("roadshows/<int:roadshow_id>/board/", views.roadshow_board, name="roadshow-board"),
    path("roadshows/<int:roadshow_id>/board/live/", views.roadshow_board_live, name="roadshow-board-live"),
    path("roadshows/<int:roadshow_id>/cards/", views.roadshow_cards, name="roadshow-cards"),
]
