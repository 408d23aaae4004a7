from django.urls import path

from . import views, views_access, views_team

app_name = "families"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("create/", views.family_create, name="create"),
    path("team/", views_team.team_page, name="team"),
    path("<str:reference>/", views.family_detail, name="detail"),
    path("<str:reference>/members/add/", views.member_add, name="member_add"),
    path("<str:reference>/members/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("<str:reference>/interventions/add/", views.intervention_add, name="intervention_add"),
    path(
        "<str:reference>/interventions/<int:pk>/end/",
        views.intervention_end,
        name="intervention_end",
    ),
    path("<str:reference>/access/", views_access.family_access, name="access"),
    path("<str:reference>/notes/", views_team.note_list, name="notes"),
    path("<str:reference>/notes/add/", views_team.note_add, name="note_add"),
    path(
        "<str:reference>/notes/<int:note_id>/files/<int:file_id>/",
        views_team.note_file,
        name="note_file",
    ),
    path("<str:reference>/team/", views_team.team_around, name="team_around"),
    path("<str:reference>/team/lead/", views_team.reallocate, name="reallocate"),
    path("<str:reference>/team/workers/add/", views_team.worker_add, name="worker_add"),
    path(
        "<str:reference>/team/workers/<int:user_id>/remove/",
        views_team.worker_remove,
        name="worker_remove",
    ),
    path("<str:reference>/team/partners/add/", views_team.partner_add, name="partner_add"),
    path("<str:reference>/team/partners/<int:pk>/end/", views_team.partner_end, name="partner_end"),
    path("<str:reference>/step/", views_team.step_change, name="step_change"),
    path("<str:reference>/reopen/", views_team.family_reopen, name="reopen"),
    path("<str:reference>/transfer/", views_team.family_transfer, name="transfer"),
    path("<str:reference>/consent/add/", views.consent_add, name="consent_add"),
    path(
        "<str:reference>/consent/<int:pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<str:reference>/attach/", views.family_attach, name="attach"),
    path("<str:reference>/close/", views.family_close, name="close"),
]
