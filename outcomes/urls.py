from django.urls import include, path

from . import views

app_name = "outcomes"

urlpatterns: list = [
    # Evidence pages (add and correct evidence from the family page).
    path("", include("outcomes.evidence_urls")),
    path("near-misses/", views.near_miss, name="near_miss"),
    path("eligibility-runs/", views.eligibility_runs, name="eligibility_runs"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/upload/", views.plan_upload, name="plan_upload"),
    path("plans/what-if/", views.what_if, name="what_if"),
    path("plans/<slug:slug>/<str:version>/", views.plan_detail, name="plan_detail"),
    path("plans/<slug:slug>/<str:version>/activate/", views.plan_activate, name="plan_activate"),
]
