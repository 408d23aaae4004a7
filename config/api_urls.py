"""The API under /api/v1/: one router for every app's viewsets."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from families.api.views import register as register_families

router = DefaultRouter()
register_families(router)

urlpatterns = [
    path("", include(router.urls)),
]
