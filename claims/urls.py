from django.urls import include, path

app_name = "claims"

urlpatterns: list = [
    # Nightly eligibility runs and notifications.
    path("", include("claims.nightly_urls")),
]
