from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from families import views as family_views

admin.site.site_header = "Family keywork administration"
admin.site.site_title = "Family keywork"


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", family_views.home, name="home"),
    path("sign-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz),
    path("admin/", admin.site.urls),
    path("families/", include("families.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("casework/", include("casework.urls")),
    path("claims/", include("claims.urls")),
    path("reports/", include("reports.urls")),
    path("privacy/", include("privacy.urls")),
    path("notifications/", include("families.notification_urls")),
    path("", include("core.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
