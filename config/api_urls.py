"""The API under /api/v1/: one router for every app's viewsets."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from casework.api.views import register as register_casework
from claims.api.views import register as register_claims
from families.api.views import register as register_families
from families.api.views.token import api_token
from outcomes.api.views import register as register_outcomes
from reports.api.views import register as register_reports

router = DefaultRouter()
register_families(router)
register_outcomes(router)
register_casework(router)
register_claims(router)
register_reports(router)

urlpatterns = [
    path("auth/token/", api_token, name="api-token"),
    path("", include(router.urls)),
]
