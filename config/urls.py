from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from families import views as family_views
from families import views_signin

admin.site.site_header = "Family keywork administration"
admin.site.site_title = "Family keywork"


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", family_views.home, name="home"),
    path("sign-in/", views_signin.SignInView.as_view(), name="login"),
    path("sign-in/two-factor/", views_signin.two_factor, name="two_factor"),
    path("sign-in/two-factor/set-up/", views_signin.two_factor_setup, name="two_factor_setup"),
    path("sign-in/two-factor/recovery-codes/", views_signin.recovery_codes, name="recovery_codes"),
    path("account/api-access/", views_signin.api_access, name="api_access"),
    path(
        "account/recovery-codes/new/",
        views_signin.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz),
    path("admin/", admin.site.urls),
    path("families/", include("families.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("casework/", include("casework.urls")),
    path("claims/", include("claims.urls")),
    path("reports/", include("reports.urls")),
    # Not under /privacy/: that is the open privacy notice (config.middleware.OPEN_PREFIXES).
    path("data-protection/", include("privacy.urls")),
    path("notifications/", include("families.notification_urls")),
    path("", include("core.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc draws with styled-components, which adds inline <style> elements, and starts a
    # blob: worker: it cannot run under the Content-Security-Policy, so its old address shows
    # the same schema in Swagger UI.
    path("api/redoc/", RedirectView.as_view(pattern_name="api-docs"), name="api-redoc"),
]
