from django.urls import path

from . import views

app_name = "families"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("create/", views.family_create, name="create"),
    path("<str:reference>/", views.family_detail, name="detail"),
    path("<str:reference>/members/add/", views.member_add, name="member_add"),
    path("<str:reference>/members/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("<str:reference>/interventions/add/", views.intervention_add, name="intervention_add"),
    path(
        "<str:reference>/interventions/<int:pk>/end/",
        views.intervention_end,
        name="intervention_end",
    ),
    path("<str:reference>/notes/add/", views.note_add, name="note_add"),
    path("<str:reference>/consent/add/", views.consent_add, name="consent_add"),
    path("<str:reference>/attach/", views.family_attach, name="attach"),
    path("<str:reference>/close/", views.family_close, name="close"),
]
