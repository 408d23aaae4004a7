"""URLs for recording and correcting evidence (included in the outcomes namespace)."""

from django.urls import path

from . import evidence_views as views

urlpatterns: list = [
    path("families/<str:reference>/evidence/", views.evidence_list, name="evidence_list"),
    path("families/<str:reference>/evidence/add/", views.evidence_add, name="evidence_add"),
    path(
        "families/<str:reference>/evidence/add/<str:choice>/",
        views.evidence_add_kind,
        name="evidence_add_kind",
    ),
    path(
        "families/<str:reference>/evidence/<int:pk>/correct/",
        views.evidence_correct_view,
        name="evidence_correct",
    ),
    path(
        "families/<str:reference>/evidence/<int:pk>/history/",
        views.evidence_history,
        name="evidence_history",
    ),
]
