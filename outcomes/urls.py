from django.urls import include, path

app_name = "outcomes"

urlpatterns: list = [
    # Evidence pages (add and correct evidence from the family page).
    path("", include("outcomes.evidence_urls")),
]
