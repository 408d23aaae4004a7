"""A URL configuration with one view that always fails (tests/security/test_headers.py)."""

from django.urls import path


def broken(request):
    raise RuntimeError("secret detail Zebedee-Okonkwo")


urlpatterns = [path("broken/", broken)]
